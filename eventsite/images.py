"""Uploaded pictures: checked with Pillow, stripped of every metadata tag (EXIF, XMP, GPS),
resized to a few widths as WebP and JPEG, and kept in the database for every app server.

A phone photo carries where it was taken; only its pixels are ever kept or served.
"""

import hashlib
import warnings
from dataclasses import dataclass
from io import BytesIO

from flask import Flask, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from PIL import Image as Pillow
from PIL import ImageOps, UnidentifiedImageError
from sqlalchemy import select
from wtforms.validators import StopValidation

from .extensions import db
from .models import Image, ImageVariant
from .transactions import unit_of_work
from .urls import external_url

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# A small file can unpack to gigabytes of pixels (a decompression bomb): 40 megapixels
# is more than any phone camera takes.
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000
MIN_WIDTH = 320
MIN_HEIGHT = 160
WIDTHS = (480, 960, 1440)
FORMATS = {"webp": "image/webp", "jpeg": "image/jpeg"}
READABLE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# Cached for a year by browsers and proxies: a new picture has a new digest, so a new URL.
IMMUTABLE = "public, max-age=31536000, immutable"


class ImageRefused(ValueError):
    """An upload we will not keep, with the message shown by its field."""


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    format: str
    data: bytes


@dataclass(frozen=True)
class PreparedImage:
    """A checked upload's variants, metadata gone, not yet saved."""

    digest: str
    width: int
    height: int
    variants: tuple[Variant, ...]


def _opened(data: bytes) -> Pillow.Image:
    """The upload decoded, after its header says it is a picture of a sane size."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Pillow.DecompressionBombWarning)
        probe = Pillow.open(BytesIO(data))
        if probe.format not in READABLE_FORMATS:
            raise ImageRefused(_("Choose a JPEG, PNG, WebP or GIF picture."))
        width, height = probe.size
        if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
            raise ImageRefused(
                _(
                    "This picture is too large (%(width)s × %(height)s pixels); choose one under "
                    "40 megapixels.",
                    width=width,
                    height=height,
                )
            )
        if width < MIN_WIDTH or height < MIN_HEIGHT:
            raise ImageRefused(
                _(
                    "This picture is too small; choose one at least %(width)s pixels wide.",
                    width=MIN_WIDTH,
                )
            )
        probe.verify()
        picture = Pillow.open(BytesIO(data))
        # A JPEG decodes at a half, quarter or eighth of its size when that still covers
        # the widest variant: a 40-megapixel photo then takes a fraction of the memory.
        picture.draft("RGB", (WIDTHS[-1], WIDTHS[-1]))
        picture.load()
    return picture


def _smaller(picture: Pillow.Image) -> Pillow.Image:
    """The picture reduced by a whole factor, still at least the widest variant, EXIF kept
    (exif_transpose reads its orientation next)."""
    exif = picture.getexif()
    reduced = picture.reduce(picture.width // WIDTHS[-1])
    reduced.info["exif"] = exif.tobytes()
    return reduced


def _pixels_only(picture: Pillow.Image) -> Pillow.Image:
    """The picture upright, on white where it was transparent, as a new image with no
    metadata at all: EXIF (and its GPS), XMP, ICC, comments stay behind."""
    if picture.width >= 2 * WIDTHS[-1] and picture.mode in ("RGB", "RGBA", "L", "LA"):
        # A smaller copy first: fewer pixels to copy below.
        picture = _smaller(picture)
    upright = ImageOps.exif_transpose(picture) or picture
    if upright.mode in ("RGBA", "LA", "P", "PA"):
        rgba = upright.convert("RGBA")
        flat = Pillow.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
    else:
        flat = upright.convert("RGB")
    return Pillow.frombytes("RGB", flat.size, flat.tobytes())


def _encoded(picture: Pillow.Image, fmt: str) -> bytes:
    out = BytesIO()
    if fmt == "webp":
        picture.save(out, "WEBP", quality=80, method=4)
    else:
        picture.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()


def prepare_image(data: bytes) -> PreparedImage:
    """Check an upload and make its variants; raises ImageRefused with a message to show."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRefused(_("Choose a picture under 10 MB."))
    try:
        clean = _pixels_only(_opened(data))
    except ImageRefused:
        raise
    except (Pillow.DecompressionBombError, Pillow.DecompressionBombWarning):
        raise ImageRefused(
            _("This picture is too large; choose one under 40 megapixels.")
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ImageRefused(
            _("This file is not a picture we can read; choose a JPEG or PNG.")
        ) from None
    widths = sorted({w for w in WIDTHS if w < clean.width} | {min(clean.width, WIDTHS[-1])})
    variants = []
    for width in widths:
        height = max(1, round(clean.height * width / clean.width))
        sized = clean if width == clean.width else clean.resize((width, height), Pillow.LANCZOS)
        variants += [Variant(width, height, fmt, _encoded(sized, fmt)) for fmt in FORMATS]
    largest = variants[-1]
    return PreparedImage(
        digest=hashlib.sha256(largest.data).hexdigest(),
        width=largest.width,
        height=largest.height,
        variants=tuple(variants),
    )


def kept_image(prepared: PreparedImage) -> Image:
    """The prepared picture as a row in the caller's unit of work; the same pixels
    uploaded twice are kept once."""
    image = db.session.scalar(select(Image).where(Image.digest == prepared.digest))
    if image is None:
        image = Image(
            digest=prepared.digest,
            width=prepared.width,
            height=prepared.height,
            widths_text=",".join(str(v.width) for v in prepared.variants[::2]),
            variants=[
                ImageVariant(width=v.width, height=v.height, format=v.format, data=v.data)
                for v in prepared.variants
            ],
        )
        db.session.add(image)
        db.session.flush()
    return image


def variant_bytes(digest: str, width: int, fmt: str) -> bytes | None:
    """One variant's bytes, by the image's digest; None when there is no such variant."""
    return db.session.scalar(
        select(ImageVariant.data)
        .join(Image)
        .where(Image.digest == digest, ImageVariant.width == width, ImageVariant.format == fmt)
    )


class UploadedImage:
    """Validator for a file field: an optional picture, prepared onto field.prepared."""

    field_flags = {"optional": True}

    def __call__(self, form, field):
        field.prepared = None
        upload = field.data
        if upload is None or not getattr(upload, "filename", ""):
            raise StopValidation()  # nothing chosen: keep what there is
        try:
            field.prepared = prepare_image(upload.stream.read(MAX_UPLOAD_BYTES + 1))
        except ImageRefused as refused:
            raise StopValidation(str(refused)) from None


def saved_image_id(field, current_id: int | None) -> int | None:
    """The id of the picture a form's field brought (saved now), else the current one."""
    prepared = getattr(field, "prepared", None)
    if prepared is None:
        return current_id
    with unit_of_work():
        return kept_image(prepared).id


def image_url(image: Image, width: int, fmt: str = "jpeg") -> str:
    return url_for("site.image", digest=image.digest, width=width, fmt=fmt)


def image_srcset(image: Image, fmt: str) -> str:
    """'/images/ab…/480.webp 480w, /images/ab…/960.webp 960w': the browser picks one."""
    return ", ".join(f"{image_url(image, width, fmt)} {width}w" for width in image.widths)


def preview_image_url(image: Image) -> str:
    """The absolute JPEG link previews (Open Graph) and the API give."""
    return external_url("site.image", digest=image.digest, width=image.widths[-1], fmt="jpeg")


IMAGE_FIELD_LABEL = _l("Picture (optional)")


def register_images(app: Flask) -> None:
    app.jinja_env.globals.update(
        image_url=image_url, image_srcset=image_srcset, preview_image_url=preview_image_url
    )
