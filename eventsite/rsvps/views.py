from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..attendance import (
    RsvpDetails,
    RsvpError,
    cancel_rsvp,
    change_rsvp,
    find_rsvp_by_token,
    rsvp_to_event,
)
from ..events.queries import visible_event
from . import bp
from .forms import RsvpDetailsForm, RsvpForm


def _details(form, email: str) -> RsvpDetails:
    return RsvpDetails(
        name=form.name.data,
        email=email,
        phone=form.phone.data or "",
        zip_code=form.zip_code.data,
        guests=form.guests.data,
    )


def _rsvp_or_404(token: str):
    rsvp = find_rsvp_by_token(token)
    if rsvp is None:
        abort(404)
    return rsvp


@bp.post("/events/<dbid:event_id>/rsvp")
def create(event_id: int):
    event = visible_event(event_id)
    if event is None:
        abort(404)
    form = RsvpForm()
    if form.validate():
        try:
            outcome = rsvp_to_event(event, _details(form, form.email.data))
        except RsvpError as error:
            form.guests.errors.append(str(error))
        else:
            return redirect(url_for("rsvps.manage", token=outcome.token, new=1), code=303)
    return render_template("events/show.html", event=event, form=form), 400


@bp.get("/rsvps/<token>")
def manage(token: str):
    rsvp = _rsvp_or_404(token)
    form = RsvpDetailsForm(obj=rsvp)
    return render_template("rsvps/manage.html", rsvp=rsvp, event=rsvp.event, form=form, token=token)


@bp.post("/rsvps/<token>")
def update(token: str):
    rsvp = _rsvp_or_404(token)
    form = RsvpDetailsForm()
    if form.validate():
        try:
            change_rsvp(rsvp, _details(form, rsvp.email))
        except RsvpError as error:
            form.guests.errors.append(str(error))
        else:
            flash(_("Your RSVP is updated."), "success")
            return redirect(url_for("rsvps.manage", token=token), code=303)
    return render_template(
        "rsvps/manage.html", rsvp=rsvp, event=rsvp.event, form=form, token=token
    ), 400


@bp.post("/rsvps/<token>/cancel")
def cancel(token: str):
    rsvp = _rsvp_or_404(token)
    cancel_rsvp(rsvp)
    flash(_("Your RSVP is cancelled. Changed your mind? You can RSVP again below."), "success")
    return redirect(url_for("rsvps.manage", token=token), code=303)
