"""Commands a person runs: flask --app eventsite NAME"""

import click
from flask import Blueprint
from sqlalchemy import func, select

from .extensions import db
from .models import Event, utcnow

bp = Blueprint("cli", __name__, cli_group=None)


@bp.cli.command("demo-data")
@click.option("--count", default=300, show_default=True, help="How many events to create.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has events.")
def demo_data(count: int, if_empty: bool) -> None:
    """Fill the database with realistic upcoming demo events across the US."""
    from .demo import load_demo_data

    if if_empty and db.session.scalar(select(func.count()).select_from(Event)):
        click.echo("The database already has events; no demo data added.")
        return
    created = load_demo_data(count, utcnow().date())
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
    db.session.commit()
    click.echo(f"{'Created' if created else 'Updated'} organizer {email}.")


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
