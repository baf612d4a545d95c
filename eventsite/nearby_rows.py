"""What a nearest-event search reads per row, and the result every consumer gets from it."""

import math
from dataclasses import dataclass, fields
from datetime import datetime
from enum import Enum

from sqlalchemy.engine import Row

from .geo import EARTH_RADIUS_MILES
from .models import AttendanceMode, Event, EventKind, EventStatus


@dataclass(slots=True)
class ListedEvent:
    """The columns a results list shows, read without loading a full Event."""

    id: int
    title: str
    kind: EventKind
    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue: str
    street_address: str
    city: str
    state: str
    zip_code: str
    latitude: float
    longitude: float
    status: EventStatus
    campaign_id: int | None
    updated_at: datetime  # any change to the event moves it
    attendance_mode: AttendanceMode
    # Its shifts, summed up by timeslot_summaries.with_shift_summaries (no table columns).
    next_starts_at: datetime | None = None
    next_ends_at: datetime | None = None
    more_times: int = 0
    seats_taken: int = 0
    is_full: bool = False

    is_virtual = Event.is_virtual
    is_in_person = Event.is_in_person
    full_address = Event.full_address


@dataclass(slots=True)
class NearbyEvent:
    """One search result, the row type every consumer gets: an event and how far it is."""

    event: Event | ListedEvent
    distance_miles: float | None  # None for an online event, found by date not distance


# Table columns, not ORM attributes: they build and run with less Python.
_SUMMARY_NAMES = ("next_starts_at", "next_ends_at", "more_times", "seats_taken", "is_full")
_LISTED_NAMES = [field.name for field in fields(ListedEvent) if field.name not in _SUMMARY_NAMES]
_LISTED_COLUMNS = tuple(Event.__table__.c[name] for name in _LISTED_NAMES)
_LISTED_STARTS_AT, _LISTED_ID = _LISTED_NAMES.index("starts_at"), _LISTED_NAMES.index("id")


class EventColumns(Enum):
    """What a row reads: a results page's columns, or the whole Event (feeds, the API).

    A row holds these, then the haversine term, then a count or a chord when asked for.
    """

    LISTED = "listed"
    WHOLE_EVENT = "whole_event"

    def select_list(self) -> list:
        return [Event] if self is EventColumns.WHOLE_EVENT else list(_LISTED_COLUMNS)

    def event_of(self, row: Row) -> Event | ListedEvent:
        """The event a row starts with."""
        if self is EventColumns.WHOLE_EVENT:
            return row[0]
        return ListedEvent(*row[: len(_LISTED_COLUMNS)])

    def nearby_event(self, row: Row) -> NearbyEvent:
        """The row as a result: its event, and its distance from the haversine term."""
        if self is EventColumns.WHOLE_EVENT:
            return NearbyEvent(row[0], miles_from_term(row[1]))
        width = len(_LISTED_COLUMNS)
        return NearbyEvent(ListedEvent(*row[:width]), miles_from_term(row[width]))

    def exact_order(self, row: Row) -> tuple:
        """The page order every search uses: distance (the haversine term), start, id."""
        if self is EventColumns.WHOLE_EVENT:
            return row[1], row[0].starts_at, row[0].id
        return row[len(_LISTED_COLUMNS)], row[_LISTED_STARTS_AT], row[_LISTED_ID]


def miles_from_term(term: float) -> float:
    """The distance a haversine term stands for (term_for_radius the other way)."""
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(max(term, 0.0))))
