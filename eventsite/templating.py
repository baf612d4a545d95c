"""Jinja filters and response headers every page shares."""

from functools import lru_cache, wraps
from threading import Lock
from urllib.parse import urlsplit

from babel.numbers import format_decimal
from cachetools import LRUCache
from flask import Flask, current_app, g
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from .attribution import carried_params
from .dates import format_day, format_event_when, format_local_date, iso_with_offset
from .images import register_images
from .phones import readable_phone
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


# About 600 bytes each: some 12 MB per process.
EVENT_ROWS_KEPT = 20_000


def event_row(event, distance_miles: float | None = None, heading: str = "h3") -> Markup:
    """One event in a list (the _event_list.html macros), built once per version of the event.

    Rows repeat across pages and nearby searches, and building one through Jinja costs
    far more than reusing it. The row is kept as its two halves, before and after the
    distance, which each page renders on its own and puts between them (never found by
    searching the markup, which holds the host's text). The key holds updated_at, which
    every change to the event moves, what its shifts show (the next, how many more, seats,
    full), and the language.
    """
    carried = carried_params()  # the link keeps the tags the visitor arrived with
    shifts = (event.next_starts_at, event.more_times, event.seats_taken, event.is_full)
    key = (
        event.id,
        event.updated_at,
        *shifts,
        str(get_locale()),
        heading,
        *sorted(carried.items()),
    )
    rows, lock = current_app.extensions["event_rows"]
    with lock:
        halves = rows.get(key)
    if halves is None:
        macros = _row_macros()
        halves = (macros.row_start(event, heading, carried), macros.row_end(event))
        with lock:
            rows[key] = halves
    if distance_miles is None:
        return _join(halves)
    start, end = halves
    return _join((start, _row_distance(_miles(distance_miles)), end))


def _join(parts) -> Markup:
    # Every part is a macro's output, escaped there; Markup's own + and join would pass
    # each through escape() again, which costs more than the row's other work.
    return Markup("".join(parts))  # noqa: S704


def _row_macros():
    return current_app.jinja_env.get_template("_event_list.html").module


def _row_distance(text: str) -> Markup:
    """The distance part of a row; a page shows a handful of distinct ones, so each is kept."""
    rows, lock = current_app.extensions["event_rows"]
    with lock:
        part = rows.get(text)
    if part is None:
        part = _row_macros().row_distance(text)
        with lock:
            rows[text] = part
    return part


def fresh_form_fields(form_class, template_name: str, macro_name: str) -> Markup:
    """A form's fields as a fresh form shows them (no input, no errors), rendered by the
    named macro once per language: they are alike on every page that shows them, and
    WTForms' widgets cost more than the rest of such a page."""
    key = (form_class, template_name, macro_name, str(get_locale()))
    kept, lock = current_app.extensions["event_rows"]
    with lock:
        fields = kept.get(key)
    if fields is None:
        macro = getattr(current_app.jinja_env.get_template(template_name).module, macro_name)
        fields = macro(form_class(formdata=None, meta={"csrf": False}))
        with lock:
            kept[key] = fields
    return fields


def search_filter_fields(form) -> Markup:
    """The search form's filters (_search_filters.html), rendered once per set of values
    and language: a results page would otherwise spend more on their widgets than on its
    search. A form with errors is rendered as it is."""
    macro = _search_filters_macro()
    if form.errors:
        return macro(form)
    key = ("search-filters", form.choice, str(get_locale()))
    kept, lock = current_app.extensions["event_rows"]
    with lock:
        fields = kept.get(key)
    if fields is None:
        fields = macro(form)
        with lock:
            kept[key] = fields
    return fields


def _search_filters_macro():
    return current_app.jinja_env.get_template("_search_filters.html").module.search_filters


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
    app.jinja_env.globals["search_filter_fields"] = search_filter_fields
    app.jinja_env.globals["external_url"] = external_url
    app.jinja_env.filters["miles"] = _miles
    app.jinja_env.filters["long_date"] = format_day
    app.jinja_env.filters["phone"] = readable_phone
    app.jinja_env.filters["hostname"] = lambda url: urlsplit(url).hostname or url
    app.jinja_env.globals.update(
        event_when=lambda event: format_event_when(event.starts_at, event.ends_at, event.timezone),
        # The date of the event's next shift (a recurring event's previews name it).
        event_date=lambda event: format_local_date(event.next_starts_at, event.timezone),
        event_iso_start=lambda event: iso_with_offset(event.starts_at, event.timezone),
        times_when=format_event_when,
        iso_in_zone=iso_with_offset,
    )
    register_sharing(app)
    register_images(app)
