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
    capacity: int | None
    seats_taken: int
    status: EventStatus
    campaign_id: int | None
    updated_at: datetime  # any change to the event (seats too) moves it
    attendance_mode: AttendanceMode

    seats_left = Event.seats_left
    is_virtual = Event.is_virtual
    is_in_person = Event.is_in_person
    is_full = Event.is_full
    full_address = Event.full_address


@dataclass(slots=True)
class NearbyEvent:
    """One search result, the row type every consumer gets: an event and how far it is."""

    event: Event | ListedEvent
    distance_miles: float | None  # None for an online event, found by date not distance


# Table columns, not ORM attributes: they build and run with less Python.
_LISTED_NAMES = [field.name for field in fields(ListedEvent)]
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
