from flask import Response, abort, render_template, request

from ..caching import uncached_search_limit
from ..calendar import calendar_entry, calendar_for
from ..feeds import calendar_feed, campaign_or_404, embed_page
from ..models import utcnow
from ..rsvp_forms import RsvpForm
from ..templating import allow_framing
from ..urls import external_url, public_domain
from . import bp
from .queries import visible_event


def visible_event_or_404(event_id: int):
    """The event the public may see at this id (the page, its calendar file, an RSVP)."""
    event = visible_event(event_id)
    if event is None:
        abort(404)
    return event


@bp.get("/events/<dbid:event_id>")
def show(event_id: int):
    event = visible_event_or_404(event_id)
    return render_template("events/show.html", event=event, form=RsvpForm())


@bp.get("/events/<dbid:event_id>/calendar.ics")
def calendar_file(event_id: int):
    event = visible_event_or_404(event_id)
    url = external_url("events.show", event_id=event.id)
    body = calendar_for([calendar_entry(event, url, public_domain(), utcnow())])
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
    return embed_page(campaign_or_404(slug) if slug else None)
