"""Nearest-event queries: a bounding box the indexes can use, then exact distance order."""

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select

from ..extensions import db
from ..geo import EARTH_RADIUS_MILES, bounding_box
from ..models import Event, EventStatus, utcnow

RADIANS_PER_DEGREE = math.pi / 180
# Radii tried in turn for an "anywhere" search, so even it starts with an indexed box.
WIDENING_RADII_MILES = (25, 100, 400, 1600)


@dataclass
class NearbyEvent:
    event: Event
    distance_miles: float


def _haversine_term(latitude: float, longitude: float):
    """SQL for haversine's 'a' term: it grows with distance, so it orders and filters alike.

    Only sin, cos and arithmetic: the same SQL runs on SQLite (math functions built in)
    and PostgreSQL.
    """
    half_dlat = (Event.latitude - latitude) * (RADIANS_PER_DEGREE / 2)
    half_dlng = (Event.longitude - longitude) * (RADIANS_PER_DEGREE / 2)
    cos_centre = math.cos(latitude * RADIANS_PER_DEGREE)
    return func.sin(half_dlat) * func.sin(half_dlat) + cos_centre * func.cos(
        Event.latitude * RADIANS_PER_DEGREE
    ) * func.sin(half_dlng) * func.sin(half_dlng)


def _term_for_radius(radius_miles: float) -> float:
    return math.sin(min(radius_miles / (2 * EARTH_RADIUS_MILES), math.pi / 2)) ** 2


def _miles_from_term(term: float) -> float:
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(max(term, 0.0))))


def _upcoming(now: datetime, campaign_id: int | None, extra_conditions=()):
    conditions = [Event.status == EventStatus.PUBLISHED, Event.ends_at > now, *extra_conditions]
    if campaign_id is not None:
        conditions.append(Event.campaign_id == campaign_id)
    return and_(*conditions)


def _within_radius(latitude, longitude, radius_miles):
    box = bounding_box(latitude, longitude, radius_miles)
    term = _haversine_term(latitude, longitude)
    return and_(
        Event.latitude.between(box.min_latitude, box.max_latitude),
        Event.longitude.between(box.min_longitude, box.max_longitude),
        term <= _term_for_radius(radius_miles),
    )


def _nearest(latitude, longitude, radius_miles, limit, offset, now, campaign_id, extra_conditions):
    term = _haversine_term(latitude, longitude).label("term")
    query = select(Event, term).where(_upcoming(now, campaign_id, extra_conditions))
    if radius_miles is not None:
        query = query.where(_within_radius(latitude, longitude, radius_miles))
    query = query.order_by(term, Event.starts_at, Event.id).limit(limit).offset(offset)
    return [
        NearbyEvent(event=event, distance_miles=_miles_from_term(value))
        for event, value in db.session.execute(query)
    ]


def nearest_events(
    latitude: float,
    longitude: float,
    *,
    radius_miles: float | None = None,
    limit: int = 20,
    offset: int = 0,
    now: datetime | None = None,
    campaign_id: int | None = None,
    extra_conditions=(),
) -> list[NearbyEvent]:
    """Upcoming published events nearest first, within radius_miles or anywhere.

    extra_conditions: SQLAlchemy boolean clauses ANDed into the WHERE (the API's filters).
    """
    now = now or utcnow()
    args = (now, campaign_id, extra_conditions)
    if radius_miles is not None:
        return _nearest(latitude, longitude, radius_miles, limit, offset, *args)
    # Anywhere: widen a box until it holds a full page; everything inside a circle of
    # radius r is nearer than anything outside it, so the page is exact.
    for radius in WIDENING_RADII_MILES:
        found = _nearest(latitude, longitude, radius, limit, offset, *args)
        if len(found) == limit:
            return found
    return _nearest(latitude, longitude, None, limit, offset, *args)


def count_events_near(
    latitude: float,
    longitude: float,
    *,
    radius_miles: float | None = None,
    now: datetime | None = None,
    campaign_id: int | None = None,
    extra_conditions=(),
) -> int:
    """How many upcoming published events lie within radius_miles (or anywhere)."""
    query = (
        select(func.count())
        .select_from(Event)
        .where(_upcoming(now or utcnow(), campaign_id, extra_conditions))
    )
    if radius_miles is not None:
        query = query.where(_within_radius(latitude, longitude, radius_miles))
    return db.session.scalar(query)


@dataclass
class SearchPage:
    """One page of a nearest-event search, widened past the radius when it held nothing."""

    results: list[NearbyEvent]
    total: int
    page: int
    pages: int
    searched_radius_miles: float | None
    widened: bool


def search_page(
    latitude: float,
    longitude: float,
    *,
    radius_miles: float | None,
    page: int,
    page_size: int,
    campaign_id: int | None = None,
) -> SearchPage:
    """A page of results; with nothing inside the radius, the nearest events further out."""
    searched, widened = radius_miles, False
    total = count_events_near(
        latitude, longitude, radius_miles=radius_miles, campaign_id=campaign_id
    )
    if total == 0 and radius_miles is not None:
        radius_miles, widened = None, True
        total = count_events_near(latitude, longitude, campaign_id=campaign_id)
    found = nearest_events(
        latitude,
        longitude,
        radius_miles=radius_miles,
        limit=page_size,
        offset=(page - 1) * page_size,
        campaign_id=campaign_id,
    )
    return SearchPage(
        results=found,
        total=total,
        page=page,
        pages=max(1, -(-total // page_size)),
        searched_radius_miles=searched,
        widened=widened,
    )
