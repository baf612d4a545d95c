"""Where a written email goes: an SMTP server (EVENTSITE_SMTP_URL), or the console.

mail.send_pending_mail() hands each message to one of these; a transport that cannot
reach its server raises MailServerUnreachable, so the sender stops the batch and retries.
"""

import contextlib
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app


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
