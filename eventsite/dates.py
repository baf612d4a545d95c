"""Showing times in the event's own time zone, formatted for the reader's locale.

Times are converted to the event's zone first and formatted with rebase=False, so
Flask-Babel never shifts them to a reader's zone: 10 AM in Denver reads 10 AM everywhere.
"""

from datetime import UTC, date, datetime, time, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_skeleton
from babel.dates import format_time as babel_format_time
from flask_babel import format_date, get_locale


def _locale():
    return get_locale() or "en_US"


@lru_cache(maxsize=512)
def _zone(timezone: str) -> tzinfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):  # a row written by hand, not by a form
        return UTC


def local_time(moment: datetime, timezone: str) -> datetime:
    """moment in the zone (UTC for a zone name this system lacks)."""
    zone = _zone(timezone)
    try:
        return moment.astimezone(zone)
    except OverflowError:
        # Only a row written by hand lies this near year 1 or 9999, where the local time
        # is outside what Python holds: show the nearest time it can.
        nearest = datetime.max if moment.year > 1 else datetime.min
        return nearest.replace(tzinfo=zone)


def format_local_date(moment: datetime, timezone: str) -> str:
    """'Sat, Jun 14, 2025' in the event's time zone."""
    return _date_words(local_time(moment, timezone).date(), str(_locale()))


def format_local_time(moment: datetime, timezone: str) -> str:
    """'10:00 AM' in the event's time zone."""
    local = local_time(moment, timezone)
    return _time_words(local.hour, local.minute, str(_locale()))


def zone_abbreviation(moment: datetime, timezone: str) -> str:
    """'EDT', 'PST', 'HST': the zone's short name at that moment."""
    return _zone_words(timezone, local_time(moment, timezone), str(_locale()))


# Babel's formatting is the slowest part of a results page, and its answers depend on
# little: a day, an hour and minute, a zone at one offset. Each is worked out once.
@lru_cache(maxsize=4096)
def _date_words(day: date, locale_name: str) -> str:
    # Flask-Babel has no skeleton formats; babel's own, with the request's locale.
    return format_skeleton("yMMMEd", datetime.combine(day, time()), locale=locale_name)


@lru_cache(maxsize=4096)
def _time_words(hour: int, minute: int, locale_name: str) -> str:
    return babel_format_time(time(hour, minute), "short", locale=locale_name)


# (zone, offset, locale) -> its short name: a zone at one offset always has the same.
_ZONE_WORDS: dict[tuple, str] = {}
_MOST_ZONE_WORDS = 4096


def _zone_words(timezone: str, local: datetime, locale_name: str) -> str:
    key = (timezone, local.utcoffset(), locale_name)
    found = _ZONE_WORDS.get(key)
    if found is None:
        if len(_ZONE_WORDS) >= _MOST_ZONE_WORDS:  # zone names come from rows: stay bounded
            _ZONE_WORDS.clear()
        found = _ZONE_WORDS[key] = babel_format_datetime(local, "z", locale=locale_name)
    return found


def format_event_when(starts_at: datetime, ends_at: datetime, timezone: str) -> str:
    """'Sat, Jun 14, 2025, 10:00 AM – 12:00 PM EDT', all in the event's time zone."""
    return _cached_event_when(starts_at, ends_at, timezone, str(_locale()))


# Results pages format 20 events each, mostly at the same few round times: Babel's
# formatting is the slowest part of the page, so remember recent answers.
@lru_cache(maxsize=16384)
def _cached_event_when(starts_at: datetime, ends_at: datetime, timezone: str, _locale_name):
    start_date = format_local_date(starts_at, timezone)
    start_time = format_local_time(starts_at, timezone)
    end_time = format_local_time(ends_at, timezone)
    if local_time(starts_at, timezone).date() != local_time(ends_at, timezone).date():
        end_time = f"{format_local_date(ends_at, timezone)}, {end_time}"
    return f"{start_date}, {start_time} – {end_time} {zone_abbreviation(starts_at, timezone)}"


def iso_with_offset(moment: datetime, timezone: str) -> str:
    return local_time(moment, timezone).isoformat()


def format_day(day) -> str:
    """'Saturday, June 14, 2025': a calendar day, such as a campaign's day of action."""
    return format_date(day, "full", rebase=False)
