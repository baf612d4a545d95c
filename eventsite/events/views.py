from flask import Response, request

from ..attribution import carried
from ..caching import kept_page, uncached_search_limit
from ..calendar import calendar_entries, calendar_for
from ..feeds import calendar_feed, embed_page
from ..lookups import campaign_by_slug, found_or_404
from ..models import utcnow
from ..rsvp_forms import RsvpForm
from ..templating import allow_framing, fresh_form_fields
from ..urls import external_url, public_domain
from . import bp
from .queries import event_page_version, visible_event


@bp.get("/events/<dbid:event_id>")
def show(event_id: int):
    version = found_or_404(event_page_version(event_id))
    return kept_page(
        ("event", event_id, *version, carried().as_key()),
        "events/show.html",
        lambda: {"event": found_or_404(visible_event(event_id)), "form": None},
    )


@bp.app_template_global()
def fresh_rsvp_fields():
    """The RSVP form's fields, empty: an event page without a refused RSVP shows these."""
    return fresh_form_fields(RsvpForm, "events/_rsvp_fields.html", "rsvp_fields")


@bp.get("/events/<dbid:event_id>/calendar.ics")
def calendar_file(event_id: int):
    event = found_or_404(visible_event(event_id))
    url = external_url("events.show", event_id=event.id)
    body = calendar_for(calendar_entries(event, url, public_domain(), utcnow()))
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="event-{event.id}.ics"'},
    )


@bp.get("/events.ics")
@uncached_search_limit
def calendar_feed_of_events():
    return calendar_feed()


@bp.get("/embed")
@allow_framing
@uncached_search_limit
def embed():
    slug = request.args.get("campaign")
    return embed_page(found_or_404(campaign_by_slug(slug)) if slug else None)
