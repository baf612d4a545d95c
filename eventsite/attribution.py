"""Where a sign-up came from: the UTM tags and referral code of the link a person arrived by.

They travel in the URL (every link and search form on the way keeps them) and in the RSVP
form as hidden fields, never in a cookie, so the site needs no cookie banner and no
third-party script. A value that is not plain text of a sensible length is dropped, not
refused: a mangled tracking tag must never cost a person their page or their RSVP.
"""

import re
from collections.abc import Mapping
from dataclasses import astuple, dataclass, fields
from urllib.parse import urlencode

from flask import Flask, g, request
from markupsafe import Markup, escape

UTM_NAMES = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
NAMES = (*UTM_NAMES, "ref")
UTM_MAX_LENGTH = 100
# A referral code as new_referral_code makes it (and a little room).
_REF = re.compile(r"[A-Za-z0-9_-]{1,32}")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Attribution:
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    utm_content: str | None = None
    utm_term: str | None = None
    ref: str | None = None

    def __bool__(self) -> bool:
        return any(astuple(self))

    def as_params(self) -> dict[str, str]:
        """The values carried, as URL parameters (for url_for)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def as_key(self) -> tuple:
        """What a kept page's key holds: pages with other tags have other links."""
        return astuple(self)


def _clean_utm(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > UTM_MAX_LENGTH or _UNPRINTABLE.search(value):
        return None
    return value


def _clean_ref(value) -> str | None:
    return value if isinstance(value, str) and _REF.fullmatch(value) else None


def attribution_from(values: Mapping) -> Attribution:
    """The attribution in a request's arguments or form; bad values are left out."""
    utm = {name: _clean_utm(values.get(name)) for name in UTM_NAMES}
    return Attribution(**utm, ref=_clean_ref(values.get("ref")))


def carried() -> Attribution:
    """This request's attribution: from the form a POST sent, else from the URL. Read once
    per request: every link of a results page asks for it."""
    found = g.get("carried_attribution")
    if found is None:
        values = request.form if request.method == "POST" else request.args
        found = g.carried_attribution = attribution_from(values)
    return found


def carried_params() -> dict[str, str]:
    """Template global: the attribution to add to a link, url_for(..., **carried_params())."""
    found = g.get("carried_params")
    if found is None:
        found = g.carried_params = carried().as_params()
    return dict(found)


def carried_query() -> str:
    """Template global: '?utm_source=...' for a link built without url_for, or ''."""
    params = carried_params()
    return "?" + urlencode(params) if params else ""


def carried_fields() -> Markup:
    """Template global: hidden inputs carrying the attribution through a form."""
    return Markup("").join(
        Markup('<input type="hidden" name="{}" value="{}">').format(name, escape(value))
        for name, value in carried_params().items()
    )


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        carried_params=carried_params, carried_query=carried_query, carried_fields=carried_fields
    )
