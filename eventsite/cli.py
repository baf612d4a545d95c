"""Commands a person runs: flask --app eventsite NAME"""

import sys
from collections.abc import Callable
from dataclasses import dataclass

import click
from flask import Blueprint, current_app
from sqlalchemy import select

from .extensions import db
from .models import MessageChannel
from .transactions import unit_of_work

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


_LOOP = click.option(
    "--loop", is_flag=True, help="Keep running, checking the outbox every interval."
)
_INTERVAL = click.option(
    "--interval", default=10.0, show_default=True, help="Seconds between checks with --loop."
)
_CONSOLE = click.option(
    "--console", is_flag=True, help="Print messages here instead of sending them."
)
_LIMIT = click.option(
    "--limit", default=100, show_default=True, help="Most messages sent per batch."
)


@bp.cli.command("send-mail")
@_LOOP
@_INTERVAL
@_CONSOLE
@_LIMIT
def send_mail(loop: bool, interval: float, console: bool, limit: int) -> None:
    """Send the emails waiting in the outbox over SMTP (EVENTSITE_SMTP_URL)."""
    from .mail import send_pending_mail
    from .mail_transports import ConsoleTransport, configured_transport

    def transport():
        return ConsoleTransport(click.echo) if console else configured_transport()

    outbox = Outbox(
        MessageChannel.EMAIL,
        "EVENTSITE_SMTP_URL",
        "mail",
        "mail server",
        send_pending_mail,
        transport,
    )
    _send_outbox(outbox, limit, console, loop, interval)


@bp.cli.command("send-texts")
@_LOOP
@_INTERVAL
@_CONSOLE
@_LIMIT
def send_texts(loop: bool, interval: float, console: bool, limit: int) -> None:
    """Send the texts waiting in the outbox through the SMS provider (EVENTSITE_SMS_URL)."""
    from .mail import send_pending_texts
    from .sms_transports import ConsoleSmsTransport, configured_sms_transport

    def transport():
        return ConsoleSmsTransport(click.echo) if console else configured_sms_transport()

    outbox = Outbox(
        MessageChannel.SMS,
        "EVENTSITE_SMS_URL",
        "texts",
        "SMS provider",
        send_pending_texts,
        transport,
    )
    _send_outbox(outbox, limit, console, loop, interval)


@dataclass(frozen=True)
class Outbox:
    """One channel of the outbox, as send-mail and send-texts work through it."""

    channel: MessageChannel
    setting: str
    what: str  # "mail", "texts"
    server: str
    send: Callable
    transport: Callable


def _send_outbox(outbox: Outbox, limit: int, console: bool, loop: bool, interval: float) -> None:
    from .mail import waiting_message_count

    def waiting():
        return waiting_message_count(outbox.channel)

    if outbox.transport() is None:
        click.echo(
            f"{outbox.setting} is not set: {waiting()} messages wait in the outbox. "
            "Set it, or use --console to print them here."
        )
        return
    try:
        while True:
            report = _send_batch(outbox, limit, console, loop, interval)
            if report is None:
                continue
            if report.sent or report.retrying or report.failed or report.dropped or not loop:
                click.echo(_mail_summary(report, waiting(), outbox.server))
            if not loop:
                return
            if report.sent < limit:  # a full batch means more may be due right away
                _rest(interval)
    except KeyboardInterrupt:
        pass


def _mail_summary(report, waiting: int, server: str) -> str:
    dropped = f", dropped {report.dropped} (event or RSVP gone)" if report.dropped else ""
    return (
        f"Sent {report.sent}, will retry {report.retrying}, gave up on {report.failed}"
        f"{dropped}; {waiting} waiting."
        + (f" The {server} is unreachable." if report.unreachable else "")
    )


def _send_batch(outbox: Outbox, limit: int, console: bool, loop: bool, interval: float):
    """One batch from the outbox; None when it failed and --loop waited to try again."""
    try:
        # --console prints the messages themselves here: no bar over them.
        with Progress(f"Sending {outbox.what}", enabled=not console) as progress:
            return outbox.send(limit, outbox.transport(), progress)
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


@bp.cli.command("send-webhooks")
@click.option("--loop", is_flag=True, help="Keep running, checking for deliveries every interval.")
@click.option(
    "--interval", default=5.0, show_default=True, help="Seconds between checks with --loop."
)
@click.option("--limit", default=200, show_default=True, help="Most deliveries sent per batch.")
def send_webhooks(loop: bool, interval: float, limit: int) -> None:
    """Send the signed webhook deliveries waiting in the outbox, oldest first."""
    from .webhook_sending import send_pending_webhooks

    try:
        while True:
            report = send_pending_webhooks(limit)
            if report.sent or report.retrying or report.failed or report.dropped or not loop:
                click.echo(
                    f"Webhooks: sent {report.sent}, retrying {report.retrying}, "
                    f"failed {report.failed}, dropped {report.dropped} (RSVP or event gone)."
                )
            if not loop:
                return
            if report.sent + report.retrying + report.failed < limit:
                _rest(interval)
    except KeyboardInterrupt:
        pass


# Registered on bp when imported: the demo's command lives beside the demo.
from . import demo_cli  # noqa: E402,F401
