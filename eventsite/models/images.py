"""Pictures people upload (a campaign's face, an event's image), kept in the database.

The app runs on several servers with no shared disk, so each resized variant is a row;
an image is named by the digest of its cleaned pixels, which makes its URLs immutable.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .columns import UTCDateTime, utcnow


class Image(db.Model):
    """One uploaded picture, metadata removed, with its resized variants."""

    __tablename__ = "images"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the largest JPEG variant: the version in every URL of the image.
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    # "480,960,1440": the variants' widths, so a page builds its srcset without reading them.
    widths_text: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    variants: Mapped[list["ImageVariant"]] = relationship(
        back_populates="image", cascade="all, delete-orphan", order_by="ImageVariant.width"
    )

    @property
    def widths(self) -> list[int]:
        return [int(width) for width in self.widths_text.split(",")]


class ImageVariant(db.Model):
    """The image at one width in one format (webp or jpeg)."""

    __tablename__ = "image_variants"
    __table_args__ = (UniqueConstraint("image_id", "width", "format"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(10))
    data: Mapped[bytes] = mapped_column(LargeBinary)

    image: Mapped[Image] = relationship(back_populates="variants")
