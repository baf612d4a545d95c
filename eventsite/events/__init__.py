"""/, /events…, /events.ics, /embed, /host/<token>…, /rsvps/<token>…: finding events,
an event's page and feeds, RSVPs and their private pages, and hosting."""

from flask import Blueprint

bp = Blueprint("events", __name__)

from . import (  # noqa: E402,F401  (routes register on import)
    attendance_views,
    checkin_views,
    co_host_views,
    host_views,
    reminder_views,
    rsvp_views,
    search_views,
    shift_views,
    views,
)
