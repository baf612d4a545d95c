"""Reading events for the public pages and for a host's private pages."""

from dataclasses import dataclass

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import joinedload, with_expression

from ..arrivals import counted_at_the_door
from ..extensions import db
from ..models import (
    Campaign,
    CoHost,
    Event,
    EventStatus,
    Rsvp,
    RsvpStatus,
    Timeslot,
    hash_token,
    utcnow,
)
from ..paging import Paged, paged
from ..texts import stopped_texts

# Cancelled events stay reachable so people holding a link learn of the cancellation.
VISIBLE_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def visible_event(event_id: int) -> Event | None:
    """An event the public may see, or None."""
    return db.session.scalar(
        select(Event).where(Event.id == event_id, Event.status.in_(VISIBLE_STATUSES))
    )


_events, _campaigns, _slots = Event.__table__, Campaign.__table__, Timeslot.__table__


def _of_shifts(column):
    """column over the event's shifts not cancelled (an index seek each)."""
    return (
        select(column)
        .where(_slots.c.event_id == _events.c.id, _slots.c.cancelled_at.is_(None))
        .correlate(_events)
        .scalar_subquery()
    )


# What the page shows of the event's shifts: their latest change (a seat taken moves it
# too, as every UPDATE does) and seats, and how many are still to come.
_SHIFTS_SEEN = (
    _of_shifts(func.max(_slots.c.updated_at)),
    _of_shifts(func.sum(_slots.c.seats_taken)),
    _of_shifts(func.count(case((_slots.c.ends_at > bindparam("now"), 1)))),
)
# A Core statement: an event page seen before costs this one small read.
_VERSION = (
    select(
        _events.c.updated_at,
        _events.c.status,
        _events.c.ends_at,
        _campaigns.c.updated_at,
        *_SHIFTS_SEEN,
    )
    .select_from(_events.outerjoin(_campaigns, _campaigns.c.id == _events.c.campaign_id))
    .where(_events.c.status.in_(VISIBLE_STATUSES))
)


def event_page_version(event_id: int) -> tuple | None:
    """What the event page shows changes only when this does (None: no public page).

    updated_at moves with every change to the event; status is there anyway; the
    campaign's name shows on the page; each shift's seat count and changes (a seat count
    changed is a new version); and a shift that ended takes no more RSVPs, though nothing
    wrote to it.
    """
    now = utcnow()
    # Outside a transaction, as searches read: no BEGIN and ROLLBACK round trips.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        row = connection.execute(_VERSION.where(_events.c.id == event_id), {"now": now}).first()
    if row is None:
        return None
    updated_at, status, ends_at, campaign_updated_at, *shifts = row
    return (updated_at, status, ends_at > now, campaign_updated_at, *shifts)


def find_event_by_manage_token(token: str) -> Event | None:
    """The event behind a host's or co-host's private link, looked up by the token's hash
    (a removed co-host's row is gone, and their link with it)."""
    if not token or len(token) > 100:
        return None
    digest = hash_token(token)
    return db.session.scalar(
        select(Event).where(Event.manage_token_hash == digest)
    ) or db.session.scalar(
        select(Event).join(CoHost, CoHost.event_id == Event.id).where(CoHost.token_hash == digest)
    )


def is_the_host(event: Event, token: str) -> bool:
    """The link is the host's own, not a co-host's: only the host adds and removes co-hosts."""
    return event.manage_token_hash is not None and event.manage_token_hash == hash_token(token)


def co_hosts_of(event_id: int) -> list[CoHost]:
    """The event's co-hosts, in the order they were added."""
    return list(
        db.session.scalars(select(CoHost).where(CoHost.event_id == event_id).order_by(CoHost.id))
    )


def attendee_rows(event_id: int) -> list[Rsvp]:
    """Everyone who RSVPed and is not forgotten, going first, then waitlisted, then cancelled."""
    order = {RsvpStatus.GOING: 0, RsvpStatus.WAITLISTED: 1, RsvpStatus.CANCELLED: 2}
    rsvps = db.session.scalars(
        select(Rsvp)
        .where(Rsvp.event_id == event_id, Rsvp.erased_at.is_(None))
        .order_by(Rsvp.id)
        .options(
            joinedload(Rsvp.timeslot, innerjoin=True),
            with_expression(Rsvp.texts_stopped, stopped_texts()),
        )
    )
    return sorted(rsvps, key=lambda rsvp: order[rsvp.status])


# Attendees on one page of the host's list: a few phone screens.
ATTENDEES_PAGE_SIZE = 50


@dataclass(frozen=True)
class RsvpTally:
    """How many RSVPs (not seats) an event's list holds, by status."""

    going: int
    waitlisted: int
    listed: int  # every RSVP still on the list, cancelled ones too


def rsvp_tally(event_id: int) -> RsvpTally:
    going, waitlisted, listed = db.session.execute(
        select(
            func.count().filter(Rsvp.status == RsvpStatus.GOING),
            func.count().filter(Rsvp.status == RsvpStatus.WAITLISTED),
            func.count(),
        ).where(Rsvp.event_id == event_id, Rsvp.erased_at.is_(None))
    ).one()
    return RsvpTally(going, waitlisted, listed)


def attendee_page(event_id: int, page: int) -> Paged:
    """One page of the host's list: going first, then waitlisted, then cancelled."""
    status_order = case(
        (Rsvp.status == RsvpStatus.GOING, 0), (Rsvp.status == RsvpStatus.WAITLISTED, 1), else_=2
    )
    return paged(
        select(Rsvp)
        .where(Rsvp.event_id == event_id, Rsvp.erased_at.is_(None))
        .order_by(status_order, Rsvp.id)
        .options(joinedload(Rsvp.timeslot, innerjoin=True)),
        page,
        ATTENDEES_PAGE_SIZE,
    )


# Rows on one page of the check-in list: small enough for a phone on a slow network.
CHECK_IN_PAGE_SIZE = 40


def on_check_in_list(event_id: int) -> tuple:
    """The RSVPs a host can check in: going or waitlisted, with their details still there."""
    return (*counted_at_the_door(event_id), Rsvp.erased_at.is_(None))


def check_in_page(event_id: int, name_part: str, page: int, page_size: int) -> list[Rsvp]:
    """One page of the check-in list in name order (ix_rsvps_event_id_name), only names
    containing name_part if given; page_size + 1 rows, the last telling a next page exists."""
    query = (
        select(Rsvp)
        .where(*on_check_in_list(event_id))
        .options(joinedload(Rsvp.timeslot, innerjoin=True))
    )
    if name_part:
        query = query.where(Rsvp.name.icontains(name_part, autoescape=True))
    return list(
        db.session.scalars(
            query.order_by(Rsvp.name, Rsvp.id).limit(page_size + 1).offset((page - 1) * page_size)
        )
    )
