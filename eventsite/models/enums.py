"""What kind an event is and where events, RSVPs and emails stand, with their labels."""

import enum

from flask_babel import lazy_gettext as _l


class EventKind(enum.StrEnum):
    PROTEST = "protest"
    MARCH = "march"
    RALLY = "rally"
    VIGIL = "vigil"
    TOWN_HALL = "town_hall"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The kind's name in the reader's language."""
        return str(KIND_LABELS[self])


class AttendanceMode(enum.StrEnum):
    """Where people take part: at the place, online (by the meeting link), or either."""

    IN_PERSON = "in_person"
    VIRTUAL = "virtual"
    BOTH = "both"

    @property
    def label(self) -> str:
        return str(ATTENDANCE_MODE_LABELS[self])


class EventStatus(enum.StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return str(EVENT_STATUS_LABELS[self])


class GeocodeStatus(enum.StrEnum):
    """How sure we are of an event's coordinates."""

    ADDRESS = "address"  # the geocoder matched the street address
    ZIP_PENDING = "zip_pending"  # placed at the zip centroid; geocoder to be asked again
    ZIP_FLAGGED = "zip_flagged"  # geocoder's answer was implausible; zip centroid kept
    ZIP_ONLY = "zip_only"  # offline geocoding by configuration


class RsvpStatus(enum.StrEnum):
    GOING = "going"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(RSVP_STATUS_LABELS[self])


# What people see for each kind and status, translated; the stored values never change.
KIND_LABELS = {
    EventKind.PROTEST: _l("Protest"),
    EventKind.MARCH: _l("March"),
    EventKind.RALLY: _l("Rally"),
    EventKind.VIGIL: _l("Vigil"),
    EventKind.TOWN_HALL: _l("Town hall"),
    EventKind.OTHER: _l("Other"),
}
ATTENDANCE_MODE_LABELS = {
    AttendanceMode.IN_PERSON: _l("In person"),
    AttendanceMode.VIRTUAL: _l("Online"),
    AttendanceMode.BOTH: _l("In person and online"),
}
EVENT_STATUS_LABELS = {
    EventStatus.PENDING: _l("Waiting for approval"),
    EventStatus.PUBLISHED: _l("Listed"),
    EventStatus.CANCELLED: _l("Cancelled"),
    EventStatus.REJECTED: _l("Not approved"),
}
RSVP_STATUS_LABELS = {
    RsvpStatus.GOING: _l("Going"),
    RsvpStatus.WAITLISTED: _l("On the waitlist"),
    RsvpStatus.CANCELLED: _l("Cancelled"),
}


class MessageStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry


class MessageChannel(enum.StrEnum):
    """How an outbox row goes: an email over SMTP, or a text message through the SMS provider."""

    EMAIL = "email"
    SMS = "sms"


class EmailKind(enum.StrEnum):
    """Which email an outbox row names; the sender writes its words (email_writing.py)."""

    HOST_CONFIRMATION = "host_confirmation"
    EVENT_APPROVED = "event_approved"
    EVENT_REJECTED = "event_rejected"
    CHANGES_APPROVED = "changes_approved"
    CHANGES_REJECTED = "changes_rejected"
    RSVP_CONFIRMATION = "rsvp_confirmation"
    RSVP_LINK = "rsvp_link"
    RSVP_CHANGED = "rsvp_changed"
    RSVP_CANCELLED = "rsvp_cancelled"
    WAITLIST_PROMOTION = "waitlist_promotion"
    EVENT_CHANGED = "event_changed"
    EVENT_CANCELLED = "event_cancelled"
    HOST_MESSAGE = "host_message"
    REMINDER_DAY_BEFORE = "reminder_day_before"
    REMINDER_DAY_OF = "reminder_day_of"
    ATTENDANCE_QUESTION = "attendance_question"
    CO_HOST_INVITATION = "co_host_invitation"


class ReminderKind(enum.StrEnum):
    """Which reminder an RSVP got: the day before the event, a few hours before it, or,
    after it, the question "Did you make it?"."""

    DAY_BEFORE = "day_before"
    DAY_OF = "day_of"
    AFTER = "after"
