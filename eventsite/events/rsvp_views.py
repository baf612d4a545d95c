from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _

from ..attribution import carried
from ..lookups import found_or_404
from ..rsvp_forms import ForgetMeForm, RsvpDetailsForm, RsvpForm
from ..rsvps import (
    RsvpDetails,
    RsvpError,
    cancel_rsvp,
    change_rsvp,
    find_rsvp_by_token,
    forget_rsvp,
    rsvp_to_event,
)
from ..security import private_page
from ..urls import external_url
from . import bp
from .queries import visible_event


def _details(form, email: str) -> RsvpDetails:
    return RsvpDetails(
        name=form.name.data,
        email=email,
        phone=form.phone.data or "",
        zip_code=form.zip_code.data,
        guests=form.guests.data,
        attribution=carried(),
    )


# The address typed into the RSVP form, shown once on the next page to catch a typo.
_SENT_TO = "rsvp_sent_to"
# The RSVP's own referral code, for the next page's "invite friends" link (once).
_INVITE_CODE = "rsvp_invite_code"


@bp.post("/events/<dbid:event_id>/rsvp")
def create_rsvp(event_id: int):
    event = found_or_404(visible_event(event_id))
    form = RsvpForm()
    if form.validate():
        try:
            outcome = rsvp_to_event(event, _details(form, form.email.data))
        except RsvpError as error:
            form.show_error(str(error), error.field)
        else:
            # The same answer whether or not this email had RSVPed: the link goes by email.
            session[_SENT_TO] = form.email.data
            session[_INVITE_CODE] = outcome.rsvp.referral_code
            return redirect(url_for("events.rsvp_sent", event_id=event_id), code=303)
    return render_template("events/show.html", event=event, form=form), 400


@bp.get("/events/<dbid:event_id>/rsvp/sent")
@private_page
def rsvp_sent(event_id: int):
    event = found_or_404(visible_event(event_id))
    code = session.pop(_INVITE_CODE, None)
    invite_url = external_url("events.show", event_id=event.id, ref=code) if code else None
    return render_template(
        "events/rsvp/sent.html",
        event=event,
        email=session.pop(_SENT_TO, None),
        invite_url=invite_url,
    )


@bp.get("/rsvps/<token>")
@private_page
def manage_rsvp(token: str):
    rsvp = found_or_404(find_rsvp_by_token(token))
    form = RsvpDetailsForm(obj=rsvp)
    return _manage_page(rsvp, token, form)


def _manage_page(rsvp, token: str, form, forget_form=None):
    return render_template(
        "events/rsvp/manage.html",
        rsvp=rsvp,
        event=rsvp.event,
        form=form,
        forget_form=forget_form or ForgetMeForm(),
        token=token,
    )


@bp.post("/rsvps/<token>")
@private_page
def update_rsvp(token: str):
    rsvp = found_or_404(find_rsvp_by_token(token))
    form = RsvpDetailsForm()
    if form.validate():
        try:
            change_rsvp(rsvp, _details(form, rsvp.email))
        except RsvpError as error:
            form.show_error(str(error), error.field)
        else:
            flash(_("Your RSVP is updated."), "success")
            return redirect(url_for("events.manage_rsvp", token=token), code=303)
    return _manage_page(rsvp, token, form), 400


@bp.post("/rsvps/<token>/cancel", endpoint="cancel_rsvp")
@private_page
def cancel_from_private_link(token: str):
    rsvp = found_or_404(find_rsvp_by_token(token))
    cancel_rsvp(rsvp)
    flash(_("Your RSVP is cancelled. Changed your mind? You can RSVP again below."), "success")
    return redirect(url_for("events.manage_rsvp", token=token), code=303)


@bp.post("/rsvps/<token>/forget")
@private_page
def forget_me(token: str):
    """Delete my information: the RSVP is cancelled and the person's details erased now."""
    rsvp = found_or_404(find_rsvp_by_token(token))
    form = ForgetMeForm()
    if not form.validate():
        return _manage_page(rsvp, token, RsvpDetailsForm(obj=rsvp), form), 400
    event_id = rsvp.event_id
    forget_rsvp(rsvp)
    return redirect(url_for("events.rsvp_forgotten", event_id=event_id), code=303)


@bp.get("/events/<dbid:event_id>/rsvp/forgotten")
@private_page
def rsvp_forgotten(event_id: int):
    event = found_or_404(visible_event(event_id))
    return render_template("events/rsvp/forgotten.html", event=event)
