"""A host's verbs on an event's timeslots (shifts): add one or a series, change one, cancel
one; each one unit of work, its emails queued with it."""

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select, update

from .. import emails
from ..event_changes import check_capacity, flush_within_capacity
from ..event_details import HostingError, as_utc
from ..extensions import db
from ..models import MAX_TIMESLOTS, Event, EventStatus, Rsvp, RsvpStatus, Timeslot, utcnow
from ..recurrence import shift_times
from ..rsvps import fill_freed_seats
from ..transactions import unit_of_work

ACTIVE = (RsvpStatus.GOING, RsvpStatus.WAITLISTED)


def _future_times(event: Event, starts_local: datetime, ends_local: datetime):
    starts_at, ends_at = as_utc(starts_local, event.timezone), as_utc(ends_local, event.timezone)
    if starts_at <= utcnow():
        raise HostingError(_("The time must start in the future."), field="date")
    return starts_at, ends_at


def add_timeslots(
    event: Event,
    starts_local: datetime,
    ends_local: datetime,
    capacity: int | None,
    dates: tuple[date, ...] = (),
) -> list[Timeslot]:
    """Add a shift to the event in its local time, or one on each of dates (a series, at
    the same wall-clock time across a DST change); a time the event has is not added twice."""
    _future_times(event, starts_local, ends_local)  # the first: the rest come after it
    listed = {(slot.starts_at, slot.ends_at) for slot in event.active_timeslots}
    times = shift_times(starts_local, ends_local, dates, event.timezone)
    times = [time for time in times if time not in listed]
    if not times:
        raise HostingError(_("The event already has these times."), field="date")
    if len(event.timeslots) + len(times) > MAX_TIMESLOTS:
        raise HostingError(
            _("An event can have at most %(num)s times.", num=MAX_TIMESLOTS), field="date"
        )
    slots = [
        Timeslot(starts_at=starts_at, ends_at=ends_at, capacity=capacity, seats_taken=0)
        for starts_at, ends_at in times
    ]
    with unit_of_work():
        event.timeslots.extend(slots)
        event.keep_span_of_timeslots()
    return slots


def change_timeslot(
    event: Event,
    slot: Timeslot,
    starts_local: datetime,
    ends_local: datetime,
    capacity: int | None,
) -> None:
    """Move a shift or change its capacity; its people are told of a new time, and more
    capacity moves its waitlist up."""
    check_capacity(capacity, slot.seats_taken)
    starts_at, ends_at = _future_times(event, starts_local, ends_local)
    moved = (starts_at, ends_at) != (slot.starts_at, slot.ends_at)
    with unit_of_work():
        slot.starts_at, slot.ends_at, slot.capacity = starts_at, ends_at, capacity
        event.keep_span_of_timeslots()
        flush_within_capacity()
        fill_freed_seats(slot.id)
        if moved and event.status == EventStatus.PUBLISHED:
            for rsvp in _people_at(slot.id):
                emails.email_event_changed(event, rsvp)


def cancel_timeslot(event: Event, slot: Timeslot) -> int:
    """Cancel one shift of several: its RSVPs are cancelled and told; returns how many."""
    if slot.is_cancelled:
        return 0
    if len(event.active_timeslots) <= 1:
        raise HostingError(_("This is the event's only time: cancel the event instead."))
    with unit_of_work():
        people = _people_at(slot.id)
        db.session.execute(
            update(Rsvp)
            .where(Rsvp.timeslot_id == slot.id, Rsvp.status.in_(ACTIVE))
            .values(status=RsvpStatus.CANCELLED, version=Rsvp.version + 1)
            .execution_options(synchronize_session=False)
        )
        slot.cancelled_at = utcnow()
        slot.seats_taken = 0
        event.keep_span_of_timeslots()
        for rsvp in people:
            emails.email_event_cancelled(event, rsvp, timeslot_only=True)
    return len(people)


def _people_at(timeslot_id: int) -> list[Rsvp]:
    """Everyone going or waitlisted at the shift we can write to, in the order they RSVPed."""
    return list(
        db.session.scalars(
            select(Rsvp)
            .where(Rsvp.timeslot_id == timeslot_id, Rsvp.status.in_(ACTIVE), Rsvp.has_email)
            .order_by(Rsvp.id)
        )
    )
