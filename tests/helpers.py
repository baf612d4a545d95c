"""Small helpers for driving the site through its own forms."""

import os
import re

# The suite runs on PostgreSQL when EVENTSITE_TEST_DATABASE_URL names one, else SQLite.
ON_POSTGRESQL = os.environ.get("EVENTSITE_TEST_DATABASE_URL", "").startswith("postgres")
# The machine's Redis, for what app servers share: rate limits and cached pages.
REDIS_URL = "redis://127.0.0.1:6379"

_CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_token_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def rsvp(client, event_id: int, **fields):
    """RSVP through the event page's form, as a browser would."""
    page = client.get(f"/events/{event_id}")
    data = {
        "name": "Rosa Parks",
        "email": "rosa@example.org",
        "phone": "",
        "zip_code": "10001",
        "guests": "0",
        "csrf_token": csrf_token_from(page.get_data(as_text=True)),
    }
    data.update({key: str(value) for key, value in fields.items()})
    return client.post(f"/events/{event_id}/rsvp", data=data)


_RSVP_LINK = re.compile(r"/rsvps/([A-Za-z0-9_-]+)")


def rsvp_link_tokens(app, address: str) -> list[str]:
    """The private RSVP links emailed to address (from the outbox), oldest first."""
    from sqlalchemy import select

    from eventsite.extensions import db
    from eventsite.models import OutboxMessage

    with app.app_context():
        bodies = db.session.scalars(
            select(OutboxMessage.body_text)
            .where(OutboxMessage.to_address == address)
            .order_by(OutboxMessage.id)
        ).all()
    return [token for body in bodies for token in _RSVP_LINK.findall(body)]


def emailed_rsvp_token(app, address: str) -> str:
    """The newest private RSVP link emailed to address."""
    tokens = rsvp_link_tokens(app, address)
    assert tokens, f"no private link was emailed to {address}"
    return tokens[-1]
