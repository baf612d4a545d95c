"""RSVPs and seats: taking, changing and giving back seats at an event's timeslots (its
shifts) without overbooking. Seats, waitlists and promotion are each timeslot's own; a
person RSVPing to several shifts at once gets an RSVP at each.

Seats are taken with one conditional UPDATE (pretix's rule: lock what you make less
available, late and once), which is atomic on SQLite and PostgreSQL alike; the
CHECK constraint on timeslots backs it up. RSVP rows carry a version column, so two
requests changing the same RSVP cannot both win: the loser rolls back and takes its seats
again (transactions.retrying_race, the first writes of its transaction), and only then
writes its emails, once.

An RSVP changes only through its private link. Whoever RSVPs again with an email or a
mobile number already on the event's list changes nothing and gets no link: the email on
file is emailed one (or, for an RSVP by phone alone, the number on file is texted one).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select

from . import emails, webhooks
from .attribution import Attribution
from .extensions import db
from .forgetting import erase_rsvps, purge_messages_to
from .models import (
    Event,
    Rsvp,
    RsvpLink,
    RsvpStatus,
    Timeslot,
    WebhookTopic,
    hash_token,
    new_referral_code,
    new_token,
    no_email_of_phone,
    utcnow,
)
from .seats import release_seats, spots_message, take_seats
from .texts import give_consent
from .transactions import OperationRefused, retrying_race, unit_of_work

# Repeat RSVPs email the address on file a further link at most this often, so nobody
# can flood a person's inbox by RSVPing again and again with their email.
LINK_RESEND_INTERVAL = timedelta(minutes=10)


class RsvpError(OperationRefused):
    """An RSVP that cannot be taken."""


class EventClosedError(RsvpError):
    """The event takes no RSVPs now; no field of the form could change that."""


class NotEnoughSeatsError(RsvpError):
    """Too few free seats for the party: fewer guests might fit."""

    def __init__(self, message: str):
        super().__init__(message, field="guests")


@dataclass
class RsvpDetails:
    name: str
    email: str
    phone: str
    zip_code: str
    guests: int
    # "Text me about this event" ticked (texts.CONSENT_WORDINGS).
    sms_consent: bool = False
    # Where a new RSVP came from; a change keeps what the RSVP arrived with.
    attribution: Attribution = field(default_factory=Attribution)


@dataclass
class RsvpOutcome:
    # No private token here: links go to the RSVP's email only, never back to the caller.
    rsvp: Rsvp  # the first of rsvps
    is_new: bool
    promoted: list[Rsvp]
    rsvps: list[Rsvp] = field(default_factory=list)  # one per timeslot chosen


def _add_link(rsvp: Rsvp) -> str:
    """A further private link to rsvp, for an email to its address; earlier ones keep working."""
    token = new_token()
    db.session.add(RsvpLink(rsvp_id=rsvp.id, token_hash=hash_token(token)))
    return token


def _link_sent_lately(rsvp_id: int) -> bool:
    since = utcnow() - LINK_RESEND_INTERVAL
    return (
        db.session.scalar(
            select(RsvpLink.id)
            .where(RsvpLink.rsvp_id == rsvp_id, RsvpLink.created_at > since)
            .limit(1)
        )
        is not None
    )


def _promote_waitlist(timeslot_id: int) -> list[Rsvp]:
    """Give a timeslot's freed seats to its waitlisted RSVPs in the order they came,
    skipping parties too big; returns who moved up, for _email_promotions."""
    promoted = []
    waiting = db.session.scalars(
        select(Rsvp)
        .where(Rsvp.timeslot_id == timeslot_id, Rsvp.status == RsvpStatus.WAITLISTED)
        .order_by(Rsvp.created_at, Rsvp.id)
    ).all()
    for rsvp in waiting:
        if take_seats(timeslot_id, rsvp.seats):
            rsvp.status = RsvpStatus.GOING
            promoted.append(rsvp)
    db.session.flush()
    return promoted


def _email_promotions(promoted: list[Rsvp]) -> None:
    """Email each person moved up, in the same transaction as their seat, with a further
    private link (only hashes are stored, so the one they have can't be resent; it keeps
    working)."""
    for rsvp in promoted:
        emails.email_waitlist_promotion(rsvp, _add_link(rsvp))
        webhooks.queue_rsvp_delivery(WebhookTopic.RSVP_CHANGED, rsvp)


def _new_rsvp(event_id: int, timeslot_id: int, details: RsvpDetails) -> tuple[Rsvp, str]:
    """A new RSVP with its private token: going if its seats are free, else waitlisted."""
    token = new_token()
    going = take_seats(timeslot_id, 1 + details.guests)
    rsvp = Rsvp(
        event_id=event_id,
        timeslot_id=timeslot_id,
        email=details.email,
        name=details.name,
        phone=details.phone,
        zip_code=details.zip_code,
        guests=details.guests,
        status=RsvpStatus.GOING if going else RsvpStatus.WAITLISTED,
        token_hash=hash_token(token),
        **vars(details.attribution),
    )
    give_consent(rsvp, details.sms_consent)
    db.session.add(rsvp)
    db.session.flush()
    return rsvp, token


def _existing_or_new(
    event_id: int, timeslot_id: int, details: RsvpDetails
) -> tuple[Rsvp, str | None]:
    """The timeslot's RSVP from this email or this mobile number (and no token), else a new
    one with its token."""
    same_person = [Rsvp.email == details.email]
    if details.phone:
        same_person.append(Rsvp.phone == details.phone)
    existing = db.session.scalar(
        select(Rsvp)
        .where(Rsvp.timeslot_id == timeslot_id, or_(*same_person))
        .order_by(Rsvp.id)
        .limit(1)
    )
    if existing is not None:
        return existing, None
    return _new_rsvp(event_id, timeslot_id, details)


def _change(rsvp_id: int, details: RsvpDetails) -> RsvpOutcome:
    rsvp = db.session.get(Rsvp, rsvp_id)
    seats = 1 + details.guests
    if rsvp.status == RsvpStatus.GOING:
        change = seats - rsvp.seats
        if change > 0 and not take_seats(rsvp.timeslot_id, change):
            raise NotEnoughSeatsError(spots_message(rsvp.timeslot_id, rsvp.seats))
        if change < 0:
            release_seats(rsvp.timeslot_id, -change)
    else:
        going = take_seats(rsvp.timeslot_id, seats)
        rsvp.status = RsvpStatus.GOING if going else RsvpStatus.WAITLISTED
    rsvp.name = details.name
    rsvp.phone = details.phone
    give_consent(rsvp, details.sms_consent)
    rsvp.zip_code = details.zip_code
    rsvp.guests = details.guests
    db.session.flush()
    promoted = _promote_waitlist(rsvp.timeslot_id) if rsvp.status == RsvpStatus.GOING else []
    return RsvpOutcome(rsvp=rsvp, is_new=False, promoted=promoted)


def _check_open(event: Event, timeslot: Timeslot | None = None) -> None:
    if not event.accepts_rsvps or (timeslot is not None and not timeslot.is_open):
        raise EventClosedError(_("This event is no longer taking RSVPs."))


def chosen_timeslots(event: Event, timeslot_ids) -> list[int]:
    """The open timeslots a person chose, in id order (so two RSVPs lock their rows in one
    order); none chosen means the only open one, when there is only one."""
    open_ids = {slot.id for slot in event.open_timeslots}
    if not timeslot_ids:
        if len(open_ids) == 1:
            return list(open_ids)
        raise RsvpError(_("Choose at least one time."), field="timeslots")
    if not set(timeslot_ids) <= open_ids:
        raise RsvpError(
            _("A time you chose is no longer taking RSVPs: choose again."), field="timeslots"
        )
    return sorted(set(timeslot_ids))


def _send_answer(rsvp: Rsvp, token: str | None) -> None:
    """A new RSVP's confirmation and webhook; for one already there, a further link to its
    email (or number), at most once per LINK_RESEND_INTERVAL."""
    if rsvp.referral_code is None:  # RSVPed before invite links existed
        rsvp.referral_code = new_referral_code()
    if token is not None:
        emails.email_rsvp_confirmation(rsvp, token)
        webhooks.queue_rsvp_delivery(WebhookTopic.RSVP_CREATED, rsvp)
    # A walk-in gets no link: it holds no seat, so cancelling it could free one twice.
    elif not rsvp.walk_in and not _link_sent_lately(rsvp.id):
        emails.email_rsvp_link(rsvp, _add_link(rsvp))


def rsvp_to_event(event: Event, details: RsvpDetails, timeslot_ids=()) -> RsvpOutcome:
    """RSVP to an event's chosen timeslots, waitlisted at each that is full; the private
    links go by email only (by text to an RSVP by phone alone, whose person agreed to
    texts).

    An email or number that already has an RSVP to a timeslot (going, waitlisted or
    cancelled) changes nothing there: the RSVP's email (or number) is sent a further link
    instead (at most once per LINK_RESEND_INTERVAL), so whoever typed it gains no control
    and learns nothing.
    """
    _check_open(event)
    slots = chosen_timeslots(event, timeslot_ids)
    details.email = details.email.strip().lower() or no_email_of_phone(details.phone)
    event_id = event.id
    with unit_of_work():
        # Two requests from one email: the loser's insert fails and it finds the winner's.
        answers = retrying_race(
            lambda: [_existing_or_new(event_id, slot, details) for slot in slots]
        )
        for rsvp, token in answers:
            _send_answer(rsvp, token)
    rsvps = [rsvp for rsvp, _token in answers]
    is_new = any(token is not None for _rsvp, token in answers)
    return RsvpOutcome(rsvp=rsvps[0], is_new=is_new, promoted=[], rsvps=rsvps)


def change_rsvp(rsvp: Rsvp, details: RsvpDetails) -> RsvpOutcome:
    """Change an RSVP from its private link; the link stays the same."""
    _check_open(rsvp.event, rsvp.timeslot)
    rsvp_id = rsvp.id
    with unit_of_work():
        outcome = retrying_race(lambda: _change(rsvp_id, details))
        emails.email_rsvp_changed(outcome.rsvp, _add_link(outcome.rsvp))
        webhooks.queue_rsvp_delivery(WebhookTopic.RSVP_CHANGED, outcome.rsvp)
        _email_promotions(outcome.promoted)
    return outcome


def cancel_rsvp(rsvp: Rsvp) -> list[Rsvp]:
    """Cancel an RSVP, free its seats and promote from the waitlist; returns who moved up."""
    rsvp_id = rsvp.id
    with unit_of_work():
        cancelled, promoted = retrying_race(lambda: _cancel(rsvp_id))
        if cancelled is not None:
            emails.email_rsvp_cancelled(cancelled)
            webhooks.queue_rsvp_delivery(WebhookTopic.RSVP_CANCELLED, cancelled)
        _email_promotions(promoted)
    return promoted


def forget_rsvp(rsvp: Rsvp) -> list[Rsvp]:
    """Delete my information: cancel the RSVP (its seats go to the waitlist) and erase the
    person's details, private links and emails at once; returns who moved up. No email
    confirms it: the page does, and an email would keep the address."""
    rsvp_id = rsvp.id
    with unit_of_work():
        cancelled, promoted = retrying_race(lambda: _cancel(rsvp_id))
        if cancelled is not None:  # written when sent: the person's details are gone by then
            webhooks.queue_rsvp_delivery(WebhookTopic.RSVP_CANCELLED, cancelled)
        erased = erase_rsvps(Rsvp.id == rsvp_id, utcnow())
        purge_messages_to(erased.addresses)
        _email_promotions(promoted)
    return promoted


def _cancel(rsvp_id: int) -> tuple[Rsvp | None, list[Rsvp]]:
    """Cancel the RSVP and give its seats on; returns it (None if it was already
    cancelled) and who moved up from the waitlist."""
    current = db.session.get(Rsvp, rsvp_id)
    if current.status == RsvpStatus.CANCELLED:
        return None, []
    was_going = current.status == RsvpStatus.GOING
    current.status = RsvpStatus.CANCELLED
    db.session.flush()
    if not was_going:
        return current, []
    release_seats(current.timeslot_id, current.seats)
    return current, _promote_waitlist(current.timeslot_id)


def find_rsvp_by_token(token: str) -> Rsvp | None:
    """The RSVP behind a private link (its first, or a further one), by the token's hash."""
    if not token or len(token) > 100:
        return None
    digest = hash_token(token)
    found = db.session.scalar(select(Rsvp).where(Rsvp.token_hash == digest))
    if found is None:
        found = db.session.scalar(
            select(Rsvp)
            .join(RsvpLink, RsvpLink.rsvp_id == Rsvp.id)
            .where(RsvpLink.token_hash == digest)
        )
    return found


def fill_freed_seats(timeslot_id: int) -> list[Rsvp]:
    """Move a timeslot's waitlisted RSVPs up into seats that opened (say, a larger
    capacity) and email them, inside the caller's unit of work."""
    promoted = _promote_waitlist(timeslot_id)
    _email_promotions(promoted)
    return promoted
