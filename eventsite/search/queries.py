"""Nearest-event queries: indexed circles widened until a page is full, exact distance order.

Each query reads one search circle through ix_events_latitude_band_longitude: one index
seek per 0.1-degree latitude band of the circle's bounding box, a longitude range inside
each band, then exact great-circle order. Nothing outside the box is read, so the cost
follows the events near the searcher, not the size of the table.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

from ..extensions import db
from ..geo import EARTH_RADIUS_MILES, bounding_box
from ..models import Event, EventStatus, utcnow

RADIANS_PER_DEGREE = math.pi / 180
# Must match the generated column Event.latitude_band: floor(latitude * 10).
LATITUDE_BANDS_PER_DEGREE = 10
# Above this many bands an IN list costs more than one range over the bands.
MAX_LISTED_BANDS = 40
# The first circle tried; dense cities fill a page inside it.
FIRST_RADIUS_MILES = 2.0
# An "anywhere" search stops widening circles here and reads the rest of the table.
WIDEST_CIRCLE_MILES = 1600.0
# Counting every match near a big city would read thousands of rows: stop counting here.
COUNT_CAP = 1000


@dataclass(slots=True)
class NearbyEvent:
    event: "Event | ListedEvent"
    distance_miles: float


class ListedEvent:
    """The columns a results list shows, read without loading a full Event."""

    __slots__ = LISTED_FIELDS = (
        "id",
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "timezone",
        "venue",
        "street_address",
        "city",
        "state",
        "zip_code",
        "latitude",
        "longitude",
        "capacity",
        "seats_taken",
        "status",
        "campaign_id",
    )

    def __init__(self, row):
        for name, value in zip(self.LISTED_FIELDS, row, strict=False):
            setattr(self, name, value)

    seats_left = Event.seats_left
    is_full = Event.is_full
    full_address = Event.full_address


_LISTED_COLUMNS = [getattr(Event, name) for name in ListedEvent.LISTED_FIELDS]


def _haversine_term(latitude: float, longitude: float):
    """SQL for haversine's 'a' term: it grows with distance, so it orders and filters alike.

    Only sin, cos and arithmetic: the same SQL runs on SQLite (math functions built in)
    and PostgreSQL. The centre comes in as parameters so the statement's compiled form
    is cached and reused.
    """
    half_dlat = (Event.latitude - bindparam("centre_latitude")) * (RADIANS_PER_DEGREE / 2)
    half_dlng = (Event.longitude - bindparam("centre_longitude")) * (RADIANS_PER_DEGREE / 2)
    return func.sin(half_dlat) * func.sin(half_dlat) + bindparam("cos_centre") * func.cos(
        Event.latitude * RADIANS_PER_DEGREE
    ) * func.sin(half_dlng) * func.sin(half_dlng)


def _term_for_radius(radius_miles: float) -> float:
    return math.sin(min(radius_miles / (2 * EARTH_RADIUS_MILES), math.pi / 2)) ** 2


def _miles_from_term(term: float) -> float:
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(max(term, 0.0))))


def _centre(latitude: float, longitude: float) -> dict:
    return {
        "centre_latitude": latitude,
        "centre_longitude": longitude,
        "cos_centre": math.cos(latitude * RADIANS_PER_DEGREE),
    }


class _NotForIndexSeek(ColumnElement):
    """A column SQLite should only filter on, not seek an index by (SQLite's unary +).

    Without statistics SQLite's planner would seek (status, ends_at), which matches
    nearly every row, instead of the band index. PostgreSQL's planner chooses well from
    its statistics and sees the plain column.
    """

    inherit_cache = True

    def __init__(self, column):
        self.column = column
        self.type = column.type


@compiles(_NotForIndexSeek)
def _plain_column(element, compiler, **kw):
    return compiler.process(element.column, **kw)


@compiles(_NotForIndexSeek, "sqlite")
def _sqlite_filter_only(element, compiler, **kw):
    return "+" + compiler.process(element.column, **kw)


def _upcoming(now, campaign_id, extra_conditions, *, in_circle=False):
    status, ends_at = Event.status, Event.ends_at
    if in_circle:
        status, ends_at = _NotForIndexSeek(status), _NotForIndexSeek(ends_at)
    conditions = [status == EventStatus.PUBLISHED, ends_at > now]
    if campaign_id is not None:
        conditions.append(Event.campaign_id == campaign_id)
    conditions.extend(extra_conditions)
    return and_(*conditions)


def _circle(latitude: float, longitude: float, radius_miles: float):
    """WHERE terms for a circle: index seeks over its box, then the exact distance."""
    box = bounding_box(latitude, longitude, radius_miles)
    first_band = math.floor(box.min_latitude * LATITUDE_BANDS_PER_DEGREE)
    last_band = math.floor(box.max_latitude * LATITUDE_BANDS_PER_DEGREE)
    if last_band - first_band < MAX_LISTED_BANDS:
        bands = Event.latitude_band.in_(list(range(first_band, last_band + 1)))
    else:
        bands = Event.latitude_band.between(first_band, last_band)
    return and_(
        bands,
        Event.longitude.between(box.min_longitude, box.max_longitude),
        Event.latitude.between(box.min_latitude, box.max_latitude),
        _haversine_term(latitude, longitude) <= _term_for_radius(radius_miles),
    )


def _nearest_query(columns, latitude, longitude, radius_miles, limit, offset, filters):
    term = _haversine_term(latitude, longitude).label("term")
    query = select(*columns, term).where(_upcoming(*filters, in_circle=radius_miles is not None))
    if radius_miles is not None:
        query = query.where(_circle(latitude, longitude, radius_miles))
    return query.order_by(term, Event.starts_at, Event.id).limit(limit).offset(offset)


def _widening(columns, latitude, longitude, radius_miles, limit, offset, filters):
    """Rows of one page, nearest first, and whether they are every match within the radius.

    Circles grow until one holds the whole page: everything inside a circle is nearer
    than anything outside it, so that page is exact.
    """
    widest = WIDEST_CIRCLE_MILES if radius_miles is None else radius_miles
    circle = min(FIRST_RADIUS_MILES, widest)
    centre = _centre(latitude, longitude)
    while True:
        query = _nearest_query(columns, latitude, longitude, circle, limit, offset, filters)
        rows = db.session.execute(query, centre).all()
        if len(rows) == limit:
            return rows, False
        if circle >= widest:
            break
        # Guess the circle that holds a page from the density seen so far; at least
        # double it, at most quadruple, never past the widest circle.
        found = len(rows) if offset == 0 else 0
        growth = 4.0 if found == 0 else min(4.0, max(2.0, 1.3 * math.sqrt(limit / found)))
        circle = min(circle * growth, widest)
    if radius_miles is not None:
        return rows, True
    # Anywhere, and the widest circle held less than a page: read the rest of the table.
    query = _nearest_query(columns, latitude, longitude, None, limit, offset, filters)
    rows = db.session.execute(query, centre).all()
    return rows, len(rows) < limit


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
    filters = (now or utcnow(), campaign_id, extra_conditions)
    rows, _ = _widening((Event,), latitude, longitude, radius_miles, limit, offset, filters)
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
    matches = select(Event.id).where(
        _upcoming(
            now or utcnow(), campaign_id, extra_conditions, in_circle=radius_miles is not None
        )
    )
    if radius_miles is not None:
        matches = matches.where(_circle(latitude, longitude, radius_miles))
    if cap is not None:
        matches = matches.limit(cap + 1)
    query = select(func.count()).select_from(matches.subquery())
    return db.session.scalar(query, _centre(latitude, longitude))


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
    """A page of results; with nothing inside the radius, the nearest events further out."""
    now = utcnow()
    filters = (now, campaign_id, extra_conditions)
    searched, widened = radius_miles, False
    # Pages past the counted ones would only be reachable by editing the URL.
    page = min(page, -(-COUNT_CAP // page_size))
    offset = (page - 1) * page_size

    def _any_within(radius):
        return count_events_near(
            latitude,
            longitude,
            radius_miles=radius,
            now=now,
            campaign_id=campaign_id,
            extra_conditions=extra_conditions,
            cap=0,
        )

    def fetch(radius):
        return _widening(_LISTED_COLUMNS, latitude, longitude, radius, page_size, offset, filters)

    rows, complete = fetch(radius_miles)
    if not rows and radius_miles is not None and (page == 1 or not _any_within(radius_miles)):
        # Nothing within reach: show the nearest events further out.
        radius_miles, widened = None, True
        rows, complete = fetch(None)
    if complete and (rows or page == 1):
        # The last circle held fewer than a page: these rows end the list.
        total = offset + len(rows)
    else:
        total = count_events_near(
            latitude,
            longitude,
            radius_miles=radius_miles,
            now=now,
            campaign_id=campaign_id,
            extra_conditions=extra_conditions,
            cap=COUNT_CAP,
        )
    capped = total > COUNT_CAP
    total = min(total, COUNT_CAP)
    return SearchPage(
        results=[NearbyEvent(ListedEvent(row), _miles_from_term(row[-1])) for row in rows],
        total=total,
        page=page,
        pages=max(1, -(-total // page_size)),
        searched_radius_miles=searched,
        widened=widened,
        total_capped=capped,
    )
