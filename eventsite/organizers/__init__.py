from flask import Blueprint

bp = Blueprint("organizers", __name__, url_prefix="/organizers")

from . import event_views, views  # noqa: E402,F401  (routes register on import)
