"""Reading what organizers moderate and export."""

import hashlib
import json
from collections.abc import Iterator

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload, with_expression

from ..event_details import REVIEWED_FIELDS, proposed_values
from ..extensions import db
from ..models import Campaign, Event, EventStatus, Organizer, Rsvp
from ..paging import Paged, paged
from ..texts import stopped_texts


def organizer_by_email(email: str) -> Organizer | None:
    return db.session.scalar(select(Organizer).where(Organizer.email == email.strip().lower()))


def _in_scope(organizer: Organizer):
    campaign_ids = [campaign.id for campaign in organizer.campaigns]
    return or_(Event.campaign_id.is_(None), Event.campaign_id.in_(campaign_ids))


# Items on one page of a review queue: each carries its description and forms.
REVIEW_PAGE_SIZE = 5
# Events on one page of an organizer's campaign list: a few phone screens.
CAMPAIGN_EVENTS_PAGE_SIZE = 20


def moderation_queue(organizer: Organizer, page: int) -> Paged:
    """Pending events this organizer may approve, oldest first, a page at a time."""
    return paged(
        select(Event)
        .where(Event.status == EventStatus.PENDING, _in_scope(organizer))
        .order_by(Event.created_at, Event.id),
        page,
        REVIEW_PAGE_SIZE,
    )


def changes_queue(organizer: Organizer, page: int) -> Paged:
    """Listed events whose host's changes this organizer may approve, oldest first, a page
    at a time: the organizers of the campaign an event would be listed in decide."""
    waiting = db.session.scalars(
        select(Event)
        .where(Event.changes_proposed_at.is_not(None), Event.status == EventStatus.PUBLISHED)
        .order_by(Event.changes_proposed_at, Event.id)
    )
    # Which campaign decides sits in each event's proposed changes, so the scope is
    # checked here; waiting changes are few (each is a host's edit awaiting review).
    mine = [event for event in waiting if organizer.runs(reviewing_campaign_id(event))]
    page = max(1, min(page, -(-len(mine) // REVIEW_PAGE_SIZE) or 1))
    start = (page - 1) * REVIEW_PAGE_SIZE
    shown = mine[start : start + REVIEW_PAGE_SIZE]
    return Paged(shown, page, len(mine) > start + REVIEW_PAGE_SIZE, len(mine))


def organizer_campaign(organizer: Organizer, slug: str) -> Campaign | None:
    return next((c for c in organizer.campaigns if c.slug == slug), None)


def campaign_events(campaign_id: int) -> list[Event]:
    return list(
        db.session.scalars(
            select(Event)
            .where(Event.campaign_id == campaign_id)
            .order_by(Event.starts_at, Event.id)
            .options(selectinload(Event.timeslots))
        )
    )


def campaign_events_page(campaign_id: int, search: str, page: int) -> Paged:
    """One page of a campaign's events by start, only those whose title or city contains
    the search, or whose zip code starts with it, if there is one."""
    statement = (
        select(Event)
        .where(Event.campaign_id == campaign_id)
        .options(selectinload(Event.timeslots))  # one query for the page's seat counts
    )
    if search:
        statement = statement.where(
            or_(
                Event.title.icontains(search, autoescape=True),
                Event.city.icontains(search, autoescape=True),
                Event.zip_code.startswith(search, autoescape=True),
            )
        )
    return paged(statement.order_by(Event.starts_at, Event.id), page, CAMPAIGN_EVENTS_PAGE_SIZE)


# RSVPs read from the database at a time while a download streams.
RSVPS_PER_READ = 1000


def campaign_rsvps(campaign_id: int) -> Iterator[Rsvp]:
    """The campaign's RSVPs (not forgotten), by event, read a thousand at a time: a
    million-row download never holds them all. Read when first iterated, so a streamed
    response reads them in its own session, after the view has returned."""
    yield from db.session.scalars(
        select(Rsvp)
        .join(Event)
        .where(Event.campaign_id == campaign_id, Rsvp.erased_at.is_(None))
        .order_by(Rsvp.event_id, Rsvp.id)
        .options(selectinload(Rsvp.timeslot), with_expression(Rsvp.texts_stopped, stopped_texts()))
        .execution_options(yield_per=RSVPS_PER_READ)
    )


def reviewing_campaign_id(event: Event) -> int | None:
    """The campaign whose organizers decide on an event's waiting changes: the one it
    would be listed in (None: no campaign, so any organizer)."""
    return proposed_values(event).get("campaign_id", event.campaign_id)


def review_version(event: Event) -> str:
    """A fingerprint of what an organizer reviews: a pending event's public details, or a
    listed event's waiting changes; approving checks the host has not changed it since."""
    if event.status == EventStatus.PENDING:
        reviewed = {name: getattr(event, name) for name in REVIEWED_FIELDS}
        reviewed.update(starts_at=event.starts_at, ends_at=event.ends_at)
    else:
        reviewed = event.proposed_changes or {}
    text = json.dumps(reviewed, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def event_in_scope(organizer: Organizer, event_id: int) -> Event | None:
    """The event, if this organizer may manage it."""
    event = db.session.get(Event, event_id)
    return event if event is not None and organizer.can_manage(event) else None


def changes_in_scope(organizer: Organizer, event_id: int) -> Event | None:
    """A listed event with changes waiting that this organizer decides on."""
    event = db.session.get(Event, event_id)
    if (
        event is None
        or event.status != EventStatus.PUBLISHED
        or event.changes_proposed_at is None
        or not organizer.runs(reviewing_campaign_id(event))
    ):
        return None
    return event
