"""Campaigns, the organizers who run them, and the API keys organizers make."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..passwords import hash_password, needs_new_hash, password_matches
from .columns import UTCDateTime, utcnow
from .images import Image

if TYPE_CHECKING:  # each side of a relationship names the other
    from .events import Event


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
    # Its face (issue 20): a picture, a line under the name, a colour white text reads on.
    image_id: Mapped[int | None] = mapped_column(ForeignKey("images.id", ondelete="SET NULL"))
    tagline: Mapped[str] = mapped_column(String(140), default="", server_default="")
    accent_color: Mapped[str] = mapped_column(String(7), default="", server_default="")
    # The rest of the call to action: a hashtag (without #), a post to share, and
    # [{"label": ..., "url": ...}] links to petitions or other actions.
    hashtag: Mapped[str] = mapped_column(String(60), default="", server_default="")
    suggested_post: Mapped[str] = mapped_column(Text, default="", server_default="")
    actions: Mapped[list | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    events: Mapped[list["Event"]] = relationship(back_populates="campaign")
    image: Mapped[Image | None] = relationship()
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
