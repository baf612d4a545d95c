"""Feeds other sites and calendar apps read: .ics subscriptions and an embeddable list."""

from flask import Blueprint

bp = Blueprint("feeds", __name__)

from . import views  # noqa: E402,F401  (routes register on import)
