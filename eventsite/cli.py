"""Commands a person runs: flask --app eventsite NAME"""

import sys

import click
from flask import Blueprint, current_app
from sqlalchemy import func, select

from .config import ConfigError
from .extensions import db
from .models import Event, utcnow
from .transactions import unit_of_work
from .urls import external_url

bp = Blueprint("cli", __name__, cli_group=None)


class Progress:
    """A progress bar on a terminal for a long command; nothing when its output is piped.

    Pass it to an operation as progress(done, total); the bar appears once there is work.
    """

    def __init__(self, label: str, enabled: bool = True):
        self.label = label
        self.stream = sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if not (self.enabled and total):
                return
            self.bar = click.progressbar(
                length=total, label=self.label, file=self.stream, show_pos=True
            )
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc_info) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc_info)
            self.bar = None


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
@click.option(
    "--show-up-events",
    is_flag=True,
    help="Also an event whose reminders went out, with a co-host, and one people attended.",
)
def demo_data(
    count: int, if_empty: bool, past_event: bool, check_in_event: bool, show_up_events: bool
) -> None:
    """Fill the database with realistic upcoming demo events across the US."""
    from .demo import load_check_in_event, load_demo_data, load_forgotten_past_event
    from .demo_show_up import load_show_up_events

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
    if show_up_events and created:
        tokens = load_show_up_events(utcnow())
        for label, key in (
            ("Reminders sent, the host's page", "host"),
            ("The same event, its co-host's page", "co_host"),
            ("Who attended, the host's page", "ended"),
        ):
            click.echo(f"{label}: {_public_link('events.manage_hosted_event', token=tokens[key])}")
    if past_event and created:
        load_forgotten_past_event(utcnow().date())
        click.echo(f"Added {created} demo events and a past one whose attendees were forgotten.")
        return
    click.echo(f"Added {created} demo events.")


@bp.cli.command("create-organizer")
@click.argument("email")
@click.option("--name", default="", help="The organizer's name, shown on their dashboard.")
@click.option("--campaign", "campaign_slugs", multiple=True, help="Slug of a campaign they run.")
@click.password_option(help="Asked for when not given (twice, hidden).")
def create_organizer(email: str, name: str, campaign_slugs: tuple[str, ...], password: str) -> None:
    """Set up an organizer account, or reset its password; optionally add campaigns."""
    from .models import Campaign, Organizer

    email = email.strip().lower()
    if "@" not in email:
        raise click.BadParameter("give the organizer's email address", param_hint="EMAIL")
    if len(password) < 10:
        raise click.BadParameter("use at least 10 characters", param_hint="--password")
    with unit_of_work():
        organizer = db.session.scalar(select(Organizer).where(Organizer.email == email))
        created = organizer is None
        if created:
            organizer = Organizer(email=email, name=name)
            db.session.add(organizer)
        elif name:
            organizer.name = name
        organizer.set_password(password)
        for slug in campaign_slugs:
            campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
            if campaign is None:
                raise click.BadParameter(f"no campaign /c/{slug}", param_hint="--campaign")
            if campaign not in organizer.campaigns:
                organizer.campaigns.append(campaign)
    click.echo(f"{'Created' if created else 'Updated'} organizer {email}.")


@bp.cli.command("geocode-pending")
def geocode_pending() -> None:
    """Ask the geocoder again about events still placed at their zip code (run from cron)."""
    from flask import current_app

    from .geocode_pending import geocode_pending_events

    if current_app.config["GEOCODER"] == "offline":
        click.echo("EVENTSITE_GEOCODER is offline: events stay at their zip codes.")
        return
    with Progress("Geocoding events") as progress:
        report = geocode_pending_events(current_app.config["GEOCODE_MAX_ATTEMPTS"], progress)
    click.echo(
        f"Placed {report.placed} at their street address, flagged {report.flagged} "
        f"(match too far from the zip code), {report.still_pending} still waiting, "
        f"{report.gave_up} given up after {current_app.config['GEOCODE_MAX_ATTEMPTS']} tries."
    )


@bp.cli.command("forget-past")
def forget_past_command() -> None:
    """Erase attendees' and hosts' details EVENTSITE_RETENTION_DAYS after their events, and
    sent emails after EVENTSITE_OUTBOX_RETENTION_DAYS (run from cron; safe to repeat)."""
    from .forgetting import forget_past

    click.echo(forget_past().summary())


@bp.cli.command("send-reminders")
def send_reminders_command() -> None:
    """Queue the reminders due now: the day before and a few hours before each event (run
    from cron every few minutes; safe to repeat, or to run twice at once)."""
    from .reminders import send_reminders

    click.echo(send_reminders().summary())


@bp.cli.command("send-mail")
@click.option("--loop", is_flag=True, help="Keep running, checking the outbox every interval.")
@click.option(
    "--interval", default=10.0, show_default=True, help="Seconds between checks with --loop."
)
@click.option("--console", is_flag=True, help="Print messages here instead of sending them.")
@click.option("--limit", default=100, show_default=True, help="Most messages sent per batch.")
def send_mail(loop: bool, interval: float, console: bool, limit: int) -> None:
    """Send the emails waiting in the outbox over SMTP (EVENTSITE_SMTP_URL)."""
    from .mail import waiting_message_count as waiting
    from .mail_transports import ConsoleTransport, configured_transport

    def transport():
        return ConsoleTransport(click.echo) if console else configured_transport()

    if transport() is None:
        click.echo(
            f"EVENTSITE_SMTP_URL is not set: {waiting()} messages wait in the outbox. "
            "Set it, or use --console to print them here."
        )
        return
    try:
        while True:
            report = _send_mail_batch(limit, transport, console, loop, interval)
            if report is None:
                continue
            if report.sent or report.retrying or report.failed or report.dropped or not loop:
                click.echo(_mail_summary(report, waiting()))
            if not loop:
                return
            if report.sent < limit:  # a full batch means more may be due right away
                _rest(interval)
    except KeyboardInterrupt:
        pass


def _mail_summary(report, waiting: int) -> str:
    dropped = f", dropped {report.dropped} (event or RSVP gone)" if report.dropped else ""
    return (
        f"Sent {report.sent}, will retry {report.retrying}, gave up on {report.failed}"
        f"{dropped}; {waiting} waiting."
        + (" The mail server is unreachable." if report.unreachable else "")
    )


def _send_mail_batch(limit: int, transport, console: bool, loop: bool, interval: float):
    """One batch from the outbox; None when it failed and --loop waited to try again."""
    from .mail import send_pending_mail

    try:
        # --console prints the messages themselves here: no bar over them.
        with Progress("Sending mail", enabled=not console) as progress:
            return send_pending_mail(limit, transport(), progress)
    except Exception as error:  # say, the database restarting: try again later
        if not loop:
            raise
        click.echo(f"Sending failed ({type(error).__name__}: {error}); trying again.")
        _rest(interval)
        return None


def _rest(seconds: float) -> None:
    """Give the connection back to the pool while the loop waits."""
    import time

    db.session.remove()
    time.sleep(seconds)


@bp.cli.command("create-api-key")
@click.argument("organizer_email")
@click.argument("campaign_slug")
@click.option("--label", default="", help="What the key is for, e.g. 'warehouse sync'.")
def create_api_key_command(organizer_email: str, campaign_slug: str, label: str) -> None:
    """Make an API key to read a campaign's attendances; printed once, stored hashed."""
    from .api.keys import ApiKeyError, create_api_key
    from .models import Campaign, Organizer

    organizer = db.session.scalar(
        select(Organizer).where(Organizer.email == organizer_email.strip().lower())
    )
    if organizer is None:
        raise click.BadParameter("no organizer with that email", param_hint="ORGANIZER_EMAIL")
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == campaign_slug))
    if campaign is None:
        raise click.BadParameter(f"no campaign /c/{campaign_slug}", param_hint="CAMPAIGN_SLUG")
    try:
        key = create_api_key(organizer, campaign, label)
    except ApiKeyError as error:
        raise click.UsageError(str(error)) from error
    click.echo(f"API key for {campaign.name} (organization {campaign.id}), shown only once:")
    click.echo(key)


@bp.cli.command("revoke-api-key")
@click.argument("key_id", type=int)
def revoke_api_key_command(key_id: int) -> None:
    """Revoke an API key by its id (see the api_keys table); it stops working at once."""
    from .api.keys import revoke_api_key

    if revoke_api_key(key_id) is None:
        raise click.BadParameter("no API key with that id", param_hint="KEY_ID")
    click.echo(f"Revoked API key {key_id}.")
