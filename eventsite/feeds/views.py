"""Calendar subscriptions (/events.ics, /c/<slug>/events.ics) and the embeddable list."""

import hashlib
from urllib.parse import urlsplit

from flask import Response, abort, current_app, make_response, render_template, request
from flask_babel import get_locale

from ..calendar import feed_calendar
from ..campaigns.queries import campaign_by_slug
from ..models import EventStatus
from ..search.caching import shared_value, uncached_search_limit
from ..search.forms import SearchForm, search_requested
from ..templating import allow_framing
from ..urls import external_url
from . import bp
from .queries import feed_events_near, nearest_to, upcoming_feed_events

EMBED_SIZE = 10
# Calendar apps and embedding sites poll: let caches answer for a few minutes.
FEED_MAX_AGE_SECONDS = 300


def _feed_file(events, name: str) -> tuple[str, bytes]:
    """A feed's ETag and calendar file. The ETag names the events' versions (DTSTAMP
    differs on every build), so a calendar app polling an unchanged feed gets a 304."""
    domain = urlsplit(external_url("search.home")).hostname or "eventsite"
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


def _campaign_or_404(slug: str):
    campaign = campaign_by_slug(slug)
    if campaign is None:
        abort(404)
    return campaign


def _feed(campaign=None) -> Response:
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


@bp.get("/events.ics")
@uncached_search_limit
def site_calendar():
    return _feed()


@bp.get("/c/<slug:slug>/events.ics")
@uncached_search_limit
def campaign_calendar(slug: str):
    return _feed(_campaign_or_404(slug))


def _embed(campaign=None):
    form = _search_form()
    campaign_id = campaign.id if campaign else None
    if form is None:
        key = (campaign_id,)

        def build():
            events = upcoming_feed_events(campaign_id, EMBED_SIZE, (EventStatus.PUBLISHED,))
            found = [(event, None) for event in events]
            return render_template("feeds/embed.html", found=found, place=None, campaign=campaign)

    else:
        place = form.place
        # Without a radius, the nearest events however far: an embed should never be empty.
        radius = form.radius.data if "radius" in request.args else "any"
        radius_miles = None if radius == "any" else form.radius_miles
        key = (campaign_id, form.zip.data, radius)

        def build():
            nearest = nearest_to(place, radius_miles, campaign_id, EMBED_SIZE)
            found = [(nearby.event, nearby.distance_miles) for nearby in nearest]
            return render_template("feeds/embed.html", found=found, place=place, campaign=campaign)

    if form is not None and form.searching_by_location:
        html = build()  # each position is different
    else:
        html = shared_value((request.path, *key), build)
    response = make_response(html)
    response.cache_control.public = True
    response.cache_control.max_age = FEED_MAX_AGE_SECONDS
    return response


@bp.get("/embed")
@allow_framing
@uncached_search_limit
def embed():
    slug = request.args.get("campaign")
    return _embed(_campaign_or_404(slug) if slug else None)


@bp.get("/c/<slug:slug>/embed")
@allow_framing
@uncached_search_limit
def campaign_embed(slug: str):
    return _embed(_campaign_or_404(slug))
