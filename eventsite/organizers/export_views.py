"""Organizers' downloads: a campaign's events and RSVPs as CSV files, streamed."""

from flask_login import current_user, login_required

from ..arrivals import people_arrived_by_event
from ..dates import local_time
from ..exports import RSVP_CSV_HEADER, csv_response, rsvp_csv_row
from ..lookups import found_or_404
from ..security import private_page
from ..urls import external_url
from . import bp
from .dashboard_queries import rsvps_per_event
from .queries import campaign_events, campaign_rsvps, organizer_campaign


@bp.get("/campaigns/<slug:slug>/events.csv")
@private_page
@login_required
def export_events(slug: str):
    campaign = found_or_404(organizer_campaign(current_user, slug))
    header = (
        "event_id", "status", "title", "kind", "starts_at_local", "timezone", "venue",
        "street_address", "city", "state", "zip", "capacity", "people_going",
        "people_arrived", "rsvps", "host_name", "host_email", "host_phone", "url", "times",
    )  # fmt: skip
    arrived = people_arrived_by_event(campaign.id)
    rsvps = rsvps_per_event(campaign.id)
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
            event.total_capacity,
            event.seats_taken,
            arrived.get(event.id, 0),
            rsvps.get(event.id, 0),
            event.host_name,
            event.host_email,
            event.host_phone,
            external_url("events.show", event_id=event.id),
            len(event.active_timeslots),
        )  # fmt: skip
        for event in campaign_events(campaign.id)
    ]
    return csv_response(f"{campaign.slug}-events.csv", header, rows)


@bp.get("/campaigns/<slug:slug>/rsvps.csv")
@private_page
@login_required
def export_rsvps(slug: str):
    campaign = found_or_404(organizer_campaign(current_user, slug))
    rows = (rsvp_csv_row(rsvp) for rsvp in campaign_rsvps(campaign.id))
    return csv_response(f"{campaign.slug}-rsvps.csv", RSVP_CSV_HEADER, rows)
