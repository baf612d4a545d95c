"""Fixtures: an app on a freshly migrated database per test, SQLite by default.

Set EVENTSITE_TEST_DATABASE_URL to run the same suite against PostgreSQL; its
public schema is dropped and rebuilt by the migrations at the start of the run.
"""

import functools
import os
import shutil
import uuid
from datetime import datetime, timedelta

import pytest
import redis
from flask_migrate import upgrade
from helpers import CHROMIUM, REDIS_URL
from smtp_server import SmtpStandIn
from sqlalchemy import create_engine, text
from twilio_server import TwilioStandIn

from eventsite import create_app
from eventsite.config import normalise_database_url
from eventsite.extensions import db
from eventsite.models import Event, EventKind, EventStatus, GeocodeStatus, Timeslot, utcnow

TEST_DATABASE_URL = normalise_database_url(os.environ.get("EVENTSITE_TEST_DATABASE_URL", ""))
ON_POSTGRESQL = TEST_DATABASE_URL.startswith("postgresql")

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "SERVER_NAME": "eventsite.test",
    # Links are built on http://eventsite.test, whatever the shell running the tests has set.
    "PUBLIC_URL": "",
    # No test touches the network: geocoding tests opt into a stand-in Nominatim server.
    "GEOCODER": "offline",
    "GEOCODER_MIN_DELAY": 0,
    "SMTP_URL": "",
    # Texts wait in the outbox unless a test points them at the Twilio stand-in.
    "SMS_URL": "",
    # Searches read the database every time; test_search_cache turns the cache on.
    "SEARCH_CACHE_SECONDS": 0,
}


@pytest.fixture(autouse=True)
def public_url_in_the_environment(monkeypatch):
    """An app built from the environment alone, as in production, needs its public URL."""
    monkeypatch.setenv("EVENTSITE_PUBLIC_URL", "http://eventsite.test")


def _migrate(url: str) -> None:
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """A database built by the migrations once per run: a template file, or PostgreSQL."""
    if ON_POSTGRESQL:
        engine = create_engine(TEST_DATABASE_URL)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        _migrate(TEST_DATABASE_URL)
        return TEST_DATABASE_URL
    template = tmp_path_factory.mktemp("template") / "eventsite.sqlite3"
    _migrate(f"sqlite:///{template}")
    return template


def _empty_postgresql_tables(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = ", ".join(
            table.name for table in db.metadata.sorted_tables if table.name != "alembic_version"
        )
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def database_url(migrated_database, tmp_path):
    """A fresh, migrated database for one test."""
    if ON_POSTGRESQL:
        yield migrated_database
        _empty_postgresql_tables(migrated_database)
    else:
        path = tmp_path / "eventsite.sqlite3"
        shutil.copy(migrated_database, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def make_app(database_url):
    """Build apps on this test's database, with extra config where a test needs it."""
    apps = []

    def build(**config):
        app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **config})
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@functools.cache
def redis_missing() -> str | None:
    """Why the tests cannot use Redis, or None when it answers."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return (
            f"Redis is not reachable at {REDIS_URL} ({error}): start redis-server, or set "
            "EVENTSITE_TEST_REDIS_URL, to test what app servers share through it"
        )
    return None


def pytest_report_header(config) -> list[str]:
    """What this run tests against, and what it will skip because the machine lacks it."""
    if ON_POSTGRESQL:
        database = "PostgreSQL (EVENTSITE_TEST_DATABASE_URL)"
    else:
        database = "SQLite (set EVENTSITE_TEST_DATABASE_URL=postgresql://... for PostgreSQL)"
    chromium = (
        CHROMIUM
        if os.path.exists(CHROMIUM)
        else f"none at {CHROMIUM}: tests/browser will be SKIPPED (apt-get install chromium, "
        "or set EVENTSITE_CHROMIUM)"
    )
    problem = redis_missing()
    redis_line = f"{REDIS_URL}" if problem is None else f"{problem}: those tests will be SKIPPED"
    return [f"database: {database}", f"redis: {redis_line}", f"chromium: {chromium}"]


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1 that keeps what it receives (tests/smtp_server.py)."""
    server = SmtpStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def twilio():
    """A stand-in of Twilio's Messages endpoint on 127.0.0.1 (tests/twilio_server.py)."""
    server = TwilioStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def texting_app(make_app, twilio):
    """The app sending texts to the Twilio stand-in."""
    return make_app(SMS_URL=twilio.sms_url)


@pytest.fixture
def clock(monkeypatch):
    """Set the reminders' clock: clock(moment)."""
    from eventsite import reminder_email_words, reminders

    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(reminders, "utcnow", lambda: moment)
        monkeypatch.setattr(reminder_email_words, "utcnow", lambda: moment)

    return set_to


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in the shared Redis, removed afterwards."""
    if redis_missing():
        pytest.skip(redis_missing())
    prefix = f"eventsite-test-{uuid.uuid4().hex}"
    yield prefix
    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)
    connection.close()


@pytest.fixture
def make_event(app):
    """Create a published upcoming event in New York unless told otherwise; returns its id.

    It has one timeslot at its times, with capacity and seats_taken if given; more_times
    (a list of (starts_at, ends_at, capacity)) adds further timeslots.
    """

    def create(**fields):
        starts_at = fields.pop("starts_at", utcnow() + timedelta(days=7))
        capacity, seats_taken = fields.pop("capacity", None), fields.pop("seats_taken", 0)
        more_times = fields.pop("more_times", ())
        values = {
            "title": "Rally for Families",
            "kind": EventKind.RALLY,
            "description": "Bring a sign.",
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=2),
            "timezone": "America/New_York",
            "venue": "Union Square",
            "street_address": "1 Union Sq W",
            "city": "New York",
            "state": "NY",
            "zip_code": "10003",
            "latitude": 40.7359,
            "longitude": -73.9911,
            "geocode_status": GeocodeStatus.ADDRESS,
            "status": EventStatus.PUBLISHED,
            "host_name": "Ana Host",
            "host_email": "ana@example.org",
        }
        values.update(fields)
        with app.app_context():
            event = Event(**values)
            event.timeslots.append(
                Timeslot(
                    starts_at=values["starts_at"],
                    ends_at=values["ends_at"],
                    capacity=capacity,
                    seats_taken=seats_taken,
                )
            )
            for slot_starts_at, slot_ends_at, slot_capacity in more_times:
                event.timeslots.append(
                    Timeslot(starts_at=slot_starts_at, ends_at=slot_ends_at, capacity=slot_capacity)
                )
            event.keep_span_of_timeslots()
            db.session.add(event)
            db.session.commit()
            return event.id

    return create
