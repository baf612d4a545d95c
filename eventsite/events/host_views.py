"""Hosting: the form to list an event, and the host's private management pages."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from ..arrivals import arrival_counts
from ..attendance import attendance_counts
from ..event_changes import cancel_event, update_event
from ..event_details import HostingError, only_timeslot, proposed_values, waiting_changes
from ..event_forms import CancelEventForm, EventForm, MessageAttendeesForm, event_form_data
from ..exports import RSVP_CSV_HEADER, csv_response, rsvp_csv_row
from ..extensions import db, limiter
from ..lookups import found_or_404
from ..models import Campaign, Event, EventStatus
from ..rsvp_forms import ForgetAttendeesForm
from ..search_form import page_number
from ..security import private_page
from ..shift_forms import NewTimeslotsForm
from . import bp
from .co_hosts import co_hosts_on_host_page
from .operations import check_in_is_open, create_event, forget_attendees, message_attendees
from .queries import attendee_page, attendee_rows, find_event_by_manage_token, rsvp_tally
from .reminder_views import reminders_on_host_page


def _campaigns() -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).order_by(Campaign.name)))


def _form_data(event: Event, campaigns: list[Campaign]) -> dict:
    """The event as its host last wrote it: the approved version with changes waiting."""
    data = event_form_data(event)
    for name, value in proposed_values(event).items():
        if name == "campaign_id":
            data["campaign"] = next((c.slug for c in campaigns if c.id == value), "")
        else:
            data[name] = value
    return data


def _event_creation_limit() -> str:
    return current_app.config["RATELIMIT_EVENT_CREATION"]


@bp.route("/events/new", methods=["GET", "POST"])
@limiter.limit(_event_creation_limit, methods=["POST"])
def new_event():
    campaigns = _campaigns()
    form = EventForm(campaigns=campaigns, with_repeat=True)
    if request.method == "GET":
        chosen = next((c for c in campaigns if c.slug == request.args.get("campaign")), None)
        if chosen:
            form.campaign.data = chosen.slug
            form.date.data = form.date.data or chosen.action_date
    elif form.validate():
        hosted = create_event(form.details())
        if hosted.placement_message:
            flash(hosted.placement_message, "warning")
        return redirect(url_for("events.manage_hosted_event", token=hosted.token, new=1), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("events/host/new.html", form=form), status


def manage_page(event, token: str, **forms) -> str:
    """The host's private page: the event, its shifts, attendees and co-hosts, and the forms
    to add a shift, write or cancel; a form sent back with mistakes (message_form,
    timeslot_form, cancel_form, forget_form, co_host_form) shows them."""
    return render_template(
        "events/host/manage.html",
        event=event,
        token=token,
        rsvps=attendee_page(event.id, page_number(request.args)),
        tally=rsvp_tally(event.id),
        counts=arrival_counts(event.id),
        attendance=attendance_counts(event.id),
        check_in_open=check_in_is_open(event),
        changes=waiting_changes(event),
        message_form=forms.get("message_form") or MessageAttendeesForm(),
        timeslot_form=forms.get("timeslot_form") or NewTimeslotsForm(formdata=None),
        cancel_form=forms.get("cancel_form") or CancelEventForm(),
        forget_form=forms.get("forget_form") or ForgetAttendeesForm(),
        **reminders_on_host_page(event),
        **co_hosts_on_host_page(event, token, forms.get("co_host_form")),
    )


@bp.get("/host/<token>")
@private_page
def manage_hosted_event(token: str):
    event = found_or_404(find_event_by_manage_token(token))
    return manage_page(event, token)


@bp.route("/host/<token>/edit", methods=["GET", "POST"])
@private_page
def edit_hosted_event(token: str):
    event = found_or_404(find_event_by_manage_token(token))
    if event.status in (EventStatus.CANCELLED, EventStatus.REJECTED):
        flash(_("This event can no longer be changed."), "warning")
        return redirect(url_for("events.manage_hosted_event", token=token), code=303)
    campaigns = _campaigns()
    with_times = only_timeslot(event) is not None
    if request.method == "GET":
        form = EventForm(
            data=_form_data(event, campaigns), campaigns=campaigns, with_times=with_times
        )
    else:
        form = EventForm(
            campaigns=campaigns, require_future_start=event.is_upcoming, with_times=with_times
        )
        if form.validate():
            try:
                hosted = update_event(event, form.details(event.image_id))
            except HostingError as error:
                form.show_error(str(error), error.field)
            else:
                if hosted.changes_waiting:
                    flash(_("Your changes are saved and sent to an organizer."), "success")
                else:
                    flash(_("Your changes are saved."), "success")
                if hosted.placement_message:
                    flash(hosted.placement_message, "warning")
                return redirect(url_for("events.manage_hosted_event", token=token), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("events/host/edit.html", form=form, event=event, token=token), status


@bp.post("/host/<token>/cancel")
@private_page
def cancel_hosted_event(token: str):
    event = found_or_404(find_event_by_manage_token(token))
    form = CancelEventForm()
    if not form.validate():
        # The page again, with the reason as typed and the box's message beside it.
        return manage_page(event, token, cancel_form=form), 400
    told = cancel_event(event, form.reason.data or "")
    flash(
        ngettext(
            "Your event is cancelled. We're emailing %(num)s person who RSVPed.",
            "Your event is cancelled. We're emailing %(num)s people who RSVPed.",
            told,
        ),
        "success",
    )
    return redirect(url_for("events.manage_hosted_event", token=token), code=303)


@bp.post("/host/<token>/message")
@limiter.limit("10 per hour", methods=["POST"])
@private_page
def write_to_attendees(token: str):
    event = found_or_404(find_event_by_manage_token(token))
    form = MessageAttendeesForm()
    if form.validate():
        sent = message_attendees(
            event,
            form.subject.data,
            form.body.data,
            form.include_waitlist.data,
            reply_to_host=form.reply_to_me.data,
        )
        flash(
            ngettext(
                "Your message is on its way to %(num)s person.",
                "Your message is on its way to %(num)s people.",
                sent.emailed,
            ),
            "success",
        )
        if sent.phone_only:
            flash(_phone_only_notice(sent.phone_only), "warning")
        return redirect(url_for("events.manage_hosted_event", token=token), code=303)
    return manage_page(event, token, message_form=form), 400


def _phone_only_notice(count: int) -> str:
    return ngettext(
        "%(num)s person gave only a phone number and did not get it: they agreed to texts "
        "about changes to the event, not to messages. Call them if they need to know.",
        "%(num)s people gave only a phone number and did not get it: they agreed to texts "
        "about changes to the event, not to messages. Call them if they need to know.",
        count,
    )


@bp.get("/host/<token>/rsvps.csv")
@private_page
def export_hosted_rsvps(token: str):
    event = found_or_404(find_event_by_manage_token(token))
    return csv_response(
        f"event-{event.id}-rsvps.csv",
        RSVP_CSV_HEADER,
        [rsvp_csv_row(rsvp) for rsvp in attendee_rows(event.id)],
    )


@bp.post("/host/<token>/forget-attendees")
@private_page
def forget_hosted_attendees(token: str):
    """After the event, the host erases its attendee list now rather than in RETENTION_DAYS."""
    event = found_or_404(find_event_by_manage_token(token))
    form = ForgetAttendeesForm()
    if not form.validate():
        return manage_page(event, token, forget_form=form), 400
    try:
        erased = forget_attendees(event)
    except HostingError as error:
        flash(str(error), "warning")
    else:
        flash(
            ngettext(
                "We deleted the details of %(num)s person who RSVPed. The counts stay.",
                "We deleted the details of %(num)s people who RSVPed. The counts stay.",
                erased,
            ),
            "success",
        )
    return redirect(url_for("events.manage_hosted_event", token=token), code=303)
