"""The outbox and its senders: every email and text is saved with its cause, and sent later.

Callers name messages with queue_message() inside their own transaction and commit as
usual; nothing here writes a message or talks to a server on the request path.
send_pending_mail() (the send-mail command) writes each email as it sends it
(email_writing.py) and delivers it, retrying with backoff while the server is down;
send_pending_texts() (send-texts) does the same for the text channel (text_writing.py)
through the SMS provider (sms_transports.py), with the same leases and retries.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, insert, select, update

from .email_words import MAX_SUBJECT_LENGTH, shortened
from .email_writing import email_for
from .extensions import db
from .i18n import current_language
from .mail_transports import MailServerUnreachable, configured_transport
from .models import EmailKind, MessageChannel, MessageStatus, OutboxMessage, utcnow
from .sms_transports import MessageRefused, SmsProviderUnavailable, configured_sms_transport
from .text_writing import text_for
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
    channel: MessageChannel = MessageChannel.EMAIL,
) -> OutboxMessage:
    """Name an email (or a text: texts.queue_text) in the outbox, in the caller's
    transaction, in this request's language (or the one given); the sender writes it
    (email_writing.py, text_writing.py) and delivers it later."""
    message = OutboxMessage(
        channel=channel,
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


@dataclass(frozen=True)
class Channel:
    """What differs between sending emails and sending texts; the rest is one sender."""

    kind: MessageChannel
    timeout_setting: str
    # The row as its transport takes it, written now; None when what it names is gone.
    write: Callable[[OutboxMessage], object | None]


EMAIL = Channel(
    MessageChannel.EMAIL,
    "SMTP_TIMEOUT",
    lambda message: email_for(message, current_app.config["MAIL_FROM"]),
)
SMS = Channel(MessageChannel.SMS, "SMS_TIMEOUT", text_for)


def _lease(channel: Channel) -> timedelta:
    # Long enough for one message's connect, login and send, each bounded by the timeout.
    return timedelta(seconds=max(60.0, 4 * current_app.config[channel.timeout_setting]))


def _claim(message_id: int, lease: timedelta) -> int | None:
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
            .values(attempts=OutboxMessage.attempts + 1, next_attempt_at=now + lease)
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


def due_message_ids(limit: int, channel: MessageChannel = MessageChannel.EMAIL) -> list[int]:
    """Messages of the channel waiting to be sent now, oldest first."""
    # A unit of its own: the sender holds no open transaction while it talks to SMTP.
    with unit_of_work():
        ids = db.session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.channel == channel,
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
    """Send up to limit due emails; retry failures later with backoff, then give up.

    transport defaults to the configured SMTP server; with none configured, nothing
    is sent and the messages wait in the outbox. progress(done, total) after each message.
    """
    return _send_pending(EMAIL, limit, transport or configured_transport(), progress)


def send_pending_texts(
    limit: int = 100, transport=None, progress: Callable[[int, int], None] | None = None
) -> SendReport:
    """Send up to limit due texts through the SMS provider (EVENTSITE_SMS_URL), as emails go;
    with no provider configured, texts wait in the outbox."""
    return _send_pending(SMS, limit, transport or configured_sms_transport(), progress)


def _send_pending(channel: Channel, limit: int, transport, progress) -> SendReport:
    report = SendReport()
    if transport is None:
        return report
    try:
        message_ids = due_message_ids(limit, channel.kind)
        for position, message_id in enumerate(message_ids):
            if progress:
                progress(position, len(message_ids))
            if not _send_one(channel, message_id, transport, report):
                break  # the rest stay due and untouched until the server is back
        else:  # every message tried (a server outage breaks off early)
            if progress:
                progress(len(message_ids), len(message_ids))
    finally:
        transport.close()
    return report


def _send_one(channel: Channel, message_id: int, transport, report: SendReport) -> bool:
    """Claim, write and send one message; False when its server is unreachable."""
    attempt = _claim(message_id, _lease(channel))
    if attempt is None:
        return True  # another sender has it
    try:
        written = _written(channel, message_id)
        if written is None:
            _drop(message_id, report)
            return True
        transport.send(written)
    except (MailServerUnreachable, SmsProviderUnavailable) as error:
        _record_failure(message_id, attempt, str(error), report, server_down=True)
        report.unreachable = True
        return False
    except MessageRefused as error:  # say, a number that can't get texts: never retried
        _settle(message_id, attempt, status=MessageStatus.FAILED, last_error=str(error))
        report.failed += 1
    except Exception as error:
        log.warning("could not send message %s: %r", message_id, error)
        _record_failure(message_id, attempt, f"{type(error).__name__}: {error}", report)
    else:
        _settle(message_id, attempt, status=MessageStatus.SENT, sent_at=utcnow())
        report.sent += 1
    return True


def _written(channel: Channel, message_id: int):
    """The message written now, from the event as it is; None if what it names is gone."""
    # Read in a unit of its own: no transaction stays open while SMTP is slow.
    with unit_of_work():
        message = db.session.get(OutboxMessage, message_id)
        return channel.write(message) if message is not None else None


def _drop(message_id: int, report: SendReport) -> None:
    """Delete a message about an event or RSVP that is gone: erased people get no email,
    and the row's address and private link go too."""
    with unit_of_work():
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.id == message_id))
    report.dropped += 1


def waiting_message_count(channel: MessageChannel = MessageChannel.EMAIL) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.channel == channel, OutboxMessage.status == MessageStatus.PENDING)
    )
