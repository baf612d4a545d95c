"""Load-balancer probes: /healthz checks the database, /ping does no work at all."""

from flask import Blueprint
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db, limiter

bp = Blueprint("health", __name__)

_PLAIN = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """200 when this app server can reach its database, 503 when it cannot."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return "database unavailable\n", 503, _PLAIN
    return "ok\n", 200, _PLAIN


@bp.get("/ping")
@limiter.exempt
def ping():
    """The app server is up; no database work (the benchmark's ceiling for this stack)."""
    return "pong\n", 200, _PLAIN
