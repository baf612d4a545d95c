"""Static files for slow connections: content-hashed URLs cached for a year, favicon, robots."""

import hashlib
import os
from functools import lru_cache

from flask import Flask, Response, current_app, request, send_from_directory

ONE_YEAR_SECONDS = 365 * 24 * 3600
ONE_DAY_SECONDS = 24 * 3600
COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "image/svg+xml"}

# Private pages (management links, organizer tools) have nothing for a search engine.
ROBOTS_TXT = """User-agent: *
Disallow: /host/
Disallow: /rsvps/
Disallow: /organizers/
"""


@lru_cache(maxsize=256)
def _content_hash(path: str, modified_ns: int, size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(65536), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


def _versioned_static_urls(endpoint: str, values: dict) -> None:
    """Add ?v=<hash of the file's content> to every static URL: a new file means a new URL."""
    if endpoint != "static" or "v" in values or "filename" not in values:
        return
    path = os.path.join(current_app.static_folder, values["filename"])
    try:
        stat = os.stat(path)
    except OSError:
        return
    values["v"] = _content_hash(path, stat.st_mtime_ns, stat.st_size)


def _favicon():
    response = send_from_directory(
        current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon"
    )
    response.cache_control.public = True
    response.cache_control.max_age = ONE_DAY_SECONDS
    return response


def _robots_txt():
    return Response(ROBOTS_TXT, mimetype="text/plain")


def register_static_files(app: Flask) -> None:
    app.url_defaults(_versioned_static_urls)
    app.add_url_rule("/favicon.ico", "favicon", _favicon)
    app.add_url_rule("/robots.txt", "robots_txt", _robots_txt)

    @app.after_request
    def prepare_static_files(response):
        if request.endpoint != "static" or response.status_code != 200:
            return response
        # A versioned URL never changes content, so browsers may keep it for a year.
        if "v" in request.args:
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR_SECONDS
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        if app.config.get("COMPRESS_RESPONSES") and response.mimetype in COMPRESSIBLE:
            # Read the file now so Flask-Compress compresses it whole; streaming it
            # instead leaves the file open until garbage collection.
            response.direct_passthrough = False
            response.make_sequence()
        return response
