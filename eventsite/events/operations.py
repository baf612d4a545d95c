"""A host's verbs: listing a new event, writing to its attendees, checking people in at
the door and, after the event, erasing its attendee list; each one unit of work
(changing and cancelling an event are shared with organizers: ../event_changes.py).

A walk-in is an RSVP the host adds at the door, to the shift on now (or the nearest):
going and checked in at once. It holds no
seat, so a full event still takes everyone who is there (the capacity, and the CHECK on
seats_taken, govern RSVPs made ahead), and it gets no private link.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, select, update

from .. import emails, webhooks
from ..event_changes import active_rsvps
from ..event_details import (
    EventDetails,
    HostedEvent,
    HostingError,
    apply_details,
    apply_placement,
    moderation_on,
    place_event,
)
from ..extensions import db
from ..forgetting import erase_attendee_list, erase_rsvps
from ..models import (
    Event,
    EventStatus,
    Rsvp,
    RsvpStatus,
    UTCDateTime,
    WebhookTopic,
    hash_token,
    new_token,
    no_email_of_walk_in,
    utcnow,
)
from ..transactions import retrying_race, unit_of_work
from .queries import on_check_in_list


def create_event(details: EventDetails) -> HostedEvent:
    """Save a host's new event, placed on the map as well as we can, and email the host."""
    placement = place_event(details)
    token = new_token()
    event = Event(
        status=EventStatus.PENDING if moderation_on() else EventStatus.PUBLISHED,
        manage_token_hash=hash_token(token),
    )
    apply_placement(event, placement)
    apply_details(event, details)
    with unit_of_work():
        db.session.add(event)
        db.session.flush()
        emails.email_host_confirmation(event, token, placement.message)
        webhooks.queue_event_delivery(WebhookTopic.EVENT_CREATED, event)
    return HostedEvent(event=event, token=token, placement_message=placement.message)


@dataclass(frozen=True)
class MessageSent:
    """Who a host's message went to, and who it could not reach."""

    emailed: int
    # People who gave only a phone number: their consent covers texts about changes to
    # the event, not a host's own words, so the message does not reach them.
    phone_only: int


def message_attendees(
    event: Event, subject: str, body: str, include_waitlist: bool, *, reply_to_host: bool = False
) -> MessageSent:
    """Queue the host's message to everyone going (and waitlisted if asked) by email."""
    statuses = {RsvpStatus.GOING} | ({RsvpStatus.WAITLISTED} if include_waitlist else set())
    with unit_of_work():
        addressed = [rsvp for rsvp in active_rsvps(event.id) if rsvp.status in statuses]
        recipients = [rsvp for rsvp in addressed if rsvp.has_email]
        for rsvp in recipients:
            emails.email_host_message(event, rsvp, subject, body, reply_to_host=reply_to_host)
        # The day-of reminder repeats it (reminder_email_words.day_of_reminder).
        event.last_message_subject, event.last_message_body = subject, body
        event.last_message_at = utcnow()
    return MessageSent(emailed=len(recipients), phone_only=len(addressed) - len(recipients))


def forget_attendees(event: Event) -> int:
    """A host's request, once the event is over: erase everyone's details from its attendee
    list now (counts stay); returns how many RSVPs were erased."""
    if event.is_upcoming and event.status != EventStatus.CANCELLED:
        raise HostingError(_("You can delete the attendee list once the event is over."))
    event_id = event.id
    with unit_of_work():
        return erase_attendee_list(event_id, utcnow())


CHECK_IN_CLOSED = _l("Check-in is for listed events with their attendee list.")


@dataclass
class WalkIn:
    name: str
    email: str
    phone: str


def check_in(event: Event, rsvp_id: int) -> bool:
    """Mark an RSVP on the event's list, with its guests, arrived (the first time counts);
    False if it is not on the list."""
    _check_in_open(event)
    # A second tap, or two hosts' phones, keep the first time.
    arrived_at = func.coalesce(Rsvp.checked_in_at, literal(utcnow(), UTCDateTime()))
    with unit_of_work():
        return _set_arrival(event.id, rsvp_id, arrived_at)


def undo_check_in(event: Event, rsvp_id: int) -> bool:
    """Take back an arrival; a walk-in taken back was never there, so it goes from the
    list and its details are erased. False if the RSVP is not on the list."""
    _check_in_open(event)
    event_id = event.id
    with unit_of_work():
        walk_in = db.session.scalar(
            select(Rsvp.walk_in).where(Rsvp.id == rsvp_id, *on_check_in_list(event_id))
        )
        if walk_in:
            db.session.execute(
                update(Rsvp)
                .where(Rsvp.id == rsvp_id)
                .values(status=RsvpStatus.CANCELLED, checked_in_at=None)
                .execution_options(synchronize_session=False)
            )
            erase_rsvps(Rsvp.id == rsvp_id, utcnow())
            return True
        return walk_in is not None and _set_arrival(event_id, rsvp_id, None)


def add_walk_in(event: Event, person: WalkIn) -> Rsvp:
    """Add someone who came without an RSVP: going and checked in, holding no seat."""
    _check_in_open(event)
    event_id, email = event.id, person.email.strip().lower()
    timeslot_id = event.timeslot_at(utcnow()).id  # the shift on now, or the nearest
    with unit_of_work():
        # The same walk-in sent twice: the second insert fails, and its retry finds the first.
        return retrying_race(lambda: _new_walk_in(event_id, timeslot_id, person, email))


def _new_walk_in(event_id: int, timeslot_id: int, person: WalkIn, email: str) -> Rsvp:
    if email and db.session.scalar(
        select(Rsvp.id).where(Rsvp.event_id == event_id, Rsvp.email == email)
    ):
        raise HostingError(
            _("This email already has an RSVP to your event: search for their name."),
            field="email",
        )
    if person.phone and db.session.scalar(
        select(Rsvp.id).where(Rsvp.event_id == event_id, Rsvp.phone == person.phone)
    ):
        raise HostingError(
            _("This number already has an RSVP to your event: search for their name."),
            field="phone",
        )
    walk_in = Rsvp(
        event_id=event_id,
        timeslot_id=timeslot_id,
        name=person.name,
        email=email or no_email_of_walk_in(),
        phone=person.phone,
        zip_code="",
        guests=0,
        status=RsvpStatus.GOING,
        token_hash=hash_token(new_token()),  # a link nobody is given
        walk_in=True,
        checked_in_at=utcnow(),
    )
    db.session.add(walk_in)
    db.session.flush()
    webhooks.queue_rsvp_delivery(WebhookTopic.RSVP_CREATED, walk_in)
    return walk_in


def check_in_is_open(event: Event) -> bool:
    """Hosts check people in while the event is listed and its attendee list is kept."""
    return event.status == EventStatus.PUBLISHED and event.attendees_erased_at is None


def _check_in_open(event: Event) -> None:
    if not check_in_is_open(event):
        raise HostingError(CHECK_IN_CLOSED)


def _set_arrival(event_id: int, rsvp_id: int, checked_in_at) -> bool:
    """Set when the RSVP arrived (None: not yet); False if it is not on the list."""
    result = db.session.execute(
        update(Rsvp)
        .where(Rsvp.id == rsvp_id, *on_check_in_list(event_id))
        .values(checked_in_at=checked_in_at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
