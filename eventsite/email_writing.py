"""The sender writes each email when it sends it: its words, its links, its calendar file.

An outbox row names its message (emails.py queues them); written_email() writes it in the
row's language from the event and RSVP as they are now (a moved event is told with its new
time), with what the row froze when it was queued: the RSVP's status and guests then, a
reason, a host's own words, a private link. Rows queued before kinds existed carry their
words and go as they are.
"""

from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask_babel import force_locale

from . import email_words as to_attendee
from . import host_email_words as to_host
from . import reminder_email_words as reminders
from .email_words import MAX_SUBJECT_LENGTH, Letter, WrittenEmail, shortened
from .extensions import db
from .i18n import formatting_locale, supported_languages
from .models import EmailKind, Event, OutboxMessage, Rsvp
from .reminder_email_words import still_worth_asking, still_worth_sending

WRITERS = {
    EmailKind.HOST_CONFIRMATION: to_host.host_confirmation,
    EmailKind.EVENT_APPROVED: to_host.event_approved,
    EmailKind.EVENT_REJECTED: to_host.event_rejected,
    EmailKind.CHANGES_APPROVED: to_host.changes_approved,
    EmailKind.CHANGES_REJECTED: to_host.changes_rejected,
    EmailKind.CO_HOST_INVITATION: to_host.co_host_invitation,
    EmailKind.RSVP_CONFIRMATION: to_attendee.rsvp_confirmation,
    EmailKind.RSVP_LINK: to_attendee.rsvp_link,
    EmailKind.RSVP_CHANGED: to_attendee.rsvp_changed,
    EmailKind.RSVP_CANCELLED: to_attendee.rsvp_cancelled,
    EmailKind.WAITLIST_PROMOTION: to_attendee.waitlist_promotion,
    EmailKind.EVENT_CHANGED: to_attendee.event_changed,
    EmailKind.EVENT_CANCELLED: to_attendee.event_cancelled,
    EmailKind.HOST_MESSAGE: to_attendee.host_message,
    EmailKind.REMINDER_DAY_BEFORE: reminders.day_before_reminder,
    EmailKind.REMINDER_DAY_OF: reminders.day_of_reminder,
    EmailKind.ATTENDANCE_QUESTION: reminders.attendance_question,
}
# Emails to a person who RSVPed: without their RSVP (erased), there is no one to write to.
ABOUT_AN_RSVP = frozenset(WRITERS) - {
    EmailKind.HOST_CONFIRMATION,
    EmailKind.EVENT_APPROVED,
    EmailKind.EVENT_REJECTED,
    EmailKind.CHANGES_APPROVED,
    EmailKind.CHANGES_REJECTED,
    EmailKind.CO_HOST_INVITATION,
}

REMINDERS = frozenset({EmailKind.REMINDER_DAY_BEFORE, EmailKind.REMINDER_DAY_OF})


def written_email(message: OutboxMessage) -> WrittenEmail | None:
    """The message as it goes out now; None when the event or RSVP it names is gone."""
    if message.kind is None:  # written when it was queued, before kinds existed
        return WrittenEmail(
            message.subject, message.body_text, message.ics_attachment, message.reply_to
        )
    kind = EmailKind(message.kind)
    event = db.session.get(Event, message.event_id) if message.event_id else None
    rsvp = db.session.get(Rsvp, message.rsvp_id) if message.rsvp_id else None
    if event is None or (kind in ABOUT_AN_RSVP and rsvp is None):
        return None
    if kind in REMINDERS and not still_worth_sending(event, rsvp):
        return None  # cancelled since it was queued: dropped unsent
    if kind == EmailKind.ATTENDANCE_QUESTION and not still_worth_asking(event, rsvp):
        return None  # checked in or answered since
    letter = Letter(event, rsvp, message.private_token, message.facts or {})
    with force_locale(formatting_locale(known_language(message.language))):
        written = WRITERS[kind](letter)
    return WrittenEmail(
        shortened(written.subject, MAX_SUBJECT_LENGTH),
        written.body_text,
        written.ics_attachment,
        written.reply_to,
        written.calendar_method,
    )


def known_language(language: str | None) -> str:
    """The row's language if the site still speaks it, else the default."""
    languages = supported_languages()
    return language if language in languages else languages[0]


def email_for(message: OutboxMessage, sender: str) -> EmailMessage | None:
    """The outbox row as an email, its .ics attached as text/calendar; None when what it
    is about is gone (see written_email)."""
    written = written_email(message)
    if written is None:
        return None
    email = EmailMessage()
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    email["From"] = sender
    email["To"] = message.to_address
    if written.reply_to:
        email["Reply-To"] = written.reply_to
    # Subjects carry titles people typed: keep them on one header line.
    email["Subject"] = " ".join(written.subject.split())
    email["Date"] = format_datetime(message.created_at)
    # The same Message-ID on every try, so a mail client can drop a rare duplicate.
    email["Message-ID"] = f"<outbox-{message.id}.{int(message.created_at.timestamp())}@{domain}>"
    email.set_content(written.body_text)
    if written.ics_attachment:
        email.add_attachment(
            written.ics_attachment,
            subtype="calendar",
            filename="event.ics",
            params={"method": written.calendar_method},
        )
    return email
