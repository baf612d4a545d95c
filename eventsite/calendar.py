"""iCalendar files for events, in the event's own time zone."""

from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from threading import Lock

from cachetools import LRUCache
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from icalendar import Calendar, Timezone
from icalendar import Event as CalendarEvent

from .dates import local_time
from .models import Event, EventStatus, Timeslot, utcnow
from .whereabouts import calendar_location, join_online_line

PRODUCT_ID = "-//eventsite//events//EN"
# How icalendar ends every calendar it writes.
_CALENDAR_END = b"END:VCALENDAR\r\n"
# Feed entries kept per process, about 1 KB each (see feed_calendar).
FEED_ENTRIES_KEPT = 20_000
LAST_RULES_YEAR = 9998


def event_uid(event: Event, timeslot: Timeslot, domain: str) -> str:
    """Stable across edits, so calendar apps update the entry instead of adding one; an
    event's first shift keeps the uid the event had before it had several."""
    if timeslot.id == min(slot.id for slot in event.timeslots):
        return f"event-{event.id}@{domain}"
    return f"event-{event.id}-time-{timeslot.id}@{domain}"


def calendar_entries(
    event: Event, url: str, domain: str, stamp: datetime, *, attendee: bool = False
) -> list:
    """An entry for each of the event's shifts (the cancelled ones say so)."""
    return [
        calendar_entry(event, slot, url, domain, stamp, attendee=attendee)
        for slot in event.timeslots
    ]


def calendar_entry(
    event: Event,
    timeslot: Timeslot,
    url: str,
    domain: str,
    stamp: datetime,
    *,
    attendee: bool = False,
) -> CalendarEvent:
    """One shift of the event as a calendar entry; attendee=True (their emails and RSVP page
    only) gives the full address and the meeting link, otherwise only what the public may
    read."""
    entry = CalendarEvent()
    entry.add("uid", event_uid(event, timeslot, domain))
    # Higher on each change, so a calendar app replaces the entry it has (same UID).
    entry.add("sequence", event.calendar_sequence)
    entry.add("dtstamp", stamp)
    title = event.title
    cancelled = event.status == EventStatus.CANCELLED or timeslot.is_cancelled
    if cancelled:
        title = _("Cancelled: %(title)s", title=title)
    entry.add("summary", title)
    entry.add("dtstart", local_time(timeslot.starts_at, event.timezone))
    entry.add("dtend", local_time(timeslot.ends_at, event.timezone))
    entry.add("location", calendar_location(event, attendee))
    if event.is_in_person:
        entry.add("geo", (event.latitude, event.longitude))
    details = _("Details and RSVP: %(url)s", url=url)
    if attendee and event.is_virtual and event.meeting_link:
        details = f"{join_online_line(event)}\n{details}"
    entry.add("description", f"{event.description}\n\n{details}".strip())
    entry.add("url", url)
    entry.add("last-modified", max(event.updated_at, timeslot.updated_at))
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return entry


def calendar_for(
    entries: list[CalendarEvent], name: str | None = None, method: str | None = None
) -> bytes:
    """A calendar of the entries; method (PUBLISH, CANCEL) for a file sent by email."""
    moments = [entry.DTSTART for entry in entries] + [entry.DTEND for entry in entries]
    calendar = _calendar(name, moments)
    if method:
        calendar.add("method", method)
    for entry in entries:
        calendar.add_component(entry)
    return calendar.to_ical()


def feed_calendar(
    events: list[Event], url_for: Callable[[Event], str], domain: str, name: str
) -> bytes:
    """A calendar of many events' shifts (a feed; load their timeslots with them) whose
    entries are built once per version of each event and shift, language and link: a feed
    polled again costs icalendar's work only for what changed since."""
    stamp = utcnow()
    entries = [
        _kept_entry(event, slot, url_for(event), domain, stamp)
        for event in events
        for slot in event.timeslots
    ]
    moments = [local_time(event.starts_at, event.timezone) for event in events] + [
        local_time(event.ends_at, event.timezone) for event in events
    ]
    head = _calendar(name, moments).to_ical()
    if not head.endswith(_CALENDAR_END):  # icalendar always ends a calendar so
        raise ValueError("unexpected end of an iCalendar file")
    return head[: -len(_CALENDAR_END)] + b"".join(entries) + _CALENDAR_END


def _kept_entry(event: Event, slot: Timeslot, url: str, domain: str, stamp: datetime) -> bytes:
    entries, lock = current_app.extensions.setdefault(
        "feed_entries", (LRUCache(maxsize=FEED_ENTRIES_KEPT), Lock())
    )
    key = (event.id, slot.id, event.updated_at, slot.updated_at, str(get_locale()), domain, url)
    with lock:
        text = entries.get(key)
    if text is None:
        text = calendar_entry(event, slot, url, domain, stamp).to_ical()
        with lock:
            entries[key] = text
    return text


def _calendar(name: str | None, moments: list[datetime]) -> Calendar:
    """A calendar with its properties and, first, a VTIMEZONE block for every zone the
    moments are in, so every calendar app reads the times right."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    for zone in _timezones(moments):
        calendar.add_component(zone)
    return calendar


def _timezones(moments: list[datetime]) -> list[Timezone]:
    """The zones the moments are in, with their rules for the years around them."""
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
