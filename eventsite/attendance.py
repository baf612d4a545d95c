"""RSVPs and seats: taking, changing and giving back seats at events without overbooking.

Seats are taken with one conditional UPDATE (pretix's rule: lock what you make less
available, late and once), which is atomic on SQLite and PostgreSQL alike; the
CHECK constraint on events backs it up. RSVP rows carry a version column, so two
requests changing the same RSVP cannot both win: the loser is retried from the top.
"""

from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from . import emails
from .extensions import db
from .models import Event, Rsvp, RsvpStatus, hash_token, new_token

MAX_ATTEMPTS = 5


class RsvpError(Exception):
    """An RSVP that cannot be taken; the message is fit to show the person."""


class EventClosedError(RsvpError):
    pass


class NotEnoughSeatsError(RsvpError):
    pass


@dataclass
class RsvpDetails:
    name: str
    email: str
    phone: str
    zip_code: str
    guests: int


@dataclass
class RsvpOutcome:
    rsvp: Rsvp
    # The private token, known only here and in the link we give the person.
    token: str | None
    is_new: bool
    promoted: list[Rsvp]


def _take_seats(event_id: int, seats: int) -> bool:
    """Hold seats at an event if they are free; False when it is full."""
    result = db.session.execute(
        update(Event)
        .where(
            Event.id == event_id,
            or_(Event.capacity.is_(None), Event.seats_taken + seats <= Event.capacity),
        )
        .values(seats_taken=Event.seats_taken + seats)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _release_seats(event_id: int, seats: int) -> None:
    db.session.execute(
        update(Event)
        .where(Event.id == event_id)
        .values(seats_taken=Event.seats_taken - seats)
        .execution_options(synchronize_session=False)
    )


def _promote_waitlist(event_id: int) -> list[Rsvp]:
    """Give freed seats to waitlisted RSVPs in the order they came, skipping parties too big.

    Each person moved up is emailed a fresh private link (only hashes are stored, so the
    old one can't be resent), in the same transaction as their seat.
    """
    promoted = []
    waiting = db.session.scalars(
        select(Rsvp)
        .where(Rsvp.event_id == event_id, Rsvp.status == RsvpStatus.WAITLISTED)
        .order_by(Rsvp.created_at, Rsvp.id)
    ).all()
    for rsvp in waiting:
        if _take_seats(event_id, rsvp.seats):
            rsvp.status = RsvpStatus.GOING
            token = new_token()
            rsvp.token_hash = hash_token(token)
            emails.email_waitlist_promotion(rsvp, token)
            promoted.append(rsvp)
    db.session.flush()
    return promoted


def _retrying(operation):
    """Run operation and commit, retrying when a concurrent request won a race."""
    for attempt in range(MAX_ATTEMPTS):
        try:
            outcome = operation()
            db.session.commit()
            return outcome
        except (IntegrityError, StaleDataError):
            db.session.rollback()
            if attempt == MAX_ATTEMPTS - 1:
                raise
        except Exception:
            db.session.rollback()
            raise
    raise AssertionError("unreachable")


def _spots_message(event_id: int, held: int) -> str:
    event = db.session.get(Event, event_id)
    free = (event.seats_left or 0) + held
    return (
        f"Only {free} spot{'s' if free != 1 else ''} left, so your RSVP stays as it was: "
        f"{held} {'person' if held == 1 else 'people'}."
    )


def _apply(event_id: int, details: RsvpDetails, *, rotate_token: bool) -> RsvpOutcome:
    existing = db.session.scalar(
        select(Rsvp).where(Rsvp.event_id == event_id, Rsvp.email == details.email)
    )
    seats = 1 + details.guests
    token = new_token() if rotate_token or existing is None else None
    promoted: list[Rsvp] = []

    if existing is None:
        status = RsvpStatus.GOING if _take_seats(event_id, seats) else RsvpStatus.WAITLISTED
        rsvp = Rsvp(
            event_id=event_id,
            email=details.email,
            status=status,
            token_hash=hash_token(token),
        )
        db.session.add(rsvp)
    else:
        rsvp = existing
        if rsvp.status == RsvpStatus.GOING:
            change = seats - rsvp.seats
            if change > 0 and not _take_seats(event_id, change):
                raise NotEnoughSeatsError(_spots_message(event_id, rsvp.seats))
            if change < 0:
                _release_seats(event_id, -change)
        else:
            rsvp.status = (
                RsvpStatus.GOING if _take_seats(event_id, seats) else RsvpStatus.WAITLISTED
            )
        if token:
            rsvp.token_hash = hash_token(token)

    # A repeat RSVP replaces every detail, so a new link never shows an older phone number.
    rsvp.name = details.name
    rsvp.phone = details.phone
    rsvp.zip_code = details.zip_code
    rsvp.guests = details.guests
    db.session.flush()
    if existing is not None and existing.status == RsvpStatus.GOING:
        promoted = _promote_waitlist(event_id)
    return RsvpOutcome(rsvp=rsvp, token=token, is_new=existing is None, promoted=promoted)


def _check_open(event: Event) -> None:
    if not event.accepts_rsvps:
        raise EventClosedError("This event is no longer taking RSVPs.")


def rsvp_to_event(event: Event, details: RsvpDetails) -> RsvpOutcome:
    """RSVP to an event, or update this email's RSVP; waitlisted when the event is full."""
    _check_open(event)
    details.email = details.email.strip().lower()
    event_id = event.id

    def operation():
        outcome = _apply(event_id, details, rotate_token=True)
        emails.email_rsvp_confirmation(outcome.rsvp, outcome.token)
        return outcome

    return _retrying(operation)


def change_rsvp(rsvp: Rsvp, details: RsvpDetails) -> RsvpOutcome:
    """Change an RSVP from its private link; the link stays the same."""
    _check_open(rsvp.event)
    details.email = rsvp.email
    event_id = rsvp.event_id

    def operation():
        outcome = _apply(event_id, details, rotate_token=False)
        emails.email_rsvp_changed(outcome.rsvp)
        return outcome

    return _retrying(operation)


def cancel_rsvp(rsvp: Rsvp) -> list[Rsvp]:
    """Cancel an RSVP, free its seats and promote from the waitlist; returns who moved up."""
    rsvp_id = rsvp.id

    def operation():
        current = db.session.get(Rsvp, rsvp_id)
        if current.status == RsvpStatus.CANCELLED:
            return []
        was_going = current.status == RsvpStatus.GOING
        current.status = RsvpStatus.CANCELLED
        db.session.flush()
        emails.email_rsvp_cancelled(current)
        if not was_going:
            return []
        _release_seats(current.event_id, current.seats)
        return _promote_waitlist(current.event_id)

    return _retrying(operation)


def find_rsvp_by_token(token: str) -> Rsvp | None:
    """The RSVP behind a private link, looked up by the token's hash."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Rsvp).where(Rsvp.token_hash == hash_token(token)))


def fill_freed_seats(event_id: int) -> list[Rsvp]:
    """Move waitlisted RSVPs up into seats that opened (say, a larger capacity)."""
    return _promote_waitlist(event_id)
