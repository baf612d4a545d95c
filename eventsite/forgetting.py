"""Forgetting people: attendees' and hosts' details erased after the event (flask
forget-past, from cron) or at once on request, everywhere the site kept them.

Erasing keeps each row and blanks what identifies someone (name, email, phone, zip, private
links), so every count (seats taken, going, waitlisted, per event, campaign and API) stays
as it was. Emails to a forgotten address go from the outbox with them. Then the space the
old values took is reclaimed: SQLite runs with secure_delete (extensions.py) and its WAL is
checkpointed and emptied; PostgreSQL VACUUMs the tables.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import String, cast, delete, exists, literal, or_, select, update

from . import forgetting_emails
from .extensions import db
from .models import (
    CoHost,
    Event,
    MessageStatus,
    OutboxMessage,
    Reminder,
    Rsvp,
    RsvpLink,
    utcnow,
)
from .transactions import unit_of_work

# Events erased per transaction: each batch commits on its own, so a long run holds no lock.
BATCH_SIZE = 200
# The tables whose rows forget-past rewrites or deletes, for VACUUM.
TOUCHED_TABLES = ("rsvps", "rsvp_links", "reminders", "events", "outbox_messages")


@dataclass
class Erased:
    rows: int = 0
    addresses: set[str] = field(default_factory=set)


@dataclass
class ForgetReport:
    warned_events: int = 0
    events: int = 0
    rsvps: int = 0
    hosts: int = 0
    messages: int = 0
    reclaimed: str = ""

    def summary(self) -> str:
        """One line for cron's mail: what was erased, or that nothing was."""
        if not (self.rsvps or self.hosts or self.messages or self.warned_events):
            return "Nothing to forget."
        line = (
            f"Erased the details of {self.rsvps} RSVPs at {self.events} past events and of "
            f"{self.hosts} hosts; deleted {self.messages} emails; warned the hosts of "
            f"{self.warned_events} events."
        )
        return f"{line} {self.reclaimed}" if self.reclaimed else line


def _erased_marker():
    """What an erased email or link hash becomes: unique per RSVP (the event's list keeps one
    row per address) and never a SHA-256, so no private link opens the row again."""
    return literal("erased-") + cast(Rsvp.id, String)


def erase_rsvps(condition, now: datetime) -> Erased:
    """Blank the details of the RSVPs matching condition and end their private links, in the
    caller's transaction; returns how many and the addresses they had."""
    where = [condition, Rsvp.erased_at.is_(None)]
    addresses = set(db.session.scalars(select(Rsvp.email).where(*where)))
    if not addresses:
        return Erased()
    erased_ids = select(Rsvp.id).where(*where)
    db.session.execute(delete(RsvpLink).where(RsvpLink.rsvp_id.in_(erased_ids)))
    # Reminders stay, counted on the host's page; their one-tap links end.
    db.session.execute(
        update(Reminder)
        .where(Reminder.rsvp_id.in_(erased_ids), Reminder.token_hash.is_not(None))
        .values(token_hash=None)
        .execution_options(synchronize_session=False)
    )
    # Messages named for these RSVPs (sent or waiting) would carry them on: they go too.
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.rsvp_id.in_(erased_ids)))
    result = db.session.execute(
        update(Rsvp)
        .where(*where)
        .values(
            name="",
            email=_erased_marker(),
            phone="",
            zip_code="",
            token_hash=_erased_marker(),
            erased_at=now,
            updated_at=Rsvp.updated_at,
            version=Rsvp.version + 1,  # an edit that read the row before loses its race
        )
        .execution_options(synchronize_session=False)
    )
    return Erased(rows=result.rowcount, addresses=addresses)


def erase_hosts(event_ids: list[int], now: datetime) -> Erased:
    """Blank the host's email and phone on these events and end the host's link; the name
    the host chose to show on the public event page stays there."""
    where = [Event.id.in_(event_ids), Event.host_erased_at.is_(None)]
    addresses = set(db.session.scalars(select(Event.host_email).where(*where)))
    # Co-hosts go with the host: their addresses, and their links.
    co_hosts = CoHost.event_id.in_(select(Event.id).where(*where))
    addresses |= set(db.session.scalars(select(CoHost.email).where(co_hosts)))
    db.session.execute(delete(CoHost).where(co_hosts))
    result = db.session.execute(
        update(Event)
        .where(*where)
        .values(
            host_email="",
            host_phone="",
            manage_token_hash=None,
            proposed_changes=None,
            changes_proposed_at=None,
            host_erased_at=now,
            updated_at=Event.updated_at,  # the API's updated_since and deleted events unmoved
        )
        .execution_options(synchronize_session=False)
    )
    return Erased(rows=result.rowcount, addresses=addresses - {""})


def _still_known(addresses: set[str]) -> set[str]:
    """Which of these addresses still belong to an RSVP or a host we have not forgotten."""
    known = set()
    for chunk in _chunks(sorted(addresses)):
        known.update(
            db.session.scalars(
                select(Rsvp.email).where(Rsvp.email.in_(chunk), Rsvp.erased_at.is_(None))
            )
        )
        known.update(
            db.session.scalars(
                select(Event.host_email).where(
                    Event.host_email.in_(chunk), Event.host_erased_at.is_(None)
                )
            )
        )
    return known


def purge_messages_to(addresses: set[str]) -> int:
    """Delete the emails to people just forgotten: sent and failed ones, and waiting ones
    unless the address still belongs to someone we know; returns how many."""
    forgotten = addresses - _still_known(addresses)
    deleted = 0
    for chunk in _chunks(sorted(addresses)):
        deleted += db.session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.to_address.in_(chunk),
                or_(
                    OutboxMessage.status != MessageStatus.PENDING,
                    OutboxMessage.to_address.in_(forgotten & set(chunk)),
                ),
            )
        ).rowcount
    return deleted


def _chunks(values: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _over_before(moment: datetime):
    """Events that ended, or were cancelled, at or before moment."""
    return or_(Event.ends_at <= moment, Event.cancelled_at <= moment)


def erasure_date(event: Event, retention_days: int) -> datetime:
    """When forget-past erases the event's attendees: retention_days after it is over."""
    over_at = min(event.ends_at, event.cancelled_at or event.ends_at)
    return over_at + timedelta(days=retention_days)


def erase_attendee_list(event_id: int, now: datetime) -> int:
    """Erase one event's attendee list and the emails to them, in the caller's transaction
    (a host's request after the event); returns how many RSVPs were erased."""
    erased = erase_rsvps(Rsvp.event_id == event_id, now)
    _mark_attendees_erased([event_id], now)
    purge_messages_to(erased.addresses)
    return erased.rows


def _mark_attendees_erased(event_ids: list[int], now: datetime) -> int:
    return db.session.execute(
        update(Event)
        .where(Event.id.in_(event_ids), Event.attendees_erased_at.is_(None))
        .values(attendees_erased_at=now, updated_at=Event.updated_at)
        .execution_options(synchronize_session=False)
    ).rowcount


def forget_past(now: datetime | None = None) -> ForgetReport:
    """Warn hosts and organizers of erasures to come, erase attendees' and hosts' details
    RETENTION_DAYS after their events, delete sent emails after OUTBOX_RETENTION_DAYS and
    reclaim the space; running it again changes nothing more."""
    now = now or utcnow()
    config = current_app.config
    cutoff = now - timedelta(days=config["RETENTION_DAYS"])
    report = ForgetReport()
    report.warned_events = _warn_before_erasing(now, cutoff)
    for event_ids in _chunks(_due_event_ids(cutoff), BATCH_SIZE):
        with unit_of_work():
            _forget_events(event_ids, now, report)
    sent_before = now - timedelta(days=config["OUTBOX_RETENTION_DAYS"])
    with unit_of_work():
        report.messages += _purge_sent_messages(sent_before)
    if report.rsvps or report.hosts or report.messages:
        report.reclaimed = reclaim_space(TOUCHED_TABLES)
    return report


def _due_event_ids(cutoff: datetime) -> list[int]:
    unfinished = or_(Event.attendees_erased_at.is_(None), Event.host_erased_at.is_(None))
    return list(
        db.session.scalars(
            select(Event.id).where(_over_before(cutoff), unfinished).order_by(Event.id)
        )
    )


def _forget_events(event_ids: list[int], now: datetime, report: ForgetReport) -> None:
    attendees = erase_rsvps(Rsvp.event_id.in_(event_ids), now)
    hosts = erase_hosts(event_ids, now)
    report.events += _mark_attendees_erased(event_ids, now)
    report.rsvps += attendees.rows
    report.hosts += hosts.rows
    report.messages += purge_messages_to(attendees.addresses | hosts.addresses)


def _purge_sent_messages(sent_before: datetime) -> int:
    """Sent emails keep their recipients and bodies only this long."""
    return db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status == MessageStatus.SENT, OutboxMessage.sent_at < sent_before
        )
    ).rowcount


def _warn_before_erasing(now: datetime, cutoff: datetime) -> int:
    """Email the host and campaign organizers of each event whose attendees are erased
    within RETENTION_WARNING_DAYS (once), so they can export the list first."""
    config = current_app.config
    warn_from = cutoff + timedelta(days=config["RETENTION_WARNING_DAYS"])
    has_attendees = exists(
        select(Rsvp.id).where(Rsvp.event_id == Event.id, Rsvp.erased_at.is_(None))
    )
    query = select(Event).where(
        _over_before(warn_from),
        Event.ends_at > cutoff,
        or_(Event.cancelled_at.is_(None), Event.cancelled_at > cutoff),
        Event.erasure_warned_at.is_(None),
        has_attendees,
    )
    with unit_of_work():
        events = db.session.scalars(query.order_by(Event.id)).all()
        for event in events:
            forgetting_emails.email_attendee_list_erasure_warning(
                event, erasure_date(event, config["RETENTION_DAYS"])
            )
        _mark_warned([event.id for event in events], now)
    return len(events)


def _mark_warned(event_ids: Iterable[int], now: datetime) -> None:
    for chunk in _chunks(list(event_ids)):
        db.session.execute(
            update(Event)
            .where(Event.id.in_(chunk))
            .values(erasure_warned_at=now, updated_at=Event.updated_at)
            .execution_options(synchronize_session=False)
        )


def reclaim_space(tables: Iterable[str]) -> str:
    """Leave no erased value on disk that the database could still read back: PostgreSQL
    VACUUMs the tables; SQLite (which zeroes freed space, secure_delete) moves its WAL into
    the database file and empties it. Returns what it did, for the report."""
    engine = db.engine
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql(f"VACUUM {', '.join(tables)}")
            return f"Vacuumed {', '.join(tables)}."
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            return "Checkpointed and emptied the WAL."
    return ""
