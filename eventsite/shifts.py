"""An event's timeslots read for many events at once: loaded onto Events in one query, or
summed up for a results list's rows (the next shift, how many more, seats, full) in one.
"""

from collections import defaultdict
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, case, func, or_, select
from sqlalchemy.orm.attributes import set_committed_value

from .extensions import db
from .models import Event, Timeslot


def load_timeslots(events: list[Event]) -> list[Event]:
    """Give each event its timeslots with one query (selectinload, for events read by a
    statement that could not say so); returns the events."""
    waiting = [event for event in events if "timeslots" not in event.__dict__]
    if not waiting:
        return events
    by_event = defaultdict(list)
    slots = db.session.scalars(
        select(Timeslot)
        .where(Timeslot.event_id.in_([event.id for event in waiting]))
        .order_by(Timeslot.event_id, Timeslot.starts_at, Timeslot.id)
    )
    for slot in slots:
        by_event[slot.event_id].append(slot)
    for event in waiting:
        set_committed_value(event, "timeslots", by_event[event.id])
    return events


@cache
def _summary_statement():
    """Each event's next shift still to come, with how many are to come, the seats held in
    them and how many have spots left: a window over the shifts, one row per event.

    Built once, the events and "now" bound: building it costs more than running it."""
    window = {"partition_by": Timeslot.event_id}
    has_spots = case(
        (or_(Timeslot.capacity.is_(None), Timeslot.seats_taken < Timeslot.capacity), 1), else_=0
    )
    upcoming = (
        select(
            Timeslot.event_id,
            Timeslot.starts_at,
            Timeslot.ends_at,
            func.row_number()
            .over(**window, order_by=(Timeslot.starts_at, Timeslot.id))
            .label("place"),
            func.count().over(**window).label("times"),
            func.sum(Timeslot.seats_taken).over(**window).label("seats"),
            func.sum(has_spots).over(**window).label("with_spots"),
        )
        .where(
            Timeslot.event_id.in_(bindparam("event_ids", expanding=True)),
            Timeslot.cancelled_at.is_(None),
            Timeslot.ends_at > bindparam("now", type_=Timeslot.ends_at.type),
        )
        .subquery()
    )
    return select(upcoming).where(upcoming.c.place == 1)


def with_shift_summaries(connection, events: list, now: datetime) -> list:
    """Fill each listed event's next shift, more_times, seats_taken and is_full from its
    shifts still to come, with one query on connection; returns the events."""
    if not events:
        return events
    parameters = {"event_ids": [event.id for event in events], "now": now}
    rows = connection.execute(_summary_statement(), parameters)
    found = {row.event_id: row for row in rows}
    for event in events:
        row = found.get(event.id)
        if row is None:  # nothing to come: the event's own span says when it was
            event.next_starts_at, event.next_ends_at = event.starts_at, event.ends_at
            continue
        event.next_starts_at, event.next_ends_at = row.starts_at, row.ends_at
        event.more_times = row.times - 1
        event.seats_taken = row.seats or 0
        event.is_full = row.with_spots == 0
    return events
