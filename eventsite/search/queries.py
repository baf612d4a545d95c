"""Nearest-event queries: indexed circles widened until a page is full, exact distance order.

Each query reads one search circle through ix_events_latitude_band_longitude: one index
seek per 0.1-degree latitude band of the circle's bounding box, a longitude range inside
each band, then exact great-circle order. Nothing outside the box is read, so the cost
follows the events near the searcher, not the size of the table.

"Nearest anywhere" from a place far from every event (Puerto Rico, Guam) would read most
of the table through circles; on PostgreSQL it walks ix_events_earth_position (a GiST
index on earthdistance's ll_to_earth) nearest first instead, and stops at a page.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache

from sqlalchemy import Float, bindparam, func, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from ..extensions import db
from ..geo import EARTH_RADIUS_MILES, bounding_box
from ..models import Event, EventKind, EventStatus, utcnow

RADIANS_PER_DEGREE = math.pi / 180
# Must match the generated column Event.latitude_band: floor(latitude * 10).
LATITUDE_BANDS_PER_DEGREE = 10
# Above this many bands an IN list costs more than one range over the bands.
MAX_LISTED_BANDS = 32
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


@dataclass(slots=True)
class NearbyEvent:
    event: "Event | ListedEvent"
    distance_miles: float


@dataclass(slots=True)
class ListedEvent:
    """The columns a results list shows, read without loading a full Event."""

    id: int
    title: str
    kind: EventKind
    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue: str
    street_address: str
    city: str
    state: str
    zip_code: str
    latitude: float
    longitude: float
    capacity: int | None
    seats_taken: int
    status: EventStatus
    campaign_id: int | None
    updated_at: datetime  # any change to the event (seats too) moves it

    seats_left = Event.seats_left
    is_full = Event.is_full
    full_address = Event.full_address


# Core columns: statements on the Table build and run with less Python than ORM ones.
EVENTS = Event.__table__
_LISTED_NAMES = [field.name for field in fields(ListedEvent)]
_LISTED_COLUMNS = tuple(EVENTS.c[name] for name in _LISTED_NAMES)


def _haversine_term():
    """SQL for haversine's 'a' term: it grows with distance, so it orders and filters alike.

    Only sin, cos and arithmetic: the same SQL runs on SQLite (math functions built in)
    and PostgreSQL. The centre comes in as parameters, so each statement is built once.
    """
    latitude, longitude = EVENTS.c.latitude, EVENTS.c.longitude
    half_dlat = (latitude - bindparam("centre_latitude", type_=Float)) * (RADIANS_PER_DEGREE / 2)
    half_dlng = (longitude - bindparam("centre_longitude", type_=Float)) * (RADIANS_PER_DEGREE / 2)
    return func.sin(half_dlat) * func.sin(half_dlat) + bindparam(
        "cos_centre", type_=Float
    ) * func.cos(latitude * RADIANS_PER_DEGREE) * func.sin(half_dlng) * func.sin(half_dlng)


def _term_for_radius(radius_miles: float) -> float:
    return math.sin(min(radius_miles / (2 * EARTH_RADIUS_MILES), math.pi / 2)) ** 2


def _miles_from_term(term: float) -> float:
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(max(term, 0.0))))


class _NotForIndexSeek(ColumnElement):
    """A column SQLite should only filter on, not seek an index by (SQLite's unary +).

    Without statistics SQLite's planner would seek (status, ends_at), which matches
    nearly every row, instead of the band index. PostgreSQL's planner chooses well from
    its statistics and sees the plain column.
    """

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column):
        self.column = column
        self.type = column.type


@compiles(_NotForIndexSeek)
def _plain_column(element, compiler, **kw):
    return compiler.process(element.column, **kw)


@compiles(_NotForIndexSeek, "sqlite")
def _sqlite_filter_only(element, compiler, **kw):
    return "+" + compiler.process(element.column, **kw)


# How a statement finds its rows: a list of latitude bands, a range of bands, or anywhere.
BANDS, BAND_RANGE, ANYWHERE = "bands", "band_range", "anywhere"


def _where(area: str, with_campaign: bool, extra_conditions, prefix: str = "") -> list:
    """WHERE terms for upcoming events in an area; prefix names a second area's parameters."""
    status, ends_at = EVENTS.c.status, EVENTS.c.ends_at
    if area != ANYWHERE:
        status, ends_at = _NotForIndexSeek(status), _NotForIndexSeek(ends_at)
    conditions = [
        status == EventStatus.PUBLISHED,
        ends_at > bindparam("now", type_=EVENTS.c.ends_at.type),
    ]
    if with_campaign:
        conditions.append(EVENTS.c.campaign_id == bindparam("campaign_id"))
    conditions.extend(extra_conditions)
    if area == ANYWHERE:
        return conditions
    band = EVENTS.c.latitude_band
    if area.startswith(BANDS):
        slots = int(area.removeprefix(BANDS))
        conditions.append(band.in_([bindparam(f"{prefix}band_{n}") for n in range(slots)]))
    else:
        conditions.append(
            band.between(bindparam(prefix + "first_band"), bindparam(prefix + "last_band"))
        )
    conditions += [
        EVENTS.c.longitude.between(
            bindparam(prefix + "min_longitude"), bindparam(prefix + "max_longitude")
        ),
        EVENTS.c.latitude.between(
            bindparam(prefix + "min_latitude"), bindparam(prefix + "max_latitude")
        ),
        _haversine_term() <= bindparam(prefix + "max_term", type_=Float),
    ]
    return conditions


def _count_statement(area: str, with_campaign: bool, extra_conditions=(), prefix: str = ""):
    matches = (
        select(EVENTS.c.id)
        .where(*_where(area, with_campaign, extra_conditions, prefix))
        .limit(bindparam(prefix + "count_limit"))
    )
    return select(func.count()).select_from(matches.subquery())


def _earth_window_statement(full_events: bool, with_campaign: bool, extra_conditions=()):
    """The :window events nearest the centre, walking ix_events_earth_position (PostgreSQL).

    cube's <-> between ll_to_earth points is a chord: it orders like the haversine term,
    and the GiST index hands rows over in that order, so only the window is read. Rows
    come as (columns..., term, chord).
    """
    here = func.ll_to_earth(
        bindparam("centre_latitude", type_=Float), bindparam("centre_longitude", type_=Float)
    )
    chord = func.ll_to_earth(EVENTS.c.latitude, EVENTS.c.longitude).op("<->", return_type=Float)(
        here
    )
    columns = [Event] if full_events else list(_LISTED_COLUMNS)
    return (
        select(*columns, _haversine_term().label("term"), chord)
        .where(*_where(ANYWHERE, with_campaign, extra_conditions))
        .order_by(chord)
        .limit(bindparam("window"))
    )


_cached_earth_window_statement = cache(_earth_window_statement)


def _page_statement(
    full_events: bool, area: str, count_area: str, with_campaign: bool, extra_conditions=()
):
    """One page nearest first; with a count_area, each row also carries that area's count."""
    term = _haversine_term().label("term")
    columns = [Event] if full_events else list(_LISTED_COLUMNS)
    columns.append(term)
    page = (
        select(*columns)
        .where(*_where(area, with_campaign, extra_conditions))
        .order_by(term, EVENTS.c.starts_at, EVENTS.c.id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    if not count_area:
        return page
    count = _count_statement(count_area, with_campaign, extra_conditions, prefix="count_")
    if full_events:
        return page.add_columns(count.scalar_subquery().label("total"))
    # The count LEFT JOIN the page: an empty page still brings back its count, in one row
    # of NULLs, and a full one saves a round trip.
    counted = count.subquery("counted")
    paged = page.subquery("paged")
    return (
        select(paged, counted.c[0].label("total"))
        .select_from(counted.outerjoin(paged, true()))
        .order_by(paged.c.term, paged.c.starts_at, paged.c.id)
    )


# Built once per shape and reused: building a statement costs more than running it.
_cached_page_statement = cache(_page_statement)
_cached_count_statement = cache(_count_statement)


@dataclass(slots=True)
class _Search:
    """One search's centre and filters, run on a session or a connection."""

    latitude: float
    longitude: float
    now: datetime
    campaign_id: int | None
    extra_conditions: tuple
    runner: object  # db.session, or a Connection
    # PostgreSQL's ix_events_earth_position finds the nearest events anywhere.
    earth_index: bool = False

    def _parameters(self) -> dict:
        return {
            "centre_latitude": self.latitude,
            "centre_longitude": self.longitude,
            "cos_centre": math.cos(self.latitude * RADIANS_PER_DEGREE),
            "now": self.now,
            "campaign_id": self.campaign_id,
        }

    def _area(self, radius_miles: float | None, parameters: dict, prefix: str = "") -> str:
        """The statement shape for a circle (or anywhere); puts its parameters in place."""
        if radius_miles is None:
            return ANYWHERE
        box = bounding_box(self.latitude, self.longitude, radius_miles)
        first_band = math.floor(box.min_latitude * LATITUDE_BANDS_PER_DEGREE)
        last_band = math.floor(box.max_latitude * LATITUDE_BANDS_PER_DEGREE)
        parameters[prefix + "min_longitude"] = box.min_longitude
        parameters[prefix + "max_longitude"] = box.max_longitude
        parameters[prefix + "min_latitude"] = box.min_latitude
        parameters[prefix + "max_latitude"] = box.max_latitude
        parameters[prefix + "max_term"] = _term_for_radius(radius_miles)
        if last_band - first_band < MAX_LISTED_BANDS:
            # A few fixed list lengths, padded by repeating the last band, keep the
            # number of statement shapes small: each is compiled and prepared once.
            slots = 1 << (last_band - first_band).bit_length()
            for n in range(slots):
                parameters[f"{prefix}band_{n}"] = min(first_band + n, last_band)
            return f"{BANDS}{slots}"
        parameters[prefix + "first_band"] = first_band
        parameters[prefix + "last_band"] = last_band
        return BAND_RANGE

    def page(self, full_events, radius_miles, limit, offset, *, count_within=False):
        """Rows (columns..., term) nearest first, and with count_within=(radius,), the
        capped count of matches in that radius (None when the page is empty)."""
        if radius_miles is None and self.earth_index and not count_within:
            return self._nearest_anywhere(full_events, limit, offset), None
        parameters = self._parameters()
        area = self._area(radius_miles, parameters)
        count_area = ""
        if count_within:
            count_area = self._area(count_within[0], parameters, prefix="count_")
            parameters["count_count_limit"] = COUNT_CAP + 1
        parameters.update(limit=limit, offset=offset)
        shape = (full_events, area, count_area, self.campaign_id is not None)
        statement = self._statement(_page_statement, _cached_page_statement, shape)
        rows = self.runner.execute(statement, parameters).all()
        if not count_within:
            return rows, None
        total = rows[0][-1] if rows else None
        return [row[:-1] for row in rows if row[0] is not None], total

    def _nearest_anywhere(self, full_events, limit, offset):
        """A page of the nearest events anywhere through the earth index: reads the page
        and every event as near as its last one (ties), then orders exactly."""
        needed = offset + limit
        window = needed + TIE_ALLOWANCE
        shape = (full_events, self.campaign_id is not None)
        statement = self._statement(_earth_window_statement, _cached_earth_window_statement, shape)
        parameters = self._parameters()
        while True:
            rows = self.runner.execute(statement, {**parameters, "window": window}).all()
            if len(rows) < needed:
                break
            reach = rows[needed - 1][-1] + SAME_DISTANCE_METRES
            if len(rows) < window or rows[-1][-1] > reach:
                rows = [row for row in rows if row[-1] <= reach]
                break
            window *= 4  # the window ended inside a tie: read further
        rows.sort(key=_exact_order(full_events))
        return [row[:-1] for row in rows[offset:needed]]

    def count(self, radius_miles, cap):
        parameters = self._parameters()
        area = self._area(radius_miles, parameters)
        # A huge limit rather than none keeps one statement shape.
        parameters["count_limit"] = 2**62 if cap is None else cap + 1
        shape = (area, self.campaign_id is not None)
        statement = self._statement(_count_statement, _cached_count_statement, shape)
        return self.runner.scalar(statement, parameters)

    def _statement(self, build, build_cached, shape: tuple):
        """The statement for a shape: built once and reused, unless extra conditions
        (clauses, not parameters) make it this search's own."""
        if self.extra_conditions:
            return build(*shape, self.extra_conditions)
        return build_cached(*shape)


def _exact_order(full_events: bool):
    """The page order every search uses: distance (the haversine term), start, id."""
    if full_events:
        return lambda row: (row[-2], row[0].starts_at, row[0].id)
    starts_at, ident = _LISTED_NAMES.index("starts_at"), _LISTED_NAMES.index("id")
    return lambda row: (row[-2], row[starts_at], row[ident])


def _has_earth_index() -> bool:
    # Migration 0004 builds it wherever the database is PostgreSQL.
    return db.engine.dialect.name == "postgresql"


def _nearest(search: _Search, full_events, radius_miles, limit, offset, empty_within=0.0):
    """One page of rows nearest first, and the count within the radius (capped).

    Usually one or two statements: the first reads a small circle and counts the whole
    radius. A page found inside a circle is exact, because everything inside a circle
    is nearer than anything outside it. Failing that, a radius holding at most
    COUNT_CAP matches is read whole; a bigger one through circles that grow from a
    guess at the density until one holds the page.
    """
    widest = WIDEST_CIRCLE_MILES if radius_miles is None else radius_miles
    # No point reading a circle already known to be empty.
    circle = min(max(FIRST_RADIUS_MILES, 2 * empty_within), widest)
    rows, total = search.page(full_events, circle, limit, offset, count_within=(radius_miles,))
    if len(rows) == limit:
        return rows, total
    if total is None:
        total = search.count(radius_miles, COUNT_CAP)
    if circle == radius_miles or total == 0:
        return rows, total
    if total <= COUNT_CAP or (radius_miles is None and search.earth_index):
        return search.page(full_events, radius_miles, limit, offset)[0], total
    while circle < widest:
        found = len(rows) if offset == 0 else 0
        growth = 4.0 if found == 0 else min(4.0, max(2.0, 1.3 * math.sqrt(limit / found)))
        circle = min(circle * growth, widest)
        rows, _ = search.page(full_events, circle, limit, offset)
        if len(rows) == limit:
            return rows, total
    if radius_miles is None:
        # The widest circle held less than a page: read the rest of the country.
        rows, _ = search.page(full_events, None, limit, offset)
    return rows, total


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
) -> list[NearbyEvent]:
    """Upcoming published events nearest first, within radius_miles or anywhere.

    extra_conditions are SQLAlchemy clauses on Event, ANDed into the search.
    """
    search = _Search(
        latitude,
        longitude,
        now or utcnow(),
        campaign_id,
        tuple(extra_conditions),
        db.session,
        _has_earth_index(),
    )
    rows, _ = _nearest(search, True, radius_miles, limit, offset)
    return [NearbyEvent(event, _miles_from_term(term)) for event, term in rows]


def count_events_near(
    latitude: float,
    longitude: float,
    *,
    radius_miles: float | None = None,
    now: datetime | None = None,
    campaign_id: int | None = None,
    extra_conditions: Sequence = (),
    cap: int | None = None,
) -> int:
    """How many upcoming published events lie within radius_miles (or anywhere).

    With a cap, counting stops at cap + 1: "more than cap" is all a page needs to say.
    """
    search = _Search(
        latitude, longitude, now or utcnow(), campaign_id, tuple(extra_conditions), db.session
    )
    return search.count(radius_miles, cap)


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
) -> SearchPage:
    """A page of results; with nothing inside the radius, the nearest events further out.

    Totals stop at COUNT_CAP ("1000+"), and so do pages.
    """
    searched, widened = radius_miles, False
    page = min(page, -(-COUNT_CAP // page_size))
    offset = (page - 1) * page_size
    # Reads outside a transaction: no BEGIN and ROLLBACK round trips for a search.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        search = _Search(
            latitude,
            longitude,
            utcnow(),
            campaign_id,
            tuple(extra_conditions),
            connection,
            _has_earth_index(),
        )
        rows, total = _nearest(search, False, radius_miles, page_size, offset)
        if total == 0 and radius_miles is not None:
            # Nothing within reach: show the nearest events further out.
            radius_miles, widened = None, True
            rows, total = _nearest(search, False, None, page_size, offset, searched)
    return SearchPage(
        results=[NearbyEvent(ListedEvent(*row[:-1]), _miles_from_term(row[-1])) for row in rows],
        total=min(total, COUNT_CAP),
        page=page,
        pages=max(1, -(-min(total, COUNT_CAP) // page_size)),
        searched_radius_miles=searched,
        widened=widened,
        total_capped=total > COUNT_CAP,
    )
