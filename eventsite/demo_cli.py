"""`flask demo-data`: realistic demo events, and what each demo feature needs to be seen."""

import click
from flask import current_app
from sqlalchemy import func, select

from .cli import Progress, bp
from .config import ConfigError
from .extensions import db
from .models import Event, utcnow
from .urls import external_url


def _public_link(endpoint: str, **values) -> str:
    """The page's address on EVENTSITE_PUBLIC_URL, or its path when that is not set."""
    try:
        return external_url(endpoint, **values)
    except ConfigError:
        return current_app.url_map.bind("localhost").build(endpoint, values)


@bp.cli.command("demo-data")
@click.option("--count", default=300, show_default=True, help="How many events to create.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has events.")
@click.option(
    "--past-event", is_flag=True, help="Also a past event whose attendees were forgotten."
)
@click.option(
    "--check-in-event", is_flag=True, help="Also an event on now, its host checking people in."
)
@click.option("--shift-events", is_flag=True, help="Also a canvass in shifts and a weekly vigil.")
@click.option(
    "--referrals",
    is_flag=True,
    help="Also RSVPs from sources and invite links for the campaign's dashboard, and a webhook.",
)
@click.option(
    "--show-up-events",
    is_flag=True,
    help="Also an event whose reminders went out, with a co-host, and one people attended.",
)
def demo_data(  # noqa: PLR0913
    count: int,
    if_empty: bool,
    past_event: bool,
    check_in_event: bool,
    shift_events: bool,
    referrals: bool,
    show_up_events: bool,
) -> None:
    """Fill the database with realistic upcoming demo events across the US."""
    from .demo import load_check_in_event, load_demo_data, load_forgotten_past_event
    from .demo_referrals import load_referrals_demo
    from .demo_times import load_shift_events

    if if_empty and db.session.scalar(select(func.count()).select_from(Event)):
        click.echo("The database already has events; no demo data added.")
        return
    with Progress("Adding demo events") as progress:
        created = load_demo_data(count, utcnow().date(), progress)
    if check_in_event and created:
        token = load_check_in_event(utcnow().date(), utcnow())
        # Shown once, on the console of the developer who asked for it, like `make run`'s
        # emails; never logged.
        click.echo(f"Check people in: {_public_link('events.check_in_list', token=token)}")
    if shift_events and created:
        vigil = load_shift_events(utcnow().date())
        click.echo("Added a canvass in three shifts and a weekly vigil.")
        link = _public_link("events.manage_hosted_event", token=vigil)
        click.echo(f"The vigil's host page, to add more weeks: {link}")
    if referrals and created:
        load_referrals_demo(utcnow())
        click.echo("Campaign dashboard: /organizers/campaigns/families-belong-together/dashboard")
    if show_up_events and created:
        _load_show_up_events()
    if past_event and created:
        load_forgotten_past_event(utcnow().date())
        click.echo(f"Added {created} demo events and a past one whose attendees were forgotten.")
        return
    click.echo(f"Added {created} demo events.")


def _load_show_up_events() -> None:
    from .demo_show_up import load_show_up_events

    tokens = load_show_up_events(utcnow())
    for label, key in (
        ("Reminders sent, the host's page", "host"),
        ("The same event, its co-host's page", "co_host"),
        ("Who attended, the host's page", "ended"),
    ):
        click.echo(f"{label}: {_public_link('events.manage_hosted_event', token=tokens[key])}")
