"""Rows that URLs and forms of several packages name: a campaign by its slug."""

from sqlalchemy import select

from .converters import is_slug
from .extensions import db
from .models import Campaign


def campaign_by_slug(slug: str | None) -> Campaign | None:
    """The campaign with this slug; None for no such campaign or a slug none could have."""
    if not slug or not is_slug(slug):  # say, a NUL byte: PostgreSQL would refuse the query
        return None
    return db.session.scalar(select(Campaign).where(Campaign.slug == slug))
