"""A new user's first hour: the README's commands, run as a fresh shell would run them."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def fresh_shell(**variables) -> dict:
    """The environment of a new terminal: no EVENTSITE_* or FLASK_* settings."""
    keep = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return {**keep, **variables}


def flask(*args, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "eventsite", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_flask_commands_work_in_a_fresh_shell(tmp_path):
    env = fresh_shell(EVENTSITE_DATABASE_URL=f"sqlite:///{tmp_path}/eventsite.sqlite3")

    listed = flask("--help", env=env, cwd=tmp_path)
    upgraded = flask("db", "upgrade", env=env, cwd=tmp_path)

    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stdout + listed.stderr
    for command in ("demo-data", "create-organizer", "send-mail", "db"):
        assert f"  {command} " in listed.stdout
    assert upgraded.returncode == 0, upgraded.stderr
    assert "Running upgrade" in upgraded.stderr


@pytest.mark.parametrize(
    ("variables", "missing"),
    [
        ({}, "EVENTSITE_SECRET_KEY"),
        ({"EVENTSITE_SECRET_KEY": "s" * 64}, "EVENTSITE_PUBLIC_URL"),
    ],
)
def test_the_web_server_will_not_start_without_its_settings(tmp_path, variables, missing):
    env = fresh_shell(EVENTSITE_DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", **variables)

    # What gunicorn loads (wsgi:app).
    started = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert started.returncode != 0
    assert f"ConfigError: {missing} is not set" in started.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    # Until the server is up, the free port may answer as something else (another run's
    # stand-in mail server took it): keep waiting, as for a refused connection.
    except (OSError, http.client.HTTPException):
        return None


def test_make_run_serves_on_the_port_asked_for(database_url, make_event):
    # The database already has an event: `make run` upgrades it (nothing to do) and adds no
    # demo data, so this run is quick.
    event_id = make_event()
    port = _free_port()
    server = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        env=fresh_shell(EVENTSITE_DATABASE_URL=str(database_url)),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # the server and its mail sender, stopped together below
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while _get(f"{base}/ping") is None and server.poll() is None:
            assert time.monotonic() < deadline, "make run did not serve on the port asked for"
            time.sleep(0.5)
        page = _get(f"{base}/events/{event_id}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)

    assert page is not None, "make run stopped before serving"
    # Shared links point at the server that was started.
    assert f'<link rel="canonical" href="{base}/events/{event_id}">' in page


def test_make_test_says_what_it_could_not_test_and_why(tmp_path):
    # A machine without Redis or Chromium: those tests are skipped, and said to be.
    env = {
        **os.environ,
        "EVENTSITE_TEST_REDIS_URL": "redis://127.0.0.1:1",
        "EVENTSITE_CHROMIUM": str(tmp_path / "no-chromium"),
    }
    run = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
            "tests/test_search_cache.py::test_app_servers_share_pages_through_redis",
            "tests/browser/test_phone_browser.py::test_find_an_event_by_zip_and_rsvp",
        ],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip

    assert run.returncode == 0, run.stdout
    header = run.stdout.split("collected", 1)[0]
    assert "redis: Redis is not reachable at redis://127.0.0.1:1" in header
    assert f"chromium: none at {tmp_path / 'no-chromium'}: tests/browser will be SKIPPED" in header
    assert "2 skipped" in run.stdout
    assert "SKIPPED [1] tests/test_search_cache.py" in run.stdout
