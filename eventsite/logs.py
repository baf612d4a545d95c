"""Logs that hold no working private link: /host/<token> and /rsvps/<token> are redacted.

The app's own log, the development server's and gunicorn's access and error logs all pass
through RedactPrivateLinks; gunicorn.conf.py names PrivateLinksRedactedLogger. Values sent
with SQL statements never reach a log either (hide_parameters, see create_app).
"""

import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

# A private link's token: the path segment after /host/ or /rsvps/, also percent-encoded
# (a ?next=%2Frsvps%2F... query) or in a Referer.
_PRIVATE_TOKEN = re.compile(r"((?:/|%2F)(?:host|rsvps)(?:/|%2F))[^/?#&\s\"'%]+", re.IGNORECASE)
REDACTED = "[token]"


def redact_private_links(text: str) -> str:
    """text with every private link's token replaced: '/rsvps/[token]/cancel'."""
    return _PRIVATE_TOKEN.sub(r"\1" + REDACTED, text)


class RedactPrivateLinks(logging.Filter):
    """Rewrites a record's message without the tokens of private links."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_private_links(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def redact_private_links_in(logger: logging.Logger) -> None:
    """Add the filter to logger, once."""
    if not any(isinstance(existing, RedactPrivateLinks) for existing in logger.filters):
        logger.addFilter(RedactPrivateLinks())


class PrivateLinksRedactedLogger(GunicornLogger):
    """gunicorn's logger, with private links' tokens redacted from its access and error logs."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        redact_private_links_in(self.access_log)
        redact_private_links_in(self.error_log)
