"""The outbox: every email is saved with the change that caused it, and sent later.

Callers add messages with queue_email() inside their own transaction and commit as
usual; nothing here talks to a mail server on the request path.
"""

from .extensions import db
from .models import OutboxMessage


def queue_email(
    to_address: str, subject: str, body_text: str, ics_attachment: str | None = None
) -> OutboxMessage:
    """Put an email in the outbox, in the caller's transaction; the sender delivers it later."""
    message = OutboxMessage(
        to_address=to_address,
        subject=subject,
        body_text=body_text,
        ics_attachment=ics_attachment,
    )
    db.session.add(message)
    return message
