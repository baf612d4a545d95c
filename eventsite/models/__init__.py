"""The database: campaigns, events, RSVPs, and what hosts and organizers need around them.

One module a part of the schema; every name is here, so `from eventsite.models import X`.
"""

from .background import GeocodedAddress, OutboxMessage, SmsOptOut
from .campaigns import ApiKey, Campaign, Organizer, campaign_organizers
from .co_hosts import CoHost
from .columns import UTCDateTime, enum_column, hash_token, new_token, utcnow
from .enums import (
    ATTENDANCE_MODE_LABELS,
    EVENT_STATUS_LABELS,
    KIND_LABELS,
    RSVP_STATUS_LABELS,
    AttendanceMode,
    EmailKind,
    EventKind,
    EventStatus,
    GeocodeStatus,
    MessageChannel,
    MessageStatus,
    ReminderKind,
    RsvpStatus,
)
from .events import Event
from .images import Image, ImageVariant
from .reminders import Reminder
from .rsvps import Rsvp, RsvpLink, new_referral_code, no_email_of_phone, no_email_of_walk_in
from .timeslots import MAX_TIMESLOTS, Timeslot
from .webhooks import Webhook, WebhookDelivery, WebhookTopic

__all__ = [
    "ATTENDANCE_MODE_LABELS",
    "EVENT_STATUS_LABELS",
    "KIND_LABELS",
    "MAX_TIMESLOTS",
    "RSVP_STATUS_LABELS",
    "ApiKey",
    "AttendanceMode",
    "Campaign",
    "CoHost",
    "EmailKind",
    "Event",
    "EventKind",
    "EventStatus",
    "GeocodeStatus",
    "GeocodedAddress",
    "Image",
    "ImageVariant",
    "MessageChannel",
    "MessageStatus",
    "Organizer",
    "OutboxMessage",
    "Reminder",
    "ReminderKind",
    "Rsvp",
    "RsvpLink",
    "RsvpStatus",
    "SmsOptOut",
    "Timeslot",
    "UTCDateTime",
    "Webhook",
    "WebhookDelivery",
    "WebhookTopic",
    "campaign_organizers",
    "enum_column",
    "hash_token",
    "new_referral_code",
    "new_token",
    "no_email_of_phone",
    "no_email_of_walk_in",
    "utcnow",
]
