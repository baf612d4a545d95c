"""iCalendar files for events, in the event's own time zone."""

from datetime import date, datetime
from functools import lru_cache

from flask_babel import gettext as _
from icalendar import Calendar, Timezone
from icalendar import Event as CalendarEvent

from .dates import local_time
from .models import Event, EventStatus

PRODUCT_ID = "-//eventsite//events//EN"
LAST_RULES_YEAR = 9998


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
    # VTIMEZONE blocks first, for every zone used, so every calendar app reads the times right.
    for zone in _timezones(entries):
        calendar.add_component(zone)
    for entry in entries:
        calendar.add_component(entry)
    return calendar.to_ical()


def _timezones(entries: list[CalendarEvent]) -> list[Timezone]:
    """The zones the entries' times are in, with their rules for the years around them."""
    moments = [entry.DTSTART for entry in entries] + [entry.DTEND for entry in entries]
    zones = sorted({str(moment.tzinfo) for moment in moments if str(moment.tzinfo) != "UTC"})
    if not zones:
        return []
    # icalendar can write rules from year 1 to 9998 (a row written by hand may lie beyond).
    first_year = max(min(moments).year - 1, 1)
    last_year = min(max(moments).year + 1, LAST_RULES_YEAR)
    return [_timezone(zone, min(first_year, last_year), last_year) for zone in zones]


# icalendar's default span (1970-2038) makes each block hundreds of lines, slow to build
# and heavy to download; a few years' rules are built once and reused.
@lru_cache(maxsize=256)
def _timezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    return Timezone.from_tzid(
        tzid, first_date=date(first_year, 1, 1), last_date=date(last_year, 12, 31)
    )
