"""Organizer sessions: logging out ends them, logging in starts a new one."""

from helpers import csrf_token_from
from test_organizers import PASSWORD, log_in, make_organizer

DASHBOARD = "/organizers/"


def _log_out(client):
    page = client.get(DASHBOARD).get_data(as_text=True)
    return client.post("/organizers/logout", data={"csrf_token": csrf_token_from(page)})


def _session_cookie(client) -> str:
    return client.get_cookie("session", domain="eventsite.test").value


def test_a_session_cookie_copied_before_logout_is_dead_after_it(app, runner):
    make_organizer(runner, campaigns=())
    client = app.test_client()
    log_in(client)
    copied = _session_cookie(client)

    _log_out(client)
    thief = app.test_client()
    thief.set_cookie("session", copied, domain="eventsite.test")

    assert thief.get(DASHBOARD).status_code == 302  # to the login page
    assert client.get(DASHBOARD).status_code == 302


def test_logging_out_on_one_device_ends_the_others(app, runner):
    make_organizer(runner, campaigns=())
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop)
    log_in(phone)

    _log_out(phone)

    assert laptop.get(DASHBOARD).status_code == 302


def test_resetting_a_password_ends_every_session(app, runner):
    make_organizer(runner, campaigns=())
    client = app.test_client()
    log_in(client)

    make_organizer(runner, campaigns=())  # create-organizer again: a new password

    assert client.get(DASHBOARD).status_code == 302


def test_logging_in_again_after_logout_works(app, runner):
    make_organizer(runner, campaigns=())
    client = app.test_client()
    log_in(client)
    _log_out(client)

    log_in(client)

    assert client.get(DASHBOARD).status_code == 200


def test_a_form_token_from_before_login_is_refused_after_it(app, runner):
    # Someone who planted a session (and knows its form token) before the organizer logged
    # in must not be able to post forms as the organizer afterwards.
    make_organizer(runner, campaigns=())
    client = app.test_client()
    before = csrf_token_from(client.get("/organizers/login").get_data(as_text=True))
    client.post(
        "/organizers/login",
        data={"email": "org@example.org", "password": PASSWORD, "csrf_token": before},
    )
    assert client.get(DASHBOARD).status_code == 200

    response = client.post("/organizers/logout", data={"csrf_token": before})

    assert response.status_code == 400
    assert client.get(DASHBOARD).status_code == 200  # still logged in: the post was refused
    assert _log_out(client).status_code == 303  # the new token works
