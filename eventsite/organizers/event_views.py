"""Organizers edit or cancel any event in their campaigns (or with none), as its host could."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..event_changes import cancel_event, update_event
from ..event_details import HostingError, only_timeslot
from ..event_forms import CancelEventForm, EventForm, event_form_data
from ..lookups import found_or_404
from ..models import Event
from ..security import private_page
from . import bp
from .queries import event_in_scope


@bp.route("/events/<dbid:event_id>/edit", methods=["GET", "POST"])
@private_page
@login_required
def edit_event(event_id: int):
    event = found_or_404(event_in_scope(current_user, event_id))
    campaigns = current_user.campaigns
    # An event with several shifts has their times changed one by one, by its host.
    with_times = only_timeslot(event) is not None
    if request.method == "GET":
        form = EventForm(data=event_form_data(event), campaigns=campaigns, with_times=with_times)
    else:
        form = EventForm(
            campaigns=campaigns, require_future_start=event.is_upcoming, with_times=with_times
        )
        if form.validate():
            try:
                hosted = update_event(event, form.details(event.image_id), by_organizer=True)
            except HostingError as error:
                form.show_error(str(error), error.field)
            else:
                flash(_("The event is saved."), "success")
                if hosted.placement_message:
                    flash(hosted.placement_message, "warning")
                return redirect(url_for("organizers.edit_event", event_id=event.id), code=303)
    return _edit_page(event, form), 400 if request.method == "POST" else 200


def _edit_page(event: Event, form: EventForm, cancel_form: CancelEventForm | None = None) -> str:
    cancel_form = cancel_form or CancelEventForm()
    return render_template(
        "organizers/edit_event.html", form=form, event=event, cancel_form=cancel_form
    )


@bp.post("/events/<dbid:event_id>/cancel")
@private_page
@login_required
def cancel(event_id: int):
    event = found_or_404(event_in_scope(current_user, event_id))
    form = CancelEventForm()
    if not form.validate():
        # The page again, with the reason as typed and the box's message beside it.
        event_form = EventForm(
            data=event_form_data(event),
            campaigns=current_user.campaigns,
            with_times=only_timeslot(event) is not None,
        )
        return _edit_page(event, event_form, cancel_form=form), 400
    told = cancel_event(event, form.reason.data or "")
    flash(
        ngettext(
            "Cancelled. We're emailing %(num)s person who RSVPed.",
            "Cancelled. We're emailing %(num)s people who RSVPed.",
            told,
        ),
        "success",
    )
    return redirect(url_for("organizers.edit_event", event_id=event.id), code=303)
