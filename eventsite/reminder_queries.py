"""Reading what send-reminders works through, and reminders for their one-tap links and
the host's page."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import contains_eager

from .attendance import ASK_AFTER, ASK_WITHIN
from .extensions import db
from .models import (
    Event,
    EventStatus,
    OutboxMessage,
    Reminder,
    ReminderKind,
    Rsvp,
    RsvpStatus,
    SmsOptOut,
    Timeslot,
    hash_token,
)

# The furthest ahead of its start an event gets a reminder: the day before at 11 AM for an
# event starting just before midnight is 37 hours, and a daylight-saving change adds one.
LOOKAHEAD = timedelta(hours=40)


def events_to_ask(now: datetime) -> list[Event]:
    """Listed events with their attendee list that ended (their last shift did) between
    ASK_WITHIN and ASK_AFTER ago: their "Did you make it?" is due."""
    return list(
        db.session.scalars(
            select(Event)
            .where(
                Event.status == EventStatus.PUBLISHED,
                Event.ends_at <= now - ASK_AFTER,
                Event.ends_at > now - ASK_WITHIN,
                Event.attendees_erased_at.is_(None),
            )
            .order_by(Event.ends_at, Event.id)
        )
    )


def timeslots_to_remind(now: datetime) -> list[Timeslot]:
    """Shifts of listed events with reminders on that start within LOOKAHEAD and have not
    started (ix_timeslots_starts_at), each with its event."""
    return list(
        db.session.scalars(
            select(Timeslot)
            .join(Event, Event.id == Timeslot.event_id)
            .where(
                Timeslot.starts_at > now,
                Timeslot.starts_at <= now + LOOKAHEAD,
                Timeslot.cancelled_at.is_(None),
                Event.status == EventStatus.PUBLISHED,
                Event.reminders_off.is_(False),
            )
            .order_by(Timeslot.starts_at, Timeslot.id)
            .options(contains_eager(Timeslot.event))
        )
    )


@dataclass(frozen=True)
class Recipient:
    rsvp_id: int
    email: str
    phone: str
    language: str | None
    texts_allowed: bool  # a number, consent to texts, and no STOP from it


def _last_language():
    """The language of the newest email to the RSVP: the one the person used with us (no
    one's language is kept otherwise); None once the outbox forgot it: the default."""
    return (
        select(OutboxMessage.language)
        .where(OutboxMessage.rsvp_id == Rsvp.id, OutboxMessage.language.is_not(None))
        .order_by(OutboxMessage.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _texts_allowed():
    stopped = exists(select(SmsOptOut.id).where(SmsOptOut.phone == Rsvp.phone))
    return and_(Rsvp.phone != "", Rsvp.sms_consent_at.is_not(None), ~stopped)


def rsvps_to_remind(
    event_id: int, timeslot_id: int | None, kind: ReminderKind, reminder_at: datetime
) -> list[Recipient]:
    """Going RSVPs to the shift (timeslot_id None: to the whole event), unchanged since
    before the reminder's time (made, or moved up from the waitlist, later: they hear of
    the next one), that have not had it."""
    already = exists(select(Reminder.id).where(Reminder.rsvp_id == Rsvp.id, Reminder.kind == kind))
    # "Did you make it?" goes to who was not checked in and has not told us.
    after = (Rsvp.checked_in_at.is_(None), Rsvp.attended.is_(None))
    rows = db.session.execute(
        select(Rsvp.id, Rsvp.email, Rsvp.phone, _last_language(), _texts_allowed())
        .where(
            Rsvp.event_id == event_id,
            *((Rsvp.timeslot_id == timeslot_id,) if timeslot_id is not None else ()),
            Rsvp.status == RsvpStatus.GOING,
            Rsvp.erased_at.is_(None),
            # Reachable: an email, or a number that agreed to texts.
            or_(Rsvp.has_email, _texts_allowed()),
            Rsvp.updated_at < reminder_at,
            ~already,
            *(after if kind == ReminderKind.AFTER else ()),
        )
        .order_by(Rsvp.id)
    )
    return [Recipient(*row) for row in rows]


BEFORE = (ReminderKind.DAY_BEFORE, ReminderKind.DAY_OF)


def find_reminder_by_token(token: str, kinds: tuple[ReminderKind, ...] = BEFORE) -> Reminder | None:
    """The reminder of one of kinds whose one-tap links carry token, by the token's hash."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(Reminder).where(Reminder.token_hash == hash_token(token), Reminder.kind.in_(kinds))
    )


@dataclass(frozen=True)
class ReminderSummary:
    kind: ReminderKind
    sent: int
    first_queued_at: datetime
    last_queued_at: datetime
    confirmed: int


def reminder_summaries(event_id: int) -> list[ReminderSummary]:
    """For the host's page: each kind of reminder, to how many, when, and how many tapped
    "I'm coming"."""
    rows = db.session.execute(
        select(
            Reminder.kind,
            func.count(Reminder.id),
            func.min(Reminder.queued_at),
            func.max(Reminder.queued_at),
            func.count(Reminder.confirmed_at),
        )
        .join(Rsvp, Rsvp.id == Reminder.rsvp_id)
        .where(Rsvp.event_id == event_id)
        .group_by(Reminder.kind)
        .order_by(func.min(Reminder.queued_at))
    )
    return [ReminderSummary(*row) for row in rows]
