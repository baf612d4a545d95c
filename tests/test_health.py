"""Probes a load balancer uses, and the reverse-proxy setting."""

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
