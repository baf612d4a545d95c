"""RSVPs and their further private links."""

import secrets
import string
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
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from ..extensions import db
from .columns import UTCDateTime, enum_column, new_token, utcnow
from .enums import RsvpStatus
from .events import Event
from .timeslots import Timeslot


def no_email_of_walk_in() -> str:
    """What a walk-in who gave no email has in its place: unique on the event's list (one
    row per address) and never an address, so no email goes to it (Rsvp.email_address)."""
    return "walk-in-" + new_token()[:16]


def no_email_of_phone(phone: str) -> str:
    """What an RSVP by phone alone has in the email's place: never an address, and the same
    for the same number, so the unique (event_id, email) keeps two at once from one phone."""
    return "phone:" + phone


# Letters and digits only: a code never starts like a spreadsheet formula, or a flag.
_CODE_ALPHABET = string.ascii_letters + string.digits


def new_referral_code() -> str:
    """A short random code for a person's invite link (about 60 bits: not guessable in bulk)."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


class Rsvp(db.Model):
    """One person's answer to one of an event's timeslots, with the guests they bring.

    Someone who signs up for several shifts has one RSVP at each (as Mobilize's
    attendances are), each with its own status, seats and private link."""

    __tablename__ = "rsvps"
    __table_args__ = (
        # One RSVP per person per shift: a second one finds the first.
        UniqueConstraint("timeslot_id", "email"),
        CheckConstraint("guests >= 0 AND guests <= 10", name="guests_in_range"),
        Index("ix_rsvps_event_id_status_created_at", "event_id", "status", "created_at"),
        # The host's check-in list: one event's RSVPs in name order, a page at a time.
        Index("ix_rsvps_event_id_name", "event_id", "name"),
        # A shift's waitlist in the order people joined it.
        Index("ix_rsvps_timeslot_id_status_created_at", "timeslot_id", "status", "created_at"),
        # The same person RSVPing again is found by phone number too.
        Index("ix_rsvps_event_id_phone", "event_id", "phone"),
        # The campaign dashboard's figures (organizers/dashboard_queries.py): each is an
        # aggregate over a campaign's events read from one of these, never from the table.
        Index("ix_rsvps_event_id_checked_in_at", "event_id", "checked_in_at"),
        Index("ix_rsvps_event_id_utm_source", "event_id", "utm_source"),
        # Only RSVPs that came by an invite link: few, so top referrers reads few entries.
        Index(
            "ix_rsvps_ref_event_id",
            "ref",
            "event_id",
            postgresql_where=text("ref IS NOT NULL"),
            sqlite_where=text("ref IS NOT NULL"),
        ),
        Index("ix_rsvps_referral_code", "referral_code", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    timeslot_id: Mapped[int] = mapped_column(ForeignKey("timeslots.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    # E.164 (+15551234567) since RSVPs by phone; typed as it came before.
    phone: Mapped[str] = mapped_column(String(40), default="")
    # The person ticked "Text me about this event": when, and which wording they saw
    # (texts.CONSENT_WORDINGS). None: no text is ever queued to them.
    sms_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sms_consent_wording: Mapped[str | None] = mapped_column(String(20))
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
    # Where the RSVP came from (attribution.py): the UTM tags and the referral code of the
    # link the person arrived by, carried in URLs and the form, never in a cookie.
    utm_source: Mapped[str | None] = mapped_column(String(100))
    utm_medium: Mapped[str | None] = mapped_column(String(100))
    utm_campaign: Mapped[str | None] = mapped_column(String(100))
    utm_content: Mapped[str | None] = mapped_column(String(100))
    utm_term: Mapped[str | None] = mapped_column(String(100))
    ref: Mapped[str | None] = mapped_column(String(32))
    # The person's own code for the "invite friends" link: random, not their email or id.
    referral_code: Mapped[str | None] = mapped_column(String(32), default=new_referral_code)
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
    timeslot: Mapped[Timeslot] = relationship()

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

    # Whether the number texted STOP since (texts.stopped_texts()): loaded by the exports.
    texts_stopped: Mapped[bool | None] = query_expression()

    @property
    def texts_allowed(self) -> bool:
        """A mobile number and the person's consent to texts (opt-outs are checked apart)."""
        return bool(self.phone) and self.sms_consent_at is not None

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
