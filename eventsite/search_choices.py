"""The filters of a search page, as its URL carries them (shareable, no JavaScript needed):
when, what kind, in person or online, only events with spots left, and the order.

SearchChoice is the one typed value of them: the search form fills it, the page cache keys
on it (read from a query string by the same rules, search_choice_from), and it turns into
the search's Narrowing. Dates are the searcher's: "this weekend" is Saturday and Sunday
where the zip code is.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from .models import KIND_LABELS, EventKind
from .nearby_narrowing import Narrowing
from .nearby_pages import NEAR, NEAR_OR_ONLINE, ONLINE
from .validators import NearDate

ANY = ""
WEEKEND, WEEK = "weekend", "week"
BY_DISTANCE, BY_DATE = "distance", "date"

WHEN_CHOICES = [
    SelectChoice(ANY, _l("Any date")),
    SelectChoice(WEEKEND, _l("This weekend")),
    SelectChoice(WEEK, _l("Next 7 days")),
]
KIND_FILTER_CHOICES = [SelectChoice(ANY, _l("Any kind"))] + [
    SelectChoice(kind.value, KIND_LABELS[kind]) for kind in EventKind
]
MODE_CHOICES = [
    SelectChoice(NEAR, _l("In person, near me")),
    SelectChoice(ONLINE, _l("Online")),
    SelectChoice(NEAR_OR_ONLINE, _l("Near me or online")),
]
SORT_CHOICES = [
    SelectChoice(BY_DISTANCE, _l("Nearest first")),
    SelectChoice(BY_DATE, _l("Soonest first")),
]
# A checkbox's "off", as WTForms' BooleanField reads it.
_FALSE_VALUES = ("", "false")


def _values(choices) -> frozenset[str]:
    return frozenset(choice.value for choice in choices)


_WHEN, _KINDS = _values(WHEN_CHOICES), _values(KIND_FILTER_CHOICES)
_MODES, _SORTS = _values(MODE_CHOICES), _values(SORT_CHOICES)


@dataclass(frozen=True, slots=True)
class SearchChoice:
    """A search's filters; the defaults are today's plain search."""

    when: str = ANY
    on: date | None = None  # a chosen date: wins over `when`
    kind: str = ANY
    mode: str = NEAR
    spots: bool = False
    sort: str = BY_DISTANCE

    @property
    def by_date(self) -> bool:
        return self.sort == BY_DATE

    @property
    def any_set(self) -> bool:
        return self != SearchChoice()

    def query(self) -> dict:
        """The URL parameters that ask for these filters, defaults left out."""
        found = {
            "when": self.when or None,
            "on": self.on.isoformat() if self.on else None,
            "kind": self.kind or None,
            "mode": self.mode if self.mode != NEAR else None,
            "spots": "y" if self.spots else None,
            "sort": self.sort if self.sort != BY_DISTANCE else None,
        }
        return {name: value for name, value in found.items() if value is not None}

    def narrowing(self, timezone: str, now: datetime) -> Narrowing:
        """The search's filters, dates read in the searcher's time zone."""
        window = date_window(self.when, self.on, timezone, now)
        return Narrowing(
            kinds=(EventKind(self.kind),) if self.kind else (),
            window_start=window[0] if window else None,
            window_end=window[1] if window else None,
            spots_left=self.spots,
        )


def date_window(
    when: str, on: date | None, timezone: str, now: datetime
) -> tuple[datetime, datetime] | None:
    """[start, end) in UTC for a chosen date, this weekend or the next 7 days; None for any."""
    if when == WEEK and on is None:
        return now, now + timedelta(days=7)
    zone = ZoneInfo(timezone or "America/New_York")
    today = now.astimezone(zone).date()
    if on is not None:
        first, days = on, 1
    elif when == WEEKEND:
        # Saturday and Sunday: this one while it lasts, else the coming one.
        first = today - timedelta(days=1) if today.weekday() == 6 else today
        first += timedelta(days=(5 - first.weekday()) % 7)
        days = 2
    else:
        return None
    start = datetime.combine(first, time(), zone)
    end = datetime.combine(first + timedelta(days=days), time(), zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def search_choice_from(args) -> SearchChoice | None:
    """The filters a query string asks for, read as SearchForm reads them (each field's
    first value); None when the form would refuse one."""
    when, kind = args.get("when", ANY), args.get("kind", ANY)
    mode, sort = args.get("mode", NEAR), args.get("sort", BY_DISTANCE)
    if when not in _WHEN or kind not in _KINDS or mode not in _MODES or sort not in _SORTS:
        return None
    on_text = args.get("on", "")
    on = None
    if on_text:
        try:
            on = date.fromisoformat(on_text) if len(on_text) == 10 else None
        except ValueError:
            on = None
        if on is None:
            return None
        if abs(on - date.today()) > NearDate.window:
            return None
    spots = args.get("spots", "") not in _FALSE_VALUES
    return SearchChoice(when, on, kind, mode, spots, sort)
