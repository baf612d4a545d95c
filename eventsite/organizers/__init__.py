from flask import Blueprint

bp = Blueprint("organizers", __name__, url_prefix="/organizers")

from . import (  # noqa: E402,F401  (routes register on import)
    dashboard_views,
    event_views,
    export_views,
    face_views,
    views,
)
