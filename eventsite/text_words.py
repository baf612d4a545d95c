"""The words of the texts to people who RSVPed, one writer per kind (texts.TEXTED_KINDS).

A text is short: who it is from, the event, the one link that matters, how to stop. It is
written in plain GSM characters where it can be (a text with one character outside them
is sent in UCS-2, which cuts a message's length by more than half), and kept under
MAX_TEXT_LENGTH by shortening the event's title and place, never a link.
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from .email_words import Letter, event_link, rsvp_when
from .reminder_email_words import coming_link, map_link, not_coming_link
from .urls import external_url

MAX_TEXT_LENGTH = 320
# GSM 03.38's basic set and its extension table: what a text carries at 160 a part.
GSM_CHARACTERS = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€"
)
_PLAIN = {
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "–": "-",
    "—": "-",
    "…": "...",
    "«": '"',
    "»": '"',
}


def gsm(text: str) -> str:
    """text in GSM characters: curly quotes and dashes made plain, accents the set lacks
    (á, í, ó, ú) taken off, spaces of every width made spaces, anything else dropped."""
    plain = []
    for character in text:
        character = _PLAIN.get(character, character)
        if unicodedata.category(character) == "Zs":
            character = " "
        if all(part in GSM_CHARACTERS for part in character):
            plain.append(character)
            continue
        base = "".join(
            part
            for part in unicodedata.normalize("NFKD", character)
            if not unicodedata.combining(part)
        )
        plain.append("".join(part for part in base if part in GSM_CHARACTERS))
    return "".join(plain)


@dataclass(frozen=True)
class Words:
    """What a writer may shorten to fit: the event's title and place."""

    title: str
    place: str


def _from_site(*parts: str) -> str:
    body = " ".join(part for part in parts if part)
    how_to_stop = _("Reply STOP to stop.")
    return f"{current_app.config['SITE_NAME']}: {body} {how_to_stop}"


def rsvp_confirmation(letter: Letter, words: Words) -> str:
    link = external_url("events.manage_rsvp", token=letter.token)
    if letter.going:
        said = _("You're going to %(title)s, %(when)s.", title=words.title, when=rsvp_when(letter))
    else:
        said = _(
            "You're on the waitlist for %(title)s, %(when)s. We'll text you if a spot opens.",
            title=words.title,
            when=rsvp_when(letter),
        )
    return _from_site(said, words.place, _("Change or cancel: %(link)s", link=link))


def rsvp_link(letter: Letter, words: Words) -> str:
    link = external_url("events.manage_rsvp", token=letter.token)
    return _from_site(
        _("You already RSVPed to %(title)s.", title=words.title),
        _("Change or cancel: %(link)s", link=link),
    )


def waitlist_promotion(letter: Letter, words: Words) -> str:
    link = external_url("events.manage_rsvp", token=letter.token)
    return _from_site(
        _(
            "A spot opened: you're going to %(title)s, %(when)s.",
            title=words.title,
            when=rsvp_when(letter),
        ),
        _("Your RSVP: %(link)s", link=link),
    )


def event_changed(letter: Letter, words: Words) -> str:
    return _from_site(
        _("%(title)s has changed. Now: %(when)s,", title=words.title, when=rsvp_when(letter)),
        words.place,
        event_link(letter.event),
    )


def event_cancelled(letter: Letter, words: Words) -> str:
    return _from_site(
        _("%(title)s (%(when)s) is cancelled.", title=words.title, when=rsvp_when(letter))
    )


def day_before_reminder(letter: Letter, words: Words) -> str:
    return _from_site(
        _("Tomorrow: %(title)s, %(when)s.", title=words.title, when=rsvp_when(letter)),
        _("Coming? %(link)s", link=coming_link(letter.token)),
        _("Can't make it? %(link)s", link=not_coming_link(letter.token)),
    )


def day_of_reminder(letter: Letter, words: Words) -> str:
    return _from_site(
        _("Today: %(title)s, %(when)s,", title=words.title, when=rsvp_when(letter)),
        words.place,
        _("Map: %(link)s", link=map_link(letter.event)),
    )


def fitted(write: Callable[[Letter, Words], str], letter: Letter) -> str:
    """The text in GSM characters and at most MAX_TEXT_LENGTH long: the title and place
    shortened as far as it takes (a link is never cut)."""
    event = letter.event
    words = Words(gsm(event.title), gsm(event.full_address))
    text = gsm(write(letter, words))
    for _attempt in range(3):
        over = len(text) - MAX_TEXT_LENGTH
        if over <= 0:
            break
        # The title gives way first, down to 30 characters; then the place.
        title_cut = min(over, max(len(words.title) - 30, 0))
        place_cut = over - title_cut
        words = Words(_cut(words.title, title_cut), _cut(words.place, place_cut))
        text = gsm(write(letter, words))
    return text


def _cut(text: str, characters: int) -> str:
    """text less the given number of characters (and three for "..."), at least 8 left."""
    if characters <= 0:
        return text
    return text[: max(len(text) - characters - 3, 8)].rstrip() + "..."
