"""RSVPs and their further private links."""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .columns import UTCDateTime, enum_column, new_token, utcnow
from .enums import RsvpStatus
from .events import Event


def no_email_of_walk_in() -> str:
    """What a walk-in who gave no email has in its place: unique on the event's list (one
    row per address) and never an address, so no email goes to it (Rsvp.email_address)."""
    return "walk-in-" + new_token()[:16]


class Rsvp(db.Model):
    """One person's answer to an event, with the guests they bring."""

    __tablename__ = "rsvps"
    __table_args__ = (
        # One RSVP per person per event: a second one updates the first.
        UniqueConstraint("event_id", "email"),
        CheckConstraint("guests >= 0 AND guests <= 10", name="guests_in_range"),
        Index("ix_rsvps_event_id_status_created_at", "event_id", "status", "created_at"),
        # The host's check-in list: one event's RSVPs in name order, a page at a time.
        Index("ix_rsvps_event_id_name", "event_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(40), default="")
    zip_code: Mapped[str] = mapped_column(String(5))
    guests: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[RsvpStatus] = mapped_column(enum_column(RsvpStatus, "rsvp_status"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When the person's details were erased (forgetting.py): the row stays, counted, and
    # identifies nobody.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the host checked the person (and their guests) in at the door.
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Added by the host at the door: going and arrived, holding no seat (events/operations.py).
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # When the person tapped "I'm coming" in a reminder (the API's CONFIRMED).
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The person's answer to "Did you make it?" after the event: True, False, or None
    # (not asked, or no answer). A check-in at the door counts as attended whatever it says.
    attended: Mapped[bool | None] = mapped_column(Boolean)
    # Their optional one line on how it was.
    attendance_note: Mapped[str] = mapped_column(String(200), default="", server_default="")

    # Optimistic lock: an UPDATE that lost a race raises StaleDataError and is retried.
    version: Mapped[int] = mapped_column(Integer, default=1)

    event: Mapped[Event] = relationship(back_populates="rsvps")

    __mapper_args__ = {"version_id_col": version}

    @property
    def seats(self) -> int:
        return 1 + self.guests

    @hybrid_property
    def has_email(self) -> bool:
        """False for a walk-in who gave no email (no_email_of_walk_in), in Python and SQL."""
        return "@" in self.email

    @has_email.inplace.expression
    @classmethod
    def _has_email_expression(cls):
        return cls.email.contains("@")

    @property
    def attendance(self) -> bool | None:
        """Attended (True), didn't (False) or unknown (None): a check-in counts first."""
        return True if self.checked_in_at is not None else self.attended

    @property
    def email_address(self) -> str:
        """The address to show or write to: none for a walk-in who gave none."""
        return self.email if self.has_email else ""


class RsvpLink(db.Model):
    """A further private link to an RSVP, emailed to its address after the first one.

    Only hashes are stored, so a lost link can't be sent again: a repeat RSVP or a move
    up from the waitlist emails a new link instead, and every earlier one keeps working.
    """

    __tablename__ = "rsvp_links"
    __table_args__ = (Index("ix_rsvp_links_rsvp_id_created_at", "rsvp_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rsvp_id: Mapped[int] = mapped_column(ForeignKey("rsvps.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
