"""Many people taking the last seats at once, in real concurrent transactions."""

import threading

import pytest
from helpers import csrf_token_from
from sqlalchemy import func, select

from eventsite.extensions import db
from eventsite.models import Event, Rsvp, RsvpStatus


@pytest.fixture
def app(make_app):
    # Dozens of people from one test address: the per-IP POST limit would stop them.
    return make_app(RATELIMIT_ENABLED=False)


def race(app, event_id: int, people: int) -> list[int]:
    """Each person loads the page, then all submit at the same moment; returns status codes."""
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
                "email": f"person{index}@example.org",
                "zip_code": "10001",
                "guests": "0",
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
