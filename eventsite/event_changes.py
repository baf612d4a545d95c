"""Changing and cancelling an event, by its host (events/) or an organizer (organizers/).

Each operation changes the event and queues the emails it causes in one unit of work, so
a mail server that is down never loses a message.
"""

from dataclasses import replace

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from . import emails, webhooks
from .event_details import (
    ADDRESS_FIELDS,
    HIDDEN_AT_ONCE,
    REVIEWED_FIELDS,
    EventDetails,
    HostedEvent,
    HostingError,
    apply_details,
    apply_placement,
    moderation_on,
    only_timeslot,
    place_event,
)
from .extensions import db
from .models import Event, EventStatus, Rsvp, RsvpStatus, WebhookTopic, utcnow
from .rsvps import fill_freed_seats
from .transactions import unit_of_work


def update_event(event: Event, details: EventDetails, *, by_organizer: bool = False) -> HostedEvent:
    """Save a host's or organizer's edits; a changed address is placed again.

    With moderation on, a host's changes to a listed event's public details wait for an
    organizer (approve_changes); until then the public sees the approved version.
    """
    slot = only_timeslot(event) if details.starts_local is not None else None
    if slot is not None:
        check_capacity(details.capacity, slot.seats_taken)
    waiting: tuple[str, ...] = ()
    with unit_of_work():
        if not by_organizer and moderation_on() and event.status == EventStatus.PUBLISHED:
            details, waiting = _hold_for_review(event, details)
        message = save_details(event, details)
    return HostedEvent(event=event, token=None, placement_message=message, changes_waiting=waiting)


def _hold_for_review(event: Event, details: EventDetails) -> tuple[EventDetails, tuple[str, ...]]:
    """Keep the reviewed fields' new values aside; returns the details to save now."""
    changed = {
        name: getattr(details, name)
        for name in REVIEWED_FIELDS
        if getattr(details, name) != getattr(event, name)
    }
    proposed = {n: v for n, v in changed.items() if (n, v) not in HIDDEN_AT_ONCE.items()}
    if proposed != (event.proposed_changes or {}):
        event.proposed_changes = proposed or None
        event.changes_proposed_at = utcnow() if proposed else None
        event.rejection_reason = ""  # about changes this host has since rewritten
    at_once = changed.keys() - proposed.keys()
    approved = {name: getattr(event, name) for name in REVIEWED_FIELDS if name not in at_once}
    return replace(details, **approved), tuple(proposed)


def check_capacity(capacity: int | None, seats_taken: int) -> None:
    """Refuse a capacity lower than the seats a shift's RSVPs already hold."""
    if capacity is not None and capacity < seats_taken:
        raise HostingError(
            ngettext(
                "%(num)s person already holds a spot, so capacity can't be lower.",
                "%(num)s people already hold spots, so capacity can't be lower.",
                seats_taken,
            ),
            field="capacity",
        )


def flush_within_capacity() -> None:
    """Write a new capacity; an RSVP that took a seat since the check (the CHECK on seats
    refuses it) is told by the capacity field. The caller's unit of work rolls back."""
    try:
        db.session.flush()
    except IntegrityError as error:
        raise HostingError(
            _("More people RSVPed meanwhile; check the capacity again."), field="capacity"
        ) from error


def _schedule(event: Event) -> tuple:
    """What attendees planned around: the times and the zone they are shown in, and how
    they join online."""
    return event.starts_at, event.ends_at, event.timezone, event.attendance_mode, event.meeting_link


def _calendar_view(event: Event) -> tuple:
    """What an event's calendar file shows."""
    return event.title, event.description, _schedule(event), event.full_address


def save_details(event: Event, details: EventDetails) -> str:
    """Apply details to the event, placing a new address and telling attendees of a new
    time or place; returns the placement message. Runs inside the caller's unit of work."""
    old_schedule, old_address = _schedule(event), event.full_address
    old_calendar_view = _calendar_view(event)
    message = ""
    if any(getattr(event, name) != getattr(details, name) for name in ADDRESS_FIELDS):
        placement = place_event(details)
        apply_placement(event, placement)
        message = placement.message
    apply_details(event, details)
    flush_within_capacity()
    slot = only_timeslot(event) if details.starts_local is not None else None
    if slot is not None:
        fill_freed_seats(slot.id)  # more capacity moves people up from the waitlist
    db.session.refresh(event)
    webhooks.queue_event_delivery(WebhookTopic.EVENT_CHANGED, event)
    if _calendar_view(event) != old_calendar_view:
        event.calendar_sequence += 1
    if event.status == EventStatus.PUBLISHED and (
        _schedule(event) != old_schedule or event.full_address != old_address
    ):
        for rsvp in active_rsvps(event.id):
            emails.email_event_changed(event, rsvp)
    return message


def active_rsvps(event_id: int) -> list[Rsvp]:
    """Everyone going or waitlisted we can write to (by email, or by text if they agreed to
    texts), in the order they RSVPed."""
    return list(
        db.session.scalars(
            select(Rsvp)
            .where(
                Rsvp.event_id == event_id,
                Rsvp.status.in_((RsvpStatus.GOING, RsvpStatus.WAITLISTED)),
                or_(Rsvp.has_email, Rsvp.sms_consent_at.is_not(None)),
            )
            .order_by(Rsvp.id)
        )
    )


def clear_changes(event: Event) -> None:
    """Forget a host's changes waiting for review."""
    event.proposed_changes = None
    event.changes_proposed_at = None


def cancel_event(event: Event, reason: str = "") -> int:
    """Cancel an event and tell everyone who RSVPed; returns how many were told."""
    if event.status == EventStatus.CANCELLED:
        return 0
    with unit_of_work():
        event.status = EventStatus.CANCELLED
        event.cancelled_at = utcnow()
        event.calendar_sequence += 1
        clear_changes(event)
        attendees = active_rsvps(event.id)
        for rsvp in attendees:
            emails.email_event_cancelled(event, rsvp, reason)
        webhooks.queue_event_delivery(WebhookTopic.EVENT_CANCELLED, event)
    return len(attendees)
