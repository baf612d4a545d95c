from flask import Response, abort, render_template

from ..calendar import calendar_entry, calendar_for
from ..models import utcnow
from ..rsvps.forms import RsvpForm
from ..urls import external_url, public_domain
from . import bp
from .queries import visible_event


def _event_or_404(event_id: int):
    event = visible_event(event_id)
    if event is None:
        abort(404)
    return event


@bp.get("/events/<dbid:event_id>")
def show(event_id: int):
    event = _event_or_404(event_id)
    return render_template("events/show.html", event=event, form=RsvpForm())


@bp.get("/events/<dbid:event_id>/calendar.ics")
def calendar_file(event_id: int):
    event = _event_or_404(event_id)
    url = external_url("events.show", event_id=event.id)
    body = calendar_for([calendar_entry(event, url, public_domain(), utcnow())])
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="event-{event.id}.ics"'},
    )
