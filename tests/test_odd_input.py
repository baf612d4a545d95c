"""Input nobody types on purpose (control characters, huge ids, far dates) gets a message
next to its field or a 404, never a 500, and a stored row no form would accept breaks no page."""

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape as html_unescape

import pytest
from helpers import csrf_token_from, emailed_rsvp_token, rsvp
from sqlalchemy import func, select
from test_api import make_campaign
from test_hosting import event_form, host_event, manage_token, only_event, outbox
from test_organizers import log_in, make_organizer

from eventsite.extensions import db
from eventsite.models import Campaign, Event, EventStatus, Rsvp, hash_token

CONTROL_MESSAGE = "invisible control characters"
TWO_YEARS_MESSAGE = "within two years of today"


def error_next_to(html: str, field: str) -> str:
    error = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html, re.S)
    assert error, f"no error shown next to {field}"
    return html_unescape(error.group(1))


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# --- Control characters in form fields ------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Families\x00 Belong Together rally"),
        ("title", "Families\tBelong Together rally"),  # one line: no tabs either
        ("title", "Families\nBelong Together rally"),
        ("description", "Bring signs, water and friends.\x00 We march at noon."),
        ("description", "Bring signs, water and friends.\x1b[31m We march at noon."),
        ("venue", "Civic\x00 Center Park"),
        ("street_address", "101 W\x00 14th Ave"),
        ("city", "Den\x00ver"),
        ("accessibility_notes", "Step-free\x00"),
        ("host_name", "Dolores\x00 Host"),
        ("host_email", "dolores\x00@example.org"),
    ],
)
def test_control_characters_in_the_host_form_are_explained(client, app, field, value):
    response = host_event(client, **{field: value})

    assert response.status_code == 400
    assert CONTROL_MESSAGE in error_next_to(response.get_data(as_text=True), field)
    assert count(app, Event) == 0


def test_line_breaks_and_tabs_are_fine_in_multi_line_text(client, app):
    description = "Bring signs, water and friends.\r\n\r\n\tWe march at noon to City Hall."

    response = host_event(client, description=description, accessibility_notes="Ramps.\r\nSeats.")

    assert response.status_code == 303
    assert only_event(app).description == description


@pytest.mark.parametrize(
    ("field", "value"), [("name", "Rosa\x00 Parks"), ("email", "rosa\x00@example.org")]
)
def test_control_characters_in_an_rsvp_are_explained(client, app, make_event, field, value):
    response = rsvp(client, make_event(), **{field: value})

    assert response.status_code == 400
    assert CONTROL_MESSAGE in error_next_to(response.get_data(as_text=True), field)
    assert count(app, Rsvp) == 0


def test_control_characters_in_an_rsvp_change_are_explained(client, app, make_event):
    rsvp(client, make_event())
    token = emailed_rsvp_token(app, "rosa@example.org")
    page = client.get(f"/rsvps/{token}").get_data(as_text=True)

    response = client.post(
        f"/rsvps/{token}",
        data={
            "name": "Rosa\x00",
            "phone": "",
            "zip_code": "10001",
            "guests": "0",
            "csrf_token": csrf_token_from(page),
        },
    )

    assert response.status_code == 400
    assert CONTROL_MESSAGE in error_next_to(response.get_data(as_text=True), "name")


@pytest.mark.parametrize(
    ("field", "value"), [("subject", "Bring\x00 water"), ("body", "It's hot.\x00")]
)
def test_control_characters_in_a_host_message_are_explained(client, app, field, value):
    token = manage_token(host_event(client))
    rsvp(client, only_event(app).id)
    page = client.get(f"/host/{token}").get_data(as_text=True)
    data = {"subject": "Bring water", "body": "It's hot.", "csrf_token": csrf_token_from(page)}

    response = client.post(f"/host/{token}/message", data={**data, field: value})

    assert response.status_code == 400
    assert CONTROL_MESSAGE in error_next_to(response.get_data(as_text=True), field)
    assert [m for m in outbox(app) if "Bring" in m.subject] == []


def test_control_characters_in_a_cancellation_reason_are_explained(client, app):
    token = manage_token(host_event(client))
    page = client.get(f"/host/{token}").get_data(as_text=True)

    response = client.post(
        f"/host/{token}/cancel",
        data={"reason": "Rain\x00", "confirm": "y", "csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )

    assert CONTROL_MESSAGE in response.get_data(as_text=True)
    assert only_event(app).status == EventStatus.PUBLISHED


@pytest.mark.parametrize("email", ["org\x00@example.org", "org@example.org\x00"])
def test_control_characters_in_the_login_email_are_explained(client, runner, app, email):
    make_campaign(app)
    make_organizer(runner)

    response = log_in(client, email=email)

    assert response.status_code == 400
    assert CONTROL_MESSAGE in error_next_to(response.get_data(as_text=True), "email")


@pytest.mark.parametrize(
    ("field", "value"), [("name", "Town\x00 Halls"), ("description", "Every\x00 district.")]
)
def test_control_characters_in_a_new_campaign_are_explained(client, runner, app, field, value):
    make_campaign(app)
    make_organizer(runner)
    log_in(client)
    page = client.get("/organizers/campaigns/new").get_data(as_text=True)
    data = {"name": "Town Halls", "slug": "town-halls", "description": "", "action_date": ""}

    response = client.post(
        "/organizers/campaigns/new",
        data={**data, field: value, "csrf_token": csrf_token_from(page)},
    )

    assert response.status_code == 400
    assert CONTROL_MESSAGE in error_next_to(response.get_data(as_text=True), field)
    assert count(app, Campaign) == 1


def test_control_characters_in_a_rejection_reason_are_explained(make_app, runner):
    app = make_app(MODERATION=True)
    client = app.test_client()
    host_event(client)
    event_id = only_event(app).id
    make_campaign(app)
    make_organizer(app.test_cli_runner())
    log_in(client)
    page = client.get("/organizers/").get_data(as_text=True)

    response = client.post(
        f"/organizers/events/{event_id}/reject",
        data={"reason": "Spam\x00", "csrf_token": csrf_token_from(page)},
    )

    assert response.status_code == 400
    assert CONTROL_MESSAGE in response.get_data(as_text=True)
    assert only_event(app).status == EventStatus.PENDING


@pytest.mark.parametrize("given_name", ["Rosa\x00", "Rosa\ud800", "\u0007Rosa"])
def test_control_characters_and_lone_surrogates_in_an_api_rsvp_are_a_400(
    client, app, make_event, given_name
):
    event_id = make_event()
    body = {
        "person": {
            "given_name": given_name,
            "email_address": "rosa@example.org",
            "postal_code": "10001",
        },
        "timeslots": [{"timeslot_id": event_id}],
    }

    response = client.post(f"/api/v1/organizations/0/events/{event_id}/attendances", json=body)

    assert response.status_code == 400
    assert CONTROL_MESSAGE in " ".join(response.get_json()["error"]["fields"]["person.given_name"])
    assert count(app, Rsvp) == 0


# --- Ids, slugs and path segments -----------------------------------------------------

HUGE_IDS = ["0", "2147483648", "9223372036854775808", "9" * 5000]


@pytest.mark.parametrize("event_id", HUGE_IDS)
def test_an_id_no_row_can_have_is_not_found(client, make_event, event_id):
    make_event()
    assert client.get(f"/events/{event_id}").status_code == 404
    assert client.get(f"/events/{event_id}/calendar.ics").status_code == 404
    assert client.post(f"/events/{event_id}/rsvp", data={}).status_code == 404


@pytest.mark.parametrize("event_id", HUGE_IDS)
def test_an_id_no_row_can_have_is_not_found_by_organizers(client, runner, app, event_id):
    make_campaign(app)
    make_organizer(runner)
    log_in(client)

    assert client.get(f"/organizers/events/{event_id}/edit").status_code == 404
    for action in ("approve", "reject", "cancel", "edit"):
        assert client.post(f"/organizers/events/{event_id}/{action}").status_code == 404


@pytest.mark.parametrize("slug", ["fam%00ily", "families-june-14%00", "%1B", "a" * 81])
def test_a_campaign_slug_with_odd_characters_is_not_found(client, runner, app, slug):
    make_campaign(app)
    public = (f"/c/{slug}", f"/c/{slug}/events.ics", f"/c/{slug}/embed", f"/embed?campaign={slug}")
    for path in public:
        assert client.get(path).status_code == 404, path
    make_organizer(runner)
    log_in(client)
    for path in (f"/organizers/campaigns/{slug}", f"/organizers/campaigns/{slug}/events.csv"):
        assert client.get(path).status_code == 404, path


# --- Email subjects --------------------------------------------------------------------


def test_a_long_host_message_subject_on_a_long_title_fits_the_outbox(client, app):
    title = "A " + "very long title " * 12 + "x" * 6  # 200 characters
    assert len(title) == 200
    token = manage_token(host_event(client, title=title))
    rsvp(client, only_event(app).id)
    page = client.get(f"/host/{token}").get_data(as_text=True)
    subject = "S" * 150

    response = client.post(
        f"/host/{token}/message",
        data={"subject": subject, "body": "It's hot.", "csrf_token": csrf_token_from(page)},
    )

    assert response.status_code == 303
    [message] = [m for m in outbox(app) if m.subject.startswith(subject)]
    assert len(message.subject) <= 300
    assert message.subject.startswith(f"{subject} (A very long title")


# --- Dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day", ["9999-12-31", (date.today() + timedelta(days=2 * 366 + 1)).isoformat()]
)
def test_a_far_future_date_is_explained_next_to_the_field(client, app, day):
    response = host_event(client, date=day)

    assert response.status_code == 400
    assert TWO_YEARS_MESSAGE in error_next_to(response.get_data(as_text=True), "date")
    assert count(app, Event) == 0


def test_a_date_within_two_years_is_fine(client, app):
    response = host_event(client, date=(date.today() + timedelta(days=700)).isoformat())

    assert response.status_code == 303


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_editing_an_event_to_a_far_date_is_explained(client, app, day):
    token = manage_token(host_event(client))
    with app.app_context():  # the event has started: its date may move into the past
        event = db.session.scalar(select(Event))
        event.starts_at = datetime.now(UTC) - timedelta(hours=1)
        db.session.commit()
    page = client.get(f"/host/{token}/edit").get_data(as_text=True)

    response = client.post(
        f"/host/{token}/edit", data=event_form(date=day, csrf_token=csrf_token_from(page))
    )

    assert response.status_code == 400
    assert TWO_YEARS_MESSAGE in error_next_to(response.get_data(as_text=True), "date")


def test_an_organizer_editing_to_a_far_date_is_explained(client, runner, app):
    make_campaign(app)
    make_organizer(runner)
    host_event(client)
    event_id = only_event(app).id
    log_in(client)
    page = client.get(f"/organizers/events/{event_id}/edit").get_data(as_text=True)

    response = client.post(
        f"/organizers/events/{event_id}/edit",
        data=event_form(date="9999-12-31", csrf_token=csrf_token_from(page)),
    )

    assert response.status_code == 400
    assert TWO_YEARS_MESSAGE in error_next_to(response.get_data(as_text=True), "date")


def test_a_campaign_day_of_action_far_away_is_explained(client, runner, app):
    make_campaign(app)
    make_organizer(runner)
    log_in(client)
    page = client.get("/organizers/campaigns/new").get_data(as_text=True)

    response = client.post(
        "/organizers/campaigns/new",
        data={
            "name": "Town Halls",
            "slug": "town-halls",
            "action_date": "9999-12-31",
            "csrf_token": csrf_token_from(page),
        },
    )

    assert response.status_code == 400
    assert TWO_YEARS_MESSAGE in error_next_to(response.get_data(as_text=True), "action_date")


# The last moments Python can hold: in a zone ahead of UTC their local time is year 10000.
FAR_ROWS = [
    ("America/New_York", datetime(9999, 12, 31, 20, tzinfo=UTC)),
    ("Pacific/Guam", datetime(9999, 12, 31, 20, tzinfo=UTC)),
    ("America/Adak", datetime(1, 1, 1, 0, tzinfo=UTC)),  # behind UTC: before year 1
    ("No/Such_Zone", datetime(2030, 1, 1, 12, tzinfo=UTC)),
]


@pytest.mark.parametrize(("zone", "starts_at"), FAR_ROWS)
def test_a_stored_row_no_form_would_accept_breaks_no_page(
    client, runner, app, make_event, zone, starts_at
):
    campaign_id = make_campaign(app)
    ends_at = min(starts_at + timedelta(hours=2), datetime.max.replace(tzinfo=UTC))
    event_id = make_event(
        campaign_id=campaign_id,
        timezone=zone,
        starts_at=starts_at,
        ends_at=ends_at,
        manage_token_hash=hash_token("host-token"),
    )
    ordinary = make_event(title="An ordinary rally")  # listed beside it
    pages = [
        "/events?zip=10003",
        "/events?zip=10003&radius=any",
        f"/events/{event_id}",
        f"/events/{event_id}/calendar.ics",
        "/events.ics",
        "/events.ics?zip=10003",
        "/embed",
        "/embed?zip=10003",
        "/c/families-june-14",
        "/c/families-june-14?zip=10003",
        "/c/families-june-14/events.ics",
        "/c/families-june-14/embed",
        "/api/v1/events",
        f"/api/v1/events/{event_id}",
        "/host/host-token",
        "/host/host-token/edit",
        "/host/host-token/rsvps.csv",
    ]
    for path in pages:
        assert client.get(path).status_code < 500, path

    form = client.get(f"/events/{ordinary}").get_data(as_text=True)
    data = {"name": "Rosa", "email": "rosa@example.org", "zip_code": "10001", "guests": "0"}
    answer = client.post(
        f"/events/{event_id}/rsvp", data={**data, "csrf_token": csrf_token_from(form)}
    )
    assert answer.status_code < 500
    make_organizer(runner)
    log_in(client)
    for path in (
        "/organizers/campaigns/families-june-14",
        "/organizers/campaigns/families-june-14/events.csv",
        f"/organizers/events/{event_id}/edit",
    ):
        assert client.get(path).status_code < 500, path


# --- Huge query strings ----------------------------------------------------------------


def test_a_huge_query_string_is_not_copied_into_the_language_link(client):
    # Quoting a megabyte-long query into the link took a tenth of a second per page.
    html = client.get("/events?zip=" + "1" * 5000).get_data(as_text=True)

    assert 'href="/language/es?next=/events"' in html
    assert "1" * 5000 not in html.split('class="language-switch"')[1].split("</nav>")[0]
