"""/sms: what the SMS provider posts to the site, the texts people send back (STOP, START,
HELP)."""

from flask import Blueprint

bp = Blueprint("sms", __name__)

from . import views  # noqa: E402,F401  (routes register on import)
