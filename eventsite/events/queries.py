"""Reading events for the public pages and for a host's private pages."""

from sqlalchemy import select

from ..extensions import db
from ..models import Event, EventStatus, Rsvp, RsvpStatus, hash_token

# Cancelled events stay reachable so people holding a link learn of the cancellation.
VISIBLE_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def visible_event(event_id: int) -> Event | None:
    """An event the public may see, or None."""
    return db.session.scalar(
        select(Event).where(Event.id == event_id, Event.status.in_(VISIBLE_STATUSES))
    )


def find_event_by_manage_token(token: str) -> Event | None:
    """The event behind a host's private link, looked up by the token's hash."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Event).where(Event.manage_token_hash == hash_token(token)))


def attendee_rows(event_id: int) -> list[Rsvp]:
    """Everyone who RSVPed and is not forgotten, going first, then waitlisted, then cancelled."""
    order = {RsvpStatus.GOING: 0, RsvpStatus.WAITLISTED: 1, RsvpStatus.CANCELLED: 2}
    rsvps = db.session.scalars(
        select(Rsvp).where(Rsvp.event_id == event_id, Rsvp.erased_at.is_(None)).order_by(Rsvp.id)
    )
    return sorted(rsvps, key=lambda rsvp: order[rsvp.status])
