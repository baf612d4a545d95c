"""Check-in at the door, from the host's private link: a name search, a button beside each
name (arrived, undo) and a form for walk-ins; plain forms, so it works without JavaScript."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..arrivals import arrival_counts
from ..event_details import HostingError
from ..lookups import found_or_404
from ..models import Event
from ..rsvp_forms import CheckInSearchForm, WalkInForm
from ..search_form import page_number
from ..security import private_page
from . import bp
from .operations import (
    CHECK_IN_CLOSED,
    WalkIn,
    add_walk_in,
    check_in,
    check_in_is_open,
    undo_check_in,
)
from .queries import CHECK_IN_PAGE_SIZE, check_in_page, find_event_by_manage_token


def _to_host_page(token: str, message: str):
    flash(message, "warning")
    return redirect(url_for("events.manage_hosted_event", token=token), code=303)


def _back_to_list(token: str, anchor: str = ""):
    """To the list as the host left it: the same search and page."""
    search, page = request.args.get("q", "")[:120], page_number(request.args)
    url = url_for(
        "events.check_in_list", token=token, q=search or None, page=page if page > 1 else None
    )
    return redirect(url + anchor, code=303)


def _list_page(event: Event, token: str, walk_in_form: WalkInForm | None = None):
    search = CheckInSearchForm(request.args)
    valid_search = search.validate()
    searched = (search.q.data or "") if valid_search else ""
    page = page_number(request.args)
    rows = check_in_page(event.id, searched, page, CHECK_IN_PAGE_SIZE) if valid_search else []
    html = render_template(
        "events/host/check_in.html",
        event=event,
        token=token,
        counts=arrival_counts(event.id),
        rows=rows[:CHECK_IN_PAGE_SIZE],
        has_next=len(rows) > CHECK_IN_PAGE_SIZE,
        page=page,
        searched=searched,
        search_form=search,
        walk_in_form=walk_in_form or WalkInForm(),
    )
    return html, 400 if not valid_search or (walk_in_form and walk_in_form.errors) else 200


@bp.get("/host/<token>/check-in")
@private_page
def check_in_list(token: str):
    event = found_or_404(find_event_by_manage_token(token))
    if not check_in_is_open(event):
        return _to_host_page(token, str(CHECK_IN_CLOSED))
    return _list_page(event, token)


@bp.post("/host/<token>/check-in/<dbid:rsvp_id>/arrived")
@private_page
def mark_arrived(token: str, rsvp_id: int):
    return _change_arrival(token, rsvp_id, check_in)


@bp.post("/host/<token>/check-in/<dbid:rsvp_id>/undo")
@private_page
def undo_arrival(token: str, rsvp_id: int):
    return _change_arrival(token, rsvp_id, undo_check_in)


def _change_arrival(token: str, rsvp_id: int, change):
    event = found_or_404(find_event_by_manage_token(token))
    try:
        on_list = change(event, rsvp_id)
    except HostingError as error:
        return _to_host_page(token, str(error))
    if not on_list:
        flash(_("That person is no longer on the list."), "warning")
    return _back_to_list(token, f"#rsvp-{rsvp_id}")


@bp.post("/host/<token>/walk-ins")
@private_page
def add_walk_in_at_door(token: str):
    event = found_or_404(find_event_by_manage_token(token))
    if not check_in_is_open(event):
        return _to_host_page(token, str(CHECK_IN_CLOSED))
    form = WalkInForm()
    if form.validate():
        try:
            add_walk_in(event, WalkIn(form.name.data, form.email.data or "", form.phone.data))
        except HostingError as error:
            form.show_error(str(error), error.field)
        else:
            flash(_("Walk-in added and checked in."), "success")
            return _back_to_list(token)
    return _list_page(event, token, walk_in_form=form)
