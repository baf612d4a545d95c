from sqlalchemy import select

from ..extensions import db
from ..models import Event, EventStatus

# Cancelled events stay reachable so people holding a link learn of the cancellation.
VISIBLE_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def visible_event(event_id: int) -> Event | None:
    """An event the public may see, or None."""
    return db.session.scalar(
        select(Event).where(Event.id == event_id, Event.status.in_(VISIBLE_STATUSES))
    )
