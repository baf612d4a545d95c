"""Recurring events: "every Tuesday at 6 PM until March 1" as the dates of one event's
timeslots, each at the same wall-clock time where the event happens.

Times are kept as the host typed them (naive, local) until each date's own UTC offset is
known, so 6 PM stays 6 PM across a daylight-saving change.
"""

from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

# Dates one recurring event may have (a year of weekly dates): bounded work for the form,
# the event page and every list of shifts.
MAX_DATES = 52


class Repeat(StrEnum):
    ONCE = "once"
    WEEKLY = "weekly"
    EVERY_TWO_WEEKS = "every_two_weeks"
    CHOSEN_DATES = "chosen_dates"


STEP_DAYS = {Repeat.WEEKLY: 7, Repeat.EVERY_TWO_WEEKS: 14}


def repeating_dates(first: date, repeat: Repeat, until: date | None, limit: int) -> list[date]:
    """first and every week (or two) after it up to until, at most limit + 1 dates (one
    more than allowed tells the caller there were too many)."""
    if repeat not in STEP_DAYS or until is None:
        return [first]
    step = timedelta(days=STEP_DAYS[repeat])
    dates, day = [], first
    while day <= until and len(dates) <= limit:
        dates.append(day)
        day += step
    return dates


def chosen_dates(first: date, typed: str, limit: int) -> list[date]:
    """first and the dates typed (YYYY-MM-DD, separated by commas, spaces or lines), in
    order without repeats; ValueError names a date that is not one. Stops reading past
    limit + 1 dates."""
    found = {first}
    for word in typed.replace(",", " ").split()[: limit + 1]:
        try:
            found.add(date.fromisoformat(word))
        except ValueError:
            raise ValueError(word) from None
    return sorted(found)


def shift_times(
    starts_local: datetime, ends_local: datetime, dates, timezone: str
) -> list[tuple[datetime, datetime]]:
    """The UTC start and end of a shift on each date, at starts_local's wall-clock time and
    lasting as long on the clock (6 to 8 PM stays 6 to 8 PM across a DST change)."""
    zone = ZoneInfo(timezone)
    length = ends_local - starts_local
    times = []
    for day in dates or (starts_local.date(),):
        start = datetime.combine(day, starts_local.time())
        times.append(
            (
                start.replace(tzinfo=zone).astimezone(UTC),
                (start + length).replace(tzinfo=zone).astimezone(UTC),
            )
        )
    return times
