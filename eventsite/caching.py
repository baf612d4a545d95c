"""Zip search and campaign pages (and feeds, embeds) served from a short-lived cache,
pages with a form kept per version with each visitor's token put in, and the per-IP
budget of searches the cache cannot serve.

On a day of action a crowd opens the same campaign page and asks for the same zip codes
over and over, and a page a few seconds old is still right: new events and seat counts
show up within SEARCH_CACHE_SECONDS. Only pages every visitor would get alike are
cached: no flashed message waiting (a session cookie otherwise holds only a form token,
and such pages are served but not marked public), no location search (each one is
different), no input the page refuses. A page is kept under what it shows (its
links' base, path, language and zip search as the search form reads them), never under
the raw query string: two query strings share a page only when they ask for the same
search. Other tracking parameters (fbclid) don't make a page of their own; UTM tags and a
referral code do (attribution.py), since the page's links and forms carry them on.
"""

import logging
from collections.abc import Callable
from functools import wraps

from flask import Flask, current_app, g, make_response, render_template, request, session, url_for
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from .attribution import carried
from .extensions import cache, limiter
from .search_form import ZipSearch, search_requested, zip_search_from

log = logging.getLogger(__name__)

# Shared caches (a reverse proxy, a CDN) may keep a page this long too.
SHARED_CACHE_HEADER = "public, max-age={seconds}"
# Marks a page served from the cache (Flask-Caching's name for it).
HIT_HEADER = "hit_cache"


# Per IP address, the searches a page cache cannot spare: by position, zip searches it
# does not hold, and feeds and embeds with a place. Put it inside shared_page, so a page
# served from the cache is neither counted nor refused. Pages without a search are free.
uncached_search_limit = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_SEARCH"],
    scope="searches",
    exempt_when=lambda: not search_requested(request.args),
)


def cache_settings(config) -> dict:
    """Flask-Caching's settings: per process by default, Redis when EVENTSITE_CACHE_URL is set."""
    settings = {
        # 0 would mean "forever" to the cache; with 0 seconds it is bypassed anyway.
        "CACHE_DEFAULT_TIMEOUT": max(1, config["SEARCH_CACHE_SECONDS"]),
        "CACHE_KEY_PREFIX": config.get("CACHE_KEY_PREFIX") or "eventsite:",
        "CACHE_THRESHOLD": config["SEARCH_CACHE_SIZE"],
    }
    if config["CACHE_URL"]:
        return {**settings, "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": config["CACHE_URL"]}
    return {**settings, "CACHE_TYPE": "SimpleCache"}


def _shared_search() -> tuple[bool, ZipSearch | None]:
    """(shared, search): whether this request's page may be shared, and the zip search it
    shows (None for the page's default list)."""
    if current_app.config["SEARCH_CACHE_SECONDS"] <= 0:
        return False, None
    if "_flashes" in session:  # messages for this visitor alone
        return False, None
    if not search_requested(request.args):
        return True, None
    search = zip_search_from(request.args)
    return search is not None, search


def _link_base() -> str:
    """What absolute links in a page or feed are built on (urls.external_url): only
    EVENTSITE_PUBLIC_URL, never the Host a request claims. Kept in the key so pages built
    before a change of public URL are not served after it."""
    return current_app.config["PUBLIC_URL"]


def _page_key(*_view_args, **_view_kwargs) -> str:
    # Set by serve() for this request; the path holds the view's arguments.
    return g.shared_page_key


def _canonical_path(search: ZipSearch | None) -> str:
    """This page's own URL without anything it ignores: the language switch on a shared
    page links back to it, not to the query string of whoever asked first."""
    if search is None:
        return request.path
    return url_for(
        request.endpoint,
        **(request.view_args or {}),
        zip=search.zip_code,
        radius=search.radius,
        page=search.page if search.page > 1 else None,
        **search.choice.query(),
    )


def _is_full_page(response) -> bool:
    # Views return a plain string only for a 200 page; errors come as tuples.
    return isinstance(response, str)


def shared_page(view):
    """Serve the view's 200 pages from the cache for SEARCH_CACHE_SECONDS, and let
    browsers and proxies keep them as long."""

    @wraps(view)
    def build_for_everyone(*args, **kwargs):
        g.page_path = _canonical_path(g.shared_search)  # read by the language switch
        g.page_built = True
        return view(*args, **kwargs)

    # Flask-Caching's own hit header is registered on the last app set up only.
    cached_view = cache.cached(make_cache_key=_page_key, response_filter=_is_full_page)(
        build_for_everyone
    )

    @wraps(view)
    def serve(*args, **kwargs):
        shared, search = _shared_search()
        if not shared:
            return view(*args, **kwargs)
        g.shared_search = search
        key = (str(get_locale()), _link_base(), request.path, search, carried().as_key())
        g.shared_page_key = "page:" + repr(key)
        response = make_response(cached_view(*args, **kwargs))
        if not g.get("page_built"):
            response.headers[HIT_HEADER] = "True"
        # Asked with a session, a page is kept here only: caches in between key on URLs.
        asked_with_session = current_app.config["SESSION_COOKIE_NAME"] in request.cookies
        if response.status_code == 200 and not asked_with_session:
            seconds = current_app.config["SEARCH_CACHE_SECONDS"]
            response.headers["Cache-Control"] = SHARED_CACHE_HEADER.format(seconds=seconds)
        return response

    return serve


def shared_value(key: tuple, build: Callable[[], object]) -> object:
    """What build() returns, kept SEARCH_CACHE_SECONDS for every request with this key
    (the language and link base are added): for responses every visitor gets alike, like
    feeds and embeds. The key must hold everything the value depends on."""
    if current_app.config["SEARCH_CACHE_SECONDS"] <= 0:
        return build()
    value, _built = _kept("shared", key, build)
    return value


def _kept(kind: str, key: tuple, build: Callable[[], object]) -> tuple[object, bool]:
    """(value, built): the value kept under this key, language and link base, or build()'s,
    kept now. The cache being down must not take the page with it: then it is built."""
    full_key = f"{kind}:" + repr((str(get_locale()), _link_base(), *key))
    try:
        value = cache.get(full_key)
    except Exception:
        log.exception("page cache unavailable")
        return build(), True
    if value is not None:
        return value, False
    value = build()
    try:
        cache.set(full_key, value)
    except Exception:
        log.exception("page cache unavailable")
    return value, True


# Pages with a form (kept_page). What tells one visitor's page from another's is only
# its CSRF token: the page is rendered once per version and language, in parts, and each
# request puts its own token in the gap the parts leave.

# WTForms' own markup for the token field, so a kept page reads like a built one.
_CSRF_FIELD = Markup('<input id="csrf_token" name="csrf_token" type="hidden" value="{}">')
# A page with this visitor's token in it: only the browser may keep it.
PRIVATE_CACHE_HEADER = "private, no-cache"


def _csrf_field() -> Markup:
    # generate_csrf puts a secret in the session when it has none: the cookie goes out.
    return _CSRF_FIELD.format(generate_csrf())  # format escapes the token


# The parts of a page that differ between visitors, by the name templates give them.
VISITOR_PARTS: dict[str, Callable[[], Markup]] = {"csrf_field": _csrf_field}


def visitor_part(name: str) -> Markup:
    """Template global: this visitor's part of a page, such as {{ visitor_part('csrf_field') }}.
    While a page is rendered to be kept, it leaves a gap here instead (in macros imported
    without context too, where the check in _render_in_parts then refuses it)."""
    render = VISITOR_PARTS[name]
    gaps = g.get("page_gaps")
    if gaps is None:
        return render()
    gaps.append(name)
    return Markup("")


def _render_in_parts(template_name: str, context: dict) -> tuple[str, ...]:
    """The page as (markup, gap name, markup, ..., markup), each gap where the template
    called visitor_part. Jinja yields each top-level {{ }} as its own chunk right after
    evaluating it, so the chunk after a call is the gap: found by position in the
    stream, never by searching markup that holds the host's text."""
    app = current_app._get_current_object()
    template = app.jinja_env.get_or_select_template(template_name)
    context = {**context}
    app.update_template_context(context)
    gaps = g.page_gaps = []
    parts, markup = [], []
    try:
        for chunk in template.generate(context):
            if not gaps:
                markup.append(chunk)
                continue
            if chunk or len(gaps) > 1:  # the call sat in a macro or {% set %}, not top level
                raise RuntimeError(
                    f"visitor_part({gaps[0]!r}) must be called at a template's top level"
                )
            parts += ["".join(markup), gaps.pop()]
            markup = []
    finally:
        del g.page_gaps
    parts.append("".join(markup))
    return tuple(parts)


def _filled(parts: tuple[str, ...]) -> str:
    """A kept page with this visitor's parts in its gaps."""
    page = list(parts)
    for gap in range(1, len(page), 2):
        page[gap] = VISITOR_PARTS[page[gap]]()
    return "".join(page)


def kept_page(key: tuple, template_name: str, context: Callable[[], dict]):
    """A GET page with a form, rendered once per key and language and kept, each request's
    own CSRF token put in. The key must hold everything the page shows (an event's
    version, not only its id): context() is called only to build it.

    A visitor with flashed messages waiting gets the page built for them (their messages
    are theirs alone), as does every page while the cache is off.
    """
    g.page_path = request.path  # the language switch links to the page, not its query
    if current_app.config["SEARCH_CACHE_SECONDS"] <= 0 or "_flashes" in session:
        response = make_response(render_template(template_name, **context()))
    else:
        parts, built = _kept("kept", key, lambda: _render_in_parts(template_name, context()))
        response = make_response(_filled(parts))
        if not built:
            response.headers[HIT_HEADER] = "True"
    response.headers["Cache-Control"] = PRIVATE_CACHE_HEADER
    return response


def register(app: Flask) -> None:
    cache.init_app(app, config={**app.config, **cache_settings(app.config)})
    app.jinja_env.globals["visitor_part"] = visitor_part
