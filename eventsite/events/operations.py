"""A host's verbs: listing a new event, writing to its attendees and, after the event,
erasing its attendee list; each one unit of work
(changing and cancelling an event are shared with organizers: ../event_changes.py)."""

from flask_babel import gettext as _

from .. import emails
from ..event_changes import active_rsvps
from ..event_details import (
    EventDetails,
    HostedEvent,
    HostingError,
    apply_details,
    apply_placement,
    moderation_on,
)
from ..extensions import db
from ..forgetting import erase_attendee_list
from ..geo import place_address
from ..models import Event, EventStatus, RsvpStatus, hash_token, new_token, utcnow
from ..transactions import unit_of_work


def create_event(details: EventDetails) -> HostedEvent:
    """Save a host's new event, placed on the map as well as we can, and email the host."""
    placement = place_address(details.street_address, details.city, details.state, details.zip_code)
    token = new_token()
    event = Event(
        status=EventStatus.PENDING if moderation_on() else EventStatus.PUBLISHED,
        manage_token_hash=hash_token(token),
        seats_taken=0,
    )
    apply_placement(event, placement)
    apply_details(event, details)
    with unit_of_work():
        db.session.add(event)
        db.session.flush()
        emails.email_host_confirmation(event, token, placement.message)
    return HostedEvent(event=event, token=token, placement_message=placement.message)


def message_attendees(event: Event, subject: str, body: str, include_waitlist: bool) -> int:
    """Queue the host's message to everyone going (and waitlisted if asked); returns count."""
    statuses = {RsvpStatus.GOING} | ({RsvpStatus.WAITLISTED} if include_waitlist else set())
    with unit_of_work():
        recipients = [rsvp for rsvp in active_rsvps(event.id) if rsvp.status in statuses]
        for rsvp in recipients:
            emails.email_host_message(event, rsvp, subject, body)
    return len(recipients)


def forget_attendees(event: Event) -> int:
    """A host's request, once the event is over: erase everyone's details from its attendee
    list now (counts stay); returns how many RSVPs were erased."""
    if event.is_upcoming and event.status != EventStatus.CANCELLED:
        raise HostingError(_("You can delete the attendee list once the event is over."))
    event_id = event.id
    with unit_of_work():
        return erase_attendee_list(event_id, utcnow())
