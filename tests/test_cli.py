"""Long commands show a progress bar on a terminal, and only their summary line when piped."""

import os
import pty
import subprocess
import sys

import pytest
from nominatim_server import NominatimStandIn
from smtp_server import SmtpStandIn

from eventsite.extensions import db
from eventsite.mail import queue_email
from eventsite.models import GeocodeStatus

FLASK = os.path.join(os.path.dirname(sys.executable), "flask")


def run_in_terminal(database_url: str, *args: str, **environment: str) -> str:
    """`flask --app eventsite ARGS` with a terminal for its output, as a person runs it."""
    leader, follower = pty.openpty()
    env = {
        **os.environ,
        "EVENTSITE_DATABASE_URL": database_url,
        "EVENTSITE_SECRET_KEY": "test-secret-key",
        "EVENTSITE_GEOCODER": "offline",
        "COLUMNS": "120",
        **environment,
    }
    process = subprocess.Popen(
        [FLASK, "--app", "eventsite", *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the command exited and closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert process.wait(timeout=120) == 0, output.decode(errors="replace")
    return output.decode(errors="replace")


@pytest.fixture
def smtp():
    server = SmtpStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def nominatim():
    server = NominatimStandIn().start()
    yield server
    server.stop()


def test_demo_data_shows_progress_on_a_terminal(database_url):
    output = run_in_terminal(database_url, "demo-data", "--count", "1500")

    assert "Adding demo events" in output
    assert "1500/1500" in output
    assert output.rstrip().endswith("Added 1500 demo events.")


def test_demo_data_piped_prints_one_summary_line(runner):
    result = runner.invoke(args=["demo-data", "--count", "1500"])

    assert result.exit_code == 0, result.output
    assert result.output == "Added 1500 demo events.\n"


def _queue_mail(app, count: int) -> None:
    with app.app_context():
        for n in range(count):
            queue_email(f"person{n}@example.org", f"Hello {n}", "A message.")
        db.session.commit()


def test_send_mail_shows_progress_on_a_terminal(app, database_url, smtp):
    _queue_mail(app, 30)

    output = run_in_terminal(database_url, "send-mail", EVENTSITE_SMTP_URL=smtp.url)

    assert "Sending mail" in output and "30/30" in output
    assert output.rstrip().endswith("Sent 30, will retry 0, gave up on 0; 0 waiting.")
    assert len(smtp.received) == 30


def test_send_mail_piped_prints_one_summary_line(make_app, smtp):
    app = make_app(SMTP_URL=smtp.url)
    _queue_mail(app, 30)

    result = app.test_cli_runner().invoke(args=["send-mail"])

    assert result.exit_code == 0, result.output
    assert result.output == "Sent 30, will retry 0, gave up on 0; 0 waiting.\n"


def _pending_events(make_event, count: int) -> None:
    for _ in range(count):
        make_event(geocode_status=GeocodeStatus.ZIP_PENDING, geocode_attempts=1)


def test_geocode_pending_shows_progress_on_a_terminal(database_url, make_event, nominatim):
    _pending_events(make_event, 3)

    output = run_in_terminal(
        database_url,
        "geocode-pending",
        EVENTSITE_GEOCODER="nominatim",
        EVENTSITE_NOMINATIM_URL=nominatim.url,
        EVENTSITE_GEOCODER_MIN_DELAY="0",
    )

    assert "Geocoding events" in output and "3/3" in output
    assert "Placed 3 at their street address" in output.splitlines()[-1]


def test_geocode_pending_piped_prints_one_summary_line(make_app, make_event, nominatim):
    app = make_app(GEOCODER="nominatim", NOMINATIM_URL=nominatim.url, GEOCODER_MIN_DELAY=0)
    _pending_events(make_event, 3)

    result = app.test_cli_runner().invoke(args=["geocode-pending"])

    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 1
    assert result.output.startswith("Placed 3 at their street address")


def test_demo_data_shows_online_hybrid_and_private_address_events(runner, app):
    from sqlalchemy import func, select

    from eventsite.extensions import db
    from eventsite.models import AttendanceMode, Event

    runner.invoke(args=["demo-data", "--count", "100"])

    with app.app_context():
        modes = dict(
            db.session.execute(
                select(Event.attendance_mode, func.count()).group_by(Event.attendance_mode)
            ).all()
        )
        private = db.session.scalar(select(func.count()).where(Event.address_private))
        links = db.session.scalars(select(Event.meeting_link).where(Event.meeting_link != ""))
        assert all(link.startswith("https://meet.example.org/") for link in links)
    assert modes[AttendanceMode.VIRTUAL] == 4 and modes[AttendanceMode.BOTH] == 4
    assert private == 4
