"""Events for feeds: upcoming ones, cancelled included, so subscribers see cancellations."""

from sqlalchemy import select

from ..extensions import db
from ..geo import ZipPlace, bounding_box, distance_miles
from ..models import Event, EventStatus, utcnow
from ..nearby import NearbyEvent, nearest_events

# Calendar apps fetch the whole feed on every refresh: keep it a sensible size.
FEED_SIZE = 500
FEED_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def upcoming_feed_events(
    campaign_id: int | None = None, limit: int = FEED_SIZE, statuses=FEED_STATUSES
) -> list[Event]:
    """Upcoming published and cancelled events, soonest first, optionally of one campaign."""
    query = select(Event).where(Event.status.in_(statuses), Event.ends_at > utcnow())
    if campaign_id is not None:
        query = query.where(Event.campaign_id == campaign_id)
    return list(db.session.scalars(query.order_by(Event.starts_at, Event.id).limit(limit)))


def nearest_to(
    place: ZipPlace, radius_miles: float | None, campaign_id: int | None, limit: int
) -> list[NearbyEvent]:
    return nearest_events(
        place.latitude,
        place.longitude,
        radius_miles=radius_miles,
        limit=limit,
        campaign_id=campaign_id,
    )


def feed_events_near(
    place: ZipPlace, radius_miles: float | None, campaign_id: int | None = None
) -> list[Event]:
    """Upcoming events nearest the place (within the radius), then cancelled ones there."""
    published = [nearby.event for nearby in nearest_to(place, radius_miles, campaign_id, FEED_SIZE)]
    return published + _cancelled_near(place, radius_miles, campaign_id)


def _cancelled_near(place: ZipPlace, radius_miles: float | None, campaign_id: int | None):
    query = select(Event).where(Event.status == EventStatus.CANCELLED, Event.ends_at > utcnow())
    if campaign_id is not None:
        query = query.where(Event.campaign_id == campaign_id)
    if radius_miles is not None:
        box = bounding_box(place.latitude, place.longitude, radius_miles)
        query = query.where(
            Event.latitude.between(box.min_latitude, box.max_latitude),
            Event.longitude.between(box.min_longitude, box.max_longitude),
        )
    events = db.session.scalars(query.order_by(Event.starts_at, Event.id).limit(FEED_SIZE))
    return [
        event
        for event in events
        if radius_miles is None
        or distance_miles(place.latitude, place.longitude, event.latitude, event.longitude)
        <= radius_miles
    ]
