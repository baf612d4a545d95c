"""Text messages: the consent people give, the numbers that said STOP, and the outbox's
text channel.

A text is queued like an email (mail.queue_message, in the caller's transaction) on the
outbox's SMS channel, and only to an RSVP whose person ticked "Text me about this event"
and whose number has not texted STOP since; the sender checks STOP again when it sends
(text_writing.py), so a STOP between the two still holds.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from .extensions import db
from .models import EmailKind, MessageChannel, OutboxMessage, Rsvp, SmsOptOut, utcnow

# The consent checkbox's exact words, by version: an RSVP stores the version its person
# saw. Change the words by adding a version, never by editing one.
CONSENT_WORDINGS = {
    "2026-12-04": _l(
        "Text me about this event: my confirmation, a reminder, and news if it changes or is "
        "cancelled. Message and data rates may apply. Reply STOP to stop, HELP for help."
    ),
}
CURRENT_CONSENT_WORDING = "2026-12-04"

# What the site texts; the rest of what it emails (a host's own words, a change the
# person just made on the page) is not worth a text.
TEXTED_KINDS = frozenset(
    {
        EmailKind.RSVP_CONFIRMATION,
        EmailKind.RSVP_LINK,
        EmailKind.WAITLIST_PROMOTION,
        EmailKind.EVENT_CHANGED,
        EmailKind.EVENT_CANCELLED,
        EmailKind.REMINDER_DAY_BEFORE,
        EmailKind.REMINDER_DAY_OF,
    }
)


def consent_wording() -> str:
    """The words beside the checkbox now, in the reader's language."""
    return str(CONSENT_WORDINGS[CURRENT_CONSENT_WORDING])


def give_consent(rsvp: Rsvp, ticked: bool) -> None:
    """Keep the person's answer to the checkbox: when they ticked it and which words they
    saw; unticked, no text goes to them. Ticked again, the first consent stands."""
    if not ticked:
        rsvp.sms_consent_at = None
        rsvp.sms_consent_wording = None
    elif rsvp.sms_consent_at is None:
        rsvp.sms_consent_at = utcnow()
        rsvp.sms_consent_wording = CURRENT_CONSENT_WORDING


def opted_out(phone: str) -> bool:
    """Whether the number texted STOP and not START since."""
    return (
        db.session.scalar(select(SmsOptOut.id).where(SmsOptOut.phone == phone).limit(1)) is not None
    )


def stopped_texts():
    """SQL: the RSVP's number texted STOP and not START since (Rsvp.texts_stopped)."""
    return exists().where(SmsOptOut.phone == Rsvp.phone)


def may_text(rsvp: Rsvp) -> bool:
    """A number, its person's consent, and no STOP from it."""
    return rsvp.texts_allowed and not opted_out(rsvp.phone)


def queue_text(kind: EmailKind, rsvp: Rsvp, **fields) -> OutboxMessage | None:
    """Name a text to the RSVP's number in the outbox, in the caller's transaction; None
    (nothing queued) without consent, after a STOP, or for a kind that is never texted."""
    from .mail import queue_message  # mail imports nothing of ours that imports this

    if kind not in TEXTED_KINDS or not may_text(rsvp):
        return None
    return queue_message(
        kind,
        rsvp.phone,
        channel=MessageChannel.SMS,
        event_id=rsvp.event_id,
        rsvp_id=rsvp.id,
        **fields,
    )
