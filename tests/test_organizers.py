"""Campaign pages, organizer accounts, moderation and exports."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from helpers import csrf_token_from, rsvp
from sqlalchemy import select
from test_hosting import event_form, host_event, manage_token, outbox
from werkzeug.security import generate_password_hash

from eventsite.extensions import db
from eventsite.models import Campaign, Event, EventStatus, Organizer

PASSWORD = "correct horse battery"


@pytest.fixture
def campaign(app):
    with app.app_context():
        campaign = Campaign(
            slug="families-june-14",
            name="Families Belong Together",
            description="Nationwide day of action.",
            action_date=date.today() + timedelta(days=30),
        )
        db.session.add(campaign)
        db.session.commit()
        return campaign.id


def make_organizer(runner, email="org@example.org", campaigns=("families-june-14",)):
    args = ["create-organizer", email, "--name", "Olga Organizer"]
    for slug in campaigns:
        args += ["--campaign", slug]
    result = runner.invoke(args=args, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    return email


def log_in(client, email="org@example.org", password=PASSWORD):
    page = client.get("/organizers/login").get_data(as_text=True)
    return client.post(
        "/organizers/login",
        data={"email": email, "password": password, "csrf_token": csrf_token_from(page)},
    )


def approve_form(dashboard: str, action: str) -> dict:
    """What the dashboard's approve button at action sends: its token and reviewed version."""
    match = re.search(
        rf'action="{re.escape(action)}".*?name="reviewed"[^>]*value="([^"]*)"', dashboard, re.S
    )
    reviewed = {"reviewed": match.group(1)} if match else {}
    return {"csrf_token": csrf_token_from(dashboard), **reviewed}


def event_status(app, event_id):
    with app.app_context():
        return db.session.get(Event, event_id).status


def test_create_organizer_stores_a_hashed_password(runner, app, campaign):
    make_organizer(runner)

    with app.app_context():
        organizer = db.session.scalar(select(Organizer))
        assert organizer.email == "org@example.org"
        assert PASSWORD not in organizer.password_hash
        assert organizer.password_hash.startswith("$argon2id$")
        assert [c.slug for c in organizer.campaigns] == ["families-june-14"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create-organizer", "not-an-email", "--password", "long enough pw"], "email"),
        (["create-organizer", "a@example.org", "--password", "short"], "10 characters"),
        (
            [
                "create-organizer",
                "a@example.org",
                "--password",
                "long enough pw",
                "--campaign",
                "x",
            ],
            "no campaign /c/x",
        ),
    ],
)
def test_create_organizer_refuses_bad_input(runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output


@pytest.mark.parametrize(
    "path",
    [
        "/organizers/",
        "/organizers/campaigns/new",
        "/organizers/campaigns/families-june-14",
        "/organizers/campaigns/families-june-14/events.csv",
        "/organizers/campaigns/families-june-14/rsvps.csv",
        "/organizers/events/1/edit",
    ],
)
def test_organizer_pages_need_a_login(client, campaign, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/organizers/login" in response.headers["Location"]


def test_organizer_actions_need_a_login(client, app, make_event):
    event_id = make_event(status=EventStatus.PENDING)
    for action in ("approve", "reject", "cancel"):
        assert client.post(f"/organizers/events/{event_id}/{action}").status_code in (302, 400)
    assert event_status(app, event_id) == EventStatus.PENDING


def _password_hash(app, email="org@example.org") -> str:
    with app.app_context():
        return db.session.scalar(select(Organizer.password_hash).where(Organizer.email == email))


def test_a_password_kept_the_old_way_still_works_and_is_kept_anew(app, client, runner, campaign):
    """Hashes from before Argon2id (werkzeug's scrypt) log in and are replaced at the login."""
    make_organizer(runner)
    with app.app_context():
        organizer = db.session.scalar(select(Organizer))
        organizer.password_hash = generate_password_hash(PASSWORD)
        db.session.commit()
    assert log_in(client, password="wrong password").status_code == 400
    assert _password_hash(app).startswith("scrypt:")
    assert log_in(client).status_code == 303
    assert _password_hash(app).startswith("$argon2id$")
    assert client.get("/organizers/").status_code == 200


def test_the_login_brings_an_organizer_back_to_the_page_they_asked_for(client, runner, campaign):
    make_organizer(runner)
    asked = client.get("/organizers/campaigns/families-june-14/rsvps.csv?day=1")
    assert asked.status_code == 302
    login_page = asked.headers["Location"]
    assert "next=" in login_page
    response = log_in_at(client, login_page)
    assert response.headers["Location"] == "/organizers/campaigns/families-june-14/rsvps.csv?day=1"


def test_a_refused_request_costs_nothing_to_send_to_the_login(client, campaign):
    """Only a page one can come back to, of a size a browser sends, is carried to the login:
    quoting a megabyte-long query string into the link cost 130 ms of CPU."""
    huge = "x" * 1_000_000
    long_query = client.get(f"/organizers/?campaign={huge}")
    assert long_query.status_code == 302
    assert long_query.headers["Location"].startswith("/organizers/login?next=")
    assert len(long_query.headers["Location"]) < 100


def test_a_form_sent_without_a_login_leads_to_the_login_alone(make_app):
    # A POST can't be come back to by a link: the login leads to the dashboard instead.
    client = make_app(WTF_CSRF_ENABLED=False).test_client()
    posted = client.post(f"/organizers/logout?zip={'x' * 1_000_000}")
    assert posted.status_code == 302
    assert posted.headers["Location"] == "/organizers/login"


def log_in_at(client, login_page, email="org@example.org", password=PASSWORD):
    page = client.get(login_page).get_data(as_text=True)
    return client.post(
        login_page,
        data={"email": email, "password": password, "csrf_token": csrf_token_from(page)},
    )


@pytest.mark.parametrize(
    ("email", "password"), [("org@example.org", "wrong password"), ("nobody@example.org", PASSWORD)]
)
def test_wrong_login_gets_one_plain_message(client, runner, campaign, email, password):
    make_organizer(runner)
    response = log_in(client, email, password)
    assert response.status_code == 400
    assert "don&#39;t match an organizer" in response.get_data(as_text=True)
    assert client.get("/organizers/").status_code == 302


def test_login_sends_organizer_back_only_to_this_site(client, runner, campaign):
    make_organizer(runner)
    page = client.get("/organizers/login").get_data(as_text=True)
    response = client.post(
        "/organizers/login?next=//evil.example/",
        data={
            "email": "org@example.org",
            "password": PASSWORD,
            "csrf_token": csrf_token_from(page),
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/organizers/"


def test_organizer_creates_a_campaign_with_its_own_page(client, runner, app):
    make_organizer(runner, campaigns=())
    log_in(client)
    form = client.get("/organizers/campaigns/new").get_data(as_text=True)
    data = {
        "name": "Town Halls for Healthcare",
        "slug": "Town-Halls",
        "description": "Ask your representative.",
        "action_date": (date.today() + timedelta(days=10)).isoformat(),
        "csrf_token": csrf_token_from(form),
    }

    response = client.post("/organizers/campaigns/new", data=data)

    assert response.status_code == 303
    page = client.get("/c/town-halls").get_data(as_text=True)
    assert "Town Halls for Healthcare" in page
    assert "/events/new?campaign=town-halls" in page
    taken = client.post("/organizers/campaigns/new", data=data)
    assert taken.status_code == 400 and "/c/town-halls is taken" in taken.get_data(as_text=True)
    bad = client.post("/organizers/campaigns/new", data={**data, "slug": "no spaces!"})
    assert bad.status_code == 400 and "lowercase letters" in bad.get_data(as_text=True)


def test_campaign_page_searches_only_its_own_events(client, app, campaign, make_event):
    in_campaign = make_event(
        title="Campaign rally in Manhattan", campaign_id=campaign, seats_taken=3
    )
    make_event(title="Unrelated vigil", zip_code="10001")
    make_event(title="Campaign march in Chicago", campaign_id=campaign, latitude=41.88,
               longitude=-87.63, city="Chicago", state="IL", zip_code="60601")  # fmt: skip

    page = client.get("/c/families-june-14").get_data(as_text=True)
    assert "Families Belong Together" in page
    assert "<strong>2</strong> upcoming events" in page
    assert "<strong>3</strong> people going" in page
    assert "Unrelated vigil" not in page

    results = client.get("/c/families-june-14?zip=60601&radius=25").get_data(as_text=True)
    assert "Campaign march in Chicago" in results
    assert "Campaign rally in Manhattan" not in results
    assert 'data-lat="41.88"' in results  # map-ready

    widened = client.get("/c/families-june-14?zip=94103&radius=5").get_data(as_text=True)
    assert "No Families Belong Together events within 5 miles" in widened
    assert f"/events/{in_campaign}" in widened

    assert client.get("/c/families-june-14?zip=abcde").status_code == 400
    assert client.get("/c/no-such-campaign").status_code == 404


def test_hosting_from_the_campaign_page_joins_the_campaign(client, app, campaign):
    form = client.get("/events/new?campaign=families-june-14").get_data(as_text=True)
    assert '<option selected value="families-june-14">' in form

    response = host_event(client, campaign="families-june-14")

    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Event.campaign_id)) == campaign


def test_with_moderation_new_events_wait_for_an_organizer(make_app, campaign):
    app = make_app(MODERATION=True)
    client, runner = app.test_client(), app.test_cli_runner()
    make_organizer(runner)
    host = app.test_client()
    token = manage_token(host_event(host, campaign="families-june-14"))
    with app.app_context():
        event_id = db.session.scalar(select(Event.id))

    assert event_status(app, event_id) == EventStatus.PENDING
    assert "waiting for approval" in host.get(f"/host/{token}?new=1").get_data(as_text=True)
    assert client.get(f"/events/{event_id}").status_code == 404
    assert "Families Belong" not in client.get("/events?zip=80202").get_data(as_text=True)

    log_in(client)
    dashboard = client.get("/organizers/").get_data(as_text=True)
    assert "Waiting for review (1)" in dashboard
    action = f"/organizers/events/{event_id}/approve"
    response = client.post(action, data=approve_form(dashboard, action))

    assert response.status_code == 303
    assert event_status(app, event_id) == EventStatus.PUBLISHED
    assert client.get(f"/events/{event_id}").status_code == 200
    assert any(m.subject.startswith("Your event is listed") for m in outbox(app))


def test_organizer_rejects_with_a_reason_the_host_is_told(make_app, campaign):
    app = make_app(MODERATION=True)
    client = app.test_client()
    make_organizer(app.test_cli_runner())
    token = manage_token(host_event(app.test_client(), campaign="families-june-14"))
    with app.app_context():
        event_id = db.session.scalar(select(Event.id))
    log_in(client)
    csrf = csrf_token_from(client.get("/organizers/").get_data(as_text=True))

    no_reason = client.post(f"/organizers/events/{event_id}/reject", data={"csrf_token": csrf})
    assert no_reason.status_code == 400
    assert "Tell the host why." in no_reason.get_data(as_text=True)

    client.post(
        f"/organizers/events/{event_id}/reject",
        data={"csrf_token": csrf, "reason": "Please add the street address."},
    )

    assert event_status(app, event_id) == EventStatus.REJECTED
    [rejection] = [m for m in outbox(app) if "not approved" in m.subject]
    assert rejection.to_address == "dolores@example.org"
    assert "Please add the street address." in rejection.body_text
    manage = app.test_client().get(f"/host/{token}").get_data(as_text=True)
    assert "Please add the street address." in manage


def test_organizers_only_reach_their_own_campaigns_events(
    client, runner, app, campaign, make_event
):
    with app.app_context():
        other = Campaign(slug="other-campaign", name="Other")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    theirs = make_event(campaign_id=other_id, status=EventStatus.PENDING)
    make_organizer(runner)
    log_in(client)
    csrf = csrf_token_from(client.get("/organizers/").get_data(as_text=True))

    assert client.get(f"/organizers/events/{theirs}/edit").status_code == 404
    assert (
        client.post(f"/organizers/events/{theirs}/approve", data={"csrf_token": csrf}).status_code
        == 404
    )
    assert client.get("/organizers/campaigns/other-campaign/events.csv").status_code == 404
    assert "Waiting for review (0)" in client.get("/organizers/").get_data(as_text=True)
    assert event_status(app, theirs) == EventStatus.PENDING


def test_organizer_edits_and_cancels_a_campaign_event(client, runner, app, campaign, make_event):
    event_id = make_event(campaign_id=campaign)
    rsvp(app.test_client(), event_id, email="going@example.org")
    make_organizer(runner)
    log_in(client)
    form = client.get(f"/organizers/events/{event_id}/edit").get_data(as_text=True)
    assert 'value="Rally for Families"' in form

    data = event_form(
        title="Rally for Families, moved",
        street_address="1 Union Sq W",
        city="New York",
        state="NY",
        zip_code="10003",
        campaign="families-june-14",
        csrf_token=csrf_token_from(form),
    )
    assert client.post(f"/organizers/events/{event_id}/edit", data=data).status_code == 303
    with app.app_context():
        assert db.session.get(Event, event_id).title == "Rally for Families, moved"

    client.post(
        f"/organizers/events/{event_id}/cancel",
        data={"csrf_token": csrf_token_from(form), "confirm": "y"},
    )
    assert event_status(app, event_id) == EventStatus.CANCELLED
    assert any(m.to_address == "going@example.org" for m in outbox(app) if "Cancelled" in m.subject)


def test_a_filled_honeypot_changes_nothing_for_organizers_either(
    client, runner, app, campaign, make_event
):
    event_id = make_event(campaign_id=campaign)
    make_organizer(runner)
    log_in(client)
    form = client.get(f"/organizers/events/{event_id}/edit").get_data(as_text=True)

    data = event_form(
        title="Cheap pills online",
        state="NY",
        zip_code="10003",
        website="http://spam.example",
        csrf_token=csrf_token_from(form),
    )
    response = client.post(f"/organizers/events/{event_id}/edit", data=data)

    assert response.status_code == 400
    assert 'id="website-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Event, event_id).title == "Rally for Families"


def test_organizer_exports_campaign_events_and_rsvps(client, runner, app, campaign, make_event):
    event_id = make_event(campaign_id=campaign, title="+Rally")
    make_event(title="Not in the campaign")
    rsvp(app.test_client(), event_id, name="Bea", email="bea@example.org", phone="212-555-0100")
    make_organizer(runner)
    log_in(client)

    events = client.get("/organizers/campaigns/families-june-14/events.csv")
    rows = list(csv.DictReader(io.StringIO(events.get_data(as_text=True))))
    assert [row["title"] for row in rows] == ["'+Rally"]
    assert rows[0]["host_email"] == "ana@example.org"
    assert rows[0]["timezone"] == "America/New_York"

    rsvps = client.get("/organizers/campaigns/families-june-14/rsvps.csv")
    [row] = list(csv.DictReader(io.StringIO(rsvps.get_data(as_text=True))))
    assert (row["event_id"], row["email"], row["phone"]) == (
        str(event_id),
        "bea@example.org",
        "(212) 555-0100",
    )
