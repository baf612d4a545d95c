"""Reading what send-reminders works through, and reminders for their one-tap links and
the host's page."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select

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
    Timeslot,
    hash_token,
)
from .texts import stopped_texts

# The furthest ahead of its start an event gets a reminder: the day before at 11 AM for an
# event starting just before midnight is 37 hours, and a daylight-saving change adds one.
LOOKAHEAD = timedelta(hours=40)
# The reminders before a shift.
BEFORE = (ReminderKind.DAY_BEFORE, ReminderKind.DAY_OF)


@dataclass(frozen=True)
class ShiftToAsk:
    id: int
    event_id: int
    ends_at: datetime


def shifts_to_ask(now: datetime) -> list[ShiftToAsk]:
    """Shifts of listed events with their attendee list that ended between ASK_WITHIN and
    ASK_AFTER ago (ix_timeslots_ends_at), not called off, with someone still to ask "Did
    you make it?" (as the RSVPs were when the shift ended): each week of a weekly vigil is
    asked about after it, and a run with nothing new visits none of them."""
    waiting_since = _oldest_waiting(ReminderKind.AFTER, Rsvp.timeslot_id == Timeslot.id)
    rows = db.session.execute(
        select(Timeslot.id, Timeslot.event_id, Timeslot.ends_at)
        .join(Event, Event.id == Timeslot.event_id)
        .where(
            Timeslot.ends_at <= now - ASK_AFTER,
            Timeslot.ends_at > now - ASK_WITHIN,
            Timeslot.cancelled_at.is_(None),
            Event.status == EventStatus.PUBLISHED,
            Event.attendees_erased_at.is_(None),
            waiting_since < Timeslot.ends_at,
        )
        .order_by(Timeslot.ends_at, Timeslot.id)
    )
    return [ShiftToAsk(*row) for row in rows]


@dataclass(frozen=True)
class ShiftToRemind:
    id: int
    event_id: int
    starts_at: datetime
    timezone: str
    # Per kind, the oldest last change among the shift's RSVPs still waiting for that
    # reminder (None: nobody is): who changed after a reminder's time does not get it.
    waiting_since: dict[ReminderKind, datetime | None]


def shifts_to_remind(now: datetime) -> list[ShiftToRemind]:
    """Shifts of listed events with reminders on that start within LOOKAHEAD and have not
    started (ix_timeslots_starts_at), with who still waits for each reminder: plain values,
    so the run's commits expire no objects, and a shift with nobody waiting costs nothing."""
    waiting_since = [_oldest_waiting(kind, Rsvp.timeslot_id == Timeslot.id) for kind in BEFORE]
    rows = db.session.execute(
        select(Timeslot.id, Timeslot.event_id, Timeslot.starts_at, Event.timezone, *waiting_since)
        .join(Event, Event.id == Timeslot.event_id)
        .where(
            Timeslot.starts_at > now,
            Timeslot.starts_at <= now + LOOKAHEAD,
            Timeslot.cancelled_at.is_(None),
            Event.status == EventStatus.PUBLISHED,
            Event.reminders_off.is_(False),
        )
        .order_by(Timeslot.starts_at, Timeslot.id)
    )
    return [
        ShiftToRemind(slot_id, event_id, starts_at, timezone, dict(zip(BEFORE, since, strict=True)))
        for slot_id, event_id, starts_at, timezone, *since in rows
    ]


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
    return and_(Rsvp.phone != "", Rsvp.sms_consent_at.is_not(None), ~stopped_texts())


def _waiting_for(kind: ReminderKind) -> tuple:
    """Going, reachable RSVPs (an email, or a number that agreed to texts) that have not
    had this reminder (the unique (rsvp_id, kind) of reminders answers); "Did you make it?"
    goes only to who was not checked in and has not told us."""
    already = exists(select(Reminder.id).where(Reminder.rsvp_id == Rsvp.id, Reminder.kind == kind))
    after = (Rsvp.checked_in_at.is_(None), Rsvp.attended.is_(None))
    return (
        Rsvp.status == RsvpStatus.GOING,
        Rsvp.erased_at.is_(None),
        or_(Rsvp.has_email, _texts_allowed()),
        ~already,
        *(after if kind == ReminderKind.AFTER else ()),
    )


def _oldest_waiting(kind: ReminderKind, *where):
    """The oldest last change among the RSVPs where... that still wait for this reminder
    (NULL: none do). A scalar subquery, which PostgreSQL runs per row through an index
    whatever its statistics say, where an EXISTS may become a join over every RSVP."""
    return select(func.min(Rsvp.updated_at)).where(*where, *_waiting_for(kind)).scalar_subquery()


def rsvps_to_remind(
    event_id: int, timeslot_id: int | None, kind: ReminderKind, reminder_at: datetime
) -> list[Recipient]:
    """Going RSVPs to the shift (timeslot_id None: to the whole event), unchanged since
    before the reminder's time (made, or moved up from the waitlist, later: they hear of
    the next one), that have not had it."""
    rows = db.session.execute(
        select(Rsvp.id, Rsvp.email, Rsvp.phone, _last_language(), _texts_allowed())
        .where(
            Rsvp.event_id == event_id,
            *((Rsvp.timeslot_id == timeslot_id,) if timeslot_id is not None else ()),
            Rsvp.updated_at < reminder_at,
            *_waiting_for(kind),
        )
        .order_by(Rsvp.id)
    )
    return [Recipient(*row) for row in rows]


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
