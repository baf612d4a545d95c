"""The app's configuration, schema and commands."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from eventsite import create_app
from eventsite.config import ConfigError, normalise_database_url
from eventsite.extensions import db
from eventsite.models import Campaign, Event, EventStatus


# The earth-position index exists on PostgreSQL only; SQLite's autogenerate says it skips it.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_migrations_build_exactly_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_migrations_go_down_and_up_again(app):
    with app.app_context():
        downgrade(revision="base")
        assert "events" not in inspect(db.engine).get_table_names()
        upgrade()
        assert {"events", "rsvps", "campaigns"} <= set(inspect(db.engine).get_table_names())


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("EVENTSITE_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="EVENTSITE_SECRET_KEY is not set"):
        create_app()


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENTSITE_SECRET_KEY", "from-env")
    monkeypatch.setenv("EVENTSITE_DATABASE_URL", "postgresql://u@db.example/eventsite")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/eventsite"


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.setenv("EVENTSITE_SECRET_KEY", "x")
    monkeypatch.delenv("EVENTSITE_DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("/instance/eventsite.sqlite3")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://a@b/c", "postgresql+psycopg://a@b/c"),
        ("postgresql://a@b/c", "postgresql+psycopg://a@b/c"),
        ("postgresql+psycopg://a@b/c", "postgresql+psycopg://a@b/c"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_urls_use_psycopg_3(given, expected):
    assert normalise_database_url(given) == expected


def test_demo_data_fills_an_empty_database_once(app, runner, client):
    result = runner.invoke(args=["demo-data", "--count", "200", "--if-empty"])
    assert "Added 200 demo events." in result.output
    again = runner.invoke(args=["demo-data", "--if-empty"])
    assert "already has events" in again.output

    with app.app_context():
        events = db.session.scalars(select(Event)).all()
        assert len(events) == 200
        assert all(e.status == EventStatus.PUBLISHED and e.is_upcoming for e in events)
        assert len({e.timezone for e in events}) >= 4
        capacities = [e.timeslots[0].capacity for e in events]
        assert any(capacities) and None in capacities
        assert all(len(e.timeslots) == 1 for e in events)
        assert db.session.scalar(select(func.count()).select_from(Campaign)) == 1
        campaign_events = db.session.scalar(
            select(func.count()).where(Event.campaign_id.is_not(None))
        )
        assert 50 <= campaign_events <= 150

    html = client.get("/events?zip=10001&radius=25").get_data(as_text=True)
    assert "New York, NY" in html.split('class="where">')[1]
