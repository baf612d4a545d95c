"""The database: campaigns, events, RSVPs, and what hosts and organizers need around them.

One module a part of the schema; every name is here, so `from eventsite.models import X`.
"""

from .background import GeocodedAddress, OutboxMessage
from .campaigns import ApiKey, Campaign, Organizer, campaign_organizers
from .co_hosts import CoHost
from .columns import UTCDateTime, enum_column, hash_token, new_token, utcnow
from .enums import (
    EVENT_STATUS_LABELS,
    KIND_LABELS,
    RSVP_STATUS_LABELS,
    EmailKind,
    EventKind,
    EventStatus,
    GeocodeStatus,
    MessageStatus,
    ReminderKind,
    RsvpStatus,
)
from .events import Event
from .reminders import Reminder
from .rsvps import Rsvp, RsvpLink, no_email_of_walk_in

__all__ = [
    "EVENT_STATUS_LABELS",
    "KIND_LABELS",
    "RSVP_STATUS_LABELS",
    "ApiKey",
    "Campaign",
    "CoHost",
    "EmailKind",
    "Event",
    "EventKind",
    "EventStatus",
    "GeocodeStatus",
    "GeocodedAddress",
    "MessageStatus",
    "Organizer",
    "OutboxMessage",
    "Reminder",
    "ReminderKind",
    "Rsvp",
    "RsvpLink",
    "RsvpStatus",
    "UTCDateTime",
    "campaign_organizers",
    "enum_column",
    "hash_token",
    "new_token",
    "no_email_of_walk_in",
    "utcnow",
]
