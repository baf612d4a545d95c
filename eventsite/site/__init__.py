"""The site itself: load-balancer probes, the language switch, the privacy page, favicon.ico
and robots.txt."""

from flask import Blueprint

bp = Blueprint("site", __name__)

from . import views  # noqa: E402,F401  (routes register on import)
