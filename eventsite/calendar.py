"""iCalendar files for events, in the event's own time zone."""

from datetime import datetime, timedelta

from flask_babel import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .dates import local_time
from .models import Event, EventStatus

PRODUCT_ID = "-//eventsite//events//EN"
# A calendar's time zone blocks cover its events' dates with this much to spare.
TIMEZONE_MARGIN = timedelta(days=366)


def event_uid(event: Event, domain: str) -> str:
    """Stable across edits, so calendar apps update the entry instead of adding one."""
    return f"event-{event.id}@{domain}"


def calendar_entry(event: Event, url: str, domain: str, stamp: datetime) -> CalendarEvent:
    entry = CalendarEvent()
    entry.add("uid", event_uid(event, domain))
    entry.add("dtstamp", stamp)
    title = event.title
    if event.status == EventStatus.CANCELLED:
        title = _("Cancelled: %(title)s", title=title)
    entry.add("summary", title)
    entry.add("dtstart", local_time(event.starts_at, event.timezone))
    entry.add("dtend", local_time(event.ends_at, event.timezone))
    entry.add("location", event.full_address)
    entry.add("geo", (event.latitude, event.longitude))
    details = _("Details and RSVP: %(url)s", url=url)
    entry.add("description", f"{event.description}\n\n{details}".strip())
    entry.add("url", url)
    entry.add("last-modified", event.updated_at)
    entry.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    return entry


def calendar_for(entries: list[CalendarEvent], name: str | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    for entry in entries:
        calendar.add_component(entry)
    # VTIMEZONE blocks for every zone used, so every calendar app reads the times right.
    # Only the transitions around the events: icalendar's default span (1970-2038) makes
    # each block hundreds of lines, slow to build and heavy to download.
    if entries:
        moments = [entry.DTSTART for entry in entries] + [entry.DTEND for entry in entries]
        calendar.add_missing_timezones(
            first_date=min(moments).date() - TIMEZONE_MARGIN,
            last_date=max(moments).date() + TIMEZONE_MARGIN,
        )
    return calendar.to_ical()
