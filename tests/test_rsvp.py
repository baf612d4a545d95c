"""RSVPing to an event from its page, and changing or cancelling from the private link."""

import re

import pytest
from helpers import csrf_token_from, emailed_rsvp_token, outbox, rsvp
from icalendar import Calendar
from sqlalchemy import select

from eventsite.extensions import db
from eventsite.models import Event, Rsvp, RsvpStatus, hash_token


def rsvps_for(app, event_id):
    with app.app_context():
        return db.session.scalars(
            select(Rsvp).where(Rsvp.event_id == event_id).order_by(Rsvp.id)
        ).all()


def seats_taken(app, event_id):
    with app.app_context():
        return db.session.get(Event, event_id).seats_taken


def test_event_page_has_what_a_person_needs(client, make_event):
    event_id = make_event(capacity=50, seats_taken=8, accessibility_notes="Step-free route.")

    html = client.get(f"/events/{event_id}").get_data(as_text=True)

    for expected in [
        "Rally for Families",
        "Union Square",
        "1 Union Sq W",
        "New York, NY 10003",
        "Ana Host",
        "42 of 50 spots left",
        "Step-free route.",
        "google.com/maps",
        'name="email"',
        "EST",
    ]:
        assert expected in html
    assert "ana@example.org" not in html  # the host's email is private


def test_unknown_and_pending_events_are_not_found(client, make_event):
    from eventsite.models import EventStatus

    pending = make_event(status=EventStatus.PENDING)
    assert client.get(f"/events/{pending}").status_code == 404
    assert client.get("/events/999999").status_code == 404


def test_rsvp_end_to_end(client, app, make_event):
    event_id = make_event(capacity=10)

    response = rsvp(client, event_id, name="Rosa Parks", email="Rosa@Example.org", guests=2)

    assert response.status_code == 303
    answer = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Check your email" in answer
    assert "Rosa@Example.org" in answer  # as typed, to catch a typo
    assert f"/events/{event_id}/calendar.ics" in answer
    assert "/rsvps/" not in answer  # the private link goes by email only
    token = emailed_rsvp_token(app, "rosa@example.org")
    page = client.get(f"/rsvps/{token}").get_data(as_text=True)
    assert "Going with 2 guests" in page
    assert f"/rsvps/{token}" in page
    [saved] = rsvps_for(app, event_id)
    assert saved.email == "rosa@example.org"
    assert saved.status == RsvpStatus.GOING
    assert saved.token_hash == hash_token(token)
    assert token not in saved.token_hash
    assert seats_taken(app, event_id) == 3


def test_calendar_file_has_the_right_time_zone(client, make_event):
    from datetime import UTC, datetime

    starts = datetime(2031, 6, 14, 17, 0, tzinfo=UTC)
    event_id = make_event(starts_at=starts, timezone="America/Chicago", title="Chicago march")

    response = client.get(f"/events/{event_id}/calendar.ics")

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    [entry] = calendar.walk("VEVENT")
    assert str(entry["summary"]) == "Chicago march"
    start = entry.decoded("dtstart")
    assert str(start.tzinfo) == "America/Chicago"
    assert (start.hour, start.minute) == (12, 0)
    assert start == starts
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["tzid"] == "America/Chicago"
    # The zone's rules cover the event's date, and only the years around it: small file.
    first_rule = min(rule.decoded("dtstart") for rule in zone.subcomponents)
    assert first_rule <= start.replace(tzinfo=None)
    assert len(response.data) < 2500
    assert str(entry["uid"]) == f"event-{event_id}@eventsite.test"


def test_same_email_twice_keeps_the_first_rsvp(client, app, make_event):
    event_id = make_event(capacity=10)

    rsvp(client, event_id, name="Rosa", email="rosa@example.org", guests=3)
    rsvp(client, event_id, name="Rosa Parks", email=" ROSA@example.org ", guests=1)

    [only] = rsvps_for(app, event_id)
    assert (only.name, only.guests) == ("Rosa", 3)  # changed only from its private link
    assert seats_taken(app, event_id) == 4


def test_full_event_waitlists_and_says_so(client, app, make_event):
    event_id = make_event(capacity=2)
    rsvp(client, event_id, email="a@example.org")
    rsvp(client, event_id, email="b@example.org")

    rsvp(client, event_id, email="c@example.org")

    page = client.get(f"/rsvps/{emailed_rsvp_token(app, 'c@example.org')}")
    assert "The event is full" in page.get_data(as_text=True)
    statuses = [r.status for r in rsvps_for(app, event_id)]
    assert statuses == [RsvpStatus.GOING, RsvpStatus.GOING, RsvpStatus.WAITLISTED]
    assert "Join the waitlist" in client.get(f"/events/{event_id}").get_data(as_text=True)


def test_party_bigger_than_the_seats_left_is_waitlisted(client, app, make_event):
    event_id = make_event(capacity=3)
    rsvp(client, event_id, email="a@example.org", guests=1)

    rsvp(client, event_id, email="b@example.org", guests=2)

    assert [r.status for r in rsvps_for(app, event_id)] == [RsvpStatus.GOING, RsvpStatus.WAITLISTED]
    assert seats_taken(app, event_id) == 2


def test_cancelling_frees_the_seat_and_promotes_the_waitlist(client, app, make_event):
    event_id = make_event(capacity=1)
    rsvp(client, event_id, email="a@example.org")
    first = emailed_rsvp_token(app, "a@example.org")
    rsvp(client, event_id, email="b@example.org")
    page = client.get(f"/rsvps/{first}").get_data(as_text=True)

    response = client.post(f"/rsvps/{first}/cancel", data={"csrf_token": csrf_token_from(page)})

    assert response.status_code == 303
    assert "Cancelled" in client.get(f"/rsvps/{first}").get_data(as_text=True)
    a, b = rsvps_for(app, event_id)
    assert (a.status, b.status) == (RsvpStatus.CANCELLED, RsvpStatus.GOING)
    assert seats_taken(app, event_id) == 1


def test_changing_guests_from_the_private_link(client, app, make_event):
    event_id = make_event(capacity=5)
    rsvp(client, event_id, guests=0)
    token = emailed_rsvp_token(app, "rosa@example.org")
    page = client.get(f"/rsvps/{token}").get_data(as_text=True)

    response = client.post(
        f"/rsvps/{token}",
        data={
            "name": "Rosa",
            "phone": "555-123-4567",
            "zip_code": "10001",
            "guests": "4",
            "csrf_token": csrf_token_from(page),
        },
    )

    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/rsvps/{token}")  # the link stays the same
    assert seats_taken(app, event_id) == 5
    [saved] = rsvps_for(app, event_id)
    assert (saved.guests, saved.phone) == (4, "555-123-4567")


def test_adding_guests_beyond_capacity_keeps_the_rsvp_as_it_was(client, app, make_event):
    event_id = make_event(capacity=3)
    rsvp(client, event_id, email="a@example.org")
    token = emailed_rsvp_token(app, "a@example.org")
    rsvp(client, event_id, email="b@example.org")
    page = client.get(f"/rsvps/{token}").get_data(as_text=True)

    response = client.post(
        f"/rsvps/{token}",
        data={"name": "A", "zip_code": "10001", "guests": "3", "csrf_token": csrf_token_from(page)},
    )

    assert response.status_code == 400
    assert "Only 2 spots left" in response.get_data(as_text=True)
    assert rsvps_for(app, event_id)[0].guests == 0
    assert seats_taken(app, event_id) == 2


def test_cancelled_rsvp_can_rsvp_again(client, app, make_event):
    event_id = make_event(capacity=5)
    rsvp(client, event_id)
    token = emailed_rsvp_token(app, "rosa@example.org")
    page = client.get(f"/rsvps/{token}").get_data(as_text=True)
    client.post(f"/rsvps/{token}/cancel", data={"csrf_token": csrf_token_from(page)})
    page = client.get(f"/rsvps/{token}").get_data(as_text=True)
    assert "RSVP again" in page

    client.post(
        f"/rsvps/{token}",
        data={
            "name": "Rosa",
            "zip_code": "10001",
            "guests": "0",
            "csrf_token": csrf_token_from(page),
        },
    )

    assert rsvps_for(app, event_id)[0].status == RsvpStatus.GOING
    assert seats_taken(app, event_id) == 1


def test_rsvp_without_csrf_token_is_rejected(client, app, make_event):
    event_id = make_event()

    response = client.post(
        f"/events/{event_id}/rsvp",
        data={"name": "Mallory", "email": "m@example.org", "zip_code": "10001", "guests": "0"},
    )

    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)
    assert rsvps_for(app, event_id) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Tell us your name."),
        ("name", "x" * 121, "Field cannot be longer than 120 characters."),
        ("email", "", "Enter your email"),
        ("email", "not-an-email", "Enter an email address like name@example.com."),
        ("phone", "call me", "Enter a phone number with area code"),
        ("phone", "123", "Enter a phone number with area code"),
        ("zip_code", "abc", "Enter a 5-digit US zip code"),
        ("zip_code", "00000", "find zip code 00000"),
        ("guests", "11", "from 0 to 10"),
        ("guests", "-1", "from 0 to 10"),
        ("guests", "lots", "from 0 to 10"),
    ],
)
def test_bad_rsvp_input_gets_a_message_next_to_the_field(
    client, app, make_event, field, value, message
):
    event_id = make_event()

    response = rsvp(client, event_id, **{field: value})

    assert response.status_code == 400
    html = response.get_data(as_text=True).replace("&#39;", "'")
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    assert error and message in error.group(1)
    assert f'aria-describedby="{field}-error"' in html or f'{field}-error"' in html
    assert rsvps_for(app, event_id) == []


@pytest.mark.parametrize("token", ["nope", "x" * 43, "a" * 500])
def test_guessed_rsvp_links_are_not_found(client, make_event, token):
    rsvp(client, make_event())
    assert client.get(f"/rsvps/{token}").status_code == 404


def test_no_rsvps_to_past_or_cancelled_events(client, app, make_event):
    from datetime import timedelta

    from eventsite.models import EventStatus, utcnow

    cancelled = make_event(status=EventStatus.CANCELLED)
    past = make_event(starts_at=utcnow() - timedelta(days=3))

    for event_id in (cancelled, past):
        page = client.get(f"/events/{event_id}").get_data(as_text=True)
        assert f'action="/events/{event_id}/rsvp"' not in page
    assert "has been cancelled" in client.get(f"/events/{cancelled}").get_data(as_text=True)
    assert client.get(f"/events/{past}").status_code == 200


def cancel_event_meanwhile(app, event_id):
    """The host cancels while someone has the RSVP form open."""
    from eventsite.models import EventStatus

    with app.app_context():
        db.session.get(Event, event_id).status = EventStatus.CANCELLED
        db.session.commit()


def open_rsvp_form(client, app, event_id, where):
    """The URL and filled-in fields of an RSVP form someone has open: a new RSVP on the
    event page, or a change from the private link."""
    if where == "event page":
        page = client.get(f"/events/{event_id}").get_data(as_text=True)
        fields = {"name": "Rosa Parks", "email": "rosa@example.org", "guests": "0"}
        return f"/events/{event_id}/rsvp", {**fields, "csrf_token": csrf_token_from(page)}
    rsvp(client, event_id)
    token = emailed_rsvp_token(app, "rosa@example.org")
    page = client.get(f"/rsvps/{token}").get_data(as_text=True)
    return f"/rsvps/{token}", {"name": "Rosa", "guests": "1", "csrf_token": csrf_token_from(page)}


@pytest.mark.parametrize("where", ["event page", "private link"])
def test_rsvp_to_an_event_cancelled_meanwhile_says_so_above_the_form_not_under_guests(
    client, app, make_event, where
):
    event_id = make_event()
    url, fields = open_rsvp_form(client, app, event_id, where)
    cancel_event_meanwhile(app, event_id)

    response = client.post(url, data={**fields, "zip_code": "10001"})

    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(
        r"data-error-summary>.*?<li>This event is no longer taking RSVPs\.</li>", body, re.S
    )
    assert 'id="guests-error"' not in body
    assert [r.guests for r in rsvps_for(app, event_id)] == ([] if where == "event page" else [0])


def test_a_lost_race_repeats_the_seat_taking_not_the_emails(client, app, make_event, monkeypatch):
    """A cancellation whose waitlist promotion loses a race (a waitlisted RSVP changed
    meanwhile) takes the seats again; the cancellation email is written once."""
    from sqlalchemy.orm.exc import StaleDataError

    from eventsite import emails, rsvps

    event_id = make_event(capacity=1)
    rsvp(client, event_id, email="a@example.org")
    token = emailed_rsvp_token(app, "a@example.org")
    rsvp(client, event_id, email="b@example.org")
    page = client.get(f"/rsvps/{token}").get_data(as_text=True)
    promote, write_cancellation = rsvps._promote_waitlist, emails.email_rsvp_cancelled
    promotions, cancellations_written = [], []

    def promote_losing_the_first_race(*args):
        promotions.append(args)
        if len(promotions) == 1:
            raise StaleDataError("a waitlisted RSVP changed since it was read")
        return promote(*args)

    def counted(rsvp):
        cancellations_written.append(rsvp.id)
        write_cancellation(rsvp)

    monkeypatch.setattr(rsvps, "_promote_waitlist", promote_losing_the_first_race)
    monkeypatch.setattr(emails, "email_rsvp_cancelled", counted)

    response = client.post(f"/rsvps/{token}/cancel", data={"csrf_token": csrf_token_from(page)})

    assert response.status_code == 303
    assert len(promotions) == 2 and len(cancellations_written) == 1
    a, b = rsvps_for(app, event_id)
    assert (a.status, b.status) == (RsvpStatus.CANCELLED, RsvpStatus.GOING)
    assert seats_taken(app, event_id) == 1
    subjects = [message.subject for message in outbox(app)]
    assert sum(subject.startswith("RSVP cancelled") for subject in subjects) == 1
    assert sum(subject.startswith("You're in") for subject in subjects) == 1
