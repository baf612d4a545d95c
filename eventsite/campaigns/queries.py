from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..arrivals import campaign_turnout
from ..extensions import db
from ..models import Event, EventStatus, Timeslot, utcnow


@dataclass
class CampaignTotals:
    events: int
    people_going: int
    # A default, so totals kept in the cache from before this field still read.
    people_arrived: int = 0


def _upcoming_in(campaign_id: int):
    return (
        Event.campaign_id == campaign_id,
        Event.status == EventStatus.PUBLISHED,
        Event.ends_at > utcnow(),
    )


def campaign_totals(campaign_id: int) -> CampaignTotals:
    """How many upcoming events the campaign lists, how many people are going, and how many
    came to its events so far (checked in by their hosts)."""
    events = select(func.count()).where(*_upcoming_in(campaign_id)).scalar_subquery()
    people = (
        select(func.coalesce(func.sum(Timeslot.seats_taken), 0))
        .join(Event, Event.id == Timeslot.event_id)
        .where(*_upcoming_in(campaign_id), Timeslot.cancelled_at.is_(None))
        .scalar_subquery()
    )
    events, people = db.session.execute(select(events, people)).one()
    return CampaignTotals(
        events=events, people_going=people, people_arrived=campaign_turnout(campaign_id)
    )


def soonest_campaign_events(campaign_id: int, limit: int, offset: int = 0) -> list[Event]:
    """Upcoming events of a campaign, soonest first, for its page before a zip is given."""
    return list(
        db.session.scalars(
            select(Event)
            .where(*_upcoming_in(campaign_id))
            .order_by(Event.starts_at, Event.id)
            .limit(limit)
            .offset(offset)
            .options(selectinload(Event.timeslots))
        )
    )
