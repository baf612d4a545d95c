"""A results page as the visitor's filters ask for it: near them (nearby.search_page),
online events only, or both, online events counting as nearest (anyone can join them
from where they are).

"Near me or online" reads two sorted streams, the online events soonest first and the
nearby ones in the page's order, and takes the page from them: sorted by distance the
online events come first; sorted by date the two are merged. Each stream reads at most
up to the page's end, and pages stop at COUNT_CAP, as every search's do.
"""

from dataclasses import dataclass, replace

from .extensions import db
from .models import utcnow
from .nearby import COUNT_CAP, SearchPage, _nearest, _Search, search_page_or_last
from .nearby_narrowing import Narrowing
from .nearby_online import OnlineSearch, count_online_events, online_events
from .nearby_rows import EventColumns, NearbyEvent
from .nearby_statements import SearchFilters
from .shifts import with_shift_summaries

NEAR, ONLINE, NEAR_OR_ONLINE = "near", "online", "near-or-online"


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Where from, how far, which page, and what the visitor filtered by."""

    latitude: float
    longitude: float
    radius_miles: float | None
    page: int
    page_size: int
    campaign_id: int | None = None
    narrowing: Narrowing = Narrowing()
    by_date: bool = False
    mode: str = NEAR


def chosen_page(request: PageRequest) -> SearchPage:
    """The page the request asks for; a page past the last shows the last."""
    if request.mode == NEAR:
        return search_page_or_last(
            request.latitude,
            request.longitude,
            radius_miles=request.radius_miles,
            page=request.page,
            page_size=request.page_size,
            campaign_id=request.campaign_id,
            narrowing=request.narrowing,
            by_date=request.by_date,
        )
    page = min(request.page, -(-COUNT_CAP // request.page_size))
    found, total = _online_or_mixed(request, page)
    pages = max(1, -(-min(total, COUNT_CAP) // request.page_size))
    if page > pages:
        page = pages
        found, total = _online_or_mixed(request, page)
    return SearchPage(
        results=found,
        total=min(total, COUNT_CAP),
        page=page,
        pages=pages,
        searched_radius_miles=request.radius_miles if request.mode == NEAR_OR_ONLINE else None,
        widened=False,
        total_capped=total > COUNT_CAP,
    )


def _online_or_mixed(request: PageRequest, page: int) -> tuple[list[NearbyEvent], int]:
    """The page's events, each with its shifts summed up (next time, more times, seats)."""
    now = utcnow()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        found, total = _read_online_or_mixed(connection, request, page, now)
        with_shift_summaries(connection, [nearby.event for nearby in found], now)
    return found, total


def _read_online_or_mixed(
    connection, request: PageRequest, page: int, now
) -> tuple[list[NearbyEvent], int]:
    limit, offset = request.page_size, (page - 1) * request.page_size
    online = OnlineSearch(now, request.campaign_id, request.narrowing)
    online_total = count_online_events(connection, online, COUNT_CAP)
    if request.mode == ONLINE:
        rows = online_events(connection, online, EventColumns.LISTED, limit, offset)
        return rows, online_total
    # Events held online too are in the online stream: the nearby one has the rest.
    in_person_only = replace(request.narrowing, online=False)
    filters = SearchFilters(
        request.latitude,
        request.longitude,
        now,
        request.campaign_id,
        narrowing=in_person_only,
        by_date=request.by_date,
    )
    near = _Search(filters, EventColumns.LISTED, connection, earth_index=_on_postgresql())
    if request.by_date:
        return _merged_by_date(connection, online, online_total, near, request, offset)
    return _online_first(connection, online, online_total, near, request, limit, offset)


def _on_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def _online_first(connection, online, online_total, near, request, limit, offset):
    """Sorted by distance: the online events (distance none), then the nearest."""
    found = []
    if offset < online_total:
        found = online_events(connection, online, EventColumns.LISTED, limit, offset)
    near_offset = max(0, offset - online_total)
    near_found, near_total = _nearest(near, request.radius_miles, limit, near_offset)
    return (found + near_found)[:limit], online_total + near_total


def _merged_by_date(connection, online, online_total, near, request, offset):
    """Sorted by date: both streams up to the page's end, merged by start."""
    reach = offset + request.page_size
    found = online_events(connection, online, EventColumns.LISTED, reach, 0)
    near_found, near_total = _nearest(near, request.radius_miles, reach, 0)
    merged = sorted(found + near_found, key=lambda row: (row.event.starts_at, row.event.id))
    return merged[offset:reach], online_total + near_total
