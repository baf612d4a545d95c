"""Links the site builds: absolute links from configuration only, redirects only to our pages."""

import pytest
from flask import Flask
from helpers import csrf_token_from, emailed_rsvp_token, rsvp
from test_hosting import host_event, manage_token, outbox
from test_organizers import PASSWORD, log_in, make_organizer

from eventsite import create_app
from eventsite.config import ConfigError
from eventsite.extensions import db
from eventsite.models import Campaign

EVIL = "evil.example"
# The same forged host, sent directly or through a proxy the app trusts.
FORGED_HOSTS = pytest.mark.parametrize(
    ("config", "environ"),
    [
        ({}, {"HTTP_HOST": EVIL}),
        ({"PROXY_HOPS": 1}, {"HTTP_X_FORWARDED_HOST": EVIL}),
    ],
    ids=["host", "x-forwarded-host"],
)


def _forge(app: Flask, environ: dict) -> None:
    """Every request reaches the app with these headers, as a client may send them."""
    inner = app.wsgi_app

    def forged(wsgi_environ, start_response):
        wsgi_environ.update(environ)
        return inner(wsgi_environ, start_response)

    app.wsgi_app = forged


def _campaign(app, slug="june-14") -> None:
    with app.app_context():
        db.session.add(Campaign(slug=slug, name="Families Belong Together"))
        db.session.commit()


@FORGED_HOSTS
def test_a_forged_host_never_reaches_a_queued_email(make_app, make_event, config, environ):
    # No SERVER_NAME, no PUBLIC_URL: what a deployment had by default.
    app = make_app(SERVER_NAME=None, **config)
    _forge(app, environ)
    client = app.test_client()
    event_id = make_event(capacity=1)
    rsvp(client, event_id, email="a@example.org")
    first = emailed_rsvp_token(app, "a@example.org")
    rsvp(client, event_id, email="b@example.org")  # waitlisted
    page = client.get(f"/rsvps/{first}").get_data(as_text=True)
    # Cancelling promotes b, who is emailed a link to their RSVP.
    client.post(f"/rsvps/{first}/cancel", data={"csrf_token": csrf_token_from(page)})
    hosted = host_event(client)
    assert hosted.status_code == 303

    messages = outbox(app)

    assert len(messages) >= 4  # two confirmations, the promotion, the host's link
    for message in messages:
        assert EVIL not in message.body_text
        assert EVIL not in (message.ics_attachment or "")
        assert "http://127.0.0.1:5000/" in message.body_text


@FORGED_HOSTS
def test_a_forged_host_never_reaches_a_page_or_feed(make_app, make_event, config, environ):
    app = make_app(SERVER_NAME=None, PUBLIC_URL="https://events.example.org", **config)
    client = app.test_client()
    _campaign(app)
    event_id = make_event()
    rsvp(client, event_id)
    rsvp_token = emailed_rsvp_token(app, "rosa@example.org")
    host_token = manage_token(host_event(client))
    make_organizer(app.test_cli_runner(), campaigns=["june-14"])
    log_in(client)
    _forge(app, environ)
    paths = [
        "/",
        "/events?zip=10003",
        f"/events/{event_id}",
        f"/events/{event_id}/calendar.ics",
        "/events.ics",
        "/events.ics?zip=10003",
        "/embed",
        "/c/june-14",
        "/c/june-14/embed",
        "/c/june-14/events.ics",
        f"/rsvps/{rsvp_token}",
        f"/host/{host_token}",
        "/organizers/campaigns/june-14/events.csv",
        "/api/v1/events?per_page=1",
        "/api/v1/organizations",
        "/api/v1/openapi.json",
    ]

    for path in paths:
        response = client.get(path)
        body = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert EVIL not in body, path
        assert EVIL not in response.headers.get("Location", ""), path


def test_a_shared_page_asked_for_with_a_forged_host_does_not_poison_the_cache(make_app, make_event):
    app = make_app(SERVER_NAME=None, SEARCH_CACHE_SECONDS=20)
    _campaign(app)
    make_event(campaign_id=1)
    client = app.test_client()

    forged = client.get("/c/june-14", headers={"Host": EVIL})
    everyone = client.get("/c/june-14")

    assert forged.status_code == everyone.status_code == 200
    assert EVIL not in forged.get_data(as_text=True)
    assert EVIL not in everyone.get_data(as_text=True)


def test_allowed_hosts_refuse_any_other_host_before_the_page_is_built(
    make_app, make_event, monkeypatch
):
    monkeypatch.setenv("EVENTSITE_ALLOWED_HOSTS", "events.example.org, .events.example.org")
    app = make_app(
        SERVER_NAME=None, PUBLIC_URL="https://events.example.org", SEARCH_CACHE_SECONDS=20
    )
    _campaign(app)
    client = app.test_client()

    assert client.get("/c/june-14", headers={"Host": EVIL}).status_code == 400
    assert client.get("/c/june-14", headers={"Host": "events.example.org"}).status_code == 200
    assert client.get("/c/june-14", headers={"Host": "www.events.example.org"}).status_code == 200


@pytest.mark.parametrize(
    "public_url",
    [
        "",
        "events.example.org",
        "ftp://events.example.org",
        "https://",
        "https://events.example.org?x=1",
    ],
)
def test_the_site_will_not_serve_without_a_usable_public_url(database_url, monkeypatch, public_url):
    monkeypatch.setenv("EVENTSITE_PUBLIC_URL", public_url)

    with pytest.raises(ConfigError, match="EVENTSITE_PUBLIC_URL"):
        create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})


def test_links_in_debug_and_tests_come_from_configuration_too(make_app):
    app = make_app(SERVER_NAME=None)

    assert app.config["PUBLIC_URL"] == "http://127.0.0.1:5000"
    assert make_app().config["PUBLIC_URL"] == "http://eventsite.test"


# Each would take a browser off the site (or break the response) if sent back as Location.
OFFSITE_TARGETS = [
    "//evil.example/",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "/\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/\x0b/evil.example",
    "/\x00/evil.example",
    "/\x85/evil.example",
    "evil.example",
    "",
]
LOCAL_TARGETS = ["/events?zip=10001&radius=25", "/c/june-14", "/%09/a-path-of-ours"]


def _log_in_then_go_to(client, target: str):
    page = client.get("/organizers/login").get_data(as_text=True)
    return client.post(
        "/organizers/login",
        query_string={"next": target},
        data={
            "email": "org@example.org",
            "password": PASSWORD,
            "csrf_token": csrf_token_from(page),
        },
    )


@pytest.mark.parametrize("target", OFFSITE_TARGETS)
def test_login_never_sends_an_organizer_off_the_site(client, runner, target):
    make_organizer(runner, campaigns=())

    response = _log_in_then_go_to(client, target)

    assert response.status_code == 303
    assert response.headers["Location"] == "/organizers/"


@pytest.mark.parametrize("target", LOCAL_TARGETS)
def test_login_returns_to_the_page_that_asked_for_it(client, runner, target):
    make_organizer(runner, campaigns=())

    response = _log_in_then_go_to(client, target)

    assert (response.status_code, response.headers["Location"]) == (303, target)


@pytest.mark.parametrize("target", OFFSITE_TARGETS)
def test_the_language_switch_never_sends_anyone_off_the_site(client, target):
    response = client.get("/language/es", query_string={"next": target})

    assert (response.status_code, response.headers["Location"]) == (303, "/")


@pytest.mark.parametrize("target", LOCAL_TARGETS)
def test_the_language_switch_returns_to_the_page(client, target):
    response = client.get("/language/es", query_string={"next": target})

    assert (response.status_code, response.headers["Location"]) == (303, target)
