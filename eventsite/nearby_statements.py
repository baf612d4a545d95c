"""The nearest-event search's SQL: the areas a search reads, and its statements.

A circle is read through ix_events_latitude_band_longitude: one index seek per 0.1-degree
latitude band of its bounding box (or one range over the bands), a longitude range inside
each band, then exact great-circle order. Nothing outside the box is read, so the cost
follows the events near the searcher, not the size of the table. On PostgreSQL, "nearest
anywhere" walks ix_events_earth_position (a GiST index on earthdistance's ll_to_earth)
nearest first instead.

Each area is a small value giving both its WHERE terms and their parameters. Areas compare
equal when their SQL is (the numbers they bind are left out), so a statement is built once
per shape and reused: building one costs more than running it.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import ClassVar

from sqlalchemy import Float, Select, bindparam, func, select, true

from .geo import EARTH_RADIUS_MILES, BoundingBox, bounding_box
from .models import Event, EventStatus
from .nearby_narrowing import Narrowing, NotForIndexSeek, narrowing_conditions, not_online_only
from .nearby_rows import EventColumns

RADIANS_PER_DEGREE = math.pi / 180
# Must match the generated column Event.latitude_band: floor(latitude * 10).
LATITUDE_BANDS_PER_DEGREE = 10
# Above this many bands an IN list costs more than one range over the bands.
MAX_LISTED_BANDS = 32
# A count within a page statement binds its area's parameters under this prefix.
COUNT_PREFIX = "count_"
# Core columns: statements on the Table build and run with less Python than ORM ones.
EVENTS = Event.__table__


def haversine_term():
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


def term_for_radius(radius_miles: float) -> float:
    """The haversine term at radius_miles: what a circle's statements compare against."""
    return math.sin(min(radius_miles / (2 * EARTH_RADIUS_MILES), math.pi / 2)) ** 2


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What every statement of one search binds or ANDs in, whatever its area."""

    latitude: float
    longitude: float
    now: datetime
    campaign_id: int | None = None
    # SQLAlchemy clauses on Event: SQL, not parameters, so they make statements this
    # search's own instead of built once.
    extra_conditions: tuple = ()
    # The visitor's filters: bound values in statements built once per shape.
    narrowing: Narrowing = Narrowing()
    # Soonest first within the area instead of nearest first.
    by_date: bool = False

    def parameters(self) -> dict:
        return {
            "centre_latitude": self.latitude,
            "centre_longitude": self.longitude,
            "cos_centre": math.cos(self.latitude * RADIANS_PER_DEGREE),
            "now": self.now,
            "campaign_id": self.campaign_id,
            **self.narrowing.parameters(),
        }

    @property
    def shape(self) -> tuple:
        """Everything but the area that a statement's SQL depends on."""
        return (self.campaign_id is not None, self.narrowing.shape, self.by_date)


@dataclass(frozen=True, slots=True)
class Circle:
    """Everything within a radius: its bounding box, latitude bands and haversine bound."""

    box: BoundingBox
    first_band: int
    last_band: int
    max_term: float

    def conditions(self, prefix: str) -> list:
        return [
            EVENTS.c.longitude.between(
                bindparam(prefix + "min_longitude"), bindparam(prefix + "max_longitude")
            ),
            EVENTS.c.latitude.between(
                bindparam(prefix + "min_latitude"), bindparam(prefix + "max_latitude")
            ),
            haversine_term() <= bindparam(prefix + "max_term", type_=Float),
        ]

    def parameters(self, prefix: str) -> dict:
        return {
            prefix + "min_longitude": self.box.min_longitude,
            prefix + "max_longitude": self.box.max_longitude,
            prefix + "min_latitude": self.box.min_latitude,
            prefix + "max_latitude": self.box.max_latitude,
            prefix + "max_term": self.max_term,
        }


@dataclass(frozen=True, slots=True)
class LatitudeBands:
    """A circle a few bands tall, read by one index seek per band (an IN list)."""

    reads_band_index: ClassVar[bool] = True
    # A few fixed list lengths, padded by repeating the last band, keep the number of
    # statement shapes small: each is compiled and prepared once.
    slots: int
    circle: Circle = field(compare=False)  # only parameters: any circle fills the statement

    def conditions(self, prefix: str = "") -> list:
        bands = [bindparam(name) for name in _band_names(prefix, self.slots)]
        return [EVENTS.c.latitude_band.in_(bands), *self.circle.conditions(prefix)]

    def parameters(self, prefix: str = "") -> dict:
        first, last = self.circle.first_band, self.circle.last_band
        parameters = self.circle.parameters(prefix)
        bands = [min(first + n, last) for n in range(self.slots)]
        parameters.update(zip(_band_names(prefix, self.slots), bands, strict=True))
        return parameters


@cache
def _band_names(prefix: str, slots: int) -> tuple[str, ...]:
    # Named once per length: every search binds them.
    return tuple(f"{prefix}band_{n}" for n in range(slots))


@dataclass(frozen=True, slots=True)
class BandRange:
    """A circle too many bands tall to list them: one range over its bands."""

    reads_band_index: ClassVar[bool] = True
    circle: Circle = field(compare=False)  # only parameters: any circle fills the statement

    def conditions(self, prefix: str = "") -> list:
        bands = EVENTS.c.latitude_band.between(
            bindparam(prefix + "first_band"), bindparam(prefix + "last_band")
        )
        return [bands, *self.circle.conditions(prefix)]

    def parameters(self, prefix: str = "") -> dict:
        bands = {prefix + "first_band": self.circle.first_band}
        bands[prefix + "last_band"] = self.circle.last_band
        return {**self.circle.parameters(prefix), **bands}


@dataclass(frozen=True, slots=True)
class Anywhere:
    """Every upcoming event: walked through the earth index, or read whole (SQLite)."""

    reads_band_index: ClassVar[bool] = False

    def conditions(self, prefix: str = "") -> list:
        return []

    def parameters(self, prefix: str = "") -> dict:
        return {}


Area = LatitudeBands | BandRange | Anywhere


def area_within(latitude: float, longitude: float, radius_miles: float | None) -> Area:
    """The cheapest area holding a circle: its bands listed while few, else a range."""
    if radius_miles is None:
        return Anywhere()
    box = bounding_box(latitude, longitude, radius_miles)
    first_band = math.floor(box.min_latitude * LATITUDE_BANDS_PER_DEGREE)
    last_band = math.floor(box.max_latitude * LATITUDE_BANDS_PER_DEGREE)
    circle = Circle(box, first_band, last_band, term_for_radius(radius_miles))
    if last_band - first_band < MAX_LISTED_BANDS:
        return LatitudeBands(1 << (last_band - first_band).bit_length(), circle)
    return BandRange(circle)


@dataclass(frozen=True, slots=True)
class CappedCount:
    """A count of the events in an area that stops past cap: "more than cap" says enough."""

    area: Area
    cap: int | None

    @property
    def limit(self) -> int:
        # A huge limit rather than none keeps one statement shape.
        return 2**62 if self.cap is None else self.cap + 1


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement and the parameters it runs with."""

    sql: Select
    parameters: dict


def _upcoming_in(area: Area, shape: tuple, extra_conditions, prefix: str = "") -> list:
    """WHERE terms for upcoming published events in an area (online-only events have no
    place to be near), narrowed as the shape says."""
    with_campaign, narrowing_shape, _by_date = shape
    status, ends_at = EVENTS.c.status, EVENTS.c.ends_at
    if area.reads_band_index:
        status, ends_at = NotForIndexSeek(status), NotForIndexSeek(ends_at)
    conditions = [
        status == EventStatus.PUBLISHED,
        ends_at > bindparam("now", type_=EVENTS.c.ends_at.type),
        not_online_only(),
    ]
    if with_campaign:
        conditions.append(EVENTS.c.campaign_id == bindparam("campaign_id"))
    conditions.extend(narrowing_conditions(narrowing_shape, seek_kind=not area.reads_band_index))
    conditions.extend(extra_conditions)
    return conditions + area.conditions(prefix)


def _build_count(area: Area, shape: tuple, extra_conditions=(), prefix: str = ""):
    matches = (
        select(EVENTS.c.id)
        .where(*_upcoming_in(area, shape, extra_conditions, prefix))
        .limit(bindparam(prefix + "count_limit"))
    )
    return select(func.count()).select_from(matches.subquery())


def _build_page(columns: EventColumns, area: Area, count_area: Area | None, shape: tuple, extra=()):
    """One page nearest (or soonest) first; with a count_area, each row also carries that
    area's count."""
    term = haversine_term().label("term")
    by_date = shape[-1]
    order = (EVENTS.c.starts_at, EVENTS.c.id, term) if by_date else (term, EVENTS.c.starts_at)
    page = (
        select(*columns.select_list(), term)
        .where(*_upcoming_in(area, shape, extra))
        .order_by(*order, EVENTS.c.id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    if count_area is None:
        return page
    count = _build_count(count_area, shape, extra, prefix=COUNT_PREFIX)
    if columns is EventColumns.WHOLE_EVENT:
        return page.add_columns(count.scalar_subquery().label("total"))
    # The count LEFT JOIN the page: an empty page still brings back its count, in one row
    # of NULLs, and a full one saves a round trip.
    counted = count.subquery("counted")
    paged = page.subquery("paged")
    paged_order = (
        (paged.c.starts_at, paged.c.id, paged.c.term)
        if by_date
        else (paged.c.term, paged.c.starts_at)
    )
    return (
        select(paged, counted.c[0].label("total"))
        .select_from(counted.outerjoin(paged, true()))
        .order_by(*paged_order, paged.c.id)
    )


def _build_earth_window(columns: EventColumns, shape: tuple, extra_conditions=()):
    """The :window events nearest the centre, walking ix_events_earth_position (PostgreSQL).

    cube's <-> between ll_to_earth points is a chord: it orders like the haversine term,
    and the GiST index hands rows over in that order, so only the window is read.
    """
    here = func.ll_to_earth(
        bindparam("centre_latitude", type_=Float), bindparam("centre_longitude", type_=Float)
    )
    chord = func.ll_to_earth(EVENTS.c.latitude, EVENTS.c.longitude).op("<->", return_type=Float)(
        here
    )
    return (
        select(*columns.select_list(), haversine_term().label("term"), chord)
        .where(*_upcoming_in(Anywhere(), shape, extra_conditions))
        .order_by(chord)
        .limit(bindparam("window"))
    )


_built_count, _built_page = cache(_build_count), cache(_build_page)
_built_earth_window = cache(_build_earth_window)


def _shared_or_own(built_once, build, filters: SearchFilters, *shape):
    """The statement built once for this shape, unless extra conditions make it this search's."""
    if filters.extra_conditions:
        return build(*shape, filters.shape, filters.extra_conditions)
    return built_once(*shape, filters.shape)


def page_statement(
    filters: SearchFilters,
    columns: EventColumns,
    area: Area,
    limit: int,
    offset: int,
    count: CappedCount | None = None,
) -> Statement:
    """A page nearest first; with a count, every row ends with it (one round trip for both)."""
    count_area = None if count is None else count.area
    sql = _shared_or_own(_built_page, _build_page, filters, columns, area, count_area)
    parameters = {**filters.parameters(), **area.parameters(), "limit": limit, "offset": offset}
    if count is not None:
        parameters.update(count.area.parameters(COUNT_PREFIX))
        parameters[COUNT_PREFIX + "count_limit"] = count.limit
    return Statement(sql, parameters)


def count_statement(filters: SearchFilters, count: CappedCount) -> Statement:
    """How many upcoming events the count's area holds, up to its limit."""
    sql = _shared_or_own(_built_count, _build_count, filters, count.area)
    parameters = {**filters.parameters(), **count.area.parameters(), "count_limit": count.limit}
    return Statement(sql, parameters)


def earth_window_statement(filters: SearchFilters, columns: EventColumns) -> Statement:
    """The events nearest anywhere in chord order, rows ending with the chord; runs with :window."""
    sql = _shared_or_own(_built_earth_window, _build_earth_window, filters, columns)
    return Statement(sql, filters.parameters())
