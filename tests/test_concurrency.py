"""Many people taking the last seats at once, in real concurrent transactions.

The last test goes through a real threaded HTTP server and real HTTP clients."""

import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from helpers import csrf_token_from
from sqlalchemy import func, select
from werkzeug.serving import make_server

from eventsite.extensions import db
from eventsite.models import Event, Rsvp, RsvpStatus


@pytest.fixture
def app(make_app):
    # Dozens of people from one test address: the per-IP POST limit would stop them.
    return make_app(RATELIMIT_ENABLED=False)


def race(app, event_id: int, people: int, email=None) -> list[int]:
    """Each person loads the page, then all submit at the same moment; returns status codes.

    Each has their own email unless one is given for all.
    """
    clients = [app.test_client() for _ in range(people)]
    tokens = [csrf_token_from(c.get(f"/events/{event_id}").get_data(as_text=True)) for c in clients]
    start = threading.Barrier(people)
    codes = [None] * people

    def submit(index: int) -> None:
        start.wait()
        response = clients[index].post(
            f"/events/{event_id}/rsvp",
            data={
                "name": f"Person {index}",
                "email": email or f"person{index}@example.org",
                "zip_code": "10001",
                # One person racing themselves changes their party, to see which wins.
                "guests": str(index % 3) if email else "0",
                "csrf_token": tokens[index],
            },
        )
        codes[index] = response.status_code

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return codes


def test_racing_for_the_last_seat_only_one_wins(app, make_event):
    event_id = make_event(capacity=1)

    codes = race(app, event_id, people=12)

    assert codes == [303] * 12
    with app.app_context():
        statuses = db.session.execute(
            select(Rsvp.status, func.count()).where(Rsvp.event_id == event_id).group_by(Rsvp.status)
        ).all()
        assert dict(statuses) == {RsvpStatus.GOING: 1, RsvpStatus.WAITLISTED: 11}
        assert db.session.get(Event, event_id).seats_taken == 1


def test_one_email_racing_itself_makes_one_rsvp_that_keeps_its_first_details(app, make_event):
    event_id = make_event(capacity=10)

    codes = race(app, event_id, people=8, email="rosa@example.org")

    assert codes == [303] * 8
    with app.app_context():
        [only] = db.session.scalars(select(Rsvp).where(Rsvp.event_id == event_id)).all()
        assert only.status == RsvpStatus.GOING
        assert db.session.get(Event, event_id).seats_taken == only.seats


def test_racing_for_ten_seats_fills_exactly_ten(app, make_event):
    event_id = make_event(capacity=10)

    codes = race(app, event_id, people=24)

    assert all(code == 303 for code in codes)
    with app.app_context():
        going = db.session.scalar(
            select(func.count()).where(Rsvp.event_id == event_id, Rsvp.status == RsvpStatus.GOING)
        )
        total = db.session.scalar(select(func.count()).where(Rsvp.event_id == event_id))
        assert (going, total) == (10, 24)
        assert db.session.get(Event, event_id).seats_taken == 10


class RealServer:
    """The app in a real threaded HTTP server on 127.0.0.1, stopped on exit."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=30)
        self.server.server_close()


def _browser():
    """A urllib opener with its own cookie jar that does not follow redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
    )


def test_sixty_people_rsvp_at_once_over_http_and_ten_get_seats(make_app, make_event):
    # One test client address for everyone: rate limits would turn the crowd away.
    app = make_app(RATELIMIT_ENABLED=False, SERVER_NAME=None)
    event_id = make_event(capacity=10)
    people = 60

    with RealServer(app) as server:
        browsers = [_browser() for _ in range(people)]
        tokens = []
        for browser in browsers:
            with browser.open(f"{server.base_url}/events/{event_id}", timeout=30) as page:
                tokens.append(csrf_token_from(page.read().decode()))
        start = threading.Barrier(people)
        outcomes = [None] * people

        def submit(index: int) -> None:
            body = urllib.parse.urlencode(
                {
                    "name": f"Person {index}",
                    "email": f"person{index}@example.org",
                    "zip_code": "10001",
                    "guests": "0",
                    "csrf_token": tokens[index],
                }
            ).encode()
            start.wait()
            try:
                with browsers[index].open(
                    f"{server.base_url}/events/{event_id}/rsvp", data=body, timeout=60
                ) as response:
                    outcomes[index] = (response.status, response.headers.get("Location"))
            except urllib.error.HTTPError as error:  # 3xx and errors land here
                outcomes[index] = (error.code, error.headers.get("Location"))

        threads = [threading.Thread(target=submit, args=(i,)) for i in range(people)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert [code for code, _ in outcomes] == [303] * people
    assert all(location.endswith(f"/events/{event_id}/rsvp/sent") for _, location in outcomes)
    with app.app_context():
        rows = db.session.execute(
            select(Rsvp.email, Rsvp.status).where(Rsvp.event_id == event_id)
        ).all()
        statuses = [status for _, status in rows]
        assert statuses.count(RsvpStatus.GOING) == 10
        assert statuses.count(RsvpStatus.WAITLISTED) == people - 10
        assert {email for email, _ in rows} == {f"person{i}@example.org" for i in range(people)}
        assert db.session.get(Event, event_id).seats_taken == 10
