"""Calendar subscriptions and the embeddable list, for the whole site (events/) and for a
campaign (campaigns/): upcoming events, cancelled ones included, so subscribers see
cancellations."""

import hashlib

from flask import Response, abort, current_app, make_response, render_template, request
from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .caching import shared_value
from .calendar import feed_calendar
from .extensions import db
from .geo import ZipPlace, bounding_box, distance_miles
from .models import Event, EventStatus, utcnow
from .nearby import NearbyEvent, nearest_events
from .search_form import SearchForm, search_requested
from .urls import external_url, public_domain

EMBED_SIZE = 10
# Calendar apps and embedding sites poll: let caches answer for a few minutes.
FEED_MAX_AGE_SECONDS = 300


def _feed_file(events, name: str) -> tuple[str, bytes]:
    """A feed's ETag and calendar file. The ETag names the events' versions (DTSTAMP
    differs on every build), so a calendar app polling an unchanged feed gets a 304."""
    domain = public_domain()
    versions = ";".join(f"{event.id}:{event.updated_at.isoformat()}" for event in events)
    etag = hashlib.sha256(f"{name}|{domain}|{get_locale()}|{versions}".encode()).hexdigest()
    body = feed_calendar(events, _event_url, domain, name)
    return etag, body


def _event_url(event) -> str:
    return external_url("events.show", event_id=event.id)


def _calendar_response(etag: str, body: bytes) -> Response:
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = Response(body, mimetype="text/calendar")
        response.headers["Content-Disposition"] = 'inline; filename="events.ics"'
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = FEED_MAX_AGE_SECONDS
    return response


def _search_form():
    """The place and radius of a feed's query string (a zip code or a position), or None
    when it names neither."""
    if not search_requested(request.args):
        return None
    form = SearchForm(request.args)
    if not form.validate():
        abort(400)
    return form


def calendar_feed(campaign=None) -> Response:
    """The .ics of upcoming events (of a campaign), around a place when the query names one."""
    form = _search_form()
    campaign_id = campaign.id if campaign else None
    name = campaign.name if campaign else current_app.config["SITE_NAME"]
    if form is None:
        # The same for every subscriber: kept. A feed around a place is built for its
        # request (from kept entries) and counts against the search budget; there are
        # too many, of up to half a megabyte, to keep.
        feed = shared_value(
            (request.path, campaign_id),
            lambda: _feed_file(upcoming_feed_events(campaign_id), name),
        )
    else:
        place = form.place
        events = feed_events_near(place, form.radius_miles, campaign_id)
        feed = _feed_file(events, f"{name} · {place.zip_code}")
    return _calendar_response(*feed)


def embed_page(campaign=None):
    """The embeddable list of upcoming events (of a campaign), nearest a place if named."""
    form = _search_form()
    campaign_id = campaign.id if campaign else None
    if form is None:
        key = (campaign_id,)

        def build():
            events = upcoming_feed_events(campaign_id, EMBED_SIZE, (EventStatus.PUBLISHED,))
            found = [(event, None) for event in events]
            return render_template("embed.html", found=found, place=None, campaign=campaign)

    else:
        place = form.place
        # Without a radius, the nearest events however far: an embed should never be empty.
        radius = form.radius.data if "radius" in request.args else "any"
        radius_miles = None if radius == "any" else form.radius_miles
        key = (campaign_id, form.zip.data, radius)

        def build():
            nearest = nearest_to(place, radius_miles, campaign_id, EMBED_SIZE)
            found = [(nearby.event, nearby.distance_miles) for nearby in nearest]
            return render_template("embed.html", found=found, place=place, campaign=campaign)

    if form is not None and form.searching_by_location:
        html = build()  # each position is different
    else:
        html = shared_value((request.path, *key), build)
    response = make_response(html)
    response.cache_control.public = True
    response.cache_control.max_age = FEED_MAX_AGE_SECONDS
    return response


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
    query = query.order_by(Event.starts_at, Event.id).limit(limit)
    return list(db.session.scalars(query.options(selectinload(Event.timeslots))))


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
    query = query.order_by(Event.starts_at, Event.id).limit(FEED_SIZE)
    events = db.session.scalars(query.options(selectinload(Event.timeslots)))
    return [
        event
        for event in events
        if radius_miles is None
        or distance_miles(place.latitude, place.longitude, event.latitude, event.longitude)
        <= radius_miles
    ]
