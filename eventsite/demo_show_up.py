"""Demo events that show getting people to show up (`demo-data --show-up-events`): one
starting in a few hours whose reminders went out (some tapped "I'm coming"), with the
host's last message and a co-host; and one that ended yesterday, where people answered
"Did you make it?"."""

from datetime import datetime, timedelta

from sqlalchemy import select

from .demo import demo_events, demo_rsvp
from .demo_times import one_timeslot
from .extensions import db
from .models import (
    Campaign,
    CoHost,
    Event,
    Reminder,
    ReminderKind,
    hash_token,
    new_token,
)
from .transactions import unit_of_work

ATTENDEES = 20
CONFIRMED = 9
DEMO_CO_HOST = "co-host@example.org"
NOTES = ("Great speakers, and we filled the square.", "Well organised; more water next time.")


def load_show_up_events(now: datetime) -> dict[str, str]:
    """Add both events; returns the private tokens: the host's and co-host's of the one
    coming up, and the host's of the one that ended."""
    campaign = db.session.scalar(select(Campaign).order_by(Campaign.id))
    soon, ended = list(demo_events(2, now.date(), campaign, seed=ATTENDEES))
    with unit_of_work():
        tokens = _coming_up(soon, now)
        tokens["ended"] = _ended(ended, now)
    return tokens


def _event(row: dict, starts_at: datetime, token: str) -> Event:
    event = Event(**one_timeslot({**row, "capacity": None}), manage_token_hash=hash_token(token))
    [slot] = event.timeslots
    slot.starts_at, slot.ends_at = starts_at, starts_at + timedelta(hours=2)
    event.keep_span_of_timeslots()
    db.session.add(event)
    db.session.flush()
    return event


def _rsvps(event: Event, created_at: datetime) -> list:
    rsvps = [demo_rsvp(event, number) for number in range(ATTENDEES)]
    for rsvp in rsvps:
        rsvp.created_at = rsvp.updated_at = created_at
    db.session.add_all(rsvps)
    event.timeslots[0].seats_taken = sum(rsvp.seats for rsvp in rsvps)
    db.session.flush()
    return rsvps


def _reminders(rsvps: list, kind: ReminderKind, queued_at: datetime) -> list[Reminder]:
    reminders = [
        Reminder(
            rsvp_id=rsvp.id, kind=kind, token_hash=hash_token(new_token()), queued_at=queued_at
        )
        for rsvp in rsvps
    ]
    db.session.add_all(reminders)
    return reminders


def _coming_up(row: dict, now: datetime) -> dict[str, str]:
    """Starts in four hours: the day-before reminder went yesterday, CONFIRMED tapped
    "I'm coming"; the host wrote to everyone this morning; a co-host helps."""
    host, co_host = new_token(), new_token()
    event = _event(row, now + timedelta(hours=4), host)
    rsvps = _rsvps(event, now - timedelta(days=3))
    yesterday = now - timedelta(days=1)
    for number, reminder in enumerate(_reminders(rsvps, ReminderKind.DAY_BEFORE, yesterday)):
        if number < CONFIRMED:
            reminder.confirmed_at = rsvps[number].confirmed_at = yesterday + timedelta(minutes=9)
    event.last_message_subject = "Rain plan"
    event.last_message_body = "If it rains we meet under the library's arcade, same time."
    event.last_message_at = now - timedelta(hours=3)
    db.session.add(CoHost(event_id=event.id, email=DEMO_CO_HOST, token_hash=hash_token(co_host)))
    return {"host": host, "co_host": co_host}


def _ended(row: dict, now: datetime) -> str:
    """Ended yesterday: some checked in at the door, the others asked "Did you make it?"
    an hour later; most answered."""
    host = new_token()
    event = _event(row, now - timedelta(days=1, hours=3), host)
    rsvps = _rsvps(event, now - timedelta(days=5))
    arrived, asked = rsvps[: ATTENDEES // 2], rsvps[ATTENDEES // 2 :]
    for rsvp in arrived:
        rsvp.checked_in_at = event.starts_at + timedelta(minutes=10)
    _reminders(asked, ReminderKind.AFTER, event.ends_at + timedelta(hours=1))
    for number, rsvp in enumerate(asked[:-3]):
        rsvp.attended = number % 3 != 2
        rsvp.attendance_note = NOTES[number % 2] if rsvp.attended and number < 4 else ""
    return host
