"""Migration 0018 on a database with rows in it: every event becomes one timeslot with its
times and seats, every RSVP belongs to its event's, and nothing else is lost."""

from datetime import UTC, datetime, timedelta

from flask_migrate import downgrade, upgrade
from helpers import csrf_token_from
from sqlalchemy import MetaData, Table, insert, select

from eventsite.extensions import db
from eventsite.models import Event, Rsvp, RsvpStatus, Timeslot

BEFORE = "0017_show_up"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
STARTS = datetime.now(UTC).replace(microsecond=0) + timedelta(days=5)


def _event(title: str, capacity, seats_taken: int, days: int) -> dict:
    return {
        "title": title, "kind": "rally", "description": "Bring a sign.",
        "starts_at": STARTS + timedelta(days=days),
        "ends_at": STARTS + timedelta(days=days, hours=2),
        "timezone": "America/New_York", "venue": "Union Square", "street_address": "1 Union Sq W",
        "city": "New York", "state": "NY", "zip_code": "10003", "latitude": 40.7359,
        "longitude": -73.9911, "geocode_status": "address", "geocode_attempts": 1,
        "accessibility_notes": "", "capacity": capacity, "seats_taken": seats_taken,
        "status": "published", "rejection_reason": "", "host_name": "Ana Host",
        "host_email": "ana@example.org", "host_phone": "", "created_at": NOW, "updated_at": NOW,
    }  # fmt: skip


def _rsvp(event_id: int, email: str, status: str, guests: int = 0) -> dict:
    return {
        "event_id": event_id, "name": email.split("@")[0].title(), "email": email,
        "phone": "", "zip_code": "10001", "guests": guests, "status": status,
        "token_hash": f"{event_id}-{email}", "created_at": NOW, "updated_at": NOW, "version": 1,
    }  # fmt: skip


# What later migrations (texts, referrals, show-up) gave RSVPs: the rebuild keeps them.
LATER_COLUMNS = {
    "phone": "+12125550147", "sms_consent_at": NOW, "sms_consent_wording": "v1",
    "utm_source": "newsletter", "utm_medium": "email", "ref": "ANA123",
    "referral_code": "ADA456", "confirmed_at": NOW, "attended": True,
    "attendance_note": "Brought six friends",
}  # fmt: skip


def _add_webhook_delivery(connection, campaign_table, event_id: int, rsvp_id: int) -> None:
    campaign = connection.execute(
        insert(campaign_table).returning(campaign_table.c.id),
        [{"slug": "c", "name": "C", "description": "", "created_at": NOW, "updated_at": NOW}],
    ).scalar_one()
    webhooks = Table("webhooks", MetaData(), autoload_with=connection)
    webhook = connection.execute(
        insert(webhooks).returning(webhooks.c.id),
        [{"campaign_id": campaign, "url": "https://crm.example.org/h", "secret": "s" * 32,
          "topics": ["rsvp.created"], "created_at": NOW}],
    ).scalar_one()  # fmt: skip
    connection.execute(
        insert(Table("webhook_deliveries", MetaData(), autoload_with=connection)),
        [{"webhook_id": webhook, "delivery_id": "d" * 36, "topic": "rsvp.created",
          "event_id": event_id, "rsvp_id": rsvp_id, "order_key": "k", "status": "pending",
          "attempts": 0, "next_attempt_at": NOW, "last_error": "", "created_at": NOW}],
    )  # fmt: skip


def _fill_the_old_schema(connection) -> dict:
    """Rows as eventsite held them before timeslots: events with their own seats, RSVPs,
    further links, reminders and outbox rows naming RSVPs."""
    tables = {
        name: Table(name, MetaData(), autoload_with=connection)
        for name in ("events", "rsvps", "rsvp_links", "reminders", "outbox_messages", "campaigns")
    }
    full = connection.execute(
        insert(tables["events"]).returning(tables["events"].c.id), [_event("Full", 3, 3, 0)]
    ).scalar_one()
    open_ = connection.execute(
        insert(tables["events"]).returning(tables["events"].c.id), [_event("Open", None, 1, 3)]
    ).scalar_one()
    rsvps = tables["rsvps"]
    ids = [
        connection.execute(insert(rsvps).returning(rsvps.c.id), [row]).scalar_one()
        for row in (
            {**_rsvp(full, "ada@example.org", "going", guests=2), **LATER_COLUMNS},
            _rsvp(full, "bea@example.org", "waitlisted"),
            _rsvp(open_, "ada@example.org", "going"),
        )
    ]
    connection.execute(
        insert(tables["rsvp_links"]),
        [{"rsvp_id": ids[0], "token_hash": "link" * 8, "created_at": NOW}],
    )
    connection.execute(
        insert(tables["reminders"]),
        [{"rsvp_id": ids[2], "kind": "day_before", "token_hash": "tap" * 8, "queued_at": NOW}],
    )
    connection.execute(
        insert(tables["outbox_messages"]),
        [
            {"to_address": "bea@example.org", "status": "pending", "attempts": 0,
             "next_attempt_at": NOW, "last_error": "", "created_at": NOW,
             "kind": "rsvp_confirmation", "event_id": full, "rsvp_id": ids[1]},
        ],
    )  # fmt: skip
    _add_webhook_delivery(connection, tables["campaigns"], full, ids[1])
    return {"full": full, "open": open_, "rsvps": ids}


def test_existing_events_become_one_timeslot_each_and_nothing_is_lost(app, client):
    with app.app_context():
        downgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            made = _fill_the_old_schema(connection)
        db.engine.dispose()
        upgrade()

        slots = db.session.scalars(select(Timeslot).order_by(Timeslot.event_id)).all()
        assert [(s.event_id, s.capacity, s.seats_taken) for s in slots] == [
            (made["full"], 3, 3),
            (made["open"], None, 1),
        ]
        assert [(s.starts_at, s.ends_at) for s in slots] == [
            (STARTS, STARTS + timedelta(hours=2)),
            (STARTS + timedelta(days=3), STARTS + timedelta(days=3, hours=2)),
        ]
        slot_of = {slot.event_id: slot.id for slot in slots}
        rsvps = db.session.scalars(select(Rsvp).order_by(Rsvp.id)).all()
        assert [(r.id, r.timeslot_id, r.email, r.status, r.guests) for r in rsvps] == [
            (made["rsvps"][0], slot_of[made["full"]], "ada@example.org", RsvpStatus.GOING, 2),
            (made["rsvps"][1], slot_of[made["full"]], "bea@example.org", RsvpStatus.WAITLISTED, 0),
            (made["rsvps"][2], slot_of[made["open"]], "ada@example.org", RsvpStatus.GOING, 0),
        ]
        with db.engine.connect() as connection:
            children = ("rsvp_links", 0), ("reminders", 2), ("outbox_messages", 1)
            for name, rsvp in (*children, ("webhook_deliveries", 1)):
                table = Table(name, MetaData(), autoload_with=connection)
                assert connection.execute(select(table.c.rsvp_id)).scalars().all() == [
                    made["rsvps"][rsvp]
                ], name
            retired = connection.execute(
                select(Event.__table__.c.capacity, Event.__table__.c.seats_taken)
            ).all()
        assert retired == [(None, 0), (None, 0)]
        ada = db.session.get(Rsvp, made["rsvps"][0])
        assert {name: getattr(ada, name) for name in LATER_COLUMNS} == LATER_COLUMNS
        indexes = {index["name"] for index in db.inspect(db.engine).get_indexes("rsvps")}
        assert {index.name for index in Rsvp.__table__.indexes} <= indexes
        full = db.session.get(Event, made["full"])
        assert (full.seats_taken, full.is_full) == (3, True)

    # The migrated events take RSVPs as before: the full one waitlists, the other seats.
    for event_id, expected in ((made["full"], "waitlist"), (made["open"], "going")):
        page = client.get(f"/events/{event_id}").get_data(as_text=True)
        response = client.post(
            f"/events/{event_id}/rsvp",
            data={"name": "Cy", "email": "cy@example.org", "zip_code": "10001", "guests": "0",
                  "csrf_token": csrf_token_from(page)},
        )  # fmt: skip
        assert response.status_code == 303, expected
    with app.app_context():
        statuses = db.session.scalars(
            select(Rsvp.status).where(Rsvp.email == "cy@example.org").order_by(Rsvp.id)
        ).all()
        assert statuses == [RsvpStatus.WAITLISTED, RsvpStatus.GOING]
