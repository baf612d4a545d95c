"""A timeslot (a shift): one time an event happens, with its own seats and waitlist."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .columns import UTCDateTime, utcnow

if TYPE_CHECKING:  # each side of a relationship names the other
    from .events import Event

# Shifts an event may have at once (a year of weekly dates, and room for more): every
# page that lists them stays bounded.
MAX_TIMESLOTS = 60


class Timeslot(db.Model):
    """One start and end of an event, with its optional capacity and the seats held in it.

    The seat rule holds here: seats are taken by one conditional UPDATE (rsvps.py), and a
    CHECK keeps seats_taken within capacity.
    """

    __tablename__ = "timeslots"
    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint("seats_taken >= 0", name="seats_taken_not_negative"),
        CheckConstraint(
            "capacity IS NULL OR seats_taken <= capacity", name="seats_taken_within_capacity"
        ),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        # An event's shifts in time order: the event page's one query, search rows' summary.
        Index("ix_timeslots_event_id_starts_at", "event_id", "starts_at"),
        # send-reminders: shifts starting within the next two days.
        Index("ix_timeslots_starts_at", "starts_at"),
        # send-reminders: shifts that ended in the last two days ("Did you make it?").
        Index("ix_timeslots_ends_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int | None] = mapped_column(Integer)
    # Seats held by going RSVPs to this shift (each holds 1 + guests).
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped["Event"] = relationship(back_populates="timeslots")

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.seats_taken >= self.capacity

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_upcoming(self) -> bool:
        return self.ends_at > utcnow()

    @property
    def is_open(self) -> bool:
        """Takes RSVPs: not cancelled and not over (the event's own status aside)."""
        return not self.is_cancelled and self.is_upcoming
