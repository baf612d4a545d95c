"""Jinja filters and response headers every page shares."""

from functools import lru_cache, wraps
from threading import Lock

from babel.numbers import format_decimal
from cachetools import LRUCache
from flask import Flask, current_app, g
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from .assets import register_static_files
from .dates import format_day, format_event_when, format_local_date, iso_with_offset
from .security import register_security_headers
from .sharing import register_sharing
from .urls import external_url


def _miles(value: float) -> str:
    """'3.2 mi', '12 mi' with the locale's decimal sign ('3,2 mi' in German)."""
    if value < 0.1:
        return _("nearby")
    pattern = "0.0" if value < 10 else "#,##0"
    rounded = round(value, 1) if value < 10 else round(value)
    return _("%(distance)s mi", distance=_decimal(rounded, pattern, str(get_locale())))


# A results page shows twenty distances: Babel's formatting, remembered, costs a lookup.
@lru_cache(maxsize=8192)
def _decimal(value: float, pattern: str, locale: str) -> str:
    return format_decimal(value, format=pattern, locale=locale)


# Stands in for the distance while a row's markup is built; each page puts its own in.
_DISTANCE_SLOT = "\x00distance\x00"
# About 600 bytes each: some 12 MB per process.
EVENT_ROWS_KEPT = 20_000


def event_row(event, distance_miles: float | None = None, heading: str = "h3") -> Markup:
    """One event in a list (the event_item macro), built once per version of the event.

    Rows repeat across pages and nearby searches, and building one through Jinja costs
    far more than reusing it. The key holds updated_at, which every change to the event
    moves (seat counts too), and the language.
    """
    key = (event.id, event.updated_at, str(get_locale()), heading, distance_miles is None)
    rows, lock = current_app.extensions["event_rows"]
    with lock:
        parts = rows.get(key)
    if parts is None:
        macro = current_app.jinja_env.get_template("_event_list.html").module.event_item
        slot = None if distance_miles is None else _DISTANCE_SLOT
        # Markup's split keeps each part Markup: the macro has escaped them already.
        parts = macro(event, slot, heading).split(_DISTANCE_SLOT)
        with lock:
            rows[key] = parts
    if distance_miles is None:
        return parts[0]
    return parts[0] + _miles(distance_miles) + parts[1]  # the distance text is escaped


def allow_framing(view):
    """Let other sites put this page in an iframe (the embeddable feed)."""

    @wraps(view)
    def framed(*args, **kwargs):
        g.allow_framing = True
        return view(*args, **kwargs)

    return framed


def register(app: Flask) -> None:
    app.extensions["event_rows"] = (LRUCache(maxsize=EVENT_ROWS_KEPT), Lock())
    app.jinja_env.globals["event_row"] = event_row
    app.jinja_env.globals["external_url"] = external_url
    app.jinja_env.filters["miles"] = _miles
    app.jinja_env.filters["long_date"] = format_day
    app.jinja_env.globals.update(
        event_when=lambda event: format_event_when(event.starts_at, event.ends_at, event.timezone),
        event_date=lambda event: format_local_date(event.starts_at, event.timezone),
        event_iso_start=lambda event: iso_with_offset(event.starts_at, event.timezone),
    )
    register_security_headers(app)
    register_sharing(app)
    register_static_files(app)
