"""Forgetting people after the event: `flask forget-past` erases attendees' and hosts'
details everywhere the database kept them, keeps every count, and leaves nothing to read
back from the files; it warns hosts and organizers first and deletes sent emails.

The clock is frozen: forget-past runs as if FORGET_DAYS_LATER days had passed since the
test made its (upcoming) events and RSVPs.
"""

import pathlib
import re
from datetime import timedelta

import pytest
from helpers import ON_POSTGRESQL, csrf_token_from, rsvp
from sqlalchemy import JSON, String, Text, select, text, update
from test_api import attendance_body, bearer, make_api_key, make_campaign
from test_organizers import PASSWORD

from eventsite import forgetting
from eventsite.extensions import db
from eventsite.models import Event, MessageStatus, OutboxMessage, Rsvp, utcnow

# Events start 7 days after the real now (make_event) and end 2 hours later; the default
# retention is 30 days after the end.
FORGET_DAYS_LATER = 45
ATTENDEE = {"name": "Rosa Quietperson", "email": "rosa.parks@example.org", "phone": "212-555-0133"}
API_ATTENDEE = {
    "given_name": "Fannie",
    "family_name": "Hamerlou",
    "email_address": "fannie@example.org",
}
HOST = {"host_name": "Hosta Privateer", "host_email": "host.private@example.org"}
SECRETS = [
    "Rosa Quietperson",
    "Quietperson",
    "rosa.parks@example.org",
    "212-555-0133",
    "2125550133",
    "Hamerlou",
    "fannie@example.org",
    "5558675309",
    "host.private@example.org",
    "555-909-1212",
]


@pytest.fixture
def frozen_clock(monkeypatch):
    """forget-past's clock, FORGET_DAYS_LATER days on from now; returns that moment."""
    moment = utcnow() + timedelta(days=FORGET_DAYS_LATER)
    monkeypatch.setattr(forgetting, "utcnow", lambda: moment)
    return moment


@pytest.fixture
def seeded(app, client, runner, make_event):
    """A campaign event (capacity 3) with RSVPs by form and API, some emails sent."""
    campaign_id = make_campaign(app)
    event_id = make_event(campaign_id=campaign_id, capacity=3, host_phone="555-909-1212", **HOST)
    other_id = make_event(title="Second Rally", **HOST)
    rsvp(client, event_id, guests=1, **ATTENDEE)
    rsvp(client, other_id, **ATTENDEE)
    rsvp(client, event_id, name="Ella Waiting", email="ella@example.org", guests=2)
    key = make_api_key(runner)
    response = client.post(
        f"/api/v1/organizations/{campaign_id}/events/{event_id}/attendances",
        json=attendance_body(event_id, **API_ATTENDEE),
        headers=bearer(key),
    )
    assert response.status_code == 201
    with app.app_context():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id % 2 == 0)
            .values(status=MessageStatus.SENT, sent_at=utcnow())
        )
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.to_address == "fannie@example.org")
            .values(status=MessageStatus.FAILED, last_error="550 no such user")
        )
        db.session.commit()
    return {"campaign_id": campaign_id, "event_id": event_id, "other_id": other_id, "key": key}


def every_text_value(app) -> list[str]:
    """Every value of every text column (strings, texts, JSON) of every table."""
    values = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            for row in db.session.execute(select(*columns)) if columns else []:
                values.extend(str(value) for value in row if value is not None)
    return values


def secrets_in(values: list[str]) -> set[str]:
    text_all = "\n".join(values).lower()
    return {secret for secret in SECRETS if secret.lower() in text_all}


def counts(app, client, seeded) -> dict:
    """What the event page, the campaign dashboard and the API say, without people."""
    organizer = app.test_client()
    page = organizer.get("/organizers/login").get_data(as_text=True)
    organizer.post(
        "/organizers/login",
        data={
            "email": "org@example.org",
            "password": PASSWORD,
            "csrf_token": csrf_token_from(page),
        },
    )
    dashboard = organizer.get("/organizers/campaigns/families-june-14").get_data(as_text=True)
    event_page = client.get(f"/events/{seeded['event_id']}").get_data(as_text=True)
    with app.app_context():
        seats = [
            event.seats_taken for event in db.session.scalars(select(Event).order_by(Event.id))
        ]
        statuses = db.session.scalars(select(Rsvp.status).order_by(Rsvp.id)).all()
    return {
        "dashboard": re.findall(r"\d+ going", dashboard),
        "event page": re.findall(r"\d+ of \d+ spots left|Full", event_page),
        "api event": client.get(f"/api/v1/events/{seeded['event_id']}").get_json(),
        "seats": seats,
        "statuses": statuses,
    }


def forget_past(app) -> str:
    result = app.test_cli_runner().invoke(args=["forget-past"])
    assert result.exit_code == 0, result.output
    return result.output


def test_forget_past_leaves_no_attendee_or_host_detail_in_any_column(
    app, client, seeded, frozen_clock
):
    assert secrets_in(every_text_value(app)) == set(SECRETS) - {
        "212-555-0133",
        "5558675309",
    }  # kept as +12125550133
    before = counts(app, client, seeded)

    output = forget_past(app)

    assert "Erased the details of 4 RSVPs at 2 past events and of 2 hosts" in output
    assert secrets_in(every_text_value(app)) == set()
    assert counts(app, client, seeded) == before


def test_forget_past_twice_changes_nothing_more(app, client, seeded, frozen_clock):
    forget_past(app)
    first = sorted(every_text_value(app))

    assert forget_past(app).strip() == "Nothing to forget."
    assert sorted(every_text_value(app)) == first


def test_the_api_leaves_out_forgotten_attendances_but_keeps_counts(
    app, client, seeded, frozen_clock
):
    campaign_id, key = seeded["campaign_id"], seeded["key"]
    url = f"/api/v1/organizations/{campaign_id}/attendances"
    assert client.get(url, headers=bearer(key)).get_json()["count"] == 3
    deleted_before = client.get("/api/v1/events/deleted").get_json()

    forget_past(app)

    assert client.get(url, headers=bearer(key)).get_json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "data": [],
    }
    assert client.get("/api/v1/events/deleted").get_json() == deleted_before


def test_forget_past_waits_for_the_retention_days(app, client, seeded, monkeypatch):
    soon = utcnow() + timedelta(days=20)
    monkeypatch.setattr(forgetting, "utcnow", lambda: soon)

    forget_past(app)

    assert "rosa.parks@example.org" in secrets_in(every_text_value(app))


def test_the_retention_is_configurable(make_app, client, seeded, frozen_clock):
    patient = make_app(RETENTION_DAYS=60)

    forget_past(patient)

    assert "rosa.parks@example.org" in secrets_in(every_text_value(patient))


def test_hosts_and_organizers_are_warned_once_a_few_days_before(app, seeded, monkeypatch):
    # 28 days after the event: erasure in two days, inside the 3 days' warning.
    warning_time = utcnow() + timedelta(days=7 + 28)
    monkeypatch.setattr(forgetting, "utcnow", lambda: warning_time)

    assert "warned the hosts of 2 events" in forget_past(app)
    forget_past(app)

    with app.app_context():
        warnings = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.subject.like("The RSVP list for%"))
        ).all()
        recipients = sorted(message.to_address for message in warnings)
        organizer_body = next(m.body_text for m in warnings if m.to_address == "org@example.org")
    assert recipients == ["host.private@example.org"] * 2 + ["org@example.org"]
    assert "/organizers/campaigns/families-june-14/rsvps.csv" in organizer_body
    assert "/privacy" in organizer_body
    assert "rosa.parks@example.org" in secrets_in(every_text_value(app))


def test_sent_emails_are_deleted_after_a_week(app, seeded):
    with app.app_context():
        sent = db.session.scalar(
            select(db.func.count()).where(OutboxMessage.status == MessageStatus.SENT)
        )
    assert sent
    eight_days_on = utcnow() + timedelta(days=8)
    with app.app_context():
        forgetting.forget_past(eight_days_on)
        statuses = db.session.scalars(select(OutboxMessage.status)).all()
    assert MessageStatus.SENT not in statuses
    assert MessageStatus.PENDING in statuses  # nobody forgotten yet: their mail still waits


@pytest.mark.skipif(ON_POSTGRESQL, reason="reads SQLite's own files")
def test_no_erased_value_is_left_in_the_sqlite_files(app, seeded, frozen_clock):
    with app.app_context():
        path = pathlib.Path(db.engine.url.database)
        with db.engine.connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    assert b"rosa.parks@example.org" in path.read_bytes()  # the test can see them

    forget_past(app)

    with app.app_context():
        db.engine.dispose()
    files = [path, path.with_name(path.name + "-wal")]
    raw = b"".join(file.read_bytes() for file in files if file.exists())
    found = {secret for secret in SECRETS if secret.encode() in raw}
    assert found == set()


def test_demo_data_can_show_a_past_event_whose_attendees_were_forgotten(app, runner, client):
    result = runner.invoke(args=["demo-data", "--count", "20", "--past-event"])

    assert result.output == "Added 20 demo events and a past one whose attendees were forgotten.\n"
    with app.app_context():
        past = db.session.scalar(select(Event).where(Event.ends_at < utcnow()))
        past_id, erased, seats = past.id, past.attendees_erased_at, past.seats_taken
        forgotten = db.session.scalars(select(Rsvp).where(Rsvp.event_id == past_id)).all()
    assert erased is not None and len(forgotten) == seats == 12
    assert all(r.erased_at and not r.name and "@" not in r.email for r in forgotten)
    assert client.get(f"/events/{past_id}").status_code == 200


def test_forget_past_erases_walk_ins_and_keeps_who_came(app, client, make_event, frozen_clock):
    from eventsite.arrivals import arrival_counts, campaign_turnout
    from eventsite.models import hash_token

    token = "host-link-of-an-event-with-walk-ins-0123456789"
    campaign_id = make_campaign(app)
    event_id = make_event(campaign_id=campaign_id, manage_token_hash=hash_token(token), **HOST)
    rsvp(client, event_id, guests=1, **ATTENDEE)
    page = client.get(f"/host/{token}/check-in").get_data(as_text=True)
    csrf = csrf_token_from(page)
    [attendee] = re.findall(r'id="rsvp-(\d+)"', page)
    client.post(f"/host/{token}/check-in/{attendee}/arrived", data={"csrf_token": csrf})
    walk_in = {
        "name": "Wanda Walkerly",
        "email": "wanda.walkin@example.org",
        "phone": "212-555-0178",
    }
    added = client.post(f"/host/{token}/walk-ins", data={**walk_in, "csrf_token": csrf})
    assert added.status_code == 303

    def who_came():
        with app.app_context():
            return arrival_counts(event_id), campaign_turnout(campaign_id)

    before = who_came()
    kept = {"Wanda Walkerly", "wanda.walkin@example.org", "+12125550178"}  # the number in E.164
    assert kept <= set(every_text_value(app))

    forget_past(app)

    assert before[0].arrived == 3 and before[0].walk_ins == 1 and before[1] == 3
    assert who_came() == before
    left = "\n".join(every_text_value(app)).lower()
    assert not [value for value in kept if value.lower() in left]
    assert secrets_in(every_text_value(app)) == set()
