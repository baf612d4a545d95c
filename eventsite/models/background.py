"""What the background commands work through: the email outbox and the geocoder's answers."""

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .columns import UTCDateTime, enum_column, utcnow
from .enums import MessageChannel, MessageStatus


class OutboxMessage(db.Model):
    """An email waiting to be sent, queued in the same transaction as its cause.

    A row names its message: its kind, the event and RSVP it is about, the language, and
    what must stay as it was when queued (facts: the RSVP's status, a reason, a host's own
    words; a private link's token). The sender writes the words and the calendar file when
    it sends it, from the event as it is then (email_writing.py). Rows queued before kinds
    existed carry their written subject and body, and are sent as they are.

    A message goes with its event or RSVP: deleting either (erasing it) deletes the
    message, sent or not, so nothing is sent about a person the site has forgotten.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index(
            "ix_outbox_messages_channel_status_next_attempt_at",
            "channel",
            "status",
            "next_attempt_at",
        ),
        Index("ix_outbox_messages_event_id", "event_id"),
        # An RSVP's messages, newest first (send-reminders reads the newest one's language).
        Index("ix_outbox_messages_rsvp_id_id", "rsvp_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # An email goes to an address over SMTP; a text to an E.164 number through the SMS
    # provider. Each channel has its own sender, with the same leases and retries (mail.py).
    channel: Mapped[MessageChannel] = mapped_column(
        enum_column(MessageChannel, "message_channel"),
        default=MessageChannel.EMAIL,
        server_default=MessageChannel.EMAIL.value,
    )
    to_address: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str | None] = mapped_column(String(40))  # an EmailKind; None: written
    language: Mapped[str | None] = mapped_column(String(10))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    rsvp_id: Mapped[int | None] = mapped_column(ForeignKey("rsvps.id", ondelete="CASCADE"))
    # The private link's token this email carries: only its hash is kept anywhere else, so
    # the row holds it as the written bodies did, as long as they did.
    private_token: Mapped[str | None] = mapped_column(Text)
    facts: Mapped[dict | None] = mapped_column(JSON)
    # Written at queue time, only in rows from before kinds existed.
    subject: Mapped[str | None] = mapped_column(String(300))
    body_text: Mapped[str | None] = mapped_column(Text)
    ics_attachment: Mapped[str | None] = mapped_column(Text)
    # Where replies go (a host, or the organizers); empty: to the From address. Rows that
    # name their message leave it empty: the sender works it out (email_writing.py).
    reply_to: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[MessageStatus] = mapped_column(
        enum_column(MessageStatus, "message_status"), default=MessageStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SmsOptOut(db.Model):
    """A number that texted STOP (or PARAR...): it gets no text from the site, for any
    event, until it texts START."""

    __tablename__ = "sms_opt_outs"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(40), unique=True)
    opted_out_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GeocodedAddress(db.Model):
    """The geocoder's answer for one normalised address, so each is asked once."""

    __tablename__ = "geocoded_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(400), unique=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    provider: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
