"""What a host tells us about an event, the parts organizers review, and how they land on
an Event: shared by the host's pages (events/) and the organizers' (organizers/)."""

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .dates import local_time
from .extensions import db
from .geo import EventPlacement, place_address, zip_centre_placement
from .models import (
    ATTENDANCE_MODE_LABELS,
    KIND_LABELS,
    AttendanceMode,
    Campaign,
    Event,
    EventKind,
    GeocodeStatus,
    Timeslot,
)
from .recurrence import shift_times
from .transactions import OperationRefused


class HostingError(OperationRefused):
    """A change to an event that cannot be made."""


@dataclass
class EventDetails:
    """What a host tells us about an event; times are wall-clock times where it happens."""

    title: str
    kind: EventKind
    description: str
    # Naive: the event's local time. None leaves the shifts' times and capacity as they
    # are (an event with several shifts changes them one by one: ../events/shifts.py).
    starts_local: datetime | None
    ends_local: datetime | None
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
    image_id: int | None = None
    attendance_mode: AttendanceMode = AttendanceMode.IN_PERSON
    meeting_link: str = ""  # private: for people who RSVPed
    address_private: bool = False
    # A new recurring event's dates, the first included: one timeslot each (recurrence.py).
    dates: tuple[date, ...] = ()


# A change to any of these places the event again (see place_event).
ADDRESS_FIELDS = (
    "street_address",
    "city",
    "state",
    "zip_code",
    "address_private",
    "attendance_mode",
)
# What lands on the event's timeslots rather than on the event.
TIMESLOT_FIELDS = ("starts_local", "ends_local", "capacity", "dates")
# The details stored on the event as they are.
EVENT_DETAIL_FIELDS = tuple(
    field.name for field in fields(EventDetails) if field.name not in TIMESLOT_FIELDS
)

# What the public reads about an event, where it is listed, and how attendees join it (a
# meeting link changed after approval could send them to a phishing page). With moderation
# on, a host's change to any of these in a listed event waits for an organizer; the time,
# capacity and the host's private contact details change at once, as does hiding the
# address from the public (HIDDEN_AT_ONCE).
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
    "image_id": _l("Picture"),
    "attendance_mode": _l("How people take part"),
    "meeting_link": _l("Meeting link (online events)"),
    "address_private": _l("Show the address only to people who RSVP"),
}
# Reviewed fields whose change to this value only shows the public less, so a host (who
# may need their street hidden now) never waits for it.
HIDDEN_AT_ONCE = {"address_private": True}


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


def as_utc(local: datetime, timezone: str) -> datetime:
    return local.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def local_times(event: Event | Timeslot, timezone: str) -> tuple[datetime, datetime]:
    """An event's (or a timeslot's) wall-clock times where it happens, naive, as a host
    types them."""
    return (
        local_time(event.starts_at, timezone).replace(tzinfo=None),
        local_time(event.ends_at, timezone).replace(tzinfo=None),
    )


def only_timeslot(event: Event) -> Timeslot | None:
    """The event's one shift not cancelled, which the event form edits; None with several."""
    slots = event.active_timeslots
    return slots[0] if len(slots) == 1 else None


def move_to_timezone(event: Event, timezone: str) -> None:
    """Give the event a time zone, its shifts keeping the wall-clock times the host typed."""
    if timezone != event.timezone and event.timezone:
        for slot in event.timeslots:
            starts_local, ends_local = local_times(slot, event.timezone)
            slot.starts_at = as_utc(starts_local, timezone)
            slot.ends_at = as_utc(ends_local, timezone)
    event.timezone = timezone
    event.keep_span_of_timeslots()


def place_event(details: EventDetails) -> EventPlacement:
    """Where the event goes on the map: its street address, geocoded; but the zip code's
    centre, asking no geocoder, for an address only attendees may read or an online event."""
    if details.address_private or details.attendance_mode == AttendanceMode.VIRTUAL:
        return zip_centre_placement(details.zip_code)
    return place_address(details.street_address, details.city, details.state, details.zip_code)


def apply_placement(event: Event, placement: EventPlacement) -> None:
    event.latitude = placement.latitude
    event.longitude = placement.longitude
    move_to_timezone(event, placement.timezone)
    event.geocode_status = GeocodeStatus(placement.status)
    # A new address starts its count of geocoder tries afresh; offline placing asks nobody.
    event.geocode_attempts = 0 if placement.status == GeocodeStatus.ZIP_ONLY else 1


def apply_details(event: Event, details: EventDetails) -> None:
    for name in EVENT_DETAIL_FIELDS:
        setattr(event, name, getattr(details, name))
    event.host_email = details.host_email.strip().lower()
    apply_times(event, details)


def apply_times(event: Event, details: EventDetails) -> None:
    """A new event gets a timeslot per date; an event with one shift has it changed."""
    if details.starts_local is None or details.ends_local is None:
        return
    if not event.timeslots:
        times = shift_times(details.starts_local, details.ends_local, details.dates, event.timezone)
        for starts_at, ends_at in times:
            event.timeslots.append(
                Timeslot(
                    starts_at=starts_at, ends_at=ends_at, capacity=details.capacity, seats_taken=0
                )
            )
    elif (slot := only_timeslot(event)) is not None:
        slot.starts_at = as_utc(details.starts_local, event.timezone)
        slot.ends_at = as_utc(details.ends_local, event.timezone)
        slot.capacity = details.capacity
    event.keep_span_of_timeslots()


def proposed_values(event: Event) -> dict:
    """A host's changes waiting for review, as values for the event's fields."""
    changes = {n: v for n, v in (event.proposed_changes or {}).items() if n in REVIEWED_FIELDS}
    if "kind" in changes:
        changes["kind"] = EventKind(changes["kind"])
    if "attendance_mode" in changes:
        changes["attendance_mode"] = AttendanceMode(changes["attendance_mode"])
    return changes


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
        if name == "attendance_mode":
            return str(ATTENDANCE_MODE_LABELS[value])
        if name == "address_private":
            return _("Yes") if value else _("No")
        if name == "meeting_link":
            return value or _("None")
        if name == "image_id":
            return _("A picture") if value is not None else _("None")
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
