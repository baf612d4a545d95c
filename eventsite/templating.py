"""Jinja filters and response headers every page shares."""

from functools import lru_cache, wraps

from babel.numbers import format_decimal
from flask import Flask, g
from flask_babel import get_locale
from flask_babel import gettext as _

from .assets import register_static_files
from .dates import format_day, format_event_when, format_local_date, iso_with_offset
from .security import register_security_headers
from .sharing import register_sharing


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


def allow_framing(view):
    """Let other sites put this page in an iframe (the embeddable feed)."""

    @wraps(view)
    def framed(*args, **kwargs):
        g.allow_framing = True
        return view(*args, **kwargs)

    return framed


def register(app: Flask) -> None:
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
