"""The text sender writes each text when it sends it, as email_writing.py does emails.

A text row names its message like an email row (kind, event, RSVP, language, what it
froze); text_for() writes it now from the event as it is, or returns None (the row is
dropped unsent) when what it is about is gone, the reminder is no longer worth sending,
or the person withdrew consent or texted STOP since it was queued.
"""

from flask_babel import force_locale

from . import text_words as words
from .email_words import Letter
from .email_writing import REMINDERS, known_language
from .extensions import db
from .i18n import formatting_locale
from .models import EmailKind, Event, OutboxMessage, Rsvp
from .reminder_email_words import still_worth_sending
from .sms_transports import Text
from .texts import opted_out

WRITERS = {
    EmailKind.RSVP_CONFIRMATION: words.rsvp_confirmation,
    EmailKind.RSVP_LINK: words.rsvp_link,
    EmailKind.WAITLIST_PROMOTION: words.waitlist_promotion,
    EmailKind.EVENT_CHANGED: words.event_changed,
    EmailKind.EVENT_CANCELLED: words.event_cancelled,
    EmailKind.REMINDER_DAY_BEFORE: words.day_before_reminder,
    EmailKind.REMINDER_DAY_OF: words.day_of_reminder,
}


def text_for(message: OutboxMessage) -> Text | None:
    """The row as a text to send now; None when it must not go (see the module)."""
    kind = EmailKind(message.kind)
    event = db.session.get(Event, message.event_id) if message.event_id else None
    rsvp = db.session.get(Rsvp, message.rsvp_id) if message.rsvp_id else None
    if event is None or rsvp is None or kind not in WRITERS:
        return None
    if rsvp.sms_consent_at is None or opted_out(message.to_address):
        return None
    if kind in REMINDERS and not still_worth_sending(event, rsvp):
        return None
    letter = Letter(event, rsvp, message.private_token, message.facts or {})
    with force_locale(formatting_locale(known_language(message.language))):
        body = words.fitted(WRITERS[kind], letter)
    return Text(to=message.to_address, body=body)
