"""Reading what send-reminders works through, and reminders for their one-tap links and
the host's page."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import contains_eager

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


def rsvps_to_remind(timeslot_id: int, kind: ReminderKind, reminder_at: datetime) -> list[Recipient]:
    """Going RSVPs to the shift, unchanged since before the reminder's time (made, or moved
    up from the waitlist, later: they hear of the next one), that have not had it."""
    already = exists(select(Reminder.id).where(Reminder.rsvp_id == Rsvp.id, Reminder.kind == kind))
    rows = db.session.execute(
        select(Rsvp.id, Rsvp.email, Rsvp.phone, _last_language(), _texts_allowed())
        .where(
            Rsvp.timeslot_id == timeslot_id,
            Rsvp.status == RsvpStatus.GOING,
            Rsvp.erased_at.is_(None),
            Rsvp.updated_at < reminder_at,
            ~already,
        )
        .order_by(Rsvp.id)
    )
    return [Recipient(*row) for row in rows]


def find_reminder_by_token(token: str) -> Reminder | None:
    """The reminder whose one-tap links carry token, by the token's hash."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Reminder).where(Reminder.token_hash == hash_token(token)))


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
