"""Asking the geocoder again about events left at their zip code's centre
(`flask geocode-pending`, run from cron)."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from .event_details import move_to_timezone
from .extensions import db
from .geo import EventPlacement, place_address
from .models import Event, EventStatus, GeocodeStatus
from .transactions import unit_of_work


@dataclass
class GeocodeRetryReport:
    placed: int = 0
    flagged: int = 0
    still_pending: int = 0
    gave_up: int = 0


def geocode_pending_events(
    max_attempts: int, progress: Callable[[int, int], None] | None = None
) -> GeocodeRetryReport:
    """Ask the geocoder again about events left at their zip centroid; one unit of work each,
    so an interrupted run keeps what it found.

    progress(done, total) is told after each event (the geocoder takes a second per address).
    """
    report = GeocodeRetryReport()
    event_ids = db.session.scalars(
        select(Event.id)
        .where(
            Event.geocode_status == GeocodeStatus.ZIP_PENDING,
            Event.geocode_attempts < max_attempts,
            Event.status.in_((EventStatus.PUBLISHED, EventStatus.PENDING)),
        )
        .order_by(Event.id)
    ).all()
    for done, event_id in enumerate(event_ids, 1):
        with unit_of_work():
            _geocode_again(db.session.get(Event, event_id), max_attempts, report)
        if progress:
            progress(done, len(event_ids))
    return report


def _geocode_again(event: Event, max_attempts: int, report: GeocodeRetryReport) -> None:
    placement = place_address(
        event.street_address,
        event.city,
        event.state,
        event.zip_code,
        ask_again_if_no_match=True,
    )
    event.geocode_attempts += 1
    if placement.status == GeocodeStatus.ADDRESS:
        _move_to(event, placement)
        report.placed += 1
    elif placement.status == GeocodeStatus.ZIP_FLAGGED:
        event.geocode_status = GeocodeStatus.ZIP_FLAGGED
        report.flagged += 1
    elif event.geocode_attempts >= max_attempts:
        report.gave_up += 1
    else:
        report.still_pending += 1


def _move_to(event: Event, placement: EventPlacement) -> None:
    """Place an event exactly, keeping the wall-clock times the host typed."""
    event.latitude = placement.latitude
    event.longitude = placement.longitude
    event.geocode_status = GeocodeStatus.ADDRESS
    # The spot may be across a time-zone line.
    move_to_timezone(event, placement.timezone)
