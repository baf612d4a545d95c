"""Online events, soonest first: found by the "online" and "near me or online" searches,
never by distance (an online event is as near to everyone). Read through
ix_events_attendance_mode_status_starts_at in start order, so a page reads about its own
rows; the filters narrow it as they narrow the nearest-event search (nearby_narrowing.py).
"""

from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Connection

from .models import EventStatus
from .nearby_narrowing import (
    EVENTS,
    ONLINE_MODES,
    Narrowing,
    NotForIndexSeek,
    narrowing_conditions,
)
from .nearby_rows import EventColumns, NearbyEvent


@dataclass(frozen=True, slots=True)
class OnlineSearch:
    """Which online events: upcoming, of a campaign if given, narrowed."""

    now: datetime
    campaign_id: int | None = None
    narrowing: Narrowing = Narrowing()

    @property
    def shape(self) -> tuple:
        # The online condition is this search's own: the narrowing's is left off.
        return (self.campaign_id is not None, replace(self.narrowing, online=None).shape)

    def parameters(self) -> dict:
        return {"now": self.now, "campaign_id": self.campaign_id, **self.narrowing.parameters()}


def _online_conditions(shape: tuple) -> list:
    with_campaign, narrowing_shape = shape
    conditions = [
        EVENTS.c.attendance_mode.in_([mode.value for mode in ONLINE_MODES]),
        # Filtered on, not sought, on SQLite: (status, starts_at) would read every upcoming
        # event to find the few held online.
        NotForIndexSeek(EVENTS.c.status) == EventStatus.PUBLISHED,
        NotForIndexSeek(EVENTS.c.ends_at) > bindparam("now", type_=EVENTS.c.ends_at.type),
    ]
    if with_campaign:
        conditions.append(EVENTS.c.campaign_id == bindparam("campaign_id"))
    return conditions + narrowing_conditions(narrowing_shape)


@cache
def _page_statement(columns: EventColumns, shape: tuple):
    return (
        select(*columns.select_list())
        .where(*_online_conditions(shape))
        .order_by(EVENTS.c.starts_at, EVENTS.c.id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


@cache
def _count_statement(shape: tuple):
    matches = select(EVENTS.c.id).where(*_online_conditions(shape)).limit(bindparam("count_limit"))
    return select(func.count()).select_from(matches.subquery())


def online_events(
    runner: Connection, search: OnlineSearch, columns: EventColumns, limit: int, offset: int
) -> list[NearbyEvent]:
    """A page of online events soonest first; they have no distance (None)."""
    parameters = search.parameters() | {"limit": limit, "offset": offset}
    rows = runner.execute(_page_statement(columns, search.shape), parameters).all()
    return [NearbyEvent(columns.event_of(row), None) for row in rows]


def count_online_events(runner: Connection, search: OnlineSearch, cap: int) -> int:
    """How many online events match, counting no further than cap + 1."""
    parameters = search.parameters() | {"count_limit": cap + 1}
    return runner.scalar(_count_statement(search.shape), parameters)
