"""Reminders before an event (flask send-reminders, from cron) and their one-tap links.

Each going RSVP to a shift (timeslot) of a listed event gets a day-before email
(DAY_BEFORE_AT, the day before in the event's own time zone) and a day-of one
(DAY_OF_HOURS_BEFORE the shift's start), and a text of each too if its person agreed
to texts and never texted STOP. Each is
queued through the outbox in the same transaction as its row in `reminders`, whose unique
(rsvp_id, kind) is inserted with ON CONFLICT DO NOTHING: a second run, even one running at
the same moment, queues nothing more. A reminder's window closes when the next one's
opens (the start, for the day-of one), so a run after a long pause sends one, not both.
After the event, the same rows and outbox ask "Did you make it?" (attendance.py).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from .extensions import db
from .mail import queue_messages
from .models import (
    EmailKind,
    Event,
    MessageChannel,
    Reminder,
    ReminderKind,
    Rsvp,
    RsvpStatus,
    hash_token,
    new_token,
    utcnow,
)
from .reminder_queries import Recipient, rsvps_to_remind, shifts_to_ask, shifts_to_remind
from .rsvps import cancel_rsvp
from .transactions import unit_of_work

# Late morning of the day before, in the event's time zone.
DAY_BEFORE_AT = time(11, 0)
DAY_OF_HOURS_BEFORE = timedelta(hours=3)
EMAIL_KINDS = {
    ReminderKind.DAY_BEFORE: EmailKind.REMINDER_DAY_BEFORE,
    ReminderKind.DAY_OF: EmailKind.REMINDER_DAY_OF,
    ReminderKind.AFTER: EmailKind.ATTENDANCE_QUESTION,
}
# Reminders inserted per statement.
BATCH_SIZE = 500


def reminder_windows(starts_at: datetime, timezone: str) -> dict[ReminderKind, tuple]:
    """When each reminder is due, and until when it is still worth sending (UTC)."""
    zone = ZoneInfo(timezone)
    day_before = starts_at.astimezone(zone).date() - timedelta(days=1)
    # datetime.combine in the zone picks the right offset on a daylight-saving day.
    day_before_at = datetime.combine(day_before, DAY_BEFORE_AT, tzinfo=zone).astimezone(UTC)
    day_of_at = starts_at - DAY_OF_HOURS_BEFORE
    return {
        ReminderKind.DAY_BEFORE: (day_before_at, day_of_at),
        ReminderKind.DAY_OF: (day_of_at, starts_at),
    }


@dataclass
class ReminderReport:
    queued: dict[ReminderKind, int] = field(default_factory=dict)

    def add(self, kind: ReminderKind, count: int) -> None:
        self.queued[kind] = self.queued.get(kind, 0) + count

    def summary(self) -> str:
        """One line for cron's mail."""
        day_before = self.queued.get(ReminderKind.DAY_BEFORE, 0)
        day_of = self.queued.get(ReminderKind.DAY_OF, 0)
        after = self.queued.get(ReminderKind.AFTER, 0)
        return (
            f"Queued {day_before} day-before and {day_of} day-of reminders, "
            f"and {after} 'Did you make it?' emails."
        )


def send_reminders(now: datetime | None = None) -> ReminderReport:
    """Queue every reminder due now that has not gone yet; safe to run again, or twice at
    once."""
    now = now or utcnow()
    report = ReminderReport()
    uncommitted = 0
    with unit_of_work():
        for event_id, timeslot_id, kind, reminder_at in _reminders_due(now):
            queued = _queue_reminders(event_id, timeslot_id, kind, reminder_at)
            report.add(kind, queued)
            uncommitted += queued
            # A commit per few hundred reminders, not per shift: each waits for the disk.
            if uncommitted >= BATCH_SIZE:
                db.session.commit()
                uncommitted = 0
    return report


def _reminders_due(now: datetime) -> Iterator[tuple]:
    """(event_id, timeslot_id, kind, reminder_at) of each shift's reminder, and each ended
    shift's "Did you make it?", that someone is still waiting for, in a steady order (two
    runs at once then wait for each other's rows in the same order, never in a circle)."""
    for shift in shifts_to_remind(now):
        windows = reminder_windows(shift.starts_at, shift.timezone)
        for kind, (opens, closes) in windows.items():
            waiting_since = shift.waiting_since[kind]
            # Only someone unchanged since before the reminder's time gets it.
            if opens <= now < closes and waiting_since is not None and waiting_since < opens:
                yield shift.event_id, shift.id, kind, opens
    for shift in shifts_to_ask(now):
        # Asked about the RSVPs as they were when the shift ended.
        yield shift.event_id, shift.id, ReminderKind.AFTER, shift.ends_at


def _queue_reminders(
    event_id: int, timeslot_id: int | None, kind: ReminderKind, reminder_at: datetime
) -> int:
    """Insert the shift's (timeslot_id None: the whole event's) missing reminders of this
    kind and queue an email for each row this run inserted; returns how many."""
    queued = 0
    for batch in _batches(rsvps_to_remind(event_id, timeslot_id, kind, reminder_at)):
        tokens = {recipient.rsvp_id: new_token() for recipient in batch}
        inserted = _insert_reminders(kind, tokens)
        messages = [
            message
            for recipient in batch
            if recipient.rsvp_id in inserted
            for message in _messages(event_id, recipient, tokens[recipient.rsvp_id])
        ]
        queue_messages(EMAIL_KINDS[kind], messages)
        queued += len(inserted)
    return queued


def _batches(recipients: list[Recipient]) -> Iterator[list[Recipient]]:
    for start in range(0, len(recipients), BATCH_SIZE):
        yield recipients[start : start + BATCH_SIZE]


def _insert_reminders(kind: ReminderKind, tokens: dict[int, str]) -> set[int]:
    """Insert a reminder row per RSVP unless one is there (another run's, committed or
    not: PostgreSQL waits for it); returns the RSVPs whose rows this statement inserted."""
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    now = utcnow()
    rows = [
        {"rsvp_id": rsvp_id, "kind": kind, "token_hash": hash_token(token), "queued_at": now}
        for rsvp_id, token in tokens.items()
    ]
    # One statement compiled once and sent with every row (insertmanyvalues batches them).
    reminders = Reminder.__table__
    statement = (
        insert(reminders)
        .on_conflict_do_nothing(index_elements=["rsvp_id", "kind"])
        .returning(reminders.c.rsvp_id)
    )
    return set(db.session.connection().execute(statement, rows).scalars())


def _messages(event_id: int, recipient: Recipient, token: str) -> list[dict]:
    """The reminder by email to an address, and by text to whoever agreed to texts, each
    with the same one-tap links."""
    fields = {
        "event_id": event_id,
        "rsvp_id": recipient.rsvp_id,
        "private_token": token,
        "language": recipient.language,
    }
    messages = []
    if "@" in recipient.email:
        messages.append({**fields, "to_address": recipient.email, "channel": MessageChannel.EMAIL})
    if recipient.texts_allowed:
        messages.append({**fields, "to_address": recipient.phone, "channel": MessageChannel.SMS})
    return messages


# --- One-tap links -------------------------------------------------------------


def link_open(reminder: Reminder) -> bool:
    """One-tap links work until the shift ends."""
    return reminder.rsvp.timeslot.ends_at > utcnow()


def confirm_coming(reminder: Reminder) -> bool:
    """ "I'm coming": note it on the reminder and the RSVP (the API's CONFIRMED); False
    when the RSVP is no longer going."""
    if reminder.rsvp.status != RsvpStatus.GOING:
        return False
    now = utcnow()
    with unit_of_work():
        for table, row_id in ((Reminder, reminder.id), (Rsvp, reminder.rsvp_id)):
            db.session.execute(
                update(table)
                .where(table.id == row_id, table.confirmed_at.is_(None))
                .values(confirmed_at=now)
                .execution_options(synchronize_session=False)
            )
    return True


def cannot_come(reminder: Reminder) -> None:
    """ "I can't make it": cancel the RSVP, free its seats and move the waitlist up."""
    cancel_rsvp(reminder.rsvp)


def set_reminders(event: Event, send: bool) -> None:
    """The host turns reminders to the event's attendees on or off."""
    event_id = event.id
    with unit_of_work():
        db.session.execute(
            update(Event)
            .where(Event.id == event_id)
            .values(reminders_off=not send, updated_at=Event.updated_at)
            .execution_options(synchronize_session=False)
        )
