"""Filters a search narrows its events by (kind, dates, spots left, in person or online),
as a small typed value: which filters are on picks the statement's shape, built once per
shape, and their values are bound, so a filtered search costs what a plain one does.

Dates read the event's span (its first shift's start to its last shift's end); spots
left is "some upcoming timeslot of the event, not cancelled, has a spot (or no limit)",
an EXISTS over the timeslots table (ix_timeslots_event_id_starts_at), with the search's
own "now" bound.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from .models import AttendanceMode, Event, EventKind, Timeslot

EVENTS = Event.__table__
# Events people join online (the "online" search and the API's is_virtual=true).
ONLINE_MODES = (AttendanceMode.VIRTUAL, AttendanceMode.BOTH)


class NotForIndexSeek(ColumnElement):
    """A column SQLite should only filter on, not seek an index by (SQLite's unary +).

    Without statistics SQLite's planner would seek (status, ends_at), which matches nearly
    every row, instead of the band index; PostgreSQL's planner, with statistics, chooses well.
    """

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column):
        self.column = column
        self.type = column.type


@compiles(NotForIndexSeek)
def _plain_column(element, compiler, **kw):
    return compiler.process(element.column, **kw)


@compiles(NotForIndexSeek, "sqlite")
def _sqlite_filter_only(element, compiler, **kw):
    return "+" + compiler.process(element.column, **kw)


@dataclass(frozen=True, slots=True)
class Narrowing:
    """The filters of one search; all off by default."""

    kinds: tuple[EventKind, ...] = ()
    # Events overlapping [window_start, window_end): "this weekend", "next 7 days", a date.
    window_start: datetime | None = None
    window_end: datetime | None = None
    spots_left: bool = False
    # None: any way of taking part; True: online (virtual or both); False: in person only.
    online: bool | None = None

    @property
    def shape(self) -> tuple:
        """What the statement depends on: which filters are on, not their values."""
        return (len(self.kinds), self.window_start is not None, self.spots_left, self.online)

    def parameters(self) -> dict:
        found = {f"kind_{n}": kind.value for n, kind in enumerate(self.kinds)}
        if self.window_start is not None:
            found |= {"window_start": self.window_start, "window_end": self.window_end}
        return found


def narrowing_conditions(shape: tuple, seek_kind: bool = False) -> list:
    """WHERE terms for a narrowing's shape, marked so SQLite seeks the area's index, not
    another by them; seek_kind lets it seek ix_events_status_kind_ends_at by the kinds
    (a search anywhere, which has no area to seek)."""
    kinds, window, spots_left, online = shape
    conditions = []
    if kinds:
        kind_values = [bindparam(f"kind_{n}") for n in range(kinds)]
        kind = EVENTS.c.kind if seek_kind else NotForIndexSeek(EVENTS.c.kind)
        conditions.append(kind.in_(kind_values))
    if window:
        starts_at, ends_at = NotForIndexSeek(EVENTS.c.starts_at), NotForIndexSeek(EVENTS.c.ends_at)
        conditions.append(starts_at < bindparam("window_end", type_=starts_at.type))
        conditions.append(ends_at > bindparam("window_start", type_=ends_at.type))
    if spots_left:
        conditions.append(upcoming_shift_with_a_spot())
    mode = NotForIndexSeek(EVENTS.c.attendance_mode)
    if online is True:
        conditions.append(mode.in_([m.value for m in ONLINE_MODES]))
    elif online is False:
        conditions.append(mode == AttendanceMode.IN_PERSON.value)
    return conditions


def upcoming_shift_with_a_spot():
    """The event has a shift still to come, not cancelled, with a spot left (or no limit);
    "now" is the search's own bound parameter (api.queries.has_spots_left, for the API)."""
    slots = Timeslot.__table__
    return (
        select(slots.c.id)
        .where(
            slots.c.event_id == EVENTS.c.id,
            slots.c.cancelled_at.is_(None),
            slots.c.ends_at > bindparam("now", type_=slots.c.ends_at.type),
            or_(slots.c.capacity.is_(None), slots.c.seats_taken < slots.c.capacity),
        )
        # OFFSET 0 keeps PostgreSQL from turning the EXISTS into a join driven by
        # timeslots: it stays a check on the rows the area's index found.
        .offset(0)
        .exists()
    )


def not_online_only():
    """Distance searches leave out online-only events: they are found by the online search."""
    return NotForIndexSeek(EVENTS.c.attendance_mode) != AttendanceMode.VIRTUAL.value


# No filters: a plain search (a shared value, not a default built per call).
NO_NARROWING = Narrowing()
