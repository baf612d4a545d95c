"""The demo campaign's face and call to action: a picture drawn with Pillow at demo time
(a crowd under a banner), a tagline, a colour, a hashtag, a post and two actions."""

import random
from io import BytesIO

from PIL import Image as Pillow
from PIL import ImageDraw, ImageFont

from .images import kept_image, prepare_image
from .models import Campaign

ACCENT = "#1a5e8a"
SKY_TOP, SKY_BOTTOM = (26, 94, 138), (246, 196, 120)
SHIRTS = [(179, 38, 30), (30, 107, 52), (242, 242, 242), (40, 40, 60), (230, 160, 40)]
SKIN = [(92, 58, 40), (141, 85, 36), (198, 134, 66), (224, 172, 105), (241, 194, 125)]


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def crowd_picture(width: int = 1440, height: int = 720, seed: int = 14) -> bytes:
    """A PNG of a crowd under a banner at sunset: no photo shipped, nothing to strip."""
    rng = random.Random(seed)
    picture = Pillow.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        mix = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * mix) for a, b in zip(SKY_TOP, SKY_BOTTOM, strict=True)),
        )
    draw.rounded_rectangle([width * 0.18, 70, width * 0.82, 210], radius=18, fill=(255, 255, 255))
    draw.text(
        (width / 2, 140),
        "FAMILIES BELONG TOGETHER",
        fill=(179, 38, 30),
        font=_font(64),
        anchor="mm",
    )
    for row in range(4):
        top = 330 + row * 95
        for _ in range(26):
            x = rng.uniform(-20, width + 20)
            head = rng.uniform(26, 34) + row * 4
            draw.rounded_rectangle(
                [x - head * 1.3, top + head, x + head * 1.3, height + 40],
                radius=head,
                fill=rng.choice(SHIRTS),
            )
            draw.ellipse([x - head, top - head, x + head, top + head], fill=rng.choice(SKIN))
    out = BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def give_demo_face(campaign: Campaign) -> None:
    """Set the campaign's picture, words and links (inside the caller's unit of work)."""
    campaign.image = kept_image(prepare_image(crowd_picture()))
    campaign.tagline = "Thousands of us, in every state, on one day"
    campaign.accent_color = ACCENT
    campaign.hashtag = "FamiliesBelongTogether"
    campaign.suggested_post = "Families belong together. I'm showing up — find a rally near you"
    campaign.actions = [
        {"label": "Sign the petition", "url": "https://example.org/petitions/families"},
        {"label": "Call your senators", "url": "https://example.org/call-congress"},
    ]
