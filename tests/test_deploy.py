"""deploy/nginx.conf.template, proven: nginx in front of two gunicorn instances keeps the
public pages the app marks shareable, and never a private one."""

import os
import shutil
import signal
import subprocess
import sys
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from string import Template

import pytest
from helpers import emailed_rsvp_token, rsvp
from test_api import make_campaign
from test_hosting import host_event, manage_token
from test_logs import _wait_for
from test_new_user import REPO, _free_port, fresh_shell

pytestmark = pytest.mark.slow

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
CACHE_STATUS = "X-Cache-Status"


def _nginx_config(tmp_path: Path, listen: int, app_ports: list[int]) -> Path:
    """The deployment template filled in as the README says, inside a minimal nginx.conf."""
    site = Template((REPO / "deploy" / "nginx.conf.template").read_text()).safe_substitute(
        LISTEN=f"127.0.0.1:{listen}",
        CACHE_DIR=str(tmp_path / "cache"),
        APP_SERVERS=" ".join(f"server 127.0.0.1:{port};" for port in app_ports),
    )
    (tmp_path / "eventsite.conf").write_text(site)
    temp_paths = "\n".join(
        f"{kind}_temp_path {tmp_path / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    config = tmp_path / "nginx.conf"
    config.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\n"
        + "events {}\n"
        + f"http {{\naccess_log off;\n{temp_paths}\nuwsgi_temp_path {tmp_path / 'uwsgi'};\n"
        + f"scgi_temp_path {tmp_path / 'scgi'};\ninclude {tmp_path / 'eventsite.conf'};\n}}\n"
    )
    return config


def _start(stack: ExitStack, command: list[str], **popen) -> subprocess.Popen:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **popen)

    def stop():
        process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()

    stack.callback(stop)
    return process


def _get(url: str, cookie: str = "") -> tuple[str, dict]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        headers = dict(response.headers)
        headers["Set-Cookie"] = response.headers.get_all("Set-Cookie") or []
        return response.read().decode(), headers


@pytest.fixture
def proxied_site(app, database_url, make_event, tmp_path):
    """The site behind nginx: (its address, an event's id, a host's private token, an RSVP's
    private token)."""
    if NGINX is None:
        pytest.skip("nginx is not installed (apt-get install nginx; .ci/run installs it)")
    event_id = make_event(campaign_id=make_campaign(app))
    client = app.test_client()
    host_token = manage_token(host_event(client))
    rsvp(client, event_id)
    rsvp_token = emailed_rsvp_token(app, "rosa@example.org")

    nginx_port, app_ports = _free_port(), [_free_port(), _free_port()]
    base = f"http://127.0.0.1:{nginx_port}"
    with ExitStack() as stack:
        for port in app_ports:
            env = fresh_shell(
                EVENTSITE_DATABASE_URL=str(database_url),
                EVENTSITE_SECRET_KEY="s" * 64,
                EVENTSITE_PUBLIC_URL=base,
                EVENTSITE_BIND=f"127.0.0.1:{port}",
                EVENTSITE_WEB_WORKERS="1",
            )
            server = _start(
                stack,
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
                env=env,
                cwd=REPO,
            )
            _wait_for(f"http://127.0.0.1:{port}/ping", server)
        config = _nginx_config(tmp_path, nginx_port, app_ports)
        proxy = _start(stack, [NGINX, "-c", str(config), "-g", "daemon off;"])
        _wait_for(f"{base}/ping", proxy)
        yield base, event_id, host_token, rsvp_token


def test_nginx_keeps_public_pages_and_answers_the_second_request_itself(proxied_site):
    base, _, _, _ = proxied_site
    for path in ("/c/families-june-14", "/events?zip=10001", "/events.ics?zip=10001"):
        first_page, first = _get(base + path)
        second_page, second = _get(base + path)
        assert first[CACHE_STATUS] == "MISS", path
        assert second[CACHE_STATUS] == "HIT", path
        assert second_page == first_page
    # Each language is kept apart.
    english, _ = _get(base + "/c/families-june-14")
    assert '<html lang="en"' in english
    request = urllib.request.Request(
        base + "/c/families-june-14", headers={"Accept-Language": "es-MX,es;q=0.9"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers[CACHE_STATUS] == "MISS"
        assert '<html lang="es"' in response.read().decode()


def test_nginx_never_keeps_a_private_page_or_one_asked_with_a_session(proxied_site):
    base, event_id, host_token, rsvp_token = proxied_site
    private = [f"/host/{host_token}", f"/rsvps/{rsvp_token}", f"/events/{event_id}"]
    for path in private:
        for _ in range(2):
            _, headers = _get(base + path)
            assert headers[CACHE_STATUS] != "HIT", path
    # A page with a form hands out a session: asked with it, even a public page is the
    # app's own answer (it may carry a flashed message), and is not kept.
    _, event_page = _get(f"{base}/events/{event_id}")
    session = next(c for c in event_page["Set-Cookie"] if c.startswith("session="))
    session = session.split(";")[0]
    for _ in range(2):
        _, headers = _get(base + "/c/families-june-14", cookie=session)
        assert headers[CACHE_STATUS] == "BYPASS"
    # Visitors without a session still get the kept copy.
    _get(base + "/c/families-june-14")
    _, headers = _get(base + "/c/families-june-14")
    assert headers[CACHE_STATUS] == "HIT"
