"""Webhooks organizers register for a campaign, and the outbox of their deliveries."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .campaigns import Campaign
from .columns import UTCDateTime, enum_column, utcnow
from .enums import MessageStatus


class WebhookTopic(enum.StrEnum):
    """What a delivery tells a receiver about (its `topic`)."""

    RSVP_CREATED = "rsvp.created"
    RSVP_CHANGED = "rsvp.changed"
    RSVP_CANCELLED = "rsvp.cancelled"
    EVENT_CREATED = "event.created"
    EVENT_CHANGED = "event.changed"
    EVENT_CANCELLED = "event.cancelled"


class Webhook(db.Model):
    """A URL that receives a campaign's changes, signed with the webhook's own secret.

    The secret is shown once, when the webhook is made; the sender needs it to sign each
    delivery (HMAC-SHA256), so it is kept as it is, like a password the site must use.
    """

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(100))
    # The topics (WebhookTopic values) it receives.
    topics: Mapped[list] = mapped_column(JSON)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    campaign: Mapped[Campaign] = relationship()


def new_delivery_id() -> str:
    return str(uuid.uuid4())


class WebhookDelivery(db.Model):
    """One delivery to one webhook, queued in the same transaction as the change it tells.

    Like an email in the outbox, the row names its message: the topic, the event or RSVP,
    and the status it had then (facts); the sender writes the JSON body when it sends it,
    in the API's shapes. Deliveries about one RSVP (or one event) go in the order queued:
    one waits while an earlier one to the same webhook is still pending (order_key).
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_webhook_id_order_key_id", "webhook_id", "order_key", "id"),
        Index("ix_webhook_deliveries_webhook_id_id", "webhook_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    # Sent in a header on every try, so a receiver can drop a repeat.
    delivery_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_delivery_id)
    topic: Mapped[str] = mapped_column(String(30))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    rsvp_id: Mapped[int | None] = mapped_column(
        ForeignKey("rsvps.id", ondelete="CASCADE"), index=True
    )
    # "rsvp:12" or "event:5": what the delivery is about, for the order.
    order_key: Mapped[str] = mapped_column(String(40))
    facts: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[MessageStatus] = mapped_column(
        enum_column(MessageStatus, "message_status"), default=MessageStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    webhook: Mapped[Webhook] = relationship()
