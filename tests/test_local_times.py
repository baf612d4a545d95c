"""Times read the same, however they are worked out: the pieces dates.py remembers (a day,
an hour and minute, a zone at one offset) give what Babel gives for the moment itself, in
every zone and language, across daylight-saving changes."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime, format_skeleton, format_time

from eventsite.dates import format_event_when

ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
]


def babel_when(starts_at, ends_at, zone, locale):
    start, end = starts_at.astimezone(ZoneInfo(zone)), ends_at.astimezone(ZoneInfo(zone))
    end_time = format_time(end, "short", locale=locale)
    if start.date() != end.date():
        end_time = f"{format_skeleton('yMMMEd', end, locale=locale)}, {end_time}"
    return (
        f"{format_skeleton('yMMMEd', start, locale=locale)}, "
        f"{format_time(start, 'short', locale=locale)} – {end_time} "
        f"{format_datetime(start, 'z', locale=locale)}"
    )


@pytest.mark.parametrize(("language", "locale"), [("en", "en_US"), ("es", "es_US")])
def test_event_times_read_as_babel_writes_them(app, language, locale):
    chooser = random.Random(16)
    # Around the spring and autumn changes, and anywhere in a few years.
    anchors = [datetime(2027, 3, 14, 6, tzinfo=UTC), datetime(2027, 11, 7, 5, tzinfo=UTC)]
    with app.test_request_context(headers={"Accept-Language": language}):
        for n in range(400):
            anchor = anchors[n % 2] if n < 200 else datetime(2026, 1, 1, tzinfo=UTC)
            spread = 36 if n < 200 else 24 * 365 * 3
            starts_at = anchor + timedelta(minutes=15 * chooser.randint(0, spread * 4))
            ends_at = starts_at + timedelta(minutes=30 * chooser.randint(1, 60))
            zone = chooser.choice(ZONES)

            expected = babel_when(starts_at, ends_at, zone, locale)
            assert format_event_when(starts_at, ends_at, zone) == expected, (starts_at, zone)
