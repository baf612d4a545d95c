"""Hosting events: creating, editing, cancelling, moderating and writing to attendees.

Each operation changes the event and queues the emails it causes in one transaction,
so a mail server that is down never loses a message, and commits once.
"""

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from . import emails
from .attendance import fill_freed_seats
from .dates import local_time
from .extensions import db
from .geo import EventPlacement, place_address
from .models import (
    Campaign,
    Event,
    EventKind,
    EventStatus,
    GeocodeStatus,
    Organizer,
    Rsvp,
    RsvpStatus,
    hash_token,
    new_token,
    utcnow,
)


class HostingError(Exception):
    """A change to an event that cannot be made; the message is fit to show the host."""


@dataclass
class EventDetails:
    """What a host tells us about an event; times are wall-clock times where it happens."""

    title: str
    kind: EventKind
    description: str
    starts_local: datetime  # naive: the event's local time
    ends_local: datetime
    venue: str
    street_address: str
    city: str
    state: str
    zip_code: str
    capacity: int | None
    accessibility_notes: str
    host_name: str
    host_email: str
    host_phone: str
    campaign_id: int | None = None


ADDRESS_FIELDS = ("street_address", "city", "state", "zip_code")


@dataclass
class HostedEvent:
    event: Event
    # The private management token, known only here and in the link we give the host.
    token: str | None
    placement_message: str


def moderation_on() -> bool:
    return bool(current_app.config.get("MODERATION"))


def _as_utc(local: datetime, timezone: str) -> datetime:
    return local.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def _apply_placement(event: Event, placement: EventPlacement) -> None:
    event.latitude = placement.latitude
    event.longitude = placement.longitude
    event.timezone = placement.timezone
    event.geocode_status = GeocodeStatus(placement.status)
    # A new address starts its count of geocoder tries afresh; offline placing asks nobody.
    event.geocode_attempts = 0 if placement.status == GeocodeStatus.ZIP_ONLY else 1


def _apply_details(event: Event, details: EventDetails) -> None:
    for field in fields(EventDetails):
        if field.name not in ("starts_local", "ends_local"):
            setattr(event, field.name, getattr(details, field.name))
    event.host_email = details.host_email.strip().lower()
    event.starts_at = _as_utc(details.starts_local, event.timezone)
    event.ends_at = _as_utc(details.ends_local, event.timezone)


def _active_rsvps(event_id: int) -> list[Rsvp]:
    return list(
        db.session.scalars(
            select(Rsvp)
            .where(
                Rsvp.event_id == event_id,
                Rsvp.status.in_((RsvpStatus.GOING, RsvpStatus.WAITLISTED)),
            )
            .order_by(Rsvp.id)
        )
    )


def _schedule(event: Event) -> tuple:
    """What attendees planned around: the times and the zone they are shown in."""
    return event.starts_at, event.ends_at, event.timezone


def create_event(details: EventDetails) -> HostedEvent:
    """Save a host's new event, placed on the map as well as we can, and email the host."""
    placement = place_address(details.street_address, details.city, details.state, details.zip_code)
    token = new_token()
    event = Event(
        status=EventStatus.PENDING if moderation_on() else EventStatus.PUBLISHED,
        manage_token_hash=hash_token(token),
        seats_taken=0,
    )
    _apply_placement(event, placement)
    _apply_details(event, details)
    db.session.add(event)
    db.session.flush()
    emails.email_host_confirmation(event, token, placement.message)
    db.session.commit()
    return HostedEvent(event=event, token=token, placement_message=placement.message)


def update_event(event: Event, details: EventDetails) -> HostedEvent:
    """Save a host's or organizer's edits; a changed address is placed again."""
    if details.capacity is not None and details.capacity < event.seats_taken:
        raise HostingError(
            ngettext(
                "%(num)s person already holds a spot, so capacity can't be lower.",
                "%(num)s people already hold spots, so capacity can't be lower.",
                event.seats_taken,
            )
        )
    old_schedule, old_address = _schedule(event), event.full_address
    message = ""
    if any(getattr(event, name) != getattr(details, name) for name in ADDRESS_FIELDS):
        placement = place_address(
            details.street_address, details.city, details.state, details.zip_code
        )
        _apply_placement(event, placement)
        message = placement.message
    _apply_details(event, details)
    try:
        db.session.flush()
    except IntegrityError as error:  # an RSVP took a seat since the check above
        db.session.rollback()
        raise HostingError(_("More people RSVPed meanwhile; check the capacity again.")) from error
    fill_freed_seats(event.id)  # more capacity moves people up from the waitlist
    db.session.refresh(event)
    if event.status == EventStatus.PUBLISHED and (
        _schedule(event) != old_schedule or event.full_address != old_address
    ):
        _email_attendees_about_change(event)
    db.session.commit()
    return HostedEvent(event=event, token=None, placement_message=message)


def _email_attendees_about_change(event: Event) -> None:
    for rsvp in _active_rsvps(event.id):
        emails.email_event_changed(event, rsvp)


def cancel_event(event: Event, reason: str = "") -> int:
    """Cancel an event and tell everyone who RSVPed; returns how many were told."""
    if event.status == EventStatus.CANCELLED:
        return 0
    event.status = EventStatus.CANCELLED
    event.cancelled_at = utcnow()
    attendees = _active_rsvps(event.id)
    for rsvp in attendees:
        emails.email_event_cancelled(event, rsvp, reason)
    db.session.commit()
    return len(attendees)


def message_attendees(event: Event, subject: str, body: str, include_waitlist: bool) -> int:
    """Queue the host's message to everyone going (and waitlisted if asked); returns count."""
    statuses = {RsvpStatus.GOING} | ({RsvpStatus.WAITLISTED} if include_waitlist else set())
    recipients = [rsvp for rsvp in _active_rsvps(event.id) if rsvp.status in statuses]
    for rsvp in recipients:
        emails.email_host_message(event, rsvp, subject, body)
    db.session.commit()
    return len(recipients)


def approve_event(event: Event) -> None:
    """List a pending event and tell its host."""
    event.status = EventStatus.PUBLISHED
    event.rejection_reason = ""
    emails.email_event_approved(event)
    db.session.commit()


def reject_event(event: Event, reason: str) -> None:
    """Turn down a pending event with a reason the host is told."""
    event.status = EventStatus.REJECTED
    event.rejection_reason = reason
    emails.email_event_rejected(event, reason)
    db.session.commit()


def find_event_by_manage_token(token: str) -> Event | None:
    """The event behind a host's private link, looked up by the token's hash."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Event).where(Event.manage_token_hash == hash_token(token)))


def attendee_rows(event_id: int) -> list[Rsvp]:
    """Everyone who RSVPed, going first, then waitlisted, then cancelled."""
    order = {RsvpStatus.GOING: 0, RsvpStatus.WAITLISTED: 1, RsvpStatus.CANCELLED: 2}
    rsvps = db.session.scalars(select(Rsvp).where(Rsvp.event_id == event_id).order_by(Rsvp.id))
    return sorted(rsvps, key=lambda rsvp: order[rsvp.status])


RSVP_CSV_HEADER = ("event_id", "name", "email", "phone", "zip", "guests", "status", "rsvped_at")


def rsvp_csv_row(rsvp: Rsvp) -> tuple:
    return (
        rsvp.event_id,
        rsvp.name,
        rsvp.email,
        rsvp.phone,
        rsvp.zip_code,
        rsvp.guests,
        rsvp.status.value,
        rsvp.created_at.isoformat(timespec="seconds"),
    )


def create_campaign(
    organizer: Organizer, name: str, slug: str, description: str, action_date: date | None
) -> Campaign:
    """A new campaign run by the organizer who made it."""
    campaign = Campaign(name=name, slug=slug, description=description, action_date=action_date)
    campaign.organizers.append(organizer)
    db.session.add(campaign)
    db.session.commit()
    return campaign


@dataclass
class GeocodeRetryReport:
    placed: int = 0
    flagged: int = 0
    still_pending: int = 0
    gave_up: int = 0


def geocode_pending_events(
    max_attempts: int, progress: Callable[[int, int], None] | None = None
) -> GeocodeRetryReport:
    """Ask the geocoder again about events left at their zip centroid; one commit each.

    progress(done, total) is told after each event (the geocoder takes a second per address).
    """
    report = GeocodeRetryReport()
    event_ids = db.session.scalars(
        select(Event.id)
        .where(
            Event.geocode_status == GeocodeStatus.ZIP_PENDING,
            Event.geocode_attempts < max_attempts,
            Event.status.in_((EventStatus.PUBLISHED, EventStatus.PENDING)),
        )
        .order_by(Event.id)
    ).all()
    for done, event_id in enumerate(event_ids, 1):
        event = db.session.get(Event, event_id)
        placement = place_address(
            event.street_address,
            event.city,
            event.state,
            event.zip_code,
            ask_again_if_no_match=True,
        )
        event.geocode_attempts += 1
        if placement.status == GeocodeStatus.ADDRESS:
            _move_to(event, placement)
            report.placed += 1
        elif placement.status == GeocodeStatus.ZIP_FLAGGED:
            event.geocode_status = GeocodeStatus.ZIP_FLAGGED
            report.flagged += 1
        elif event.geocode_attempts >= max_attempts:
            report.gave_up += 1
        else:
            report.still_pending += 1
        db.session.commit()
        if progress:
            progress(done, len(event_ids))
    return report


def _move_to(event: Event, placement: EventPlacement) -> None:
    """Place an event exactly, keeping the wall-clock times the host typed."""
    starts_local = local_time(event.starts_at, event.timezone).replace(tzinfo=None)
    ends_local = local_time(event.ends_at, event.timezone).replace(tzinfo=None)
    event.latitude = placement.latitude
    event.longitude = placement.longitude
    event.geocode_status = GeocodeStatus.ADDRESS
    if placement.timezone != event.timezone:  # the spot is across a time-zone line
        event.timezone = placement.timezone
        event.starts_at = _as_utc(starts_local, placement.timezone)
        event.ends_at = _as_utc(ends_local, placement.timezone)
