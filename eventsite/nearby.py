"""The nearest-event search every page uses: circles widened until a page is full.

A page found inside a circle is exact, because everything inside a circle is nearer than
anything outside it; so a search reads a small circle first and grows it only as far as
the events around the searcher need. This module picks the circles to read;
nearby_statements.py builds their SQL and nearby_rows.py says what each row holds.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .extensions import db
from .models import utcnow
from .nearby_narrowing import NO_NARROWING, Narrowing
from .nearby_rows import EventColumns, ListedEvent, NearbyEvent
from .nearby_statements import (
    Anywhere,
    Area,
    CappedCount,
    SearchFilters,
    Statement,
    area_within,
    count_statement,
    earth_window_statement,
    page_statement,
)
from .shifts import load_timeslots, with_shift_summaries

__all__ = [
    "COUNT_CAP",
    "ListedEvent",
    "NearbyEvent",
    "SearchPage",
    "count_events_near",
    "nearest_events",
    "search_page",
]

# The first circle tried: downtowns fill a page inside it, and reading it costs little
# even where a million events crowd a city (every event in it is read and sorted).
FIRST_RADIUS_MILES = 0.5
# An "anywhere" search stops widening circles here and reads the rest of the table.
WIDEST_CIRCLE_MILES = 1600.0
# Counting every match near a big city would read thousands of rows: stop counting here.
COUNT_CAP = 1000
# Events read past a page's last one by the earth index, for ties at the same distance.
TIE_ALLOWANCE = 50
# Chords within this many metres count as the same distance (floating-point slack).
SAME_DISTANCE_METRES = 1.0


@dataclass(frozen=True, slots=True)
class _Search:
    """One search's filters and row columns, run on one session or connection."""

    filters: SearchFilters
    columns: EventColumns
    # Whole Events need the ORM session; listed columns are read on a bare connection.
    runner: Session | Connection
    # PostgreSQL's ix_events_earth_position finds the nearest events anywhere.
    earth_index: bool = False

    def area(self, radius_miles: float | None) -> Area:
        return area_within(self.filters.latitude, self.filters.longitude, radius_miles)

    def _rows(self, statement: Statement, **more_parameters) -> list:
        return self.runner.execute(statement.sql, statement.parameters | more_parameters).all()

    def page(self, area: Area, limit: int, offset: int) -> list[NearbyEvent]:
        """A page nearest first; anywhere, through the earth index where there is one."""
        if isinstance(area, Anywhere) and self.earth_index:
            return self._walk_earth_index(limit, offset)
        rows = self._rows(page_statement(self.filters, self.columns, area, limit, offset))
        return [self.columns.nearby_event(row) for row in rows]

    def counted_page(
        self, area: Area, count: CappedCount, limit: int, offset: int
    ) -> tuple[list[NearbyEvent], int | None]:
        """A page and the count, in one statement; the count is None when the page is empty."""
        statement = page_statement(self.filters, self.columns, area, limit, offset, count)
        rows = self._rows(statement)
        total = rows[0][-1] if rows else None
        # A page of listed columns comes LEFT JOINed to its count: an empty page is NULLs.
        found = [self.columns.nearby_event(row) for row in rows if row[0] is not None]
        return found, total

    def count(self, count: CappedCount) -> int:
        statement = count_statement(self.filters, count)
        return self.runner.scalar(statement.sql, statement.parameters)

    def _walk_earth_index(self, limit: int, offset: int) -> list[NearbyEvent]:
        """The nearest events anywhere: reads the page and every event as near as its last
        one (ties), then orders them exactly."""
        needed = offset + limit
        window = needed + TIE_ALLOWANCE
        statement = earth_window_statement(self.filters, self.columns)
        while True:
            rows = self._rows(statement, window=window)
            if len(rows) < needed:
                break
            reach = rows[needed - 1][-1] + SAME_DISTANCE_METRES
            if len(rows) < window or rows[-1][-1] > reach:
                rows = [row for row in rows if row[-1] <= reach]
                break
            window *= 4  # the window ended inside a tie: read further
        rows.sort(key=self.columns.exact_order)
        return [self.columns.nearby_event(row) for row in rows[offset:needed]]


def _has_earth_index() -> bool:
    # Migration 0004 builds it wherever the database is PostgreSQL.
    return db.engine.dialect.name == "postgresql"


def _nearest(
    search: _Search, radius_miles: float | None, limit: int, offset: int, empty_within: float = 0.0
) -> tuple[list[NearbyEvent], int]:
    """One page nearest first, and the count within the radius (capped).

    Usually one or two statements: the first reads a small circle and counts the whole
    radius. Failing that, a radius holding at most COUNT_CAP matches is read whole; a
    bigger one through circles that grow from a guess at the density until one holds
    the page.
    """
    if search.filters.by_date:
        return _soonest(search, radius_miles, limit, offset)
    widest_miles = WIDEST_CIRCLE_MILES if radius_miles is None else radius_miles
    # No point reading a circle already known to be empty.
    circle_miles = min(max(FIRST_RADIUS_MILES, 2 * empty_within), widest_miles)
    within_radius = CappedCount(search.area(radius_miles), COUNT_CAP)
    found, total = search.counted_page(search.area(circle_miles), within_radius, limit, offset)
    if len(found) == limit:
        return found, total
    if total is None:
        total = search.count(within_radius)
    if circle_miles == radius_miles or total == 0:
        return found, total
    if total <= COUNT_CAP or (radius_miles is None and search.earth_index):
        return search.page(within_radius.area, limit, offset), total
    found = _widen(search, circle_miles, widest_miles, found, limit, offset)
    if len(found) < limit and radius_miles is None:
        # The widest circle held less than a page: read the rest of the country.
        found = search.page(within_radius.area, limit, offset)
    return found, total


def _soonest(
    search: _Search, radius_miles: float | None, limit: int, offset: int
) -> tuple[list[NearbyEvent], int]:
    """A page soonest first within the radius (or anywhere), and its capped count: one
    statement over the whole radius, read through the band index (anywhere, through
    (status, starts_at) in start order)."""
    within_radius = CappedCount(search.area(radius_miles), COUNT_CAP)
    found, total = search.counted_page(within_radius.area, within_radius, limit, offset)
    return found, search.count(within_radius) if total is None else total


def _widen(
    search: _Search,
    circle_miles: float,
    widest_miles: float,
    found: list[NearbyEvent],
    limit: int,
    offset: int,
) -> list[NearbyEvent]:
    """Circles grown from a guess at the density until one holds the page or none is wider."""
    while circle_miles < widest_miles:
        growth = _growth(len(found) if offset == 0 else 0, limit)
        circle_miles = min(circle_miles * growth, widest_miles)
        found = search.page(search.area(circle_miles), limit, offset)
        if len(found) == limit:
            break
    return found


def _growth(found_count: int, limit: int) -> float:
    """How much wider the next circle is: 4x after an empty one, else by the density seen."""
    if found_count == 0:
        return 4.0
    return min(4.0, max(2.0, 1.3 * math.sqrt(limit / found_count)))


def nearest_events(
    latitude: float,
    longitude: float,
    *,
    radius_miles: float | None = None,
    limit: int = 20,
    offset: int = 0,
    now: datetime | None = None,
    campaign_id: int | None = None,
    extra_conditions: Sequence = (),
    narrowing: Narrowing = NO_NARROWING,
) -> list[NearbyEvent]:
    """Upcoming published events nearest first, within radius_miles or anywhere.

    extra_conditions are SQLAlchemy clauses on Event, ANDed into the search.
    """
    filters = SearchFilters(
        latitude, longitude, now or utcnow(), campaign_id, tuple(extra_conditions), narrowing
    )
    search = _Search(filters, EventColumns.WHOLE_EVENT, db.session(), _has_earth_index())
    found, _ = _nearest(search, radius_miles, limit, offset)
    load_timeslots([nearby.event for nearby in found])
    return found


def count_events_near(
    latitude: float,
    longitude: float,
    *,
    radius_miles: float | None = None,
    now: datetime | None = None,
    campaign_id: int | None = None,
    extra_conditions: Sequence = (),
    cap: int | None = None,
    narrowing: Narrowing = NO_NARROWING,
) -> int:
    """How many upcoming published events lie within radius_miles (or anywhere).

    With a cap, counting stops at cap + 1: "more than cap" is all a page needs to say.
    """
    filters = SearchFilters(
        latitude, longitude, now or utcnow(), campaign_id, tuple(extra_conditions), narrowing
    )
    search = _Search(filters, EventColumns.WHOLE_EVENT, db.session())
    return search.count(CappedCount(search.area(radius_miles), cap))


@dataclass
class SearchPage:
    """One page of a nearest-event search, widened past the radius when it held nothing."""

    results: list[NearbyEvent]
    total: int  # at most COUNT_CAP; see total_capped
    page: int
    pages: int
    searched_radius_miles: float | None
    widened: bool
    total_capped: bool = False  # more than `total` events match


def search_page(
    latitude: float,
    longitude: float,
    *,
    radius_miles: float | None,
    page: int,
    page_size: int,
    campaign_id: int | None = None,
    extra_conditions: Sequence = (),
    narrowing: Narrowing = NO_NARROWING,
    by_date: bool = False,
) -> SearchPage:
    """A page of results; with nothing inside the radius, the nearest events further out.

    Totals stop at COUNT_CAP ("1000+"), and so do pages.
    """
    widened = False
    page = min(page, -(-COUNT_CAP // page_size))
    offset = (page - 1) * page_size
    filters = SearchFilters(
        latitude, longitude, utcnow(), campaign_id, tuple(extra_conditions), narrowing, by_date
    )
    # Reads outside a transaction: no BEGIN and ROLLBACK round trips for a search.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        search = _Search(filters, EventColumns.LISTED, connection, _has_earth_index())
        found, total = _nearest(search, radius_miles, page_size, offset)
        if total == 0 and radius_miles is not None:
            # Nothing within reach: show the nearest events further out.
            widened = True
            found, total = _nearest(search, None, page_size, offset, empty_within=radius_miles)
        with_shift_summaries(connection, [nearby.event for nearby in found], filters.now)
    return SearchPage(
        results=found,
        total=min(total, COUNT_CAP),
        page=page,
        pages=max(1, -(-min(total, COUNT_CAP) // page_size)),
        searched_radius_miles=radius_miles,
        widened=widened,
        total_capped=total > COUNT_CAP,
    )


def search_page_or_last(latitude: float, longitude: float, *, page: int, **options) -> SearchPage:
    """search_page; a page past the last (an old link, or typed) shows the last instead."""
    found = search_page(latitude, longitude, page=page, **options)
    if found.page > found.pages:
        found = search_page(latitude, longitude, page=found.pages, **options)
    return found
