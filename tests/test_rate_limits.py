"""Per-IP limits on every POST and on the API, in memory or shared through Redis."""

import logging
import os
import subprocess
import sys
import textwrap
from contextlib import ExitStack

import click
import pytest
import redis
from helpers import REDIS_URL, csrf_token_from, rsvp
from test_api import attendance_body, make_campaign


def test_posts_across_the_site_share_one_limit(make_app, make_event):
    app = make_app(RATELIMIT_POST="2 per minute")
    client = app.test_client()
    event_id = make_event()

    assert rsvp(client, event_id, email="a@example.org").status_code == 303
    assert rsvp(client, event_id, email="b@example.org").status_code == 303
    refused = rsvp(client, event_id, email="c@example.org")

    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many tries" in refused.get_data(as_text=True)
    assert client.get(f"/events/{event_id}").status_code == 200  # reading is not limited


def test_api_has_its_own_limit_with_json_errors(make_app, make_event):
    app = make_app(RATELIMIT_API="3 per minute")
    client = app.test_client()
    event_id = make_event()

    for _ in range(3):
        assert client.get("/api/v1/events").status_code == 200
    refused = client.get(f"/api/v1/events/{event_id}")

    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.get_json() == {
        "data": None,
        "error": {"detail": "Too many requests. Wait before trying again (see Retry-After)."},
    }
    assert client.get("/").status_code == 200


def test_api_rsvps_count_against_the_post_limit(make_app, make_event):
    app = make_app(RATELIMIT_POST="1 per minute")
    client = app.test_client()
    event_id = make_event()
    url = f"/api/v1/organizations/0/events/{event_id}/attendances"

    assert client.post(url, json=attendance_body(event_id)).status_code == 202
    refused = client.post(url, json=attendance_body(event_id, email_address="b@example.org"))

    assert refused.status_code == 429 and refused.get_json()["data"] is None


def test_limits_are_shared_through_redis_between_processes(
    make_app, make_event, database_url, redis_prefix
):
    config = {
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": redis_prefix,
        "RATELIMIT_POST": "2 per minute",
    }
    event_id = make_event()
    client = make_app(**config).test_client()
    url = f"/api/v1/organizations/0/events/{event_id}/attendances"
    for email in ("a@example.org", "b@example.org"):
        assert (
            client.post(url, json=attendance_body(event_id, email_address=email)).status_code == 202
        )

    # A second app in its own process, as another gunicorn worker would be.
    script = textwrap.dedent(
        f"""
        from eventsite import create_app
        app = create_app({{
            "TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": {str(database_url)!r},
            **{config!r},
        }})
        body = {attendance_body(event_id, email_address="c@example.org")!r}
        print(app.test_client().post({url!r}, json=body).status_code)
        """
    )
    other_worker = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "EVENTSITE_SECRET_KEY": "x"},
        check=False,
    )

    assert other_worker.stdout.strip().splitlines()[-1] == "429", other_worker.stderr
    connection = redis.Redis.from_url(REDIS_URL)
    assert any(connection.scan_iter(f"*{redis_prefix}*"))
    connection.close()


def test_limits_and_their_storage_come_from_the_environment(monkeypatch):
    from eventsite import create_app

    monkeypatch.setenv("EVENTSITE_SECRET_KEY", "x")
    monkeypatch.setenv("EVENTSITE_RATELIMIT_POST", "5 per minute")
    monkeypatch.setenv("EVENTSITE_RATELIMIT_API", "50 per minute")
    monkeypatch.setenv("EVENTSITE_RATELIMIT_STORAGE_URL", REDIS_URL)

    config = create_app().config

    assert config["RATELIMIT_POST"] == "5 per minute"
    assert config["RATELIMIT_API"] == "50 per minute"
    assert config["RATELIMIT_STORAGE_URI"] == REDIS_URL


def test_logged_in_organizers_moderate_without_the_post_limit(make_app, make_event):
    from test_organizers import PASSWORD, log_in

    app = make_app(RATELIMIT_POST="2 per minute")
    client, runner = app.test_client(), app.test_cli_runner()
    runner.invoke(args=["create-organizer", "org@example.org"], input=f"{PASSWORD}\n{PASSWORD}\n")
    events = [make_event() for _ in range(4)]

    assert log_in(client).status_code == 303  # the one anonymous POST
    csrf = csrf_token_from(client.get("/organizers/").get_data(as_text=True))
    codes = [
        client.post(
            f"/organizers/events/{event_id}/cancel", data={"csrf_token": csrf, "confirm": "y"}
        ).status_code
        for event_id in events[:3]
    ]

    assert codes == [303] * 3
    stranger = app.test_client()  # the same address, not logged in: one POST left
    assert rsvp(stranger, events[3]).status_code == 303
    assert rsvp(stranger, events[3], email="again@example.org").status_code == 429


@pytest.mark.parametrize(("proxies", "second_visitor_status"), [(0, 429), (1, 200)])
def test_behind_a_proxy_each_visitor_has_their_own_budget(
    make_app, make_event, proxies, second_visitor_status
):
    app = make_app(RATELIMIT_API="1 per minute", PROXY_HOPS=proxies)
    client = app.test_client()

    first = client.get("/api/v1/events", headers={"X-Forwarded-For": "203.0.113.7"})
    second = client.get("/api/v1/events", headers={"X-Forwarded-For": "198.51.100.9"})

    assert first.status_code == 200
    assert second.status_code == second_visitor_status


def test_searches_that_do_work_share_a_budget_and_cached_pages_are_free(make_app, make_event):
    app = make_app(RATELIMIT_SEARCH="4 per minute", SEARCH_CACHE_SECONDS=30)
    client = app.test_client()
    make_event(title="Midtown rally")
    make_campaign(app)

    worked = [
        client.get("/events?lat=40.7484&lng=-73.9857"),  # a location search
        client.get("/events?zip=10001"),  # a zip search the cache doesn't hold yet
        client.get("/events.ics?zip=10001&radius=25"),  # feeds and embeds with a place
        client.get("/c/families-june-14/embed?zip=10001"),
    ]
    from_cache = [client.get("/events?zip=10001") for _ in range(5)]
    refused = [
        client.get("/events?lat=40.7484&lng=-73.9857"),
        client.get("/events?zip=11201"),
        client.get("/c/families-june-14?zip=10001"),
        client.get("/events.ics?lat=40.7484&lng=-73.9857"),
        client.get("/embed?zip=10001"),
        client.get("/c/families-june-14/events.ics?zip=10001"),
    ]

    assert [response.status_code for response in worked + from_cache] == [200] * 9
    assert all(response.headers["hit_cache"] == "True" for response in from_cache)
    assert [response.status_code for response in refused] == [429] * 6
    assert int(refused[0].headers["Retry-After"]) > 0
    assert "Too many tries" in refused[0].get_data(as_text=True)
    # Still served: cached pages, pages without a search, and other addresses.
    assert client.get("/events?zip=10001").status_code == 200
    for path in ("/", "/events", "/events.ics", "/embed", "/c/families-june-14"):
        assert client.get(path).status_code == 200, path
    neighbour = app.test_client()
    located = neighbour.get(
        "/events?lat=40.7484&lng=-73.9857", environ_base={"REMOTE_ADDR": "198.51.100.9"}
    )
    assert located.status_code == 200


def test_the_search_budget_comes_from_the_environment(monkeypatch):
    from eventsite import create_app

    monkeypatch.setenv("EVENTSITE_SECRET_KEY", "x")
    assert create_app().config["RATELIMIT_SEARCH"] == "60 per minute"
    monkeypatch.setenv("EVENTSITE_RATELIMIT_SEARCH", "7 per minute")
    assert create_app().config["RATELIMIT_SEARCH"] == "7 per minute"


@pytest.mark.parametrize(
    ("storage", "testing", "command", "warned"),
    [
        ("memory://", False, None, True),  # gunicorn
        ("memory://", False, "run", True),  # flask run
        (REDIS_URL, False, None, False),
        ("memory://", True, None, False),
        ("memory://", False, "send-mail", False),  # from cron every minute: no noise
    ],
)
def test_per_process_limits_are_called_out_at_start(
    database_url, caplog, storage, testing, command, warned
):
    from eventsite import create_app

    config = {
        "SECRET_KEY": "x",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_STORAGE_URI": storage,
        "TESTING": testing,
    }
    with caplog.at_level(logging.WARNING), ExitStack() as stack:
        if command:  # flask loads the app inside the command it runs
            stack.enter_context(click.Context(click.Command(command), info_name=command))
        create_app(config)

    warnings = [
        record
        for record in caplog.records
        if "EVENTSITE_RATELIMIT_STORAGE_URL" in record.getMessage()
    ]
    assert len(warnings) == (1 if warned else 0)
    if warned:
        assert warnings[0].levelno == logging.WARNING
        assert "each process" in warnings[0].getMessage()
