"""A host's shifts (timeslots), from the private page: add one or a series, change one,
cancel one."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..dates import local_time
from ..event_details import HostingError
from ..lookups import found_or_404
from ..models import EventStatus
from ..security import private_page
from ..shift_forms import CancelTimeslotForm, NewTimeslotsForm, TimeslotForm
from . import bp
from .host_views import manage_page
from .queries import find_event_by_manage_token
from .shift_operations import add_timeslots, cancel_timeslot, change_timeslot

CHANGEABLE = (EventStatus.PUBLISHED, EventStatus.PENDING)


def _hosted(token: str):
    event = found_or_404(find_event_by_manage_token(token))
    return event if event.status in CHANGEABLE else found_or_404(None)


def _timeslot(event, timeslot_id: int):
    slot = next((slot for slot in event.timeslots if slot.id == timeslot_id), None)
    return found_or_404(slot if slot is not None and not slot.is_cancelled else None)


def _back(token: str):
    return redirect(url_for("events.manage_hosted_event", token=token) + "#times-heading", 303)


@bp.post("/host/<token>/times", endpoint="add_timeslot")
@private_page
def add_timeslot_view(token: str):
    event = _hosted(token)
    form = NewTimeslotsForm()
    if form.validate():
        try:
            added = add_timeslots(event, *form.local_times(), form.capacity.data, form.dates)
        except HostingError as error:
            form.show_error(str(error), error.field)
        else:
            flash(
                ngettext("The new time is added.", "%(num)s new times are added.", len(added)),
                "success",
            )
            return _back(token)
    return manage_page(event, token, timeslot_form=form), 400


@bp.route("/host/<token>/times/<dbid:timeslot_id>", methods=["GET", "POST"])
@private_page
def edit_timeslot(token: str, timeslot_id: int):
    event = _hosted(token)
    slot = _timeslot(event, timeslot_id)
    if request.method == "GET":
        form = TimeslotForm(data=_form_data(slot, event.timezone))
    else:
        form = TimeslotForm()
    if request.method == "POST" and form.validate():
        try:
            change_timeslot(event, slot, *form.local_times(), form.capacity.data)
        except HostingError as error:
            form.show_error(str(error), error.field)
        else:
            flash(_("The time is changed."), "success")
            return _back(token)
    status = 400 if request.method == "POST" else 200
    template = "events/host/edit_time.html"
    return render_template(template, form=form, event=event, slot=slot, token=token), status


@bp.post("/host/<token>/times/<dbid:timeslot_id>/cancel", endpoint="cancel_timeslot")
@private_page
def cancel_timeslot_view(token: str, timeslot_id: int):
    event = _hosted(token)
    slot = _timeslot(event, timeslot_id)
    form = CancelTimeslotForm()
    if not form.validate():
        flash(form.error_summary(), "warning")
        return _back(token)
    try:
        told = cancel_timeslot(event, slot)
    except HostingError as error:
        flash(str(error), "warning")
    else:
        flash(
            ngettext(
                "The time is cancelled. We're emailing %(num)s person who RSVPed to it.",
                "The time is cancelled. We're emailing %(num)s people who RSVPed to it.",
                told,
            ),
            "success",
        )
    return _back(token)


def _form_data(slot, timezone: str) -> dict:
    start, end = local_time(slot.starts_at, timezone), local_time(slot.ends_at, timezone)
    return {
        "date": start.date(),
        "start_time": start.time().replace(tzinfo=None),
        "end_time": end.time().replace(tzinfo=None),
        "capacity": slot.capacity,
    }
