from flask import Response, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _

from ..attribution import carried
from ..calendar import calendar_entry, calendar_for
from ..lookups import found_or_404
from ..models import RsvpStatus, utcnow
from ..phones import readable_phone
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
from ..urls import external_url, public_domain
from . import bp
from .queries import visible_event


def _details(form, email: str) -> RsvpDetails:
    return RsvpDetails(
        name=form.name.data,
        email=email,
        phone=form.phone.data or "",
        zip_code=form.zip_code.data,
        guests=form.guests.data,
        sms_consent=form.sms_consent.data,
        attribution=carried(),
    )


# The address (or number) typed into the RSVP form, shown once on the next page to catch
# a typo; and whether the confirmation went by text.
_SENT_TO = "rsvp_sent_to"
_SENT_BY_TEXT = "rsvp_sent_by_text"
# The RSVP's own referral code, for the next page's "invite friends" link (once).
_INVITE_CODE = "rsvp_invite_code"


@bp.post("/events/<dbid:event_id>/rsvp")
def create_rsvp(event_id: int):
    event = found_or_404(visible_event(event_id))
    form = RsvpForm()
    if form.validate():
        try:
            outcome = rsvp_to_event(
                event, _details(form, form.email.data or ""), form.timeslots.data
            )
        except RsvpError as error:
            form.show_error(str(error), error.field)
        else:
            # The same answer whether or not this email or number had RSVPed: the link goes
            # to the email, or by text to a number alone.
            session[_SENT_BY_TEXT] = form.by_phone_only
            session[_SENT_TO] = (
                readable_phone(form.phone.data) if form.by_phone_only else form.email.data
            )
            session[_INVITE_CODE] = outcome.rsvps[0].referral_code
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
        sent_to=session.pop(_SENT_TO, None),
        by_text=session.pop(_SENT_BY_TEXT, False),
        invite_url=invite_url,
    )


@bp.get("/rsvps/<token>")
@private_page
def manage_rsvp(token: str):
    rsvp = found_or_404(find_rsvp_by_token(token))
    return _manage_page(rsvp, token, _form_for(rsvp))


def _form_for(rsvp) -> RsvpDetailsForm:
    """The RSVP as its private page's form shows it: the number as people write it."""
    form = RsvpDetailsForm(obj=rsvp, sms_consent=rsvp.sms_consent_at is not None)
    form.phone.data = readable_phone(rsvp.phone)
    return form


def _manage_page(rsvp, token: str, form, forget_form=None):
    return render_template(
        "events/rsvp/manage.html",
        rsvp=rsvp,
        event=rsvp.event,
        form=form,
        forget_form=forget_form or ForgetMeForm(),
        token=token,
    )


@bp.get("/rsvps/<token>/calendar.ics")
@private_page
def rsvp_calendar_file(token: str):
    """The attendee's own calendar file: the full address and the meeting link, while going."""
    rsvp = found_or_404(find_rsvp_by_token(token))
    if rsvp.status != RsvpStatus.GOING:
        return redirect(url_for("events.calendar_file", event_id=rsvp.event_id))
    event = rsvp.event
    url = external_url("events.show", event_id=event.id)
    entry = calendar_entry(event, rsvp.timeslot, url, public_domain(), utcnow(), attendee=True)
    return Response(
        calendar_for([entry]),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="event-{event.id}.ics"'},
    )


@bp.post("/rsvps/<token>")
@private_page
def update_rsvp(token: str):
    rsvp = found_or_404(find_rsvp_by_token(token))
    form = RsvpDetailsForm()
    form.by_phone_only = not rsvp.has_email
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
        return _manage_page(rsvp, token, _form_for(rsvp), form), 400
    event_id = rsvp.event_id
    forget_rsvp(rsvp)
    return redirect(url_for("events.rsvp_forgotten", event_id=event_id), code=303)


@bp.get("/events/<dbid:event_id>/rsvp/forgotten")
@private_page
def rsvp_forgotten(event_id: int):
    event = found_or_404(visible_event(event_id))
    return render_template("events/rsvp/forgotten.html", event=event)
