"""Small helpers for driving the site through its own forms."""

import os
import re
from types import SimpleNamespace

# The suite runs on PostgreSQL when EVENTSITE_TEST_DATABASE_URL names one, else SQLite.
ON_POSTGRESQL = os.environ.get("EVENTSITE_TEST_DATABASE_URL", "").startswith("postgres")
# The machine's Redis, for what app servers share: rate limits and cached pages.
REDIS_URL = os.environ.get("EVENTSITE_TEST_REDIS_URL", "redis://127.0.0.1:6379")
# The browser tests drive this Chromium (Debian's package).
CHROMIUM = os.environ.get("EVENTSITE_CHROMIUM", "/usr/bin/chromium")

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


def outbox(app) -> list[SimpleNamespace]:
    """Every outbox row, oldest first, with its subject, body, calendar file and Reply-To
    as the sender would write them now (rows name their message; the sender writes it)."""
    from sqlalchemy import select

    from eventsite.email_writing import written_email
    from eventsite.extensions import db
    from eventsite.models import OutboxMessage

    messages = []
    with app.app_context():
        for row in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)):
            columns = {column.key: getattr(row, column.key) for column in row.__table__.columns}
            written = written_email(row)
            messages.append(SimpleNamespace(**{**columns, **(vars(written) if written else {})}))
        db.session.rollback()
    return messages


_RSVP_LINK = re.compile(r"/rsvps/([A-Za-z0-9_-]+)")


def rsvp_link_tokens(app, address: str) -> list[str]:
    """The private RSVP links emailed to address (from the outbox), oldest first."""
    bodies = [message.body_text for message in outbox(app) if message.to_address == address]
    return [token for body in bodies for token in _RSVP_LINK.findall(body)]


def emailed_rsvp_token(app, address: str) -> str:
    """The newest private RSVP link emailed to address."""
    tokens = rsvp_link_tokens(app, address)
    assert tokens, f"no private link was emailed to {address}"
    return tokens[-1]


def flask_command(app, *args: str) -> str:
    """Run `flask <args>` against app as cron would, insist it succeeded, and return its output."""
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def send_mail(app, *args: str) -> str:
    """Run `flask send-mail` once, as its cron job does; its output."""
    return flask_command(app, "send-mail", *args)


def let_backoff_pass(app) -> None:
    """Bring every waiting message's next try to now, as if the backoff had elapsed."""
    from datetime import timedelta

    from sqlalchemy import update

    from eventsite.extensions import db
    from eventsite.models import MessageStatus, OutboxMessage, utcnow

    with app.app_context():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == MessageStatus.PENDING)
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()


def run_two_at_once(app, work) -> list[Exception]:
    """Run work() in two threads at once, each in its own app context, as two senders on
    two machines would; returns what either raised."""
    import threading

    from eventsite.extensions import db

    start = threading.Barrier(2)
    errors = []

    def one():
        try:
            with app.app_context():
                start.wait()
                work()
                db.session.remove()
        except Exception as error:  # surfaced by the caller
            errors.append(error)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def send_from_two_senders_at_once(app, send_pending) -> None:
    """Two senders take from the outbox at once (send_pending(limit=100) in two threads, as
    on two machines); neither may raise."""
    assert run_two_at_once(app, lambda: send_pending(limit=100)) == []


def assert_each_sent_once(delivered: list, recipients: list[str], outbox_rows: list) -> None:
    """Each recipient got exactly one message (delivered: a stand-in server's received
    messages, each with a "To"), and every outbox row went out on its first try."""
    from eventsite.models import MessageStatus

    assert sorted(message["To"] for message in delivered) == sorted(recipients)
    assert all(row.status == MessageStatus.SENT and row.attempts == 1 for row in outbox_rows)
