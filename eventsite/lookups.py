"""Rows that URLs and forms of several packages name (a campaign by its slug), and the one
way a view turns a missing row into a 404."""

from typing import TypeVar

from flask import abort
from sqlalchemy import select

from .converters import is_slug
from .extensions import db
from .models import Campaign

T = TypeVar("T")


def found_or_404(found: T | None) -> T:
    """found, or a 404 Not Found when a lookup found nothing (or nothing this visitor may see)."""
    if found is None:
        abort(404)
    return found


def campaign_by_slug(slug: str | None) -> Campaign | None:
    """The campaign with this slug; None for no such campaign or a slug none could have."""
    if not slug or not is_slug(slug):  # say, a NUL byte: PostgreSQL would refuse the query
        return None
    return db.session.scalar(select(Campaign).where(Campaign.slug == slug))
