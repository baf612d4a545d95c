"""Response headers that keep pages from being framed, sniffed or made to run foreign code."""

from urllib.parse import urlsplit

from flask import Flask, g


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


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def security_headers(response):
        framable = bool(g.get("allow_framing"))
        response.headers.setdefault(
            "Content-Security-Policy",
            content_security_policy(app.config.get("MAP_TILE_URL", ""), framable=framable),
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # Tile servers such as OpenStreetMap's want a Referer; the origin is enough, and
        # views that show private links set no-referrer themselves (setdefault keeps it).
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if not framable:
            response.headers.setdefault("X-Frame-Options", "DENY")
        return response
