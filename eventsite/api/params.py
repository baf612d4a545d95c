"""Reading the API's query parameters into filters; anything malformed is a 400, never a 500."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..converters import MAX_ID  # larger ids cannot name anything
from ..geo import ZipCodeError, ZipPlace, lookup_zip
from ..models import utcnow
from ..nearby import COUNT_CAP
from .errors import ApiError
from .serializers import EVENT_TYPES

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 200
MAX_PAGE = 100_000
# Unix seconds up to the end of year 9999, the range both databases store.
MAX_TIMESTAMP = 253_402_300_799
MAX_DISTANCE_MILES = 25_000
# Each repeated filter is ANDed (or listed) into the query: a range needs two comparisons.
MAX_COMPARISONS = 4
MAX_ORGANIZATIONS = 50
# Pages of events nearest a zip code reach this far, as the site's search does: each page
# reads every nearer event first.
NEAREST_REACH = COUNT_CAP

_COMPARISON = re.compile(r"^(gte|gt|lte|lt)_(now|[0-9]{1,12})$")


@dataclass
class Comparison:
    operator: str  # gte, gt, lte or lt
    moment: datetime


@dataclass
class Paging:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass
class EventFilters:
    place: ZipPlace | None = None
    max_dist_miles: float | None = None
    timeslot_start: list[Comparison] = field(default_factory=list)
    timeslot_end: list[Comparison] = field(default_factory=list)
    updated_since: datetime | None = None
    organization_ids: list[int] = field(default_factory=list)
    event_types: list[str] = field(default_factory=list)
    exclude_full: bool = False
    private_only: bool = False
    # Mobilize's is_virtual: True, events held online (virtual or both); False, in person only.
    is_virtual: bool | None = None


def _single(args, name: str) -> str | None:
    values = args.getlist(name)
    if len(values) > 1:
        raise ApiError(400, f"Give {name} once.")
    return values[0] if values else None


def _integer(name: str, text: str, minimum: int, maximum: int) -> int:
    if not re.fullmatch(r"[0-9]{1,12}", text):
        raise ApiError(400, f"{name} must be a whole number.")
    value = int(text)
    if not minimum <= value <= maximum:
        raise ApiError(400, f"{name} must be between {minimum} and {maximum}.")
    return value


def _timestamp(name: str, text: str) -> datetime:
    seconds = _integer(name, text, 0, MAX_TIMESTAMP)
    return datetime.fromtimestamp(seconds, UTC)


def _repeated(args, name: str, most: int) -> list[str]:
    values = args.getlist(name)
    if len(values) > most:
        raise ApiError(400, f"Give {name} at most {most} times.")
    return values


def _comparisons(args, name: str) -> list[Comparison]:
    comparisons = []
    for text in _repeated(args, name, MAX_COMPARISONS):
        match = _COMPARISON.match(text)
        if not match:
            raise ApiError(400, f"{name} must look like gte_1514764800, gt_, lte_, lt_ or gte_now.")
        operator, value = match.groups()
        moment = utcnow() if value == "now" else _timestamp(name, value)
        comparisons.append(Comparison(operator, moment))
    return comparisons


def _boolean(name: str, text: str | None) -> bool:
    if text in (None, "false"):
        return False
    if text == "true":
        return True
    raise ApiError(400, f"{name} must be true or false.")


def paging(args, *, nearest: bool = False) -> Paging:
    """The page and per_page parameters (per_page 25 by default, at most 200); for events
    nearest a zip code, pages within the nearest NEAREST_REACH events."""
    page_text, per_page_text = _single(args, "page"), _single(args, "per_page")
    page = 1 if page_text is None else _integer("page", page_text, 1, MAX_PAGE)
    per_page = (
        DEFAULT_PER_PAGE
        if per_page_text is None
        else _integer("per_page", per_page_text, 1, MAX_PER_PAGE)
    )
    paged = Paging(page=page, per_page=per_page)
    if nearest and paged.offset >= NEAREST_REACH:
        raise ApiError(
            400,
            f"With zipcode, pages reach the nearest {NEAREST_REACH} events. Narrow the "
            "search with max_dist, timeslot_start or organization_id.",
        )
    return paged


def updated_since(args) -> datetime | None:
    text = _single(args, "updated_since")
    return None if text is None else _timestamp("updated_since", text)


def event_filters(args, *, organization_id: int | None = None) -> EventFilters:
    """The filters of an event listing; organization_id comes from the path when given."""
    filters = EventFilters()
    zipcode = _single(args, "zipcode")
    if zipcode is not None:
        try:
            filters.place = lookup_zip(zipcode)
        except ZipCodeError as error:
            raise ApiError(400, f"zipcode: {error}") from error
    max_dist = _single(args, "max_dist")
    if max_dist is not None:
        try:
            filters.max_dist_miles = float(max_dist) if max_dist == max_dist.strip() else -1.0
        except ValueError:
            filters.max_dist_miles = -1.0
        if not 0 < filters.max_dist_miles <= MAX_DISTANCE_MILES:
            raise ApiError(400, "max_dist must be a number of miles above 0, at most 25000.")
    filters.timeslot_start = _comparisons(args, "timeslot_start")
    filters.timeslot_end = _comparisons(args, "timeslot_end")
    filters.updated_since = updated_since(args)
    if organization_id is not None:
        filters.organization_ids = [organization_id]
    else:
        filters.organization_ids = [
            _integer("organization_id", text, 0, MAX_ID)
            for text in _repeated(args, "organization_id", MAX_ORGANIZATIONS)
        ]
    _read_kinds_and_flags(args, filters)
    visibility = _single(args, "visibility")
    if visibility not in (None, "PUBLIC", "PRIVATE"):
        raise ApiError(400, "visibility must be PUBLIC or PRIVATE.")
    # Every event here is public: asking for private ones finds none.
    filters.private_only = visibility == "PRIVATE"
    return filters


def _read_kinds_and_flags(args, filters: EventFilters) -> None:
    """event_types, exclude_full and is_virtual into filters."""
    for text in _repeated(args, "event_types", len(EVENT_TYPES)):
        if text not in EVENT_TYPES:
            raise ApiError(400, "event_types must be one of: " + ", ".join(EVENT_TYPES) + ".")
        filters.event_types.append(text)
    filters.exclude_full = _boolean("exclude_full", _single(args, "exclude_full"))
    is_virtual = _single(args, "is_virtual")
    if is_virtual is not None:
        filters.is_virtual = _boolean("is_virtual", is_virtual)


# The query parameters each listing understands; next/previous links carry all of them.
EVENT_PARAMETERS = (
    "zipcode",
    "max_dist",
    "timeslot_start",
    "timeslot_end",
    "updated_since",
    "organization_id",
    "event_types",
    "exclude_full",
    "is_virtual",
    "visibility",
    "per_page",
)
