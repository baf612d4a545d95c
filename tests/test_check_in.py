"""Checking people in at the door from the host's private link, on a phone without
JavaScript: search by name, mark arrived, undo, add walk-ins; the counts on the host page,
the campaign page and in the CSV exports."""

import csv
import io
import re
from datetime import timedelta

import pytest
from helpers import csrf_token_from, rsvp
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import func, insert, select
from test_api import make_campaign
from test_organizers import log_in, make_organizer

from eventsite.extensions import db
from eventsite.models import Event, EventStatus, OutboxMessage, Rsvp, RsvpStatus, hash_token, utcnow

TOKEN = "host-token-for-check-in-tests-0123456789abcdef"
CHECK_IN = f"/host/{TOKEN}/check-in"


@pytest.fixture
def hosted(make_event):
    """An event starting within the hour, with a host link: check-in time."""

    def create(**fields):
        fields.setdefault("starts_at", utcnow() + timedelta(minutes=30))
        return make_event(manage_token_hash=hash_token(TOKEN), **fields)

    return create


def rsvp_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Rsvp.id).where(Rsvp.email == email))


def saved(app, rsvp_id: int) -> Rsvp:
    with app.app_context():
        found = db.session.get(Rsvp, rsvp_id)
        db.session.expunge_all()
        return found


def post_on_list(client, action: str, path_rsvp_id: int, query: str = ""):
    """Press a button on the check-in list, as a browser would."""
    page = client.get(CHECK_IN + query).get_data(as_text=True)
    return client.post(
        f"{CHECK_IN}/{path_rsvp_id}/{action}{query}", data={"csrf_token": csrf_token_from(page)}
    )


def add_walk_in(client, **fields):
    page = client.get(CHECK_IN).get_data(as_text=True)
    data = {"name": "Walter Walkin", "email": "", "phone": "", **fields}
    data["csrf_token"] = csrf_token_from(page)
    return client.post(f"/host/{TOKEN}/walk-ins", data=data)


def names_on(page: str) -> list[str]:
    return re.findall(r'class="check-in-name"><strong>([^<]+)</strong>', page)


def arrivals_line(page: str) -> str:
    """The arrival counts as read aloud: tags gone, spaces single."""
    match = re.search(r'<p class="arrivals"[^>]*>(.*?)</p>', page, re.S)
    assert match, "no arrival counts on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_the_host_page_links_to_check_in_and_counts_arrivals(client, app, hosted):
    event_id = hosted()
    rsvp(client, event_id, name="Rosa Parks", email="rosa@example.org", guests=2)
    rsvp(client, event_id, name="Fannie Hamer", email="fannie@example.org")

    host_page = client.get(f"/host/{TOKEN}").get_data(as_text=True)
    post_on_list(client, "arrived", rsvp_id(app, "rosa@example.org"))
    after = client.get(f"/host/{TOKEN}").get_data(as_text=True)

    assert f'href="{CHECK_IN}"' in host_page
    assert arrivals_line(host_page) == "0 of 4 arrived"
    assert arrivals_line(after) == "3 of 4 arrived"  # Rosa came with her 2 guests
    assert "Arrived" in after


def test_a_host_with_no_rsvps_can_still_check_walk_ins_in(client, hosted):
    hosted()
    host_page = client.get(f"/host/{TOKEN}").get_data(as_text=True)

    add_walk_in(client)

    assert f'href="{CHECK_IN}"' in host_page and 'class="arrivals"' not in host_page
    assert arrivals_line(client.get(f"/host/{TOKEN}").get_data(as_text=True)) == (
        "1 of 1 arrived · 1 walk-in"
    )


def test_mark_arrived_and_undo_by_post_only(client, app, hosted):
    event_id = hosted()
    rsvp(client, event_id, email="rosa@example.org")
    rosa = rsvp_id(app, "rosa@example.org")

    assert client.get(f"{CHECK_IN}/{rosa}/arrived").status_code == 405
    assert saved(app, rosa).checked_in_at is None

    marked = post_on_list(client, "arrived", rosa)
    first_time = saved(app, rosa).checked_in_at
    post_on_list(client, "arrived", rosa)  # a second tap keeps the first time
    assert marked.status_code == 303
    assert marked.headers["Location"].endswith(f"{CHECK_IN}#rsvp-{rosa}")
    assert abs(first_time - utcnow()) < timedelta(minutes=1)
    assert saved(app, rosa).checked_in_at == first_time

    undone = post_on_list(client, "undo", rosa)
    assert undone.status_code == 303
    assert saved(app, rosa).checked_in_at is None
    assert saved(app, rosa).status == RsvpStatus.GOING


def test_a_button_without_its_form_token_changes_nothing(client, app, hosted):
    event_id = hosted()
    rsvp(client, event_id, email="rosa@example.org")
    rosa = rsvp_id(app, "rosa@example.org")

    response = client.post(f"{CHECK_IN}/{rosa}/arrived")

    assert response.status_code == 400
    assert saved(app, rosa).checked_in_at is None


def test_an_rsvp_to_another_event_cannot_be_checked_in(client, app, hosted, make_event):
    hosted()
    other_event = make_event(title="Someone else's rally")
    rsvp(client, other_event, email="rosa@example.org")
    rosa = rsvp_id(app, "rosa@example.org")

    response = post_on_list(client, "arrived", rosa)

    assert response.status_code == 303
    assert saved(app, rosa).checked_in_at is None
    assert "no longer on the list" in client.get(CHECK_IN).get_data(as_text=True)


def test_search_by_name_keeps_the_search_after_a_tap(client, app, hosted):
    event_id = hosted()
    for name, email in [("Rosa Parks", "rosa@example.org"), ("Ella Baker", "ella@example.org")]:
        rsvp(client, event_id, name=name, email=email)
    ella = rsvp_id(app, "ella@example.org")

    found = client.get(f"{CHECK_IN}?q=baker").get_data(as_text=True)
    nobody = client.get(f"{CHECK_IN}?q=100%25").get_data(as_text=True)
    marked = post_on_list(client, "arrived", ella, query="?q=baker")

    assert names_on(found) == ["Ella Baker"]
    assert names_on(nobody) == []
    assert "Add them below" in nobody
    assert marked.headers["Location"].endswith(f"{CHECK_IN}?q=baker#rsvp-{ella}")


@pytest.mark.parametrize("search", ["a\x00b", "x" * 121])
def test_a_search_nobody_types_is_a_400_not_an_error(client, hosted, search):
    hosted()
    response = client.get(CHECK_IN, query_string={"q": search})
    assert response.status_code == 400


def test_the_list_shows_going_and_waitlisted_not_cancelled(client, app, hosted):
    event_id = hosted(capacity=1)
    rsvp(client, event_id, name="Ada Going", email="ada@example.org")
    rsvp(client, event_id, name="Bea Waiting", email="bea@example.org")
    rsvp(client, event_id, name="Cy Cancelled", email="cy@example.org")
    with app.app_context():
        db.session.get(Rsvp, rsvp_id(app, "cy@example.org")).status = RsvpStatus.CANCELLED
        db.session.commit()

    page = client.get(CHECK_IN).get_data(as_text=True)

    assert names_on(page) == ["Ada Going", "Bea Waiting"]
    assert "On the waitlist" in page


def test_500_rsvps_page_through_in_name_order_with_one_query_each(client, app, hosted):
    event_id = hosted()
    with app.app_context():
        [timeslot] = db.session.get(Event, event_id).timeslots
        db.session.execute(
            insert(Rsvp),
            [
                {
                    "event_id": event_id,
                    "timeslot_id": timeslot.id,
                    "name": f"Person {n:03d}",
                    "email": f"p{n}@example.org",
                    "zip_code": "10001",
                    "status": RsvpStatus.GOING,
                    "token_hash": hash_token(f"t{n}"),
                }
                for n in range(500)
            ],
        )
        db.session.commit()
    statements = []

    def count(*args):
        statements.append(args[2])

    with app.app_context():
        sqlalchemy_event.listen(db.engine, "before_cursor_execute", count)
    first = client.get(CHECK_IN)
    rsvp_statements = [s for s in statements if "FROM rsvps" in s]
    last = client.get(f"{CHECK_IN}?page=13").get_data(as_text=True)
    with app.app_context():
        sqlalchemy_event.remove(db.engine, "before_cursor_execute", count)
    page = first.get_data(as_text=True)

    assert names_on(page) == [f"Person {n:03d}" for n in range(40)]
    assert 'rel="next"' in page
    assert len(page) < 40_000
    # the page of rows and the counts: nothing that grows with the list
    assert len(rsvp_statements) == 2
    assert names_on(last) == [f"Person {n:03d}" for n in range(480, 500)]
    assert 'rel="next"' not in last


def test_a_walk_in_is_going_and_arrived_even_when_the_event_is_full(client, app, hosted):
    event_id = hosted(capacity=1)
    rsvp(client, event_id, email="rosa@example.org")

    response = add_walk_in(client, name="Walter Walkin", phone="212-555-0147")

    assert response.status_code == 303
    with app.app_context():
        walk_in = db.session.scalar(select(Rsvp).where(Rsvp.walk_in))
        assert walk_in.name == "Walter Walkin" and walk_in.phone == "+12125550147"
        assert walk_in.status == RsvpStatus.GOING and walk_in.checked_in_at is not None
        assert walk_in.email_address == ""
        assert db.session.get(Event, event_id).seats_taken == 1  # walk-ins hold no seat
    page = client.get(CHECK_IN).get_data(as_text=True)
    assert "Walter Walkin" in page and "Walk-in" in page
    assert arrivals_line(page) == "1 of 2 arrived · 1 walk-in"


def test_walk_ins_without_email_get_no_host_messages(client, app, hosted):
    event_id = hosted()
    rsvp(client, event_id, email="rosa@example.org")
    add_walk_in(client, name="Walter Walkin")
    add_walk_in(client, name="Wilma Walkin", email="Wilma@Example.org")
    host_page = client.get(f"/host/{TOKEN}").get_data(as_text=True)
    with app.app_context():
        before = db.session.scalar(select(func.count(OutboxMessage.id)))

    client.post(
        f"/host/{TOKEN}/message",
        data={
            "subject": "Thank you",
            "body": "Thanks for coming.",
            "csrf_token": csrf_token_from(host_page),
        },
    )

    with app.app_context():
        sent_to = db.session.scalars(
            select(OutboxMessage.to_address).where(OutboxMessage.id > before)
        ).all()
    assert sorted(sent_to) == ["rosa@example.org", "wilma@example.org"]
    assert "walk-in-" not in host_page


def test_a_walk_in_with_an_email_already_on_the_list_is_refused(client, app, hosted):
    event_id = hosted()
    rsvp(client, event_id, name="Rosa Parks", email="rosa@example.org")

    response = add_walk_in(client, name="Rosa P", email="ROSA@example.org")

    assert response.status_code == 400
    assert "already has an RSVP" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Rsvp.id))) == 1


def test_a_walk_in_with_a_number_already_on_the_list_is_refused(client, app, hosted):
    event_id = hosted()
    rsvp(client, event_id, name="Rosa Parks", email="", phone="212-555-0147", sms_consent="y")

    response = add_walk_in(client, name="Rosa P", phone="(212) 555 0147")

    assert response.status_code == 400
    assert 'id="phone-error">This number already has an RSVP' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Rsvp.id))) == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Enter their name."),
        ({"email": "not-an-email"}, "Enter an email address"),
        ({"phone": "555-123-4567"}, "Enter a mobile number that can get texts"),
    ],
)
def test_a_walk_in_needs_a_name_and_a_real_email_if_any(client, app, hosted, fields, message):
    hosted()
    response = add_walk_in(client, **fields)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Rsvp.id))) == 0


def test_removing_a_walk_in_erases_them(client, app, hosted):
    hosted()
    add_walk_in(client, name="Walter Walkin", phone="212-555-0147")
    walter = rsvp_id(app, saved_walk_in_email(app))

    post_on_list(client, "undo", walter)

    removed = saved(app, walter)
    assert removed.status == RsvpStatus.CANCELLED and removed.checked_in_at is None
    assert (removed.name, removed.phone, removed.erased_at is not None) == ("", "", True)
    page = client.get(CHECK_IN).get_data(as_text=True)
    assert "Walter" not in page
    assert arrivals_line(page) == "0 of 0 arrived"


def saved_walk_in_email(app) -> str:
    with app.app_context():
        return db.session.scalar(select(Rsvp.email).where(Rsvp.walk_in))


def test_rsvping_with_a_walk_ins_email_sends_no_link(client, app, hosted):
    event_id = hosted()
    add_walk_in(client, name="Wilma Walkin", email="wilma@example.org")

    rsvp(client, event_id, email="wilma@example.org")

    with app.app_context():
        assert db.session.scalars(select(OutboxMessage.to_address)).all() == []


def test_no_check_in_for_a_cancelled_event(client, app, hosted):
    event_id = hosted()
    rsvp(client, event_id, email="rosa@example.org")
    rosa = rsvp_id(app, "rosa@example.org")
    page = client.get(CHECK_IN).get_data(as_text=True)
    with app.app_context():
        db.session.get(Event, event_id).status = EventStatus.CANCELLED
        db.session.commit()

    listed = client.get(CHECK_IN)
    pressed = client.post(f"{CHECK_IN}/{rosa}/arrived", data={"csrf_token": csrf_token_from(page)})

    assert listed.status_code == 303 and listed.headers["Location"].endswith(f"/host/{TOKEN}")
    assert pressed.status_code == 303
    assert saved(app, rosa).checked_in_at is None
    assert "Check-in is for listed events" in client.get(f"/host/{TOKEN}").get_data(as_text=True)


def test_unknown_host_links_are_404(client, hosted):
    hosted()
    csrf = {"csrf_token": csrf_token_from(client.get(CHECK_IN).get_data(as_text=True))}
    assert client.get("/host/nope/check-in").status_code == 404
    assert client.post("/host/nope/walk-ins", data=csrf).status_code == 404
    assert client.post("/host/nope/check-in/1/arrived", data=csrf).status_code == 404


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_exports_say_who_arrived_and_who_walked_in(client, app, runner, hosted):
    campaign_id = make_campaign(app)
    event_id = hosted(campaign_id=campaign_id)
    rsvp(client, event_id, name="Rosa Parks", email="rosa@example.org")
    rsvp(client, event_id, name="Ella Baker", email="ella@example.org")
    post_on_list(client, "arrived", rsvp_id(app, "rosa@example.org"))
    add_walk_in(client, name="Walter Walkin")
    make_organizer(runner)
    organizer = app.test_client()
    log_in(organizer)

    hosts = csv_rows(client.get(f"/host/{TOKEN}/rsvps.csv"))
    organizers = csv_rows(organizer.get("/organizers/campaigns/families-june-14/rsvps.csv"))
    events = csv_rows(organizer.get("/organizers/campaigns/families-june-14/events.csv"))

    for rows in (hosts, organizers):
        by_name = {row["name"]: row for row in rows}
        assert by_name["Rosa Parks"]["checked_in_at"].startswith(str(utcnow().year))
        assert by_name["Ella Baker"]["checked_in_at"] == ""
        assert by_name["Walter Walkin"]["walk_in"] == "yes"
        assert by_name["Walter Walkin"]["email"] == ""
        assert by_name["Rosa Parks"]["walk_in"] == "no"
    assert (events[0]["people_going"], events[0]["people_arrived"]) == ("2", "2")


def test_the_campaign_page_shows_turnout(client, app, hosted, make_event):
    campaign_id = make_campaign(app)
    event_id = hosted(campaign_id=campaign_id)
    make_event(campaign_id=campaign_id, title="Next week's rally")
    rsvp(client, event_id, email="rosa@example.org", guests=1)
    before = client.get("/c/families-june-14").get_data(as_text=True)

    post_on_list(client, "arrived", rsvp_id(app, "rosa@example.org"))
    add_walk_in(client)
    after = client.get("/c/families-june-14").get_data(as_text=True)

    assert "showed up" not in before
    assert re.search(r"<strong>3</strong> people showed up", after)


def test_demo_data_has_an_event_on_now_with_people_checked_in(app, runner, client):
    result = runner.invoke(args=["demo-data", "--count", "20", "--check-in-event"])

    assert result.exit_code == 0, result.output
    link = re.search(
        r"Check people in: http://eventsite\.test(/host/\S+/check-in)\n", result.output
    )
    assert link, result.output
    page = client.get(link.group(1)).get_data(as_text=True)
    assert arrivals_line(page) == "16 of 39 arrived · 1 walk-in"
    assert page.count("✓ Arrived") == 13
    host_page = client.get(link.group(1).removesuffix("/check-in")).get_data(as_text=True)
    assert arrivals_line(host_page) == "16 of 39 arrived · 1 walk-in"
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.manage_token_hash.is_not(None)))
        assert event.starts_at < utcnow() < event.ends_at
        assert event.seats_taken == 38  # walk-ins hold no seat
        by_phone = db.session.scalars(
            select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.phone != "").order_by(Rsvp.id)
        ).all()
    # Some RSVPed by phone alone, agreeing to texts: the host sees their numbers.
    assert [(r.email_address, r.phone, r.texts_allowed) for r in by_phone[:1]] == [
        ("", "+12125550103", True)
    ]
    assert "(212) 555-0103" in host_page
