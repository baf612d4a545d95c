"""The outbox and the SMTP sender: every email is saved with its cause, and sent later.

Callers name messages with queue_message() inside their own transaction and commit as
usual; nothing here writes an email or talks to a mail server on the request path.
send_pending_mail() (the send-mail command) writes each message as it sends it
(email_writing.py) and delivers it, retrying with backoff while the server is down.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import delete, func, insert, select, update

from .email_words import MAX_SUBJECT_LENGTH, shortened
from .email_writing import email_for
from .extensions import db
from .i18n import current_language
from .mail_transports import MailServerUnreachable, configured_transport
from .models import EmailKind, MessageStatus, OutboxMessage, utcnow
from .transactions import unit_of_work

log = logging.getLogger(__name__)


def queue_message(
    kind: EmailKind,
    to_address: str,
    *,
    event_id: int,
    rsvp_id: int | None = None,
    token: str | None = None,
    facts: dict | None = None,
    language: str | None = None,
) -> OutboxMessage:
    """Name an email in the outbox, in the caller's transaction, in this request's language
    (or the one given); the sender writes it (email_writing.py) and delivers it later."""
    message = OutboxMessage(
        kind=kind,
        to_address=to_address,
        language=language or current_language(),
        event_id=event_id,
        rsvp_id=rsvp_id,
        private_token=token,
        facts=facts or None,
    )
    db.session.add(message)
    return message


def queue_messages(kind: EmailKind, messages: list[dict]) -> None:
    """Name many emails of one kind at once, in the caller's transaction, in one statement
    (send-reminders: thousands of reminders); each dict gives to_address, event_id, and
    any of rsvp_id, private_token, language (the request's language when None)."""
    if not messages:
        return
    default = current_language()
    rows = [
        {
            "rsvp_id": None,
            "private_token": None,
            **message,
            "kind": kind,
            "language": message.get("language") or default,
        }
        for message in messages
    ]
    db.session.execute(insert(OutboxMessage.__table__), rows)


def queue_email(
    to_address: str,
    subject: str,
    body_text: str,
    ics_attachment: str | None = None,
    *,
    reply_to: str = "",
) -> OutboxMessage:
    """Put an email already written in the outbox, in the caller's transaction (as every
    email was queued before queue_message); the sender delivers it as it is."""
    message = OutboxMessage(
        to_address=to_address,
        subject=shortened(subject, MAX_SUBJECT_LENGTH),
        body_text=body_text,
        ics_attachment=ics_attachment,
        reply_to=reply_to,
    )
    db.session.add(message)
    return message


# --- The sender ---------------------------------------------------------------
#
# A message is claimed with one conditional UPDATE (still pending, due, and not
# leased by another sender): the winner pushes next_attempt_at past the lease and
# counts the attempt; a sender whose UPDATE changed no row skips the message. So
# two senders never send one message twice, and a sender that dies mid-send only
# delays its message until the lease runs out.

# The longest wait between two tries of one message.
MAX_RETRY_DELAY = timedelta(hours=6)


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    dropped: int = 0  # named an event or RSVP that is gone (erased): deleted unsent
    unreachable: bool = False


def _lease() -> timedelta:
    # Long enough for one message's connect, login and send, each bounded by the timeout.
    return timedelta(seconds=max(60.0, 4 * current_app.config["SMTP_TIMEOUT"]))


def _claim(message_id: int) -> int | None:
    """Lease one due message for this sender; its attempt number, or None if another has it."""
    now = utcnow()
    # Its own transaction, committed before the slow send, so other senders see the lease.
    with unit_of_work():
        result = db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status == MessageStatus.PENDING,
                OutboxMessage.next_attempt_at <= now,
            )
            .values(attempts=OutboxMessage.attempts + 1, next_attempt_at=now + _lease())
            .execution_options(synchronize_session=False)
        )
    claimed = db.session.get(OutboxMessage, message_id) if result.rowcount == 1 else None
    return claimed.attempts if claimed is not None else None


def _settle(message_id: int, attempt: int, **values) -> None:
    """Record how an attempt went, unless the lease ran out and another sender took over."""
    with unit_of_work():
        db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.attempts == attempt,
                OutboxMessage.status == MessageStatus.PENDING,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )


def _retry_delay(attempt: int) -> timedelta:
    base = current_app.config["MAIL_RETRY_BASE_SECONDS"]
    seconds = base * 2 ** min(attempt - 1, 30)  # the cap keeps a long outage's count small
    return min(timedelta(seconds=seconds), MAX_RETRY_DELAY)


def _record_failure(
    message_id: int, attempt: int, error: str, report: SendReport, *, server_down: bool = False
) -> None:
    # A message the server turned away gives up after the last attempt; one that never
    # reached a server keeps waiting (at most MAX_RETRY_DELAY apart), so an outage
    # of any length loses nothing.
    if attempt >= current_app.config["MAIL_MAX_ATTEMPTS"] and not server_down:
        _settle(message_id, attempt, status=MessageStatus.FAILED, last_error=error)
        report.failed += 1
    else:
        next_try = utcnow() + _retry_delay(attempt)
        _settle(message_id, attempt, next_attempt_at=next_try, last_error=error)
        report.retrying += 1


def due_message_ids(limit: int) -> list[int]:
    """Messages waiting to be sent now, oldest first."""
    # A unit of its own: the sender holds no open transaction while it talks to SMTP.
    with unit_of_work():
        ids = db.session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == MessageStatus.PENDING,
                OutboxMessage.next_attempt_at <= utcnow(),
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        ).all()
    return list(ids)


def send_pending_mail(
    limit: int = 100, transport=None, progress: Callable[[int, int], None] | None = None
) -> SendReport:
    """Send up to limit due messages; retry failures later with backoff, then give up.

    transport defaults to the configured SMTP server; with none configured, nothing
    is sent and the messages wait in the outbox. progress(done, total) after each message.
    """
    report = SendReport()
    transport = transport or configured_transport()
    if transport is None:
        return report
    sender = current_app.config["MAIL_FROM"]
    try:
        message_ids = due_message_ids(limit)
        for position, message_id in enumerate(message_ids):
            if progress:
                progress(position, len(message_ids))
            if not _send_one(message_id, transport, sender, report):
                break  # the rest stay due and untouched until the server is back
        else:  # every message tried (a server outage breaks off early)
            if progress:
                progress(len(message_ids), len(message_ids))
    finally:
        transport.close()
    return report


def _send_one(message_id: int, transport, sender: str, report: SendReport) -> bool:
    """Claim, write and send one message; False when the mail server is unreachable."""
    attempt = _claim(message_id)
    if attempt is None:
        return True  # another sender has it
    try:
        email = _written(message_id, sender)
        if email is None:
            _drop(message_id, report)
            return True
        transport.send(email)
    except MailServerUnreachable as error:
        _record_failure(message_id, attempt, str(error), report, server_down=True)
        report.unreachable = True
        return False
    except Exception as error:
        log.warning("could not send message %s: %r", message_id, error)
        _record_failure(message_id, attempt, f"{type(error).__name__}: {error}", report)
    else:
        _settle(message_id, attempt, status=MessageStatus.SENT, sent_at=utcnow())
        report.sent += 1
    return True


def _written(message_id: int, sender: str) -> EmailMessage | None:
    """The message written now, from the event as it is; None if what it names is gone."""
    # Read in a unit of its own: no transaction stays open while SMTP is slow.
    with unit_of_work():
        message = db.session.get(OutboxMessage, message_id)
        return email_for(message, sender) if message is not None else None


def _drop(message_id: int, report: SendReport) -> None:
    """Delete a message about an event or RSVP that is gone: erased people get no email,
    and the row's address and private link go too."""
    with unit_of_work():
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.id == message_id))
    report.dropped += 1


def waiting_message_count() -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status == MessageStatus.PENDING)
    )
