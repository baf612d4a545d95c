"""URL converters for ids and slugs: a path segment no row can have is a 404 before any query.

PostgreSQL refuses integers past 2^31-1 and text with NUL bytes with an error (a 500), so
such segments must never reach a query.
"""

import re

from werkzeug.routing import BaseConverter, IntegerConverter, ValidationError

# Ids are 32-bit integers in the database, starting at 1.
MAX_ID = 2**31 - 1
# A campaign's web address: lowercase letters and digits in dash-separated words.
MAX_SLUG_LENGTH = 80  # Campaign.slug's column
SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_SLUG = re.compile(SLUG_PATTERN)


def is_slug(text) -> bool:
    """Whether text could be a campaign's slug (so looking it up is worth a query)."""
    return isinstance(text, str) and len(text) <= MAX_SLUG_LENGTH and bool(_SLUG.fullmatch(text))


class DatabaseIdConverter(IntegerConverter):
    """<dbid:event_id>: 1 to 2^31-1, in plain digits."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map):
        super().__init__(map, min=1, max=MAX_ID)


class SlugConverter(BaseConverter):
    """<slug:slug>: a campaign slug's shape, at most as long as the column."""

    regex = SLUG_PATTERN

    def to_python(self, value: str) -> str:
        if len(value) > MAX_SLUG_LENGTH:
            raise ValidationError()
        return value


CONVERTERS = {"dbid": DatabaseIdConverter, "slug": SlugConverter}
