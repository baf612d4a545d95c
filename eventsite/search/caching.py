"""Zip search and campaign pages served from a short-lived cache.

On a day of action a crowd opens the same campaign page and asks for the same zip codes
over and over, and a page a few seconds old is still right: new events and seat counts
show up within SEARCH_CACHE_SECONDS. Only pages every visitor would get alike are
cached: no session cookie (it may carry a flashed message), no location search (each
one is different).
"""

from functools import wraps

from flask import Flask, current_app, make_response, request
from flask_babel import get_locale

from ..extensions import cache

# Shared caches (a reverse proxy, a CDN) may keep a page this long too.
SHARED_CACHE_HEADER = "public, max-age={seconds}"


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


def _not_shared() -> bool:
    """True for requests whose page may differ from the next visitor's."""
    if current_app.config["SEARCH_CACHE_SECONDS"] <= 0:
        return True
    if current_app.config["SESSION_COOKIE_NAME"] in request.cookies:
        return True
    return bool(request.args.get("lat") or request.args.get("lng"))


def _page_key(*_view_args, **_view_kwargs) -> str:
    # The page depends on its path (which holds the view's arguments), the whole query
    # string (links carry it) and the language.
    query = "&".join(f"{name}={value}" for name, value in sorted(request.args.items(multi=True)))
    return f"page:{get_locale()}:{request.path}?{query}"


def _is_full_page(response) -> bool:
    # Views return a plain string only for a 200 page; errors come as tuples.
    return isinstance(response, str)


def shared_page(view):
    """Serve the view's 200 pages from the cache for SEARCH_CACHE_SECONDS, and let
    browsers and proxies keep them as long."""
    cached_view = cache.cached(
        make_cache_key=_page_key,
        response_filter=_is_full_page,
        response_hit_indication=True,
    )(view)

    @wraps(view)
    def serve(*args, **kwargs):
        if _not_shared():
            return view(*args, **kwargs)
        response = make_response(cached_view(*args, **kwargs))
        if response.status_code == 200:
            seconds = current_app.config["SEARCH_CACHE_SECONDS"]
            response.headers["Cache-Control"] = SHARED_CACHE_HEADER.format(seconds=seconds)
        return response

    return serve


def register(app: Flask) -> None:
    cache.init_app(app, config={**app.config, **cache_settings(app.config)})
