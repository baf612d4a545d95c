"""Who came: arrival counts for an event (its host), a campaign's events (organizers'
export) and a campaign's turnout (its public page).

An RSVP counts at the door until it is cancelled, erased or not: deleting the attendee
list keeps the counts. Guests arrive with whoever brought them; walk-ins are going and
arrived, and hold no seat (events/operations.py).
"""

from dataclasses import dataclass

from sqlalchemy import case, func, select

from .extensions import db
from .models import Event, EventStatus, Rsvp, RsvpStatus

# People an RSVP stands for: the person and their guests.
_PEOPLE = 1 + Rsvp.guests


def counted_at_the_door(event_id: int) -> tuple:
    """The event's RSVPs whose arrivals count: every one not cancelled."""
    return (Rsvp.event_id == event_id, Rsvp.status != RsvpStatus.CANCELLED)


def _sum_where(condition, value=_PEOPLE):
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


@dataclass(frozen=True)
class ArrivalCounts:
    going: int  # people going, guests and walk-ins included
    arrived: int  # people checked in
    walk_ins: int


def arrival_counts(event_id: int) -> ArrivalCounts:
    """How many people are going to the event, how many have arrived, how many walked in."""
    going, arrived, walk_ins = db.session.execute(
        select(
            _sum_where(Rsvp.status == RsvpStatus.GOING),
            _sum_where(Rsvp.checked_in_at.is_not(None)),
            _sum_where(Rsvp.walk_in, 1),
        ).where(*counted_at_the_door(event_id))
    ).one()
    return ArrivalCounts(going=going, arrived=arrived, walk_ins=walk_ins)


def _arrived_in_campaign(campaign_id: int):
    return (
        select(Rsvp.event_id, func.sum(_PEOPLE).label("people"))
        .join(Event, Event.id == Rsvp.event_id)
        .where(
            Event.campaign_id == campaign_id,
            Rsvp.status != RsvpStatus.CANCELLED,
            Rsvp.checked_in_at.is_not(None),
        )
        .group_by(Rsvp.event_id)
    )


def people_arrived_by_event(campaign_id: int) -> dict[int, int]:
    """People checked in at each of a campaign's events that had any: {event id: people}."""
    return {
        event_id: people
        for event_id, people in db.session.execute(_arrived_in_campaign(campaign_id))
    }


def campaign_turnout(campaign_id: int) -> int:
    """People checked in at the campaign's listed events so far."""
    arrived = (
        _arrived_in_campaign(campaign_id).where(Event.status == EventStatus.PUBLISHED).subquery()
    )
    return db.session.scalar(select(func.coalesce(func.sum(arrived.c.people), 0)))
