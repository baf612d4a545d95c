"""An event: where and when, its seats, its status and its host."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Computed,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .campaigns import Campaign
from .columns import UTCDateTime, enum_column, utcnow
from .enums import AttendanceMode, EventKind, EventStatus, GeocodeStatus
from .images import Image

if TYPE_CHECKING:  # each side of a relationship names the other
    from .rsvps import Rsvp
    from .timeslots import Timeslot


# Its own table: rebuilding events to add a column trips on SQLite's generated column.
event_images = db.Table(
    "event_images",
    db.Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    db.Column("image_id", ForeignKey("images.id", ondelete="CASCADE"), nullable=False),
)


# What the search filters and the distance read, after the columns an index is sought by.
FILTERED_COLUMNS = ("starts_at", "attendance_mode", "latitude", "longitude")


class Event(db.Model):
    """Something happening at a place and time that people can RSVP to."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint("seats_taken >= 0", name="seats_taken_not_negative"),
        CheckConstraint(
            "capacity IS NULL OR seats_taken <= capacity", name="seats_taken_within_capacity"
        ),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        # Upcoming events anywhere, and with a kind chosen, that kind's: a filtered search
        # that finds nothing near widens to these, and SQLite (no nearest-point index)
        # decides from them alone which entries match (migration 0019).
        Index("ix_events_status_ends_at", "status", "ends_at", "kind", *FILTERED_COLUMNS),
        Index("ix_events_status_kind_ends_at", "status", "kind", "ends_at", *FILTERED_COLUMNS),
        # send-reminders: listed events starting within the next two days.
        Index("ix_events_status_starts_at", "status", "starts_at"),
        # Nearest-event search seeks each 0.1-degree latitude band of the search box, then
        # the box's longitude range inside it; the other columns let the index alone
        # decide which entries match (online-only events and the filters by date and kind
        # too), so only the rows shown are read from the table, and counts not at all.
        Index(
            "ix_events_latitude_band_longitude",
            "latitude_band",
            "longitude",
            "latitude",
            "status",
            "ends_at",
            "attendance_mode",
            "starts_at",
            "kind",
        ),
        # Online events anywhere, soonest first (the "online" search and its filters).
        Index(
            "ix_events_attendance_mode_status_starts_at", "attendance_mode", "status", "starts_at"
        ),
        # PostgreSQL only (migration 0004): the nearest events anywhere, in distance order.
        Index(
            "ix_events_earth_position",
            func.ll_to_earth(text("latitude"), text("longitude")),
            postgresql_using="gist",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, "event_kind"))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    venue: Mapped[str] = mapped_column(String(200), default="")
    street_address: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(2))
    zip_code: Mapped[str] = mapped_column(String(5))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    # Kept by the database (see LATITUDE_BANDS_PER_DEGREE in nearby_statements.py).
    latitude_band: Mapped[int | None] = mapped_column(
        Integer, Computed("floor(latitude * 10)", persisted=True)
    )
    geocode_status: Mapped[GeocodeStatus] = mapped_column(
        enum_column(GeocodeStatus, "geocode_status"), default=GeocodeStatus.ZIP_PENDING
    )
    geocode_attempts: Mapped[int] = mapped_column(Integer, default=0)
    accessibility_notes: Mapped[str] = mapped_column(Text, default="")
    attendance_mode: Mapped[AttendanceMode] = mapped_column(
        enum_column(AttendanceMode, "attendance_mode"),
        default=AttendanceMode.IN_PERSON,
        server_default=AttendanceMode.IN_PERSON.value,
    )
    # Private: only people who RSVPed see it (their page, emails and calendar file).
    meeting_link: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # "Show the address only to people who RSVP": the public sees the zip code's area, and
    # the event is placed at the zip code's centre (places.py), so no map or distance
    # tells the street either.
    address_private: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Retired by migration 0018: capacity and seats are per timeslot now (Timeslot). The
    # columns stay, NULL and 0, because SQLite can drop neither (CHECKs name them) without
    # rebuilding events, which cannot copy the generated latitude_band.
    retired_capacity: Mapped[int | None] = mapped_column("capacity", Integer)
    retired_seats_taken: Mapped[int] = mapped_column("seats_taken", Integer, default=0)
    status: Mapped[EventStatus] = mapped_column(
        enum_column(EventStatus, "event_status"), default=EventStatus.PUBLISHED
    )
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    # The host may turn off the reminders send-reminders emails to attendees.
    reminders_off: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The host's last message to attendees, repeated in the day-of reminder.
    last_message_subject: Mapped[str] = mapped_column(String(150), default="", server_default="")
    last_message_body: Mapped[str] = mapped_column(Text, default="", server_default="")
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # iCalendar SEQUENCE: bumped by each change of time or place, so calendar apps that
    # were sent the event's .ics update their entry (same UID) instead of ignoring it.
    calendar_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # With moderation on, a host's edits to a listed event's public details wait here
    # ({field: new value}) for an organizer; the row keeps the approved version.
    proposed_changes: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    changes_proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    host_name: Mapped[str] = mapped_column(String(120))
    host_email: Mapped[str] = mapped_column(String(254))
    host_phone: Mapped[str] = mapped_column(String(40), default="")
    manage_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Forgetting (forgetting.py): when the host and organizers were told the attendee list
    # will be erased, when it was, and when the host's own contact details were.
    erasure_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attendees_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    host_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign | None] = relationship(back_populates="events")
    rsvps: Mapped[list["Rsvp"]] = relationship(back_populates="event")
    # One query loads them all (at most MAX_TIMESLOTS), in time order.
    timeslots: Mapped[list["Timeslot"]] = relationship(
        back_populates="event",
        order_by="(Timeslot.starts_at, Timeslot.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    # A picture the host added (issue 20), served like a campaign's.
    image: Mapped[Image | None] = relationship(secondary=event_images)

    @property
    def image_id(self) -> int | None:
        return self.image.id if self.image else None

    @image_id.setter
    def image_id(self, value: int | None) -> None:
        # Set like the other details (apply_details), kept in event_images.
        self.image = db.session.get(Image, value) if value is not None else None

    @property
    def active_timeslots(self) -> list["Timeslot"]:
        """The shifts not cancelled, past ones too, in time order."""
        return [slot for slot in self.timeslots if not slot.is_cancelled]

    @property
    def open_timeslots(self) -> list["Timeslot"]:
        """The shifts people can still RSVP to, in time order."""
        return [slot for slot in self.timeslots if slot.is_open]

    def timeslot_at(self, moment: datetime) -> "Timeslot | None":
        """The shift going on at moment, else the one starting nearest to it."""
        slots = self.active_timeslots or self.timeslots
        going_on = [slot for slot in slots if slot.starts_at <= moment < slot.ends_at]
        nearest = sorted(slots, key=lambda slot: abs(slot.starts_at - moment))
        return (going_on or nearest or [None])[0]

    @property
    def next_timeslot(self) -> "Timeslot | None":
        """The first shift still open, else the last not cancelled (for a past event)."""
        slots = self.open_timeslots or self.active_timeslots[-1:]
        return slots[0] if slots else None

    @property
    def next_starts_at(self) -> datetime:
        slot = self.next_timeslot
        return slot.starts_at if slot else self.starts_at

    @property
    def next_ends_at(self) -> datetime:
        slot = self.next_timeslot
        return slot.ends_at if slot else self.ends_at

    @property
    def more_times(self) -> int:
        """Shifts still open after the next one."""
        return max(len(self.open_timeslots) - 1, 0)

    @property
    def seats_taken(self) -> int:
        """Seats held across the event's shifts (a person at two shifts counts twice)."""
        return sum(slot.seats_taken for slot in self.active_timeslots)

    @property
    def total_capacity(self) -> int | None:
        """Spots across the shifts not cancelled; None when any has no limit."""
        slots = self.active_timeslots
        if any(slot.capacity is None for slot in slots):
            return None
        return sum(slot.capacity for slot in slots)

    @property
    def is_full(self) -> bool:
        """Every shift still open is full (RSVPs join a waitlist)."""
        slots = self.open_timeslots
        return bool(slots) and all(slot.is_full for slot in slots)

    @property
    def is_upcoming(self) -> bool:
        return self.ends_at > utcnow()

    @property
    def accepts_rsvps(self) -> bool:
        return self.status == EventStatus.PUBLISHED and self.is_upcoming

    def keep_span_of_timeslots(self) -> None:
        """starts_at and ends_at span the shifts not cancelled, so searches for upcoming
        events (on events.ends_at) find an event while any of its shifts is to come."""
        slots = self.active_timeslots
        if slots:
            self.starts_at = min(slot.starts_at for slot in slots)
            self.ends_at = max(slot.ends_at for slot in slots)

    @property
    def is_virtual(self) -> bool:
        """People can take part online (a virtual or hybrid event)."""
        return self.attendance_mode != AttendanceMode.IN_PERSON

    @property
    def is_in_person(self) -> bool:
        return self.attendance_mode != AttendanceMode.VIRTUAL

    @property
    def area(self) -> str:
        """The zip code's area: all the public reads of a private address."""
        return f"{self.city}, {self.state} {self.zip_code}"

    @property
    def public_address(self) -> str:
        """The address as anyone may read it: the area alone when it is private."""
        return self.area if self.address_private else self.full_address

    @property
    def full_address(self) -> str:
        street = ", ".join(part for part in (self.venue, self.street_address) if part)
        place = f"{self.city}, {self.state} {self.zip_code}"
        return f"{street}, {place}" if street else place
