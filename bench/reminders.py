"""send-reminders at scale: the day-before reminders of many going RSVPs queued in one run.

Some of the database's events are moved to start at one moment two days ahead, each given
RSVPS_PER_EVENT going RSVPs made days before; send_reminders() then runs at a moment every
one of those events' day-before windows is open (four hours before the start: past 11 AM
the day before in every US zone, before the day-of reminder's time), as cron would run
`flask send-reminders`. It is timed, then timed again (which must queue nothing).
"""

import itertools
import math
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, update

from eventsite.extensions import db
from eventsite.models import (
    Event,
    EventStatus,
    Reminder,
    ReminderKind,
    Rsvp,
    RsvpStatus,
    Timeslot,
)
from eventsite.reminders import send_reminders

from . import data

RSVPS_PER_EVENT = 100
# At most this many reminded RSVPs per event in the database: a smoke run stays quick.
MAX_RSVPS_PER_DATABASE_EVENT = 2
BATCH = 5000


def rsvps_for(size: int, wanted: int) -> int:
    return min(wanted, MAX_RSVPS_PER_DATABASE_EVENT * size)


def _start() -> datetime:
    """Two days ahead at 18:00 UTC (afternoon across the US)."""
    day = datetime.now(UTC).date() + timedelta(days=2)
    return datetime(day.year, day.month, day.day, 18, tzinfo=UTC)


def _prepare(rsvp_count: int, starts_at: datetime) -> int:
    """Move enough events to starts_at and give them rsvp_count going RSVPs; returns how
    many events."""
    event_count = math.ceil(rsvp_count / RSVPS_PER_EVENT)
    event_ids = db.session.scalars(
        select(Event.id)
        .where(Event.status == EventStatus.PUBLISHED)
        .order_by(Event.id)
        .limit(event_count)
    ).all()
    db.session.execute(
        update(Event)
        .where(Event.id.in_(event_ids))
        .values(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), reminders_off=False)
    )
    db.session.execute(
        update(Timeslot)
        .where(Timeslot.event_id.in_(event_ids))
        .values(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    )
    slot_of = dict(
        db.session.execute(
            select(Timeslot.event_id, func.min(Timeslot.id))
            .where(Timeslot.event_id.in_(event_ids))
            .group_by(Timeslot.event_id)
        ).all()
    )
    # Only these send reminders: others that happen to start soon are not what is timed.
    db.session.execute(update(Event).where(Event.id.not_in(event_ids)).values(reminders_off=True))
    made = starts_at - timedelta(days=5)
    rows = (
        {
            "event_id": event_ids[number // RSVPS_PER_EVENT],
            "timeslot_id": slot_of[event_ids[number // RSVPS_PER_EVENT]],
            "name": f"Bench Person {number}",
            "email": f"person{number}@example.org",
            "zip_code": "10001",
            "guests": 0,
            "status": RsvpStatus.GOING,
            # Unlike any other bench rows' tokens (bench/organizers.py counts in decimal).
            "token_hash": f"reminder-{number:055x}",
            "created_at": made,
            "updated_at": made,
        }
        for number in range(rsvp_count)
    )
    while batch := list(itertools.islice(rows, BATCH)):
        db.session.execute(insert(Rsvp.__table__), batch)
    db.session.commit()
    return len(event_ids)


def _going(event_count: int) -> int:
    """Going RSVPs of the moved events: ours, and any an earlier benchmark gave them."""
    moved = select(Event.id).where(Event.status == EventStatus.PUBLISHED).order_by(Event.id)
    return db.session.scalar(
        select(func.count(Rsvp.id)).where(
            Rsvp.event_id.in_(moved.limit(event_count).scalar_subquery()),
            Rsvp.status == RsvpStatus.GOING,
            Rsvp.email.contains("@"),
        )
    )


def measure(url: str, rsvp_count: int) -> dict:
    """Seconds send-reminders takes to queue rsvp_count day-before reminders, and to run
    again with nothing left to queue."""
    app = data.app_for(url)
    starts_at = _start()
    with app.app_context():
        events = _prepare(rsvp_count, starts_at)
        expected = _going(events)
        now = starts_at - timedelta(hours=4)
        started, cpu_started = time.perf_counter(), time.process_time()
        first = send_reminders(now)
        seconds = time.perf_counter() - started
        # This process's own CPU: what a busy machine does not inflate (the database's not in it).
        cpu_seconds = time.process_time() - cpu_started
        started, cpu_started = time.perf_counter(), time.process_time()
        second = send_reminders(now)
        again_seconds = time.perf_counter() - started
        again_cpu_seconds = time.process_time() - cpu_started
        reminded = db.session.scalar(
            select(db.func.count(Reminder.id)).where(Reminder.kind == ReminderKind.DAY_BEFORE)
        )
        db.session.remove()
        db.engine.dispose()
    queued = first.queued.get(ReminderKind.DAY_BEFORE, 0)
    if queued != expected or reminded != expected or any(second.queued.values()):
        raise SystemExit(f"send-reminders queued {queued} of {expected}, then {second.queued}")
    print(
        f"  send-reminders: {queued:,} day-before reminders in {seconds:.1f}s (CPU "
        f"{cpu_seconds:.1f}s); run again, nothing new: {again_seconds:.2f}s (CPU "
        f"{again_cpu_seconds:.2f}s)",
        flush=True,
    )
    return {
        "rsvps": queued,
        "events": events,
        "seconds": seconds,
        "per_second": queued / seconds,
        "cpu_seconds": cpu_seconds,
        "again_seconds": again_seconds,
        "again_cpu_seconds": again_cpu_seconds,
    }


def table(runs: list[dict]) -> list[str]:
    lines = [
        "| N | backend | RSVPs reminded | their events | send-reminders s | reminders/s "
        "| its CPU s | run again s | its CPU s |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        r = run["reminders"]
        lines.append(
            f"| {run['events']:,} | {run['backend']} | {r['rsvps']:,} | {r['events']:,} "
            f"| {r['seconds']:.1f} | {r['per_second']:.0f} | {r['cpu_seconds']:.1f} "
            f"| {r['again_seconds']:.2f} | {r['again_cpu_seconds']:.2f} |"
        )
    return lines
