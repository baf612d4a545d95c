"""The outbox and the SMTP sender: every email is saved with its cause, and sent later.

Callers add messages with queue_email() inside their own transaction and commit as
usual; nothing here talks to a mail server on the request path. send_pending_mail()
(the send-mail command) delivers them, retrying with backoff while the server is down.
"""

import contextlib
import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app
from sqlalchemy import func, select, update

from .extensions import db
from .models import MessageStatus, OutboxMessage, utcnow
from .transactions import unit_of_work

log = logging.getLogger(__name__)


# Subjects carry titles people typed; the column holds this many characters.
MAX_SUBJECT_LENGTH = OutboxMessage.__table__.c.subject.type.length


def shortened(text: str, length: int) -> str:
    """text, cut to at most length characters with an ellipsis where it was cut."""
    return text if len(text) <= length else text[: max(length - 1, 0)].rstrip() + "…"


def queue_email(
    to_address: str,
    subject: str,
    body_text: str,
    ics_attachment: str | None = None,
    *,
    reply_to: str = "",
) -> OutboxMessage:
    """Put an email in the outbox, in the caller's transaction; the sender delivers it later."""
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


class MailServerUnreachable(Exception):
    """The SMTP server could not be reached or dropped us: stop this batch, retry later."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str
    password: str
    use_tls: bool  # smtps://: TLS from the first byte
    starttls: bool
    timeout: float


def smtp_settings(url: str, timeout: float) -> SmtpSettings | None:
    """Settings from smtp://user:pass@host:port (smtps:// for TLS, ?starttls=1); None if unset."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("EVENTSITE_SMTP_URL must look like smtp://user:password@host:port")
    use_tls = parts.scheme == "smtps"
    options = parse_qs(parts.query)
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or (465 if use_tls else 25),
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        starttls=options.get("starttls", ["0"])[0].lower() in ("1", "true", "yes", "on"),
        timeout=timeout,
    )


class SmtpTransport:
    """One SMTP connection, opened on the first message and closed at the end of a batch."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self._connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        context = ssl.create_default_context()
        if settings.use_tls:
            connection = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context
            )
        else:
            connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        try:
            if settings.starttls:
                connection.starttls(context=context)
            if settings.username:
                connection.login(settings.username, settings.password)
        except BaseException:
            connection.close()
            raise
        return connection

    def send(self, email: EmailMessage) -> None:
        try:
            if self._connection is None:
                self._connection = self._connect()
            self._connection.send_message(email)
        except (
            smtplib.SMTPRecipientsRefused,
            smtplib.SMTPSenderRefused,
            smtplib.SMTPDataError,
            smtplib.SMTPNotSupportedError,
        ):
            raise  # this message's trouble; the connection is still good
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise MailServerUnreachable(f"{type(error).__name__}: {error}") from error

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._connection.quit()
            self._connection.close()
            self._connection = None


class ConsoleTransport:
    """Prints each message instead of sending it: for development, where no SMTP server is."""

    def __init__(self, echo: Callable[[str], None] = print):
        self.echo = echo

    def send(self, email: EmailMessage) -> None:
        body = email.get_body(("plain",))
        attachments = [
            f"[attached: {part.get_filename()} ({part.get_content_type()})]"
            for part in email.iter_attachments()
        ]
        self.echo(
            "\n".join(
                [
                    "-" * 72,
                    f"To: {email['To']}",
                    f"Subject: {email['Subject']}",
                    "",
                    body.get_content().rstrip() if body else "",
                    *attachments,
                    "-" * 72,
                ]
            )
        )

    def close(self) -> None:
        pass


def configured_transport() -> SmtpTransport | None:
    """The SMTP transport EVENTSITE_SMTP_URL describes, or None: then mail waits."""
    config = current_app.config
    settings = smtp_settings(config.get("SMTP_URL", ""), config["SMTP_TIMEOUT"])
    return SmtpTransport(settings) if settings else None


def email_for(message: OutboxMessage, sender: str) -> EmailMessage:
    """The outbox row as an email, its .ics attached as text/calendar."""
    email = EmailMessage()
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    email["From"] = sender
    email["To"] = message.to_address
    if message.reply_to:
        email["Reply-To"] = message.reply_to
    # Subjects carry titles people typed: keep them on one header line.
    email["Subject"] = " ".join(message.subject.split())
    email["Date"] = format_datetime(message.created_at)
    # The same Message-ID on every try, so a mail client can drop a rare duplicate.
    email["Message-ID"] = f"<outbox-{message.id}.{int(message.created_at.timestamp())}@{domain}>"
    email.set_content(message.body_text)
    if message.ics_attachment:
        email.add_attachment(
            message.ics_attachment,
            subtype="calendar",
            filename="event.ics",
            params={"method": "PUBLISH"},
        )
    return email


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
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
    if result.rowcount != 1:
        return None
    return db.session.get(OutboxMessage, message_id).attempts


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
            attempt = _claim(message_id)
            if attempt is None:
                continue  # another sender has it
            message = db.session.get(OutboxMessage, message_id)
            try:
                transport.send(email_for(message, sender))
            except MailServerUnreachable as error:
                _record_failure(message_id, attempt, str(error), report, server_down=True)
                report.unreachable = True
                break  # the rest stay due and untouched until the server is back
            except Exception as error:
                log.warning("could not send message %s: %r", message_id, error)
                _record_failure(message_id, attempt, f"{type(error).__name__}: {error}", report)
            else:
                _settle(message_id, attempt, status=MessageStatus.SENT, sent_at=utcnow())
                report.sent += 1
        else:  # every message tried (a server outage breaks off early)
            if progress:
                progress(len(message_ids), len(message_ids))
    finally:
        transport.close()
    return report


def waiting_message_count() -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status == MessageStatus.PENDING)
    )
