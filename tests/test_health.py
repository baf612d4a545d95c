"""Probes a load balancer uses, and the reverse-proxy setting."""

import pytest
from flask import request

from eventsite.extensions import db


def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_says_503_when_the_database_is_gone(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/db.sqlite3")

    response = app.test_client().get("/healthz")

    assert response.status_code == 503
    with app.app_context():
        db.session.remove()


def test_ping_answers_without_the_database(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/db.sqlite3")

    response = app.test_client().get("/ping")

    assert (response.status_code, response.get_data(as_text=True)) == (200, "pong\n")


def _seen_by(app, headers) -> tuple[str, str]:
    """The client address and scheme a view sees for a request from 10.0.0.2."""
    seen = {}

    @app.get("/whoami")
    def whoami():
        seen["client"] = (request.remote_addr, request.scheme)
        return ""

    app.test_client().get("/whoami", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    return seen["client"]


def test_client_address_comes_from_the_proxy_only_when_configured(make_app):
    headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}

    assert _seen_by(make_app(), headers) == ("10.0.0.2", "http")
    assert _seen_by(make_app(PROXY_HOPS=1), headers) == ("203.0.113.9", "https")


# A database that does not answer: a file in a directory that is gone, a closed port.
UNREACHABLE_DATABASES = pytest.mark.parametrize(
    "outage",
    [
        "sqlite:///{tmp_path}/removed/dir/db.sqlite3",
        "postgresql+psycopg://postgres@127.0.0.1:1/eventsite?connect_timeout=5",
    ],
    ids=["sqlite", "postgresql"],
    indirect=True,
)


@pytest.fixture
def outage(make_app, tmp_path, request):
    """A client of an app whose database is unreachable (CSRF off: no page gives a token)."""
    url = request.param.format(tmp_path=tmp_path)
    app = make_app(SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False, PROPAGATE_EXCEPTIONS=False)
    yield app.test_client()
    with app.app_context():
        db.session.remove()


def assert_retry_in_a_minute(response):
    # Flask-Limiter rewrites our 60 as the seconds left until that moment, counted after
    # the response is built: 59 when a clock tick falls between.
    assert int(response.headers["Retry-After"]) in (59, 60)


RSVP = {"name": "Rosa", "email": "rosa@example.org", "zip_code": "10001", "guests": "0"}


@UNREACHABLE_DATABASES
def test_pages_say_503_and_when_to_come_back_while_the_database_is_down(outage):
    page = outage.get("/events/1")
    posted = outage.post("/events/1/rsvp", data=RSVP)

    for response in (page, posted):
        assert response.status_code == 503
        assert_retry_in_a_minute(response)
        assert response.headers["Cache-Control"] == "no-store"
        assert "Please try again in a minute." in response.get_data(as_text=True)
        assert "lost" not in response.get_data(as_text=True)
    assert "We couldn&#39;t save what you sent." in posted.get_data(as_text=True)
    assert "save" not in page.get_data(as_text=True)


@UNREACHABLE_DATABASES
def test_the_api_says_503_in_json_while_the_database_is_down(outage):
    listed = outage.get("/api/v1/events")
    posted = outage.post(
        "/api/v1/organizations/0/events/1/attendances",
        json={
            "person": {"given_name": "Rosa", "email_address": "rosa@example.org"},
            "timeslots": [{"timeslot_id": 1}],
        },
    )

    for response in (listed, posted):
        assert response.status_code == 503
        assert_retry_in_a_minute(response)
        body = response.get_json()
        assert body["data"] is None
        assert "try again in a minute" in body["error"]["detail"]
    assert "Nothing was saved" in posted.get_json()["error"]["detail"]
