"""Co-hosts: the host adds them by email; each gets their own private link (stored hashed)
that opens every host page; the host removes them and their link is dead at the next
request; they get the host's emails. Only the host adds or removes co-hosts."""

import re
from datetime import date, timedelta

import pytest
from helpers import csrf_token_from, outbox, rsvp
from sqlalchemy import select
from test_hosting import host_event, manage_token, only_event
from test_organizers import make_organizer

from eventsite.extensions import db
from eventsite.models import Campaign, CoHost, OutboxMessage, hash_token

INVITATION = "co_host_invitation"
LINK = re.compile(r"http://eventsite\.test/host/([A-Za-z0-9_-]+)")


def add_co_host(client, host: str, email: str):
    """Add a co-host from the host's page, reading the page it goes back to (its message)."""
    page = client.get(f"/host/{host}").get_data(as_text=True)
    response = client.post(
        f"/host/{host}/co-hosts", data={"csrf_token": csrf_token_from(page), "email": email}
    )
    if response.status_code == 303:
        client.get(response.headers["Location"])
    return response


def co_host_token(app, address: str) -> str:
    with app.app_context():
        return db.session.scalar(
            select(OutboxMessage.private_token).where(
                OutboxMessage.kind == INVITATION, OutboxMessage.to_address == address
            )
        )


def co_host_ids(app) -> list[int]:
    with app.app_context():
        return db.session.scalars(select(CoHost.id).order_by(CoHost.id)).all()


def remove(client, token: str, co_host_id: int):
    page = client.get(f"/host/{token}").get_data(as_text=True)
    return client.post(
        f"/host/{token}/co-hosts/{co_host_id}/remove", data={"csrf_token": csrf_token_from(page)}
    )


def host_pages(token: str) -> list[str]:
    return [f"/host/{token}", f"/host/{token}/edit", f"/host/{token}/check-in",
            f"/host/{token}/rsvps.csv"]  # fmt: skip


@pytest.mark.parametrize(
    ("language", "subject", "words"),
    [
        ("en", "You're a co-host: Families", "Dolores Host added you as a co-host"),
        ("es", "Eres coanfitrión: Families", "Dolores Host te añadió como coanfitrión"),
    ],
)
def test_a_co_host_gets_their_own_link_that_opens_every_host_page(
    client, make_app, smtp, language, subject, words
):
    app = make_app(SMTP_URL=smtp.url, MAIL_FROM="Eventsite <events@eventsite.test>")
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    host = manage_token(host_event(client, host_email="dolores@example.org"))
    rsvp(client, only_event(app).id, email="bea@example.org", phone="303-555-0199")

    response = add_co_host(client, host, "Carla@Example.org")
    assert response.status_code == 303
    assert app.test_cli_runner().invoke(args=["send-mail"]).exit_code == 0

    [invitation] = smtp.to("carla@example.org")
    assert invitation["Subject"].startswith(subject)
    assert invitation["Reply-To"] == "dolores@example.org"
    body = invitation.get_body(("plain",)).get_content()
    assert words in body
    [token] = LINK.findall(body)
    assert token != host
    with app.app_context():  # only the hash is kept
        assert db.session.scalar(select(CoHost.token_hash)) == hash_token(token)
    for path in host_pages(token):
        page = client.get(path)
        assert page.status_code == 200, path
        assert page.headers["Cache-Control"] == "no-store"
    assert "bea@example.org" in client.get(f"/host/{token}").get_data(as_text=True)


def test_a_co_host_can_write_to_attendees_but_not_add_or_remove_co_hosts(client, app):
    host = manage_token(host_event(client))
    rsvp(client, only_event(app).id, email="bea@example.org")
    add_co_host(client, host, "carla@example.org")
    add_co_host(client, host, "dan@example.org")
    carla = co_host_token(app, "carla@example.org")
    page = client.get(f"/host/{carla}").get_data(as_text=True)
    assert "You are a co-host of this event" in page and "dan@example.org" not in page

    sent = client.post(
        f"/host/{carla}/message",
        data={"csrf_token": csrf_token_from(page), "subject": "Hi", "body": "See you."},
    )

    assert sent.status_code == 303
    assert [m.to_address for m in outbox(app) if m.kind == "host_message"] == ["bea@example.org"]
    assert add_co_host(client, carla, "eve@example.org").status_code == 403
    assert remove(client, carla, co_host_ids(app)[1]).status_code == 403
    assert len(co_host_ids(app)) == 2


def test_a_removed_co_hosts_link_is_dead_at_the_next_request(client, app):
    host = manage_token(host_event(client))
    add_co_host(client, host, "carla@example.org")
    carla = co_host_token(app, "carla@example.org")
    assert client.get(f"/host/{carla}").status_code == 200

    assert remove(client, host, co_host_ids(app)[0]).status_code == 303

    for path in host_pages(carla):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/host/{host}").status_code == 200
    assert "carla@example.org" not in client.get(f"/host/{host}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter the co-host's email."),
        ("not-an-email", "Enter an email address like name@example.com."),
        ("dolores@example.org", "That is your own email"),
        ("carla@example.org", "carla@example.org is a co-host already."),
    ],
)
def test_a_bad_co_host_email_is_refused_by_the_field(client, app, email, message):
    host = manage_token(host_event(client, host_email="dolores@example.org"))
    add_co_host(client, host, "carla@example.org")

    response = add_co_host(client, host, email)

    assert response.status_code == 400
    assert re.search(r'id="email-error">[^<]*' + re.escape(message), response.get_data(True))
    assert len(co_host_ids(app)) == 1


def test_an_event_has_at_most_ten_co_hosts(client, app):
    host = manage_token(host_event(client))
    for number in range(10):
        assert add_co_host(client, host, f"co{number}@example.org").status_code == 303

    response = add_co_host(client, host, "one-more@example.org")

    assert response.status_code == 400
    assert "up to 10 co-hosts" in response.get_data(as_text=True)


def test_co_hosts_get_the_hosts_emails_but_not_the_hosts_link(make_app):
    app = make_app(MODERATION=True)
    with app.app_context():
        db.session.add(
            Campaign(
                slug="families-june-14",
                name="Families",
                action_date=date.today() + timedelta(days=30),
            )
        )
        db.session.commit()
    make_organizer(app.test_cli_runner(), "families@example.org", campaigns=("families-june-14",))
    client = app.test_client()
    host = manage_token(host_event(client, campaign="families-june-14"))
    add_co_host(client, host, "carla@example.org")
    from test_moderation import approve, organizer

    approve(organizer(app), only_event(app).id)

    to_carla = [m for m in outbox(app) if m.to_address == "carla@example.org"]
    assert [m.kind for m in to_carla] == [INVITATION, "event_approved"]
    assert host not in to_carla[1].body_text
    assert not any(m.kind == "host_confirmation" for m in to_carla)


def test_forgetting_the_host_forgets_the_co_hosts(client, app, runner):
    host = manage_token(host_event(client))
    add_co_host(client, host, "carla@example.org")
    carla = co_host_token(app, "carla@example.org")
    with app.app_context():
        from eventsite.forgetting import erase_hosts
        from eventsite.models import utcnow

        erase_hosts([only_event(app).id], utcnow())
        db.session.commit()

    assert co_host_ids(app) == []
    assert client.get(f"/host/{carla}").status_code == 404


@pytest.mark.parametrize(("ticked", "reply_to"), [(True, "dolores@example.org"), (False, None)])
def test_a_hosts_message_takes_replies_to_the_host_when_they_choose(
    make_app, smtp, ticked, reply_to
):
    app = make_app(SMTP_URL=smtp.url, MAIL_FROM="Eventsite <no-reply@eventsite.test>")
    client = app.test_client()
    host = manage_token(host_event(client, host_email="dolores@example.org"))
    rsvp(client, only_event(app).id, email="bea@example.org")
    page = client.get(f"/host/{host}").get_data(as_text=True)
    assert '<input checked id="reply_to_me"' in page  # the form offers it ticked
    data = {"csrf_token": csrf_token_from(page), "subject": "Rain plan", "body": "Arch."}
    client.post(f"/host/{host}/message", data={**data, **({"reply_to_me": "y"} if ticked else {})})

    assert app.test_cli_runner().invoke(args=["send-mail"]).exit_code == 0

    message = smtp.to("bea@example.org")[-1]
    assert message["Subject"].startswith("Rain plan")
    assert message["Reply-To"] == reply_to


def test_demo_data_shows_reminders_co_hosts_and_attendance(app, runner, client):
    result = runner.invoke(args=["demo-data", "--count", "20", "--show-up-events"])

    assert result.exit_code == 0, result.output
    links = dict(re.findall(r"^(.+): http://eventsite\.test(/host/\S+)$", result.output, re.M))
    host = " ".join(client.get(links["Reminders sent, the host's page"]).get_data(True).split())
    assert "Day-before reminder sent" in host and "to 20 people · 9 confirmed" in host
    assert "co-host@example.org" in host
    co_host = client.get(links["The same event, its co-host's page"]).get_data(as_text=True)
    assert "You are a co-host of this event" in co_host
    ended = client.get(links["Who attended, the host's page"]).get_data(as_text=True)
    ended = " ".join(ended.replace("&#39;", "'").split())
    assert "15 attended · 2 didn't attend · 3 unknown" in ended
    assert "Great speakers, and we filled the square." in ended
