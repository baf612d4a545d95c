"""Calendar subscriptions (/events.ics, /c/<slug>/events.ics) and the embeddable list."""

import hashlib
from urllib.parse import urlsplit

from flask import Response, abort, current_app, make_response, render_template, request

from ..calendar import calendar_entry, calendar_for
from ..campaigns.queries import campaign_by_slug
from ..models import EventStatus, utcnow
from ..search.forms import SearchForm
from ..templating import allow_framing
from ..urls import external_url
from . import bp
from .queries import feed_events_near, nearest_to, upcoming_feed_events

EMBED_SIZE = 10
# Calendar apps and embedding sites poll: let caches answer for a few minutes.
FEED_MAX_AGE_SECONDS = 300


def _calendar_response(events, name: str) -> Response:
    domain = urlsplit(external_url("search.home")).hostname or "eventsite"
    # The ETag names the events' versions (DTSTAMP differs on every build), so a calendar
    # app polling an unchanged feed gets a 304 without the feed being built.
    versions = ";".join(f"{event.id}:{event.updated_at.isoformat()}" for event in events)
    etag = hashlib.sha256(f"{name}|{domain}|{versions}".encode()).hexdigest()
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        stamp = utcnow()
        entries = [
            calendar_entry(event, external_url("events.show", event_id=event.id), domain, stamp)
            for event in events
        ]
        response = Response(calendar_for(entries, name=name), mimetype="text/calendar")
        response.headers["Content-Disposition"] = 'inline; filename="events.ics"'
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = FEED_MAX_AGE_SECONDS
    return response


def _search_form():
    """The zip and radius of a feed's query string, or None when no zip is given."""
    if "zip" not in request.args:
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
        return _calendar_response(upcoming_feed_events(campaign_id), name)
    place = form.zip.place
    events = feed_events_near(place, form.radius_miles, campaign_id)
    return _calendar_response(events, f"{name} · {place.zip_code}")


@bp.get("/events.ics")
def site_calendar():
    return _feed()


@bp.get("/c/<slug:slug>/events.ics")
def campaign_calendar(slug: str):
    return _feed(_campaign_or_404(slug))


def _embed(campaign=None):
    form = _search_form()
    campaign_id = campaign.id if campaign else None
    if form is None:
        events = upcoming_feed_events(campaign_id, EMBED_SIZE, (EventStatus.PUBLISHED,))
        found = [(event, None) for event in events]
        place = None
    else:
        place = form.zip.place
        # Without a radius, the nearest events however far: an embed should never be empty.
        radius_miles = form.radius_miles if "radius" in request.args else None
        nearest = nearest_to(place, radius_miles, campaign_id, EMBED_SIZE)
        found = [(nearby.event, nearby.distance_miles) for nearby in nearest]
    response = make_response(
        render_template("feeds/embed.html", found=found, place=place, campaign=campaign)
    )
    response.cache_control.public = True
    response.cache_control.max_age = FEED_MAX_AGE_SECONDS
    return response


@bp.get("/embed")
@allow_framing
def embed():
    slug = request.args.get("campaign")
    return _embed(_campaign_or_404(slug) if slug else None)


@bp.get("/c/<slug:slug>/embed")
@allow_framing
def campaign_embed(slug: str):
    return _embed(_campaign_or_404(slug))
