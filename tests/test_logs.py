"""What the logs keep: no working private link, no value a statement was sent with."""

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from helpers import ON_POSTGRESQL, csrf_token_from, emailed_rsvp_token, rsvp
from sqlalchemy import create_engine, text
from test_hosting import host_event, manage_token
from test_new_user import REPO, _free_port, fresh_shell
from werkzeug.serving import make_server

# What a person typed into the RSVP form: none of it belongs in a log.
PERSON = {"name": "Rosa Secretname", "email": "rosa.secret@example.org", "phone": "212-555-0199"}


def _failing_writes(database_url, table: str, operation: str, kind: str):
    """Make every `operation` on `table` fail with an integrity or an operational error."""
    engine = create_engine(str(database_url))
    with engine.begin() as connection:
        if ON_POSTGRESQL:
            code = "23000" if kind == "integrity" else "53000"  # insufficient_resources
            connection.execute(
                text(
                    "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    f"BEGIN RAISE EXCEPTION 'refused by the test' USING ERRCODE = '{code}'; "
                    "END $$"
                )
            )
            connection.execute(
                text(
                    f"CREATE TRIGGER test_refuse BEFORE {operation} ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION test_refuse()"
                )
            )
        else:
            action = (
                "SELECT RAISE(ABORT, 'refused by the test')"
                if kind == "integrity"
                else "INSERT INTO no_such_table VALUES (1)"  # 'no such table': OperationalError
            )
            connection.execute(
                text(
                    f"CREATE TRIGGER test_refuse BEFORE {operation} ON {table} BEGIN {action}; END"
                )
            )
    return engine


@pytest.fixture
def failing_writes(database_url):
    engines = []

    def install(table: str, operation: str, kind: str) -> None:
        engines.append(_failing_writes(database_url, table, operation, kind))

    yield install
    for engine in engines:
        with engine.begin() as connection:
            if ON_POSTGRESQL:
                connection.execute(text("DROP FUNCTION IF EXISTS test_refuse() CASCADE"))
            else:
                connection.execute(text("DROP TRIGGER IF EXISTS test_refuse"))
        engine.dispose()


@pytest.mark.parametrize(("kind", "status"), [("integrity", 500), ("operational", 503)])
def test_a_failed_rsvp_logs_none_of_what_the_person_typed(
    make_app, make_event, failing_writes, caplog, kind, status
):
    # The RSVP's confirmation email (with the person's details and private link) can't be
    # queued: the whole RSVP fails, and the log says so without the statement's values.
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    event_id = make_event()
    failing_writes("outbox_messages", "INSERT", kind)
    caplog.set_level(logging.INFO)

    response = rsvp(app.test_client(), event_id, **PERSON)

    assert response.status_code == status
    assert "refused by the test" in caplog.text or "no_such_table" in caplog.text
    for typed in PERSON.values():
        assert typed not in caplog.text
    assert "hidden" in caplog.text  # SQLAlchemy's note where the values would be


def test_a_failed_request_on_a_private_link_logs_the_path_without_the_token(
    make_app, make_event, failing_writes, caplog
):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    client = app.test_client()
    rsvp(client, make_event())
    token = emailed_rsvp_token(app, "rosa@example.org")
    page = client.get(f"/rsvps/{token}").get_data(as_text=True)
    failing_writes("rsvps", "UPDATE", "integrity")
    caplog.set_level(logging.INFO)

    response = client.post(f"/rsvps/{token}/cancel", data={"csrf_token": csrf_token_from(page)})

    assert response.status_code == 500
    assert "/rsvps/" in caplog.text
    assert token not in caplog.text


def _wait_for(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while process.poll() is None:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except OSError:
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.5)
    raise AssertionError("gunicorn stopped before serving")


def test_gunicorn_logs_private_links_with_their_tokens_redacted(app, database_url, tmp_path: Path):
    client = app.test_client()
    host_token = manage_token(host_event(client))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    access_log = tmp_path / "access.log"
    env = fresh_shell(
        EVENTSITE_DATABASE_URL=str(database_url),
        EVENTSITE_SECRET_KEY="s" * 64,
        EVENTSITE_PUBLIC_URL=base,
        EVENTSITE_BIND=f"127.0.0.1:{port}",
        EVENTSITE_WEB_WORKERS="1",
        EVENTSITE_ACCESS_LOG=str(access_log),
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(f"{base}/ping", server)
        requests = [
            urllib.request.Request(f"{base}/host/{host_token}"),
            urllib.request.Request(f"{base}/host/{host_token}/rsvps.csv?x=1"),
            urllib.request.Request(f"{base}/rsvps/{host_token}-unknown"),  # a 404
            urllib.request.Request(
                f"{base}/language/es?next=/rsvps/{host_token}",
                headers={"Referer": f"{base}/rsvps/{host_token}"},
            ),
        ]
        for request in requests:
            with contextlib.suppress(OSError):  # the 404
                urllib.request.urlopen(request, timeout=30).close()
    finally:
        os.kill(server.pid, signal.SIGTERM)
        output, _ = server.communicate(timeout=60)

    logged = access_log.read_text() + output.decode()
    assert logged.count("/host/") >= 2
    assert "/rsvps/" in logged
    assert host_token not in logged


def test_the_development_server_logs_private_links_with_their_tokens_redacted(
    app, make_event, caplog
):
    rsvp(app.test_client(), make_event())
    token = emailed_rsvp_token(app, "rosa@example.org")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    caplog.set_level(logging.INFO, logger="werkzeug")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/rsvps/{token}") as page:
            assert page.status == 200
    finally:
        server.shutdown()
        thread.join()
        server.server_close()

    assert "GET /rsvps/[token] HTTP/1.1" in caplog.text
    assert token not in caplog.text
