"""Absolute links for emails, feeds, sharing and the API, inside or outside a request."""

import unicodedata
from urllib.parse import urlsplit

from flask import current_app, request

from .config import ConfigError


def external_url(endpoint: str, **values) -> str:
    """An absolute URL under EVENTSITE_PUBLIC_URL: never the Host a request claims."""
    public = urlsplit(current_app.config["PUBLIC_URL"])
    if not public.netloc:  # only a command line run, which create_app lets start without it
        raise ConfigError("EVENTSITE_PUBLIC_URL is not set: links need the site's address.")
    adapter = current_app.url_map.bind(
        public.netloc, script_name=public.path or "/", url_scheme=public.scheme
    )
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)


# Longer query strings are not carried into links back to a page: servers refuse request
# lines past about 4 KB anyway, and quoting a megabyte into a link took over 100 ms of CPU.
MAX_QUERY_LENGTH = 2000


def comeback_path() -> str | None:
    """This page's path and query, to link back to it ('/events?zip=10001'); its path alone
    when the query is longer than any link people follow; None when it answers a form (a
    link can't repeat a POST)."""
    if request.method != "GET":
        return None
    if len(request.query_string) > MAX_QUERY_LENGTH:
        return request.path
    return request.full_path.rstrip("?")


def public_domain() -> str:
    """The public URL's host name: calendar entries' UIDs end with it."""
    return urlsplit(current_app.config["PUBLIC_URL"]).hostname or "eventsite"


def local_path(target: str | None) -> str | None:
    """target when it is a path on this site ('/events?zip=10001'), else None.

    Browsers drop tabs and newlines and read a backslash as a slash, so '/<tab>/evil.example'
    would take them off the site: control characters and backslashes are refused outright.
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(unicodedata.category(character) == "Cc" for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
