"""Response headers that keep pages from being framed, sniffed or made to run foreign code,
and private pages out of caches and Referer headers."""

from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, g

# For pages with a private link in their URL or a person's details on them.
PRIVATE_PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def tile_origin(tile_url: str) -> str:
    """The origin CSP must allow for map tiles: 'https://{s}.tile.osm.org/...' -> '*.' host."""
    parts = urlsplit(tile_url)
    if not parts.scheme or not parts.netloc:
        return ""  # a relative tile URL is served from 'self'
    # Leaflet fills {s} with a subdomain letter; CSP only knows a leading wildcard.
    host = parts.netloc.replace("{s}", "*")
    if "{" in host:
        host = "*." + host.split(".", 1)[1]
    return f"{parts.scheme}://{host}"


def content_security_policy(tile_url: str, *, framable: bool) -> str:
    """Scripts and styles only from our own files; images also from the map's tile server."""
    images = " ".join(part for part in ("'self'", "data:", tile_origin(tile_url)) if part)
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src {images}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    if not framable:
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


def private_page(view):
    """For views showing a private link or a person's details: no cache keeps the page
    (a shared computer's back button, a proxy), and no link on it sends its URL on.

    The response goes with PRIVATE_PAGE_HEADERS whatever it is, a redirect or an error too.
    """

    @wraps(view)
    def private(*args, **kwargs):
        g.private_page = True
        return view(*args, **kwargs)

    return private


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def security_headers(response):
        framable = bool(g.get("allow_framing"))
        response.headers.setdefault(
            "Content-Security-Policy",
            content_security_policy(app.config.get("MAP_TILE_URL", ""), framable=framable),
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # Tile servers such as OpenStreetMap's want a Referer; the origin is enough.
        # Private pages send none (below).
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if not framable:
            response.headers.setdefault("X-Frame-Options", "DENY")
        if g.get("private_page"):
            response.headers.update(PRIVATE_PAGE_HEADERS)
        return response
