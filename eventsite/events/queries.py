"""Reading events for the public pages and for a host's private pages."""

from dataclasses import dataclass

from sqlalchemy import case, func, select

from ..arrivals import counted_at_the_door
from ..extensions import db
from ..models import Campaign, CoHost, Event, EventStatus, Rsvp, RsvpStatus, hash_token, utcnow
from ..paging import Paged, paged

# Cancelled events stay reachable so people holding a link learn of the cancellation.
VISIBLE_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def visible_event(event_id: int) -> Event | None:
    """An event the public may see, or None."""
    return db.session.scalar(
        select(Event).where(Event.id == event_id, Event.status.in_(VISIBLE_STATUSES))
    )


_events, _campaigns = Event.__table__, Campaign.__table__
# A Core statement: an event page seen before costs this one small read.
_VERSION = (
    select(
        _events.c.updated_at,
        _events.c.seats_taken,
        _events.c.status,
        _events.c.ends_at,
        _campaigns.c.updated_at,
    )
    .select_from(_events.outerjoin(_campaigns, _campaigns.c.id == _events.c.campaign_id))
    .where(_events.c.status.in_(VISIBLE_STATUSES))
)


def event_page_version(event_id: int) -> tuple | None:
    """What the event page shows changes only when this does (None: no public page).

    updated_at moves with every change to the event, its seat count too; seats and status
    are there anyway; the campaign's name shows on the page; and an event that ended
    takes no more RSVPs, though nothing wrote to it.
    """
    # Outside a transaction, as searches read: no BEGIN and ROLLBACK round trips.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        row = connection.execute(_VERSION.where(_events.c.id == event_id)).first()
    if row is None:
        return None
    updated_at, seats_taken, status, ends_at, campaign_updated_at = row
    return (updated_at, seats_taken, status, ends_at > utcnow(), campaign_updated_at)


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
        select(Rsvp).where(Rsvp.event_id == event_id, Rsvp.erased_at.is_(None)).order_by(Rsvp.id)
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
        .order_by(status_order, Rsvp.id),
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
    query = select(Rsvp).where(*on_check_in_list(event_id))
    if name_part:
        query = query.where(Rsvp.name.icontains(name_part, autoescape=True))
    return list(
        db.session.scalars(
            query.order_by(Rsvp.name, Rsvp.id).limit(page_size + 1).offset((page - 1) * page_size)
        )
    )
