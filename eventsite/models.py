"""The database: campaigns, events, RSVPs, and what hosts and organizers need around them."""

import enum
import hashlib
import secrets
from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .passwords import hash_password, needs_new_hash, password_matches


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_token() -> str:
    """An unguessable private token (256 bits) for a link in an email."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Tokens are stored only as their SHA-256, so a database leak reveals no links."""
    return hashlib.sha256(token.encode()).hexdigest()


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _enum(enum_class, name):
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [member.value for member in members],
    )


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


campaign_organizers = db.Table(
    "campaign_organizers",
    db.Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    db.Column("organizer_id", ForeignKey("organizers.id", ondelete="CASCADE"), primary_key=True),
)


class Campaign(db.Model):
    """A day of action or other umbrella under which many hosts list events."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    action_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    events: Mapped[list["Event"]] = relationship(back_populates="campaign")
    organizers: Mapped[list["Organizer"]] = relationship(
        secondary=campaign_organizers, back_populates="campaigns"
    )


class Organizer(UserMixin, db.Model):
    """A person who runs campaigns and moderates their events."""

    __tablename__ = "organizers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of every session's user id: moving it on ends all sessions issued before.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    campaigns: Mapped[list[Campaign]] = relationship(
        secondary=campaign_organizers, back_populates="organizers"
    )

    def get_id(self) -> str:
        """What the session cookie holds: '12:3', organizer 12 in their third session era."""
        return f"{self.id}:{self.session_version or 0}"

    def end_sessions(self) -> None:
        """Every session cookie issued so far stops working (logout, a new password)."""
        self.session_version = Organizer.session_version + 1

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)
        if self.id is not None:
            self.end_sessions()

    def check_password(self, password: str) -> bool:
        """Whether password is this organizer's; a match kept the old way is kept anew (the
        caller's transaction saves it), without ending any session."""
        matches = password_matches(self.password_hash, password)
        if matches and needs_new_hash(self.password_hash):
            self.password_hash = hash_password(password)
        return matches

    def can_manage(self, event: "Event") -> bool:
        """Organizers run their campaigns' events; events outside any campaign are
        moderated by every organizer (the site's own team)."""
        return self.runs(event.campaign_id)

    def runs(self, campaign_id: int | None) -> bool:
        """Whether this organizer decides what is listed in a campaign (None: no campaign)."""
        return campaign_id is None or any(c.id == campaign_id for c in self.campaigns)


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
        Index("ix_events_status_ends_at", "status", "ends_at"),
        # Nearest-event search seeks each 0.1-degree latitude band of the search box, then
        # the box's longitude range inside it; the other columns let the index alone
        # decide which entries match, so only the rows shown are read from the table.
        Index(
            "ix_events_latitude_band_longitude",
            "latitude_band",
            "longitude",
            "latitude",
            "status",
            "ends_at",
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
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind, "event_kind"))
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
        _enum(GeocodeStatus, "geocode_status"), default=GeocodeStatus.ZIP_PENDING
    )
    geocode_attempts: Mapped[int] = mapped_column(Integer, default=0)
    accessibility_notes: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    # Seats held by going RSVPs (each RSVP holds 1 + guests); kept by conditional UPDATEs.
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[EventStatus] = mapped_column(
        _enum(EventStatus, "event_status"), default=EventStatus.PUBLISHED
    )
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    # With moderation on, a host's edits to a listed event's public details wait here
    # ({field: new value}) for an organizer; the row keeps the approved version.
    proposed_changes: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    changes_proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    host_name: Mapped[str] = mapped_column(String(120))
    host_email: Mapped[str] = mapped_column(String(254))
    host_phone: Mapped[str] = mapped_column(String(40), default="")
    manage_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign | None] = relationship(back_populates="events")
    rsvps: Mapped[list["Rsvp"]] = relationship(back_populates="event")

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.seats_taken >= self.capacity

    @property
    def is_upcoming(self) -> bool:
        return self.ends_at > utcnow()

    @property
    def accepts_rsvps(self) -> bool:
        return self.status == EventStatus.PUBLISHED and self.is_upcoming

    @property
    def full_address(self) -> str:
        street = ", ".join(part for part in (self.venue, self.street_address) if part)
        place = f"{self.city}, {self.state} {self.zip_code}"
        return f"{street}, {place}" if street else place


class Rsvp(db.Model):
    """One person's answer to an event, with the guests they bring."""

    __tablename__ = "rsvps"
    __table_args__ = (
        # One RSVP per person per event: a second one updates the first.
        UniqueConstraint("event_id", "email"),
        CheckConstraint("guests >= 0 AND guests <= 10", name="guests_in_range"),
        Index("ix_rsvps_event_id_status_created_at", "event_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(40), default="")
    zip_code: Mapped[str] = mapped_column(String(5))
    guests: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[RsvpStatus] = mapped_column(_enum(RsvpStatus, "rsvp_status"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # Optimistic lock: an UPDATE that lost a race raises StaleDataError and is retried.
    version: Mapped[int] = mapped_column(Integer, default=1)

    event: Mapped[Event] = relationship(back_populates="rsvps")

    __mapper_args__ = {"version_id_col": version}

    @property
    def seats(self) -> int:
        return 1 + self.guests


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


class OutboxMessage(db.Model):
    """An email waiting to be sent, written in the same transaction as its cause."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    ics_attachment: Mapped[str | None] = mapped_column(Text)
    # Where replies go (a host, or the organizers); empty: to the From address.
    reply_to: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[MessageStatus] = mapped_column(
        _enum(MessageStatus, "message_status"), default=MessageStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GeocodedAddress(db.Model):
    """The geocoder's answer for one normalised address, so each is asked once."""

    __tablename__ = "geocoded_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(400), unique=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    provider: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiKey(db.Model):
    """A bearer key an organizer made for reading a campaign's attendances."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    organizer_id: Mapped[int] = mapped_column(ForeignKey("organizers.id", ondelete="CASCADE"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organizer: Mapped[Organizer] = relationship()
    campaign: Mapped[Campaign] = relationship()
