"""Organizers: log in, run campaigns, moderate new events, export events and RSVPs."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from ..arrivals import people_arrived_by_event
from ..dates import local_time
from ..event_details import HostingError, waiting_changes
from ..exports import RSVP_CSV_HEADER, csv_response, rsvp_csv_row
from ..extensions import db, limiter, login_manager
from ..lookups import found_or_404
from ..models import Event, EventStatus, Organizer
from ..passwords import hash_password, password_matches
from ..search_form import page_number
from ..security import private_page
from ..urls import comeback_path, external_url, local_path
from . import bp
from .forms import (
    ActionForm,
    ApproveForm,
    CampaignEventSearchForm,
    CampaignForm,
    LoginForm,
    RejectForm,
)
from .operations import (
    approve_changes,
    approve_event,
    create_campaign,
    end_sessions,
    password_checked,
    reject_changes,
    reject_event,
)
from .queries import (
    campaign_events,
    campaign_events_page,
    campaign_rsvps,
    changes_in_scope,
    changes_queue,
    event_in_scope,
    moderation_queue,
    organizer_by_email,
    organizer_campaign,
    review_version,
)

# Checked when no organizer has the email, so a wrong email takes as long as a wrong password.
_UNUSED_HASH = hash_password("not a real password")


@login_manager.user_loader
def load_organizer(session_id: str) -> Organizer | None:
    """The organizer a session names ('12:3', see Organizer.get_id), while it is current."""
    organizer_id, _, version = session_id.partition(":")
    if not all(part.isascii() and part.isdigit() for part in (organizer_id, version)):
        return None
    organizer = db.session.get(Organizer, int(organizer_id))
    if organizer is None or not organizer.is_active:
        return None
    return organizer if organizer.session_version == int(version) else None


# Every organizer page shows people's details (hosts, attendees): each is a private_page,
# outside login_required so the redirect to the login page is private too.


def _dashboard(status: int = 200, **context):
    """The organizer's home: what waits for review, and their campaigns."""
    context = {"action_form": ActionForm(), "reject_form": RejectForm(), **context}
    page = render_template(
        "organizers/dashboard.html",
        campaigns=current_user.campaigns,
        queue=moderation_queue(current_user, page_number(request.args, "queue_page")),
        changes=changes_queue(current_user, page_number(request.args, "changes_page")),
        waiting_changes=waiting_changes,
        review_version=review_version,
        **context,
    )
    return page, status


@login_manager.unauthorized_handler
def ask_to_log_in():
    """To the login page, and back to this page after it (Flask-Login would carry any URL,
    a megabyte-long one or a form's, into the link)."""
    flash(str(login_manager.login_message), "message")
    return redirect(url_for("organizers.login", next=comeback_path()))


@bp.route("/login", methods=["GET", "POST"])
@private_page
@limiter.limit("10 per minute;50 per day", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        organizer = organizer_by_email(form.email.data)
        if organizer is None:
            password_matches(_UNUSED_HASH, form.password.data)
        elif organizer.is_active and password_checked(organizer, form.password.data):
            # A new session: nothing from before login (its form token) carries over.
            session.clear()
            login_user(organizer)
            # Only a path on this site, so a crafted link can't bounce an organizer elsewhere.
            target = local_path(request.args.get("next")) or url_for("organizers.dashboard")
            return redirect(target, code=303)
        form.password.errors.append(_("That email and password don't match an organizer."))
    status = 400 if request.method == "POST" else 200
    return render_template("organizers/login.html", form=form), status


@bp.post("/logout")
@private_page
@login_required
def logout():
    if ActionForm().validate():
        end_sessions(current_user)
        logout_user()
        flash(_("You are logged out."), "success")
    return redirect(url_for("events.home"), code=303)


@bp.get("/")
@private_page
@login_required
def dashboard():
    return _dashboard()


@bp.route("/campaigns/new", methods=["GET", "POST"])
@private_page
@login_required
def new_campaign():
    form = CampaignForm()
    if form.validate_on_submit():
        campaign = create_campaign(
            current_user,
            form.name.data,
            form.slug.data,
            form.description.data or "",
            form.action_date.data,
        )
        flash(
            _(
                "Campaign created. Share %(path)s",
                path=url_for("campaigns.show", slug=campaign.slug),
            ),
            "success",
        )
        return redirect(url_for("organizers.campaign", slug=campaign.slug), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("organizers/new_campaign.html", form=form), status


@bp.get("/campaigns/<slug:slug>")
@private_page
@login_required
def campaign(slug: str):
    campaign = found_or_404(organizer_campaign(current_user, slug))
    search = CampaignEventSearchForm(request.args)
    valid_search = search.validate()
    searched = (search.q.data or "") if valid_search else ""
    events = campaign_events_page(campaign.id, searched, page_number(request.args))
    page = render_template(
        "organizers/campaign.html",
        campaign=campaign,
        events=events,
        search_form=search,
        searched=searched,
    )
    return page, 200 if valid_search else 400


@bp.get("/campaigns/<slug:slug>/events.csv")
@private_page
@login_required
def export_events(slug: str):
    campaign = found_or_404(organizer_campaign(current_user, slug))
    header = (
        "event_id", "status", "title", "kind", "starts_at_local", "timezone", "venue",
        "street_address", "city", "state", "zip", "capacity", "people_going",
        "people_arrived", "host_name", "host_email", "host_phone", "url",
    )  # fmt: skip
    arrived = people_arrived_by_event(campaign.id)
    rows = [
        (
            event.id,
            event.status.value,
            event.title,
            event.kind.value,
            local_time(event.starts_at, event.timezone).isoformat(timespec="minutes"),
            event.timezone,
            event.venue,
            event.street_address,
            event.city,
            event.state,
            event.zip_code,
            event.capacity,
            event.seats_taken,
            arrived.get(event.id, 0),
            event.host_name,
            event.host_email,
            event.host_phone,
            external_url("events.show", event_id=event.id),
        )  # fmt: skip
        for event in campaign_events(campaign.id)
    ]
    return csv_response(f"{campaign.slug}-events.csv", header, rows)


@bp.get("/campaigns/<slug:slug>/rsvps.csv")
@private_page
@login_required
def export_rsvps(slug: str):
    campaign = found_or_404(organizer_campaign(current_user, slug))
    rows = [rsvp_csv_row(rsvp) for rsvp in campaign_rsvps(campaign.id)]
    return csv_response(f"{campaign.slug}-rsvps.csv", RSVP_CSV_HEADER, rows)


# What an organizer is told after deciding, by whether they decided on a host's changes.
_APPROVED = {
    False: _l("Approved and listed: %(title)s"),
    True: _l("Changes approved and shown: %(title)s"),
}
_REJECTED = {
    False: _l("Not approved: %(title)s. We emailed the host your reason."),
    True: _l("Changes not approved: %(title)s stays as it was. We emailed the host your reason."),
}


def _to_dashboard():
    """Back to the dashboard at the pages of its queues the organizer was on."""
    pages = {name: page_number(request.args, name) for name in _QUEUE_PAGES}
    pages = {name: page for name, page in pages.items() if page > 1}
    return redirect(url_for("organizers.dashboard", **pages), code=303)


# The dashboard's two queues are paged apart; review forms carry their pages along.
_QUEUE_PAGES = ("queue_page", "changes_page")


def _approve(event: Event, *, changes: bool):
    """List a pending event, or show a listed event's changes, as the organizer reviewed it."""
    form = ApproveForm()
    if form.validate():
        try:
            (approve_changes if changes else approve_event)(event, form.reviewed.data or "")
        except HostingError as error:
            flash(str(error), "warning")
        else:
            flash(str(_APPROVED[changes]) % {"title": event.title}, "success")
    return _to_dashboard()


def _reject(event: Event, *, changes: bool):
    """Turn down a pending event, or a listed event's changes, with a reason for the host."""
    form = RejectForm()
    if not form.validate():
        shown = {"rejecting_changes" if changes else "rejecting": event.id}
        return _dashboard(400, reject_form=form, **shown)
    (reject_changes if changes else reject_event)(event, form.reason.data)
    flash(str(_REJECTED[changes]) % {"title": event.title}, "success")
    return _to_dashboard()


@bp.post("/events/<dbid:event_id>/approve")
@private_page
@login_required
def approve(event_id: int):
    event = found_or_404(event_in_scope(current_user, event_id))
    return (
        _approve(event, changes=False) if event.status == EventStatus.PENDING else _to_dashboard()
    )


@bp.post("/events/<dbid:event_id>/reject")
@private_page
@login_required
def reject(event_id: int):
    event = found_or_404(event_in_scope(current_user, event_id))
    return _reject(event, changes=False) if event.status == EventStatus.PENDING else _to_dashboard()


@bp.post("/events/<dbid:event_id>/changes/approve")
@private_page
@login_required
def approve_event_changes(event_id: int):
    return _approve(found_or_404(changes_in_scope(current_user, event_id)), changes=True)


@bp.post("/events/<dbid:event_id>/changes/reject")
@private_page
@login_required
def reject_event_changes(event_id: int):
    return _reject(found_or_404(changes_in_scope(current_user, event_id)), changes=True)
