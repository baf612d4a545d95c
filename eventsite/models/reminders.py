"""Reminders sent to people who RSVPed: one row per RSVP and kind, so none goes twice."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .columns import UTCDateTime, enum_column, utcnow
from .enums import ReminderKind
from .rsvps import Rsvp


class Reminder(db.Model):
    """A reminder queued for one RSVP, inserted in the transaction that queues its email.

    The unique (rsvp_id, kind) is what keeps two runs of send-reminders, even at once,
    from queueing it twice. token_hash opens its one-tap links ("I'm coming", "I can't
    make it"); only the SHA-256 is kept, and erasing the RSVP blanks it.
    """

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("rsvp_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rsvp_id: Mapped[int] = mapped_column(ForeignKey("rsvps.id", ondelete="CASCADE"))
    kind: Mapped[ReminderKind] = mapped_column(enum_column(ReminderKind, "reminder_kind"))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the person tapped "I'm coming" in this reminder.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    rsvp: Mapped[Rsvp] = relationship()
