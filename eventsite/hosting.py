"""Hosting events: creating, editing, cancelling, moderating and writing to attendees.

Each operation changes the event and queues the emails it causes in one transaction,
so a mail server that is down never loses a message, and commits once.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from . import emails
from .dates import local_time
from .extensions import db
from .geo import EventPlacement, place_address
from .models import (
    KIND_LABELS,
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
from .rsvps import fill_freed_seats


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
# The details stored as they are; the local times are converted to UTC.
EVENT_DETAIL_FIELDS = tuple(
    field.name for field in fields(EventDetails) if field.name not in ("starts_local", "ends_local")
)

# What the public reads about an event and where it is listed. With moderation on, a
# host's change to any of these in a listed event waits for an organizer; the time,
# capacity and the host's private contact details change at once.
REVIEWED_FIELDS = {
    "title": _l("Event title"),
    "kind": _l("Kind of event"),
    "description": _l("Description"),
    "venue": _l("Place name"),
    "street_address": _l("Street address"),
    "city": _l("City"),
    "state": _l("State"),
    "zip_code": _l("Zip code"),
    "accessibility_notes": _l("Accessibility"),
    "host_name": _l("Host name"),
    "campaign_id": _l("Campaign"),
}


@dataclass
class HostedEvent:
    event: Event
    # The private management token, known only here and in the link we give the host.
    token: str | None
    placement_message: str
    # Names of the fields whose new values wait for an organizer's approval.
    changes_waiting: tuple[str, ...] = ()


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
    for name in EVENT_DETAIL_FIELDS:
        setattr(event, name, getattr(details, name))
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


def update_event(event: Event, details: EventDetails, *, by_organizer: bool = False) -> HostedEvent:
    """Save a host's or organizer's edits; a changed address is placed again.

    With moderation on, a host's changes to a listed event's public details wait for an
    organizer (approve_changes); until then the public sees the approved version.
    """
    if details.capacity is not None and details.capacity < event.seats_taken:
        raise HostingError(
            ngettext(
                "%(num)s person already holds a spot, so capacity can't be lower.",
                "%(num)s people already hold spots, so capacity can't be lower.",
                event.seats_taken,
            )
        )
    waiting: tuple[str, ...] = ()
    if not by_organizer and moderation_on() and event.status == EventStatus.PUBLISHED:
        details, waiting = _hold_for_review(event, details)
    message = _save_details(event, details)
    db.session.commit()
    return HostedEvent(event=event, token=None, placement_message=message, changes_waiting=waiting)


def _hold_for_review(event: Event, details: EventDetails) -> tuple[EventDetails, tuple[str, ...]]:
    """Keep the reviewed fields' new values aside; returns the details to save now."""
    proposed = {
        name: getattr(details, name)
        for name in REVIEWED_FIELDS
        if getattr(details, name) != getattr(event, name)
    }
    if proposed != (event.proposed_changes or {}):
        event.proposed_changes = proposed or None
        event.changes_proposed_at = utcnow() if proposed else None
        event.rejection_reason = ""  # about changes this host has since rewritten
    approved = {name: getattr(event, name) for name in REVIEWED_FIELDS}
    return replace(details, **approved), tuple(proposed)


def _save_details(event: Event, details: EventDetails) -> str:
    """Apply details to the event, placing a new address and telling attendees of a
    new time or place; returns the placement message. The caller commits."""
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
    except IntegrityError as error:  # an RSVP took a seat since the capacity check
        db.session.rollback()
        raise HostingError(_("More people RSVPed meanwhile; check the capacity again.")) from error
    fill_freed_seats(event.id)  # more capacity moves people up from the waitlist
    db.session.refresh(event)
    if event.status == EventStatus.PUBLISHED and (
        _schedule(event) != old_schedule or event.full_address != old_address
    ):
        _email_attendees_about_change(event)
    return message


def proposed_values(event: Event) -> dict:
    """A host's changes waiting for review, as values for the event's fields."""
    changes = {n: v for n, v in (event.proposed_changes or {}).items() if n in REVIEWED_FIELDS}
    if "kind" in changes:
        changes["kind"] = EventKind(changes["kind"])
    return changes


def reviewing_campaign_id(event: Event) -> int | None:
    """The campaign whose organizers decide on an event's waiting changes: the one it
    would be listed in (None: no campaign, so any organizer)."""
    return proposed_values(event).get("campaign_id", event.campaign_id)


@dataclass
class ProposedChange:
    label: str
    approved: str
    proposed: str


def waiting_changes(event: Event) -> list[ProposedChange]:
    """What a host asked to change, side by side with what is public now."""

    def shown(name, value) -> str:
        if name == "kind":
            return str(KIND_LABELS[value])
        if name == "campaign_id":
            campaign = db.session.get(Campaign, value) if value is not None else None
            return campaign.name if campaign else _("None")
        return value

    return [
        ProposedChange(
            str(REVIEWED_FIELDS[name]), shown(name, getattr(event, name)), shown(name, value)
        )
        for name, value in proposed_values(event).items()
    ]


def review_version(event: Event) -> str:
    """A fingerprint of what an organizer reviews: a pending event's public details, or a
    listed event's waiting changes; approving checks the host has not changed it since."""
    if event.status == EventStatus.PENDING:
        reviewed = {name: getattr(event, name) for name in REVIEWED_FIELDS}
        reviewed.update(starts_at=event.starts_at, ends_at=event.ends_at)
    else:
        reviewed = event.proposed_changes or {}
    text = json.dumps(reviewed, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _check_reviewed(event: Event, reviewed: str) -> None:
    # Read the row again, locked (PostgreSQL), so a host's edit can't land in between.
    db.session.refresh(event, with_for_update=True)
    if reviewed != review_version(event):
        raise HostingError(
            _(
                "The host changed “%(title)s” since you opened this page; review it again.",
                title=event.title,
            )
        )


def _local_times(event: Event) -> tuple[datetime, datetime]:
    """The event's wall-clock times where it happens, naive, as a host types them."""
    return (
        local_time(event.starts_at, event.timezone).replace(tzinfo=None),
        local_time(event.ends_at, event.timezone).replace(tzinfo=None),
    )


def approve_changes(event: Event, reviewed: str) -> None:
    """Make a host's waiting changes public, as the organizer reviewed them, and tell the
    host. A new place keeps the wall-clock times the host gave."""
    _check_reviewed(event, reviewed)
    starts_local, ends_local = _local_times(event)
    current = {name: getattr(event, name) for name in EVENT_DETAIL_FIELDS}
    current.update(starts_local=starts_local, ends_local=ends_local)
    _save_details(event, EventDetails(**{**current, **proposed_values(event)}))
    _clear_changes(event)
    event.rejection_reason = ""
    emails.email_changes_approved(event)
    db.session.commit()


def reject_changes(event: Event, reason: str) -> None:
    """Turn down a host's waiting changes; the event stays as approved, the host is told."""
    _clear_changes(event)
    event.rejection_reason = reason
    emails.email_changes_rejected(event, reason)
    db.session.commit()


def _clear_changes(event: Event) -> None:
    event.proposed_changes = None
    event.changes_proposed_at = None


def _email_attendees_about_change(event: Event) -> None:
    for rsvp in _active_rsvps(event.id):
        emails.email_event_changed(event, rsvp)


def cancel_event(event: Event, reason: str = "") -> int:
    """Cancel an event and tell everyone who RSVPed; returns how many were told."""
    if event.status == EventStatus.CANCELLED:
        return 0
    event.status = EventStatus.CANCELLED
    event.cancelled_at = utcnow()
    _clear_changes(event)
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


def approve_event(event: Event, reviewed: str) -> None:
    """List a pending event, as the organizer reviewed it, and tell its host."""
    _check_reviewed(event, reviewed)
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
    starts_local, ends_local = _local_times(event)
    event.latitude = placement.latitude
    event.longitude = placement.longitude
    event.geocode_status = GeocodeStatus.ADDRESS
    if placement.timezone != event.timezone:  # the spot is across a time-zone line
        event.timezone = placement.timezone
        event.starts_at = _as_utc(starts_local, placement.timezone)
        event.ends_at = _as_utc(ends_local, placement.timezone)
