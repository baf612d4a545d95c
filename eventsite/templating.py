"""Jinja filters and response headers every page shares."""

from functools import wraps

from flask import Flask, g
from flask_babel import format_decimal
from flask_babel import gettext as _

from .assets import register_static_files
from .dates import format_day, format_event_when, format_local_date, iso_with_offset
from .security import register_security_headers
from .sharing import register_sharing


def _miles(value: float) -> str:
    """'3.2 mi', '12 mi' with the locale's decimal sign ('3,2 mi' in German)."""
    if value < 0.1:
        return _("nearby")
    number = format_decimal(value, format="0.0" if value < 10 else "#,##0")
    return _("%(distance)s mi", distance=number)


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
