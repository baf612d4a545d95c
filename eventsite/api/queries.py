"""The rows behind each API listing: functions of their filters, no request in sight."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import AttendanceMode, Campaign, Event, EventStatus, Rsvp, Timeslot, utcnow
from ..nearby import count_events_near, nearest_events
from ..nearby_narrowing import ONLINE_MODES
from .params import EventFilters, Paging
from .serializers import SITE_ORGANIZATION_ID, kinds_for_event_types

_OPERATORS = {
    "gte": lambda column, moment: column >= moment,
    "gt": lambda column, moment: column > moment,
    "lte": lambda column, moment: column <= moment,
    "lt": lambda column, moment: column < moment,
}


@dataclass
class Listing:
    rows: list
    count: int


def _organization_condition(organization_ids: list[int]):
    campaign_ids = [i for i in organization_ids if i != SITE_ORGANIZATION_ID]
    conditions = [Event.campaign_id.in_(campaign_ids)] if campaign_ids else []
    if SITE_ORGANIZATION_ID in organization_ids:
        conditions.append(Event.campaign_id.is_(None))
    return or_(*conditions)


def _event_conditions(filters: EventFilters) -> list:
    """The filters as SQL conditions on events (the zip code's distance aside)."""
    conditions = []
    for comparison in filters.timeslot_start:
        conditions.append(_OPERATORS[comparison.operator](Event.starts_at, comparison.moment))
    for comparison in filters.timeslot_end:
        conditions.append(_OPERATORS[comparison.operator](Event.ends_at, comparison.moment))
    if filters.updated_since is not None:
        conditions.append(Event.updated_at >= filters.updated_since)
    if filters.organization_ids:
        conditions.append(_organization_condition(filters.organization_ids))
    if filters.event_types:
        conditions.append(Event.kind.in_(kinds_for_event_types(filters.event_types)))
    if filters.exclude_full:
        conditions.append(has_spots_left(utcnow()))
    if filters.private_only:
        conditions.append(false())
    if filters.is_virtual is True:
        conditions.append(Event.attendance_mode.in_(ONLINE_MODES))
    elif filters.is_virtual is False:
        conditions.append(Event.attendance_mode == AttendanceMode.IN_PERSON)
    return conditions


def has_spots_left(now: datetime):
    """An event with a shift still to come that has spots left (or no limit)."""
    return (
        select(Timeslot.id)
        .where(
            Timeslot.event_id == Event.id,
            Timeslot.cancelled_at.is_(None),
            Timeslot.ends_at > now,
            or_(Timeslot.capacity.is_(None), Timeslot.seats_taken < Timeslot.capacity),
        )
        .exists()
    )


def _with_campaign(query):
    return query.options(selectinload(Event.campaign), selectinload(Event.timeslots))


def list_events(filters: EventFilters, paging: Paging) -> Listing:
    """Published events matching the filters: nearest first around a zip code (upcoming
    ones only, as the site's search), else every published event, soonest first. Online
    events are near everyone: is_virtual=true with a zip code lists the upcoming ones
    soonest first."""
    conditions = _event_conditions(filters)
    if filters.place is not None and filters.is_virtual is True:
        where = [Event.status == EventStatus.PUBLISHED, Event.ends_at > utcnow(), *conditions]
        return _page_of_events(where, (Event.starts_at, Event.id), paging)
    if filters.place is not None:
        place = filters.place
        found = nearest_events(
            place.latitude,
            place.longitude,
            radius_miles=filters.max_dist_miles,
            limit=paging.per_page,
            offset=paging.offset,
            extra_conditions=conditions,
        )
        count = count_events_near(
            place.latitude,
            place.longitude,
            radius_miles=filters.max_dist_miles,
            extra_conditions=conditions,
        )
        return Listing(rows=[nearby.event for nearby in found], count=count)
    where = [Event.status == EventStatus.PUBLISHED, *conditions]
    return _page_of_events(where, (Event.starts_at, Event.id), paging)


def _page_of_events(where: list, order_by: tuple, paging: Paging) -> Listing:
    count = db.session.scalar(select(func.count()).select_from(Event).where(*where))
    rows = db.session.scalars(
        _with_campaign(select(Event))
        .where(*where)
        .order_by(*order_by)
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    return Listing(rows=list(rows), count=count)


def published_event(event_id: int) -> Event | None:
    return db.session.scalar(
        _with_campaign(select(Event)).where(
            Event.id == event_id, Event.status == EventStatus.PUBLISHED
        )
    )


def list_deleted_events(
    organization_ids: list[int], updated_since: datetime | None, paging: Paging
) -> Listing:
    """Events that were public and are now cancelled, most recently cancelled last."""
    where = [Event.status == EventStatus.CANCELLED]
    if organization_ids:
        where.append(_organization_condition(organization_ids))
    if updated_since is not None:
        where.append(Event.updated_at >= updated_since)
    return _page_of_events(where, (Event.updated_at, Event.id), paging)


def campaign_by_id(campaign_id: int) -> Campaign | None:
    return db.session.get(Campaign, campaign_id)


def list_campaigns(updated_since: datetime | None, paging: Paging) -> Listing:
    """Campaigns as organizations; the site's own organization 0 comes first (row None)."""
    where = [Campaign.updated_at >= updated_since] if updated_since is not None else []
    # Organization 0 never changes, so an updated_since filter leaves it out.
    site_rows = [None] if updated_since is None else []
    count = db.session.scalar(select(func.count()).select_from(Campaign).where(*where))
    offset, limit = paging.offset - len(site_rows), paging.per_page
    rows = []
    if offset < 0:
        rows, limit, offset = list(site_rows), limit - len(site_rows), 0
    rows += db.session.scalars(
        select(Campaign).where(*where).order_by(Campaign.id).limit(limit).offset(offset)
    ).all()
    return Listing(rows=rows, count=count + len(site_rows))


def list_attendances(campaign_id: int, updated_since: datetime | None, paging: Paging) -> Listing:
    """RSVPs to a campaign's events, oldest first; forgotten people are left out (their
    events' counts keep them)."""
    where = [Event.campaign_id == campaign_id, Rsvp.erased_at.is_(None)]
    if updated_since is not None:
        where.append(Rsvp.updated_at >= updated_since)
    base = select(Rsvp).join(Rsvp.event).where(*where)
    count = db.session.scalar(select(func.count()).select_from(base.subquery()))
    rows = db.session.scalars(
        base.options(
            selectinload(Rsvp.event).selectinload(Event.campaign),
            selectinload(Rsvp.event).selectinload(Event.timeslots),
        )
        .order_by(Rsvp.created_at, Rsvp.id)
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    return Listing(rows=list(rows), count=count)
