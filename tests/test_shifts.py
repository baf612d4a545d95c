"""Shifts (timeslots): an event with several times, each with its own seats and waitlist;
RSVPs to one or several at once; hosts adding, changing and cancelling them."""

import re
import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from helpers import csrf_token_from, emailed_rsvp_token, outbox
from sqlalchemy import func, select
from test_api import make_campaign

from eventsite.extensions import db
from eventsite.models import Event, Rsvp, RsvpStatus, Timeslot, utcnow


def shift_event(make_event, *capacities, seats_taken=0, **fields):
    """An event with a shift per capacity, a day apart from a week ahead; returns the event
    id and its timeslot ids in time order (the first shift holds seats_taken)."""
    starts_at = utcnow().replace(microsecond=0) + timedelta(days=7)
    more = [
        (starts_at + timedelta(days=n), starts_at + timedelta(days=n, hours=2), capacity)
        for n, capacity in enumerate(capacities[1:], 1)
    ]
    event_id = make_event(
        starts_at=starts_at,
        capacity=capacities[0],
        seats_taken=seats_taken,
        more_times=more,
        **fields,
    )
    return event_id


def timeslot_ids(app, event_id) -> list[int]:
    with app.app_context():
        return [slot.id for slot in db.session.get(Event, event_id).timeslots]


def rsvp_to(client, event_id, timeslots, email="rosa@example.org", guests=0):
    page = client.get(f"/events/{event_id}").get_data(as_text=True)
    return client.post(
        f"/events/{event_id}/rsvp",
        data={
            "name": "Rosa Parks",
            "email": email,
            "zip_code": "10001",
            "guests": str(guests),
            "timeslots": [str(slot) for slot in timeslots],
            "csrf_token": csrf_token_from(page),
        },
    )


def rsvps_by_slot(app, event_id) -> dict:
    with app.app_context():
        rows = db.session.execute(
            select(Rsvp.timeslot_id, Rsvp.email, Rsvp.status)
            .where(Rsvp.event_id == event_id)
            .order_by(Rsvp.id)
        )
        return {(slot, email): status for slot, email, status in rows}


def seats(app, timeslot_id) -> int:
    with app.app_context():
        return db.session.get(Timeslot, timeslot_id).seats_taken


def test_rsvp_to_two_shifts_at_once_with_one_full(client, app, make_event):
    event_id = shift_event(make_event, 1, 5, seats_taken=1)
    full, open_ = timeslot_ids(app, event_id)

    response = rsvp_to(client, event_id, [full, open_])

    assert response.status_code == 303
    assert rsvps_by_slot(app, event_id) == {
        (full, "rosa@example.org"): RsvpStatus.WAITLISTED,
        (open_, "rosa@example.org"): RsvpStatus.GOING,
    }
    assert (seats(app, full), seats(app, open_)) == (1, 1)
    subjects = sorted(m.subject for m in outbox(app) if m.to_address == "rosa@example.org")
    assert subjects == [
        "You're going: Rally for Families",
        "You're on the waitlist: Rally for Families",
    ]


def test_a_multi_shift_event_asks_which_times_and_refuses_none(client, app, make_event):
    event_id = shift_event(make_event, 10, None)
    first, second = timeslot_ids(app, event_id)
    page = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert page.count('name="timeslots"') == 2
    assert "10 of 10 spots left" in page and "0 going · open to all" in page

    response = rsvp_to(client, event_id, [])
    assert response.status_code == 400
    assert "Choose at least one time." in response.get_data(as_text=True)

    response = rsvp_to(client, event_id, [first + second + 100])
    assert response.status_code == 400
    assert "no longer taking RSVPs" in response.get_data(as_text=True)
    assert rsvps_by_slot(app, event_id) == {}


@pytest.mark.parametrize("junk", ["abc", "1.5", "9" * 40])
def test_a_tampered_timeslot_gets_a_message_not_a_500(client, make_event, junk):
    event_id = shift_event(make_event, 10, None)
    response = rsvp_to(client, event_id, [junk])
    assert response.status_code == 400


def test_each_shift_has_its_own_waitlist_and_promotion(client, app, make_event):
    event_id = shift_event(make_event, 1, 1)
    first, second = timeslot_ids(app, event_id)
    rsvp_to(client, event_id, [first], email="ana@example.org")
    rsvp_to(client, event_id, [second], email="ben@example.org")
    rsvp_to(client, event_id, [first, second], email="cy@example.org")
    assert rsvps_by_slot(app, event_id)[(first, "cy@example.org")] == RsvpStatus.WAITLISTED

    token = emailed_rsvp_token(app, "ana@example.org")
    page = client.get(f"/rsvps/{token}").get_data(as_text=True)
    client.post(f"/rsvps/{token}/cancel", data={"csrf_token": csrf_token_from(page)})

    statuses = rsvps_by_slot(app, event_id)
    assert statuses[(first, "cy@example.org")] == RsvpStatus.GOING
    assert statuses[(second, "cy@example.org")] == RsvpStatus.WAITLISTED
    assert (seats(app, first), seats(app, second)) == (1, 1)


@pytest.fixture
def crowd_app(make_app):
    # Sixty people from one test address: the per-IP POST limit would stop them.
    return make_app(RATELIMIT_ENABLED=False)


@pytest.mark.slow
def test_sixty_rsvps_for_ten_seats_of_one_shift_fill_exactly_ten(crowd_app, make_event):
    app = crowd_app
    event_id = shift_event(make_event, 5, 10)
    other, crowded = timeslot_ids(app, event_id)
    people = 60
    clients = [app.test_client() for _ in range(people)]
    tokens = [csrf_token_from(c.get(f"/events/{event_id}").get_data(as_text=True)) for c in clients]
    start = threading.Barrier(people)
    codes = [None] * people

    def submit(index: int) -> None:
        start.wait()
        codes[index] = (
            clients[index]
            .post(
                f"/events/{event_id}/rsvp",
                data={
                    "name": f"Person {index}",
                    "email": f"person{index}@example.org",
                    "zip_code": "10001",
                    "guests": "0",
                    "timeslots": str(crowded),
                    "csrf_token": tokens[index],
                },
            )
            .status_code
        )

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert codes == [303] * people
    with app.app_context():
        counts = dict(
            db.session.execute(
                select(Rsvp.status, func.count())
                .where(Rsvp.timeslot_id == crowded)
                .group_by(Rsvp.status)
            ).all()
        )
        assert counts == {RsvpStatus.GOING: 10, RsvpStatus.WAITLISTED: 50}
        assert db.session.get(Timeslot, crowded).seats_taken == 10
        assert db.session.get(Timeslot, other).seats_taken == 0


def test_the_kept_event_page_changes_when_a_shift_fills(make_app, make_event):
    app = make_app(SEARCH_CACHE_SECONDS=300)
    client = app.test_client()
    event_id = shift_event(make_event, 1, 3)
    first, _second = timeslot_ids(app, event_id)
    assert "1 of 1 spots left" in client.get(f"/events/{event_id}").get_data(as_text=True)

    rsvp_to(client, event_id, [first])

    page = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "1 of 1 spots left" not in page and "Full: RSVP to join the waitlist" in page


def test_search_shows_the_next_shift_and_how_many_more(client, app, make_event):
    event_id = shift_event(make_event, None, None, None, title="Canvass in shifts")
    make_event(title="One-time rally")

    html = client.get("/events?zip=10003").get_data(as_text=True)

    row = html.split("Canvass in shifts</a>")[1].split("</li>")[0]
    assert "+2 more times" in row
    single = html.split("One-time rally</a>")[1].split("</li>")[0]
    assert "more time" not in single
    with app.app_context():
        first = db.session.get(Event, event_id).timeslots[0]
        local_start = first.starts_at.astimezone(ZoneInfo("America/New_York"))
    assert f'datetime="{local_start.isoformat()}"' in row


def post_time(client, token, path, day, start, end, capacity, form_page=None):
    """Send a host's shift form (add at /times, change at /times/<id>) as a browser would."""
    page = client.get(f"/host/{token}{form_page or ''}").get_data(as_text=True)
    return client.post(
        f"/host/{token}{path}",
        data={"date": day, "start_time": start, "end_time": end, "capacity": capacity,
              "csrf_token": csrf_token_from(page)},
    )  # fmt: skip


def test_host_adds_changes_and_cancels_shifts(client, app, make_event):
    from test_hosting import host_event, manage_token

    token = manage_token(host_event(client, capacity="4"))
    event_id = app_event_id(app)
    day = (utcnow() + timedelta(days=9)).date().isoformat()

    added = post_time(client, token, "/times", day, "18:00", "20:00", "2")
    assert added.status_code == 303
    first, second = timeslot_ids(app, event_id)
    rsvp_to(client, event_id, [second], email="ana@example.org")

    path = f"/times/{second}"
    changed = post_time(client, token, path, day, "19:00", "21:00", "3", form_page=path)
    assert changed.status_code == 303
    with app.app_context():
        slot = db.session.get(Timeslot, second)
        assert slot.capacity == 3
        # The host typed Denver's time: the event is at a Denver zip code.
        local = slot.starts_at.astimezone(ZoneInfo("America/Denver"))
        assert (local.date().isoformat(), local.hour) == (day, 19)
    assert [m.kind for m in outbox(app) if m.to_address == "ana@example.org"] == [
        "rsvp_confirmation",
        "event_changed",
    ]

    page = client.get(f"/host/{token}").get_data(as_text=True)
    cancelled = client.post(
        f"/host/{token}/times/{second}/cancel", data={"csrf_token": csrf_token_from(page)}
    )
    assert cancelled.status_code == 303
    assert rsvps_by_slot(app, event_id)[(second, "ana@example.org")] == RsvpStatus.CANCELLED
    told = [m for m in outbox(app) if m.to_address == "ana@example.org"][-1]
    assert "the time you chose" in told.body_text
    assert seats(app, second) == 0

    # The only time left cannot be cancelled: the event can.
    page = client.get(f"/host/{token}").get_data(as_text=True)
    client.post(f"/host/{token}/times/{first}/cancel", data={"csrf_token": csrf_token_from(page)})
    with app.app_context():
        assert db.session.get(Timeslot, first).cancelled_at is None


def test_a_shift_cannot_drop_below_its_people_or_start_in_the_past(client, app, make_event):
    from test_hosting import host_event, manage_token

    token = manage_token(host_event(client, capacity="4"))
    event_id = app_event_id(app)
    [slot] = timeslot_ids(app, event_id)
    rsvp_to(client, event_id, [], email="ana@example.org", guests=2)
    day = (utcnow() + timedelta(days=9)).date().isoformat()

    path = f"/times/{slot}"
    lower = post_time(client, token, path, day, "10:00", "12:00", "2", form_page=path)
    assert lower.status_code == 400
    assert "3 people already hold spots" in lower.get_data(as_text=True)

    past = (utcnow() - timedelta(days=2)).date().isoformat()
    response = post_time(client, token, "/times", past, "10:00", "12:00", "")
    assert response.status_code == 400
    assert "must start in the future" in response.get_data(as_text=True)


def app_event_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Event.id))


def test_the_calendar_file_has_an_entry_per_shift(client, app, make_event):
    event_id = shift_event(make_event, None, 5, 5)
    body = client.get(f"/events/{event_id}/calendar.ics").get_data(as_text=True)
    uids = re.findall(r"UID:(\S+)", body)
    assert len(uids) == 3 and len(set(uids)) == 3
    assert uids[0] == f"event-{event_id}@eventsite.test"


def test_the_api_lists_every_shift_with_is_full(client, app, make_event):
    campaign_id = make_campaign(app)
    event_id = shift_event(make_event, 1, 5, seats_taken=1, campaign_id=campaign_id)
    full, open_ = timeslot_ids(app, event_id)

    [event] = client.get("/api/v1/events").get_json()["data"]

    assert [(slot["id"], slot["is_full"]) for slot in event["timeslots"]] == [
        (full, True),
        (open_, False),
    ]
    assert client.get("/api/v1/events?exclude_full=true").get_json()["data"][0]["id"] == event_id


def test_reminders_go_to_each_shift_before_it(client, app, make_event, monkeypatch):
    from test_reminders import DAY_BEFORE, DAY_BEFORE_AT, START, reminded, send_reminders

    from eventsite import reminder_email_words, reminders

    def clock(moment):
        monkeypatch.setattr(reminders, "utcnow", lambda: moment)
        monkeypatch.setattr(reminder_email_words, "utcnow", lambda: moment)

    week = timedelta(days=7)
    event_id = make_event(
        starts_at=START, more_times=[(START + week, START + week + timedelta(hours=2), None)]
    )
    first, second = timeslot_ids(app, event_id)
    rsvp_to(client, event_id, [first], email="ana@example.org")
    rsvp_to(client, event_id, [second], email="ben@example.org")
    rsvp_to(client, event_id, [first, second], email="cy@example.org")

    send_reminders(app, clock, DAY_BEFORE_AT)
    assert sorted(reminded(app, DAY_BEFORE)) == ["ana@example.org", "cy@example.org"]

    send_reminders(app, clock, DAY_BEFORE_AT + week)
    assert sorted(reminded(app, DAY_BEFORE)) == [
        "ana@example.org",
        "ben@example.org",
        "cy@example.org",
        "cy@example.org",
    ]
    [second_to_cy] = [
        m for m in outbox(app) if m.kind == DAY_BEFORE and m.to_address == "cy@example.org"
    ][1:]
    assert "Jun 21, 2030" in second_to_cy.body_text


def test_the_demo_has_a_canvass_in_shifts_and_a_weekly_vigil(app, runner):
    result = runner.invoke(args=["demo-data", "--count", "20", "--shift-events"])
    assert "a canvass in three shifts and a weekly vigil" in result.output
    with app.app_context():
        events = db.session.scalars(select(Event)).all()
        by_title = {event.title.split(" in ")[0]: event for event in events}
        canvass, vigil = by_title["Door-knocking canvass"], by_title["Tuesday vigil for families"]
        assert [slot.capacity for slot in canvass.timeslots] == [15, 15, 15]
        assert len(vigil.timeslots) == 8
        zone = ZoneInfo(vigil.timezone)
        assert {
            slot.starts_at.astimezone(zone).strftime("%a %H:%M") for slot in vigil.timeslots
        } == {"Tue 18:00"}


def test_a_walk_in_joins_the_shift_on_now_and_the_list_shows_shifts(client, app, make_event):
    from test_check_in import CHECK_IN, TOKEN, add_walk_in

    from eventsite.models import hash_token

    now = utcnow()
    event_id = make_event(
        starts_at=now - timedelta(days=1),
        more_times=[
            (now - timedelta(minutes=30), now + timedelta(hours=1), None),
            (now + timedelta(days=1), now + timedelta(days=1, hours=1), None),
        ],
        manage_token_hash=hash_token(TOKEN),
    )
    _past, on_now, _later = timeslot_ids(app, event_id)

    add_walk_in(client, name="Walter Walkin")

    with app.app_context():
        walk_in = db.session.scalar(select(Rsvp).where(Rsvp.walk_in))
        assert walk_in.timeslot_id == on_now
    page = client.get(CHECK_IN).get_data(as_text=True)
    assert "Walter Walkin" in page and " – " in page.split("Walter Walkin")[1].split("</li>")[0]
