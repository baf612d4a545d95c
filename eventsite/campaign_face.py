"""What a campaign looks like and asks for beyond showing up: its accent colour (readable
under white text, WCAG AA), its hashtag, the post it suggests and its links to actions."""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _
from wtforms.validators import ValidationError

from .models import Campaign

# White text sits on the accent (the campaign's band, its buttons).
TEXT_ON_ACCENT = "ffffff"
# WCAG 2 AA for normal-size text.
MIN_CONTRAST = 4.5
_HEX_COLOUR = re.compile(r"#?([0-9a-f]{6})\Z")
# Letters of any script, digits and underscores, not only digits: what networks link.
_HASHTAG = re.compile(r"#?(\w{1,50})\Z")
MAX_ACTIONS = 3


def _channel(value: int) -> float:
    scaled = value / 255
    return scaled / 12.92 if scaled <= 0.04045 else ((scaled + 0.055) / 1.055) ** 2.4


def relative_luminance(hex6: str) -> float:
    """WCAG's relative luminance of an 'rrggbb' colour."""
    red, green, blue = (_channel(int(hex6[i : i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG's contrast ratio of two 'rrggbb' colours, from 1 to 21."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def accent_hex(value: str) -> str | None:
    """'#1A5E8A' or '1a5e8a' as '1a5e8a'; None when it is not a colour."""
    found = _HEX_COLOUR.match((value or "").strip().lower())
    return found.group(1) if found else None


class ReadableAccent:
    """An optional '#rrggbb' colour that white text can be read on; stored as '#rrggbb'."""

    def __call__(self, form, field):
        if not field.data:
            return
        hex6 = accent_hex(field.data)
        if hex6 is None:
            raise ValidationError(_("Enter a colour as # and six hex digits, like #1a5e8a."))
        ratio = contrast_ratio(hex6, TEXT_ON_ACCENT)
        if ratio < MIN_CONTRAST:
            raise ValidationError(
                _(
                    "White text on #%(colour)s is hard to read (contrast %(ratio)s:1; it needs "
                    "at least 4.5:1). Choose a darker colour.",
                    colour=hex6,
                    ratio=f"{ratio:.1f}",
                )
            )
        field.data = "#" + hex6


class Hashtag:
    """An optional hashtag: letters, digits and underscores; stored without its '#'."""

    def __call__(self, form, field):
        if not field.data:
            return
        found = _HASHTAG.match(field.data.strip())
        if found is None or found.group(1).isdigit():
            raise ValidationError(
                _("Use letters, digits and underscores, like #FamiliesBelongTogether.")
            )
        field.data = found.group(1)


def is_web_link(value: str) -> bool:
    """An http(s) address with a host name: what a petition or action link must be."""
    try:
        parts = urlsplit(value)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        return False
    host = parts.hostname or ""
    return (
        parts.scheme in ("http", "https")
        and "." in host
        and port_ok
        and not any(character.isspace() for character in value)
        and not parts.username
    )


class WebLink:
    """An optional http(s) link."""

    def __call__(self, form, field):
        if field.data and not is_web_link(field.data):
            raise ValidationError(_("Enter a web address starting with https://."))


@dataclass(frozen=True)
class ActionLink:
    label: str
    url: str


def action_links(campaign: Campaign) -> list[ActionLink]:
    """The campaign's links to petitions and other actions, as saved."""
    return [
        ActionLink(item["label"], item["url"])
        for item in (campaign.actions or [])[:MAX_ACTIONS]
        if isinstance(item, dict) and is_web_link(item.get("url", ""))
    ]


def with_hashtag(text: str, campaign: Campaign | None) -> str:
    """text with the campaign's hashtag after it, unless it carries it already."""
    tag = f"#{campaign.hashtag}" if campaign is not None and campaign.hashtag else ""
    return f"{text} {tag}" if tag and tag.lower() not in text.lower() else text


def campaign_post(campaign: Campaign, fallback: str) -> str:
    """What the share links put in a post: the suggested post (else fallback) and the
    hashtag."""
    return with_hashtag(campaign.suggested_post or fallback, campaign)


def accent_stylesheet(hex6: str) -> str:
    """The campaign's colour as a CSS custom property the site's stylesheet uses."""
    return f":root{{--accent:#{hex6}}}\n"
