"""Static files for slow connections: content-hashed URLs cached for a year, favicon, robots."""

import gzip
import hashlib
import os
from functools import lru_cache

import brotli
from flask import Flask, current_app, request
from werkzeug.security import safe_join

ONE_YEAR_SECONDS = 365 * 24 * 3600
COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "image/svg+xml"}


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
    # A page links a dozen static files: in production each file's hash is worked out once.
    version = _version_of(path) if current_app.debug else _lasting_version_of(path)
    if version:
        values["v"] = version


def _version_of(path: str) -> str | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _content_hash(path, stat.st_mtime_ns, stat.st_size)


# Static files ship with a release and do not change while it runs.
_lasting_version_of = lru_cache(maxsize=256)(_version_of)


@lru_cache(maxsize=64)
def _compressed(path: str, modified_ns: int, size: int, encoding: str) -> bytes:
    with open(path, "rb") as file:
        data = file.read()
    if encoding == "br":
        return brotli.compress(data, mode=brotli.MODE_TEXT, quality=11)
    return gzip.compress(data, compresslevel=9)


def _compress_static_file(response) -> None:
    """Send a script or stylesheet compressed as small as it goes, computed once per file.

    Pages are compressed per request by Flask-Compress at a fast level; static files never
    change, so the slowest, smallest Brotli pays off (Leaflet: 44 KB at level 4, 37 KB).
    """
    path = safe_join(current_app.static_folder, request.view_args["filename"])
    encoding = request.accept_encodings.best_match(["br", "gzip"])
    if path is None or encoding is None:
        # Flask-Compress may still deflate it: hand it the whole body, not an open file.
        response.direct_passthrough = False
        response.make_sequence()
        return
    stat = os.stat(path)
    body = _compressed(path, stat.st_mtime_ns, stat.st_size, encoding)
    response.direct_passthrough = False
    response.response.close()
    response.set_data(body)
    response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(f"{etag}:{encoding}", weak=weak)


def register_static_files(app: Flask) -> None:
    app.url_defaults(_versioned_static_urls)

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
            _compress_static_file(response)
        return response
