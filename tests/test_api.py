"""The Mobilize-style API at /api/v1: listings, filters, paging, keys and RSVPs."""

from datetime import date, timedelta

import pytest
from helpers import rsvp
from sqlalchemy import select

from eventsite.extensions import db
from eventsite.models import (
    ApiKey,
    Campaign,
    Event,
    EventKind,
    EventStatus,
    Rsvp,
    RsvpStatus,
    utcnow,
)

PASSWORD = "correct horse battery"


def make_campaign(app, slug="families-june-14", name="Families Belong Together") -> int:
    with app.app_context():
        campaign = Campaign(
            slug=slug,
            name=name,
            description="Nationwide day of action.",
            action_date=date.today() + timedelta(days=30),
        )
        db.session.add(campaign)
        db.session.commit()
        return campaign.id


def make_api_key(runner, email="org@example.org", slug="families-june-14") -> str:
    """An organizer of the campaign, and a key made with the CLI; returns the key."""
    result = runner.invoke(
        args=["create-organizer", email, "--campaign", slug],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["create-api-key", email, slug, "--label", "warehouse"])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def cancel(app, event_id):
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.status = EventStatus.CANCELLED
        event.cancelled_at = utcnow()
        db.session.commit()


def ids(response) -> list[int]:
    body = response.get_json()
    assert response.status_code == 200, body
    assert "error" not in body
    return [item["id"] for item in body["data"]]


def test_event_object_speaks_mobilize(client, app, make_event):
    campaign_id = make_campaign(app)
    starts_at = utcnow().replace(microsecond=0) + timedelta(days=3)
    event_id = make_event(
        title="Vigil at City Hall",
        kind=EventKind.VIGIL,
        description="Candles provided.\n\nMore <b>words</b> here.\nAnd a line.",
        campaign_id=campaign_id,
        starts_at=starts_at,
        capacity=1,
        accessibility_notes="Step-free.",
    )

    response = client.get("/api/v1/events")

    body = response.get_json()
    assert set(body) == {"count", "next", "previous", "data"}
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    event = body["data"][0]
    assert event["id"] == event_id
    assert event["title"] == "Vigil at City Hall"
    assert event["summary"] == "Candles provided."
    assert event["description"] == (
        "<p>Candles provided.</p><p>More &lt;b&gt;words&lt;/b&gt; here.<br>And a line.</p>"
    )
    assert event["event_type"] == "SOLIDARITY_EVENT"
    assert event["timezone"] == "America/New_York"
    assert event["browser_url"] == f"http://eventsite.test/events/{event_id}"
    assert event["visibility"] == event["address_visibility"] == "PUBLIC"
    assert event["accessibility_notes"] == "Step-free."
    assert event["timeslots"] == [
        {
            "id": event_id,
            "start_date": int(starts_at.timestamp()),
            "end_date": int((starts_at + timedelta(hours=2)).timestamp()),
            "is_full": False,
            "instructions": "",
        }
    ]
    assert event["location"]["address_lines"] == ["1 Union Sq W", ""]
    assert event["location"]["venue"] == "Union Square"
    assert (event["location"]["locality"], event["location"]["region"]) == ("New York", "NY")
    assert event["location"]["postal_code"] == "10003"
    assert event["location"]["location"] == {"latitude": 40.7359, "longitude": -73.9911}
    sponsor = event["sponsor"]
    assert (sponsor["id"], sponsor["slug"]) == (campaign_id, "families-june-14")
    assert sponsor["name"] == "Families Belong Together"
    assert sponsor["event_feed_url"] == "http://eventsite.test/c/families-june-14"
    assert event["event_campaign"]["event_create_page_url"] == (
        "http://eventsite.test/events/new?campaign=families-june-14"
    )
    assert event["contact"] is None
    assert abs(event["created_date"] - utcnow().timestamp()) < 600


def test_events_outside_campaigns_belong_to_organization_zero(client, make_event):
    make_event()

    sponsor = client.get("/api/v1/events").get_json()["data"][0]["sponsor"]

    assert (sponsor["id"], sponsor["name"], sponsor["slug"]) == (0, "eventsite", "")
    assert sponsor["event_feed_url"] == "http://eventsite.test/"


@pytest.mark.parametrize(
    ("kind", "event_type"),
    [
        (EventKind.PROTEST, "RALLY"),
        (EventKind.MARCH, "RALLY"),
        (EventKind.RALLY, "RALLY"),
        (EventKind.VIGIL, "SOLIDARITY_EVENT"),
        (EventKind.TOWN_HALL, "TOWN_HALL"),
        (EventKind.OTHER, "OTHER"),
    ],
)
def test_event_kinds_map_onto_mobilize_event_types(client, make_event, kind, event_type):
    event_id = make_event(kind=kind)

    event = client.get(f"/api/v1/events/{event_id}").get_json()["data"]

    assert event["event_type"] == event_type
    assert ids(client.get(f"/api/v1/events?event_types={event_type}")) == [event_id]
    other = "TOWN_HALL" if event_type != "TOWN_HALL" else "RALLY"
    assert ids(client.get(f"/api/v1/events?event_types={other}")) == []


def test_zipcode_search_sorts_by_distance_within_max_dist(client, make_event):
    brooklyn = make_event(title="Brooklyn", zip_code="11201", latitude=40.6940, longitude=-73.9900)
    manhattan = make_event(title="Manhattan")
    boston = make_event(title="Boston", zip_code="02108", latitude=42.3576, longitude=-71.0640)

    assert ids(client.get("/api/v1/events?zipcode=10001")) == [manhattan, brooklyn, boston]
    assert ids(client.get("/api/v1/events?zipcode=10001&max_dist=20")) == [manhattan, brooklyn]
    assert client.get("/api/v1/events?zipcode=10001&max_dist=20").get_json()["count"] == 2
    assert ids(client.get("/api/v1/events?zipcode=02108&max_dist=20")) == [boston]


def test_timeslot_filters_compare_start_and_end(client, make_event):
    now = utcnow().replace(microsecond=0)
    past = make_event(starts_at=now - timedelta(days=2))
    soon = make_event(starts_at=now + timedelta(days=1))
    later = make_event(starts_at=now + timedelta(days=10))
    cut = int((now + timedelta(days=5)).timestamp())

    assert ids(client.get("/api/v1/events")) == [past, soon, later]
    assert ids(client.get("/api/v1/events?timeslot_start=gte_now")) == [soon, later]
    assert ids(client.get(f"/api/v1/events?timeslot_start=lt_{cut}")) == [past, soon]
    assert ids(client.get(f"/api/v1/events?timeslot_start=gte_now&timeslot_start=lt_{cut}")) == [
        soon
    ]
    soon_start = int((now + timedelta(days=1)).timestamp())
    assert ids(client.get(f"/api/v1/events?timeslot_start=gt_{soon_start}")) == [later]
    assert ids(client.get(f"/api/v1/events?timeslot_start=gte_{soon_start}")) == [soon, later]
    soon_end = soon_start + 2 * 3600
    assert ids(client.get(f"/api/v1/events?timeslot_end=lte_{soon_end}")) == [past, soon]
    assert ids(client.get(f"/api/v1/events?timeslot_end=lt_{soon_end}")) == [past]


def test_updated_since_organization_and_full_filters(client, app, make_event):
    campaign_id = make_campaign(app)
    other_campaign = make_campaign(app, slug="other", name="Other")
    in_campaign = make_event(campaign_id=campaign_id, capacity=1, seats_taken=1)
    in_other = make_event(campaign_id=other_campaign)
    loose = make_event()
    with app.app_context():
        old = db.session.get(Event, loose)
        old.updated_at = utcnow() - timedelta(days=30)
        db.session.commit()
    week_ago = int((utcnow() - timedelta(days=7)).timestamp())

    assert ids(client.get(f"/api/v1/events?organization_id={campaign_id}")) == [in_campaign]
    assert ids(client.get(f"/api/v1/events?organization_id={campaign_id}&organization_id=0")) == [
        in_campaign,
        loose,
    ]
    assert ids(client.get(f"/api/v1/organizations/{other_campaign}/events")) == [in_other]
    assert ids(client.get("/api/v1/organizations/0/events")) == [loose]
    assert ids(client.get(f"/api/v1/events?updated_since={week_ago}")) == [in_campaign, in_other]
    assert ids(client.get("/api/v1/events?exclude_full=true")) == [in_other, loose]
    assert client.get("/api/v1/events").get_json()["data"][0]["timeslots"][0]["is_full"]
    assert ids(client.get("/api/v1/events?visibility=PRIVATE")) == []


def test_next_links_carry_every_filter_until_the_last_page(client, app, make_event):
    campaign_id = make_campaign(app)
    created = [make_event(campaign_id=campaign_id) for _ in range(7)]
    make_event()  # outside the campaign: filtered out on every page

    url = f"/api/v1/events?organization_id={campaign_id}&timeslot_start=gte_now&per_page=3"
    seen, pages = [], 0
    while url:
        body = client.get(url).get_json()
        assert body["count"] == 7
        seen += [event["id"] for event in body["data"]]
        pages += 1
        url = body["next"]
        if url:
            assert url.startswith("http://eventsite.test/api/v1/events?")
            assert f"organization_id={campaign_id}" in url and "per_page=3" in url
    assert (seen, pages) == (created, 3)
    last = client.get(f"/api/v1/events?organization_id={campaign_id}&per_page=3&page=3")
    previous = last.get_json()["previous"]
    assert ids(client.get(previous)) == created[3:6]


def test_per_page_defaults_to_25_and_stops_at_200(client, make_event):
    for _ in range(27):
        make_event()

    assert len(ids(client.get("/api/v1/events"))) == 25
    assert len(ids(client.get("/api/v1/events?page=2"))) == 2
    assert client.get("/api/v1/events?per_page=201").status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "per_page=0",
        "per_page=abc",
        "per_page=1.5",
        "page=0",
        "page=-1",
        "page=99999999999999999999",
        "zipcode=abc",
        "zipcode=00000",
        "max_dist=-4",
        "max_dist=nan",
        "max_dist=inf",
        "zipcode=10001&max_dist=x",
        "timeslot_start=gte_",
        "timeslot_start=after_1",
        "timeslot_start=gte_999999999999",
        "timeslot_end=lt_tomorrow",
        "updated_since=yesterday",
        "updated_since=99999999999999999",
        "organization_id=hello",
        "organization_id=99999999999",
        "event_types=PICNIC",
        "exclude_full=maybe",
        "visibility=SECRET",
        "per_page=5&per_page=6",
    ],
)
def test_bad_parameters_get_a_400_with_a_message(client, make_event, query):
    make_event()

    response = client.get(f"/api/v1/events?{query}")

    assert response.status_code == 400
    body = response.get_json()
    assert body["data"] is None and body["error"]["detail"]


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/api/v1/nowhere", 404),
        ("get", "/api/v1/events/424242", 404),
        ("get", "/api/v1/organizations/424242/events", 404),
        ("get", "/api/v1/organizations/99999999999999999999/events", 404),
        ("delete", "/api/v1/events", 405),
        ("post", "/api/v1/organizations", 405),
    ],
)
def test_api_errors_are_json(client, method, url, status):
    response = getattr(client, method)(url)

    assert response.status_code == status
    assert response.is_json
    assert response.get_json()["data"] is None
    assert response.get_json()["error"]["detail"]


def test_cancelled_events_move_to_deleted(client, app, make_event):
    campaign_id = make_campaign(app)
    kept = make_event(campaign_id=campaign_id)
    gone = make_event(campaign_id=campaign_id)
    loose_gone = make_event()
    cancel(app, gone)
    cancel(app, loose_gone)

    assert ids(client.get("/api/v1/events")) == [kept]
    assert client.get(f"/api/v1/events/{gone}").status_code == 404
    deleted = client.get("/api/v1/events/deleted").get_json()
    assert {item["id"] for item in deleted["data"]} == {gone, loose_gone}
    assert all(abs(item["deleted_date"] - utcnow().timestamp()) < 600 for item in deleted["data"])
    assert ids(client.get(f"/api/v1/organizations/{campaign_id}/events/deleted")) == [gone]
    assert ids(client.get("/api/v1/events/deleted?organization_id=0")) == [loose_gone]


def test_organizations_are_campaigns_plus_the_site(client, app):
    first = make_campaign(app)
    second = make_campaign(app, slug="second", name="Second")

    body = client.get("/api/v1/organizations").get_json()

    assert body["count"] == 3
    assert [org["id"] for org in body["data"]] == [0, first, second]
    assert body["data"][1]["event_feed_url"] == "http://eventsite.test/c/families-june-14"
    page_two = client.get("/api/v1/organizations?per_page=2&page=2").get_json()
    assert [org["id"] for org in page_two["data"]] == [second]
    soon = int((utcnow() + timedelta(days=1)).timestamp())
    assert ids(client.get(f"/api/v1/organizations?updated_since={soon}")) == []


def test_attendances_need_a_key_for_that_campaign(client, app, runner, make_event):
    campaign_id = make_campaign(app)
    other_id = make_campaign(app, slug="other", name="Other")
    event_id = make_event(campaign_id=campaign_id)
    rsvp(client, event_id, name="Rosa Parks", email="rosa@example.org", phone="212-555-0147")
    key = make_api_key(runner)
    url = f"/api/v1/organizations/{campaign_id}/attendances"

    for headers in ({}, bearer("esk_guessed"), {"Authorization": f"Token {key}"}):
        response = client.get(url, headers=headers)
        assert response.status_code == 401
        assert "rosa" not in response.get_data(as_text=True)
    assert (
        client.get(f"/api/v1/organizations/{other_id}/attendances", headers=bearer(key)).status_code
        == 401
    )

    body = client.get(url, headers=bearer(key)).get_json()

    assert body["count"] == 1 and "error" not in body
    attendance = body["data"][0]
    assert attendance["status"] == "REGISTERED"
    assert attendance["person"]["given_name"] == "Rosa"
    assert attendance["person"]["family_name"] == "Parks"
    assert attendance["person"]["email_addresses"] == [
        {"primary": True, "address": "rosa@example.org"}
    ]
    assert attendance["person"]["phone_numbers"] == [{"primary": True, "number": "+12125550147"}]
    assert attendance["person"]["postal_addresses"][0]["postal_code"] == "10001"
    assert attendance["event"]["id"] == attendance["timeslot"]["id"] == event_id
    assert attendance["sponsor"]["id"] == campaign_id
    with app.app_context():
        api_key = db.session.scalar(select(ApiKey))
        assert key not in api_key.key_hash and api_key.label == "warehouse"


def test_reading_with_a_key_writes_nothing(client, app, runner, make_event):
    """A GET is safe to repeat: no INSERT, UPDATE, DELETE or COMMIT, not even "last used"."""
    from sqlalchemy import event as sqlalchemy_event

    campaign_id = make_campaign(app)
    rsvp(client, make_event(campaign_id=campaign_id))
    key = make_api_key(runner)
    writes = []

    def note_write(_connection, _cursor, statement, *_args):
        if statement.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            writes.append(statement)

    def note_commit(_connection):
        writes.append("COMMIT")

    with app.app_context():
        engine = db.engine
    sqlalchemy_event.listen(engine, "before_cursor_execute", note_write)
    sqlalchemy_event.listen(engine, "commit", note_commit)
    try:
        response = client.get(
            f"/api/v1/organizations/{campaign_id}/attendances", headers=bearer(key)
        )
    finally:
        sqlalchemy_event.remove(engine, "before_cursor_execute", note_write)
        sqlalchemy_event.remove(engine, "commit", note_commit)

    assert response.status_code == 200 and response.get_json()["count"] == 1
    assert writes == []
    with app.app_context():
        assert db.session.scalar(select(ApiKey.last_used_at)) is None


def test_a_key_that_makes_an_rsvp_is_noted_as_used(client, app, runner, make_event):
    campaign_id = make_campaign(app)
    event_id = make_event(campaign_id=campaign_id)
    key = make_api_key(runner)
    url = f"/api/v1/organizations/{campaign_id}/events/{event_id}/attendances"

    response = client.post(url, json=attendance_body(event_id), headers=bearer(key))

    assert response.status_code == 201
    with app.app_context():
        assert db.session.scalar(select(ApiKey.last_used_at)) is not None


def test_revoked_keys_and_former_organizers_open_nothing(client, app, runner):
    campaign_id = make_campaign(app)
    key = make_api_key(runner)
    url = f"/api/v1/organizations/{campaign_id}/attendances"
    assert client.get(url, headers=bearer(key)).status_code == 200

    with app.app_context():
        key_id = db.session.scalar(select(ApiKey.id))
    result = runner.invoke(args=["revoke-api-key", str(key_id)])
    assert "Revoked" in result.output

    assert client.get(url, headers=bearer(key)).status_code == 401


def test_api_keys_only_for_a_campaigns_own_organizers(app, runner):
    make_campaign(app)
    make_campaign(app, slug="other", name="Other")
    runner.invoke(
        args=["create-organizer", "org@example.org", "--campaign", "other"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )

    refused = runner.invoke(args=["create-api-key", "org@example.org", "families-june-14"])
    unknown = runner.invoke(args=["create-api-key", "nobody@example.org", "families-june-14"])

    assert refused.exit_code != 0 and "not an organizer" in refused.output
    assert unknown.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(ApiKey)) is None


def attendance_body(event_id, **person):
    values = {
        "given_name": "Fannie",
        "family_name": "Lou Hamer",
        "email_address": "fannie@example.org",
        "phone_number": "212-555-0109",
        "postal_code": "10001",
    }
    values.update(person)
    return {"person": values, "timeslots": [{"timeslot_id": event_id}]}


def test_rsvp_through_the_api_takes_a_seat_like_the_form(client, app, make_event):
    campaign_id = make_campaign(app)
    event_id = make_event(campaign_id=campaign_id, capacity=1)
    url = f"/api/v1/organizations/{campaign_id}/events/{event_id}/attendances"

    first = client.post(url, json=attendance_body(event_id))
    again = client.post(url, json=attendance_body(event_id, given_name="Fannie L."))
    second = client.post(
        url,
        json=attendance_body(
            event_id,
            given_name="Ella",
            family_name="Baker",
            email_address="ella@example.org",
            phone_number="212-555-0111",
        ),
    )

    # Without a key, a receipt: what was sent, no id, dates or status (those go by email).
    assert [r.status_code for r in (first, again, second)] == [202] * 3
    receipt = first.get_json()["data"][0]
    assert "error" not in first.get_json()
    assert (receipt["id"], receipt["status"], receipt["created_date"]) == (None, None, None)
    assert receipt["person"]["email_addresses"][0]["address"] == "fannie@example.org"
    assert receipt["event"]["id"] == event_id
    with app.app_context():
        rsvps = db.session.scalars(select(Rsvp).order_by(Rsvp.id)).all()
        assert [(r.name, r.email, r.status) for r in rsvps] == [
            ("Fannie Lou Hamer", "fannie@example.org", RsvpStatus.GOING),
            ("Ella Baker", "ella@example.org", RsvpStatus.WAITLISTED),
        ]
        assert db.session.get(Event, event_id).seats_taken == 1


def test_rsvp_through_the_api_with_the_campaigns_key_answers_with_the_attendance(
    client, app, runner, make_event
):
    campaign_id = make_campaign(app)
    event_id = make_event(campaign_id=campaign_id, capacity=1)
    key = make_api_key(runner)
    url = f"/api/v1/organizations/{campaign_id}/events/{event_id}/attendances"

    first = client.post(url, json=attendance_body(event_id), headers=bearer(key))
    again = client.post(
        url, json=attendance_body(event_id, given_name="Fannie L."), headers=bearer(key)
    )
    second = client.post(
        url,
        json=attendance_body(
            event_id, given_name="Ella", email_address="ella@example.org", phone_number=""
        ),
        headers=bearer(key),
    )

    assert (first.status_code, again.status_code, second.status_code) == (201, 200, 201)
    first, again = first.get_json()["data"][0], again.get_json()["data"][0]
    assert first["status"] == "REGISTERED"
    assert again == first  # the RSVP as it was: a repeat changes nothing
    assert second.get_json()["data"][0]["status"] == "WAITLISTED"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (None, 400),
        ({"person": "Fannie"}, 400),
        ({"person": {"given_name": "F"}, "timeslots": [{"timeslot_id": 1}]}, 400),
        ("wrong-timeslot", 400),
        ("bad-email", 400),
        ("bad-zip", 400),
        ("number-name", 400),
    ],
)
def test_bad_api_rsvps_are_refused_with_reasons(client, app, make_event, body, status):
    event_id = make_event()
    url = f"/api/v1/organizations/0/events/{event_id}/attendances"
    bodies = {
        "wrong-timeslot": attendance_body(event_id + 1),
        "bad-email": attendance_body(event_id, email_address="not-an-email"),
        "bad-zip": attendance_body(event_id, postal_code="00000"),
        "number-name": attendance_body(event_id, given_name=7),
    }
    body = bodies[body] if isinstance(body, str) else body

    response = client.post(url, json=body) if body is not None else client.post(url)

    assert response.status_code == status
    assert response.get_json()["data"] is None
    with app.app_context():
        assert db.session.scalar(select(Rsvp)) is None


def test_api_rsvp_field_errors_name_mobilize_fields(client, make_event):
    event_id = make_event()

    response = client.post(
        f"/api/v1/organizations/0/events/{event_id}/attendances",
        json=attendance_body(event_id, email_address="nope", given_name="", family_name=""),
    )

    assert response.status_code == 400
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"person.email_address", "person.given_name"}
    assert fields["person.email_address"] == ["Enter an email address like name@example.com."]


def test_api_rsvps_to_closed_or_foreign_events_fail(client, app, make_event):
    campaign_id = make_campaign(app)
    past = make_event(starts_at=utcnow() - timedelta(days=1))
    theirs = make_event(campaign_id=campaign_id)

    closed = client.post(
        f"/api/v1/organizations/0/events/{past}/attendances", json=attendance_body(past)
    )
    foreign = client.post(
        f"/api/v1/organizations/0/events/{theirs}/attendances", json=attendance_body(theirs)
    )

    assert closed.status_code == 400
    assert "no longer taking RSVPs" in closed.get_json()["error"]["detail"]
    assert foreign.status_code == 404


def test_zip_search_applies_the_other_filters_too(client, app, make_event):
    campaign_id = make_campaign(app)
    rally = make_event(campaign_id=campaign_id)
    make_event(campaign_id=campaign_id, kind=EventKind.TOWN_HALL)
    make_event()
    make_event(campaign_id=campaign_id, capacity=1, seats_taken=1)  # full

    response = client.get(
        f"/api/v1/events?zipcode=10001&organization_id={campaign_id}"
        "&event_types=RALLY&exclude_full=true"
    )

    assert ids(response) == [rally]
    assert response.get_json()["count"] == 1


def test_links_use_the_public_url_and_public_reads_allow_any_origin(make_app, make_event):
    client = make_app(PUBLIC_URL="https://events.example.org", SERVER_NAME=None).test_client()
    for _ in range(3):
        make_event()

    response = client.get("/api/v1/events?per_page=2&timeslot_start=gte_now")

    body = response.get_json()
    assert body["next"] == (
        "https://events.example.org/api/v1/events?timeslot_start=gte_now&per_page=2&page=2"
    )
    assert body["data"][0]["browser_url"].startswith("https://events.example.org/events/")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    keyed = client.get("/api/v1/organizations/1/attendances", headers=bearer("esk_x"))
    assert "Access-Control-Allow-Origin" not in keyed.headers
    assert keyed.headers["Cache-Control"] == "no-store"


def test_is_virtual_filters_events_and_online_ones_are_not_found_by_distance(client, make_event):
    from eventsite.models import AttendanceMode

    in_person = make_event(title="Square rally")
    hybrid = make_event(
        title="Hybrid meeting",
        attendance_mode=AttendanceMode.BOTH,
        meeting_link="https://meet.example.org/h",
    )
    online = make_event(
        title="Far call",
        attendance_mode=AttendanceMode.VIRTUAL,
        meeting_link="https://meet.example.org/o",
        latitude=34.05,
        longitude=-118.24,
        zip_code="90012",
    )

    assert ids(client.get("/api/v1/events?is_virtual=true")) == [hybrid, online]
    assert ids(client.get("/api/v1/events?is_virtual=false")) == [in_person]
    assert ids(client.get("/api/v1/events?zipcode=10003")) == [in_person, hybrid]
    assert ids(client.get("/api/v1/events?zipcode=10003&is_virtual=true")) == [hybrid, online]
    assert ids(client.get("/api/v1/events?event_types=RALLY&is_virtual=false")) == [in_person]
    assert client.get("/api/v1/events?is_virtual=maybe").status_code == 400
    body = client.get("/api/v1/events?is_virtual=true").get_json()
    assert [event["is_virtual"] for event in body["data"]] == [True, True]
    assert "meet.example.org" not in client.get("/api/v1/events").get_data(as_text=True)


def test_an_attendance_by_phone_alone_carries_its_consent_to_texts(client, app, runner, make_event):
    from eventsite.models import SmsOptOut

    campaign_id = make_campaign(app)
    event_id = make_event(campaign_id=campaign_id)
    url = f"/api/v1/organizations/{campaign_id}/events/{event_id}/attendances"
    by_phone = {"email_address": None, "phone_number": "(212) 555-0150"}

    unconsented = client.post(url, json=attendance_body(event_id, **by_phone))
    consented = client.post(
        url, json=attendance_body(event_id, **by_phone, sms_opt_in_status="OPT_IN")
    )
    bad_status = client.post(url, json=attendance_body(event_id, sms_opt_in_status="YES"))
    key = make_api_key(runner)
    rsvp(client, event_id, name="Ella Baker", email="ella@example.org", phone="212-555-0160")

    assert unconsented.status_code == 400
    assert "person.sms_opt_in_status" in unconsented.get_json()["error"]["fields"]
    assert bad_status.status_code == 400
    assert consented.status_code == 202
    receipt = consented.get_json()["data"][0]["person"]
    assert receipt["sms_opt_in_status"] == "OPT_IN" and receipt["email_addresses"] == []
    listing = client.get(f"/api/v1/organizations/{campaign_id}/attendances", headers=bearer(key))
    statuses = {
        person["phone_numbers"][0]["number"]: person["sms_opt_in_status"]
        for person in (attendance["person"] for attendance in listing.get_json()["data"])
    }
    assert statuses == {"+12125550150": "OPT_IN", "+12125550160": "UNSPECIFIED"}

    with app.app_context():
        db.session.add(SmsOptOut(phone="+12125550150"))
        db.session.commit()
    listing = client.get(f"/api/v1/organizations/{campaign_id}/attendances", headers=bearer(key))
    [fannie] = [a for a in listing.get_json()["data"] if a["person"]["given_name"] == "Fannie"]
    assert fannie["person"]["sms_opt_in_status"] == "OPT_OUT"
    assert fannie["person"]["email_addresses"] == []
