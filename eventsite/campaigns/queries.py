from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import Event, EventStatus, utcnow


@dataclass
class CampaignTotals:
    events: int
    people_going: int


def _upcoming_in(campaign_id: int):
    return (
        Event.campaign_id == campaign_id,
        Event.status == EventStatus.PUBLISHED,
        Event.ends_at > utcnow(),
    )


def campaign_totals(campaign_id: int) -> CampaignTotals:
    """How many upcoming events the campaign lists, and how many people are going."""
    events, people = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Event.seats_taken), 0)).where(
            *_upcoming_in(campaign_id)
        )
    ).one()
    return CampaignTotals(events=events, people_going=people)


def soonest_campaign_events(campaign_id: int, limit: int, offset: int = 0) -> list[Event]:
    """Upcoming events of a campaign, soonest first, for its page before a zip is given."""
    return list(
        db.session.scalars(
            select(Event)
            .where(*_upcoming_in(campaign_id))
            .order_by(Event.starts_at, Event.id)
            .limit(limit)
            .offset(offset)
        )
    )
