"""Email through the outbox to a real SMTP server on 127.0.0.1: nothing lost, nothing twice."""

import re
from datetime import timedelta

import pytest
from helpers import (
    assert_each_sent_once,
    csrf_token_from,
    emailed_rsvp_token,
    let_backoff_pass,
    outbox,
    rsvp,
    send_from_two_senders_at_once,
    send_mail,
)
from sqlalchemy import select
from test_hosting import host_event, manage_token

from eventsite.extensions import db
from eventsite.mail import send_pending_mail
from eventsite.mail_transports import smtp_settings
from eventsite.models import Event, MessageStatus, utcnow

LINK = re.compile(r"http://eventsite\.test(/\S+)")


@pytest.fixture
def app(make_app, smtp):
    return make_app(
        SMTP_URL=smtp.url,
        SMTP_TIMEOUT=5,
        MAIL_FROM="Eventsite <events@eventsite.test>",
        MAIL_RETRY_BASE_SECONDS=60,
        MAIL_MAX_ATTEMPTS=3,
    )


def links_in(message) -> list[str]:
    return LINK.findall(message.get_body(("plain",)).get_content())


def test_rsvp_confirmation_arrives_with_a_calendar_file_and_a_working_link(
    client, app, smtp, make_event
):
    event_id = make_event(title="Vigil for Peace")
    rsvp(client, event_id, email="rosa@example.org")
    token = emailed_rsvp_token(app, "rosa@example.org")

    assert "Sent 1" in send_mail(app)

    [message] = smtp.to("rosa@example.org")
    assert message["Subject"] == "You're going: Vigil for Peace"
    assert message["From"] == "Eventsite <events@eventsite.test>"
    [calendar] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert calendar.get_filename() == "event.ics"
    ics = calendar.get_content()
    assert "BEGIN:VEVENT" in ics and "SUMMARY:Vigil for Peace" in ics
    assert f"/rsvps/{token}" in links_in(message)
    page = client.get(f"/rsvps/{token}")
    assert page.status_code == 200 and "Vigil for Peace" in page.get_data(as_text=True)
    [sent] = outbox(app)
    assert sent.status == MessageStatus.SENT and sent.attempts == 1


def test_host_email_carries_a_manage_link_that_opens_the_manage_page(client, app, smtp):
    token = manage_token(host_event(client, host_email="dolores@example.org"))

    send_mail(app)

    [message] = smtp.to("dolores@example.org")
    assert f"/host/{token}" in links_in(message)
    page = client.get(f"/host/{token}")
    assert page.status_code == 200
    assert "Families Belong Together rally" in page.get_data(as_text=True)


def test_changing_and_cancelling_an_rsvp_are_confirmed_by_email(client, app, smtp, make_event):
    event_id = make_event()
    rsvp(client, event_id, email="rosa@example.org")
    token = emailed_rsvp_token(app, "rosa@example.org")
    page = client.get(f"/rsvps/{token}").get_data(as_text=True)

    csrf = csrf_token_from(page)
    client.post(
        f"/rsvps/{token}",
        data={"name": "Rosa", "phone": "", "zip_code": "10001", "guests": "2", "csrf_token": csrf},
    )
    client.post(f"/rsvps/{token}/cancel", data={"csrf_token": csrf})

    send_mail(app)

    subjects = [m["Subject"] for m in smtp.to("rosa@example.org")]
    assert subjects == [
        "You're going: Rally for Families",
        "RSVP updated: Rally for Families",
        "RSVP cancelled: Rally for Families",
    ]
    updated = smtp.to("rosa@example.org")[1].get_body(("plain",)).get_content()
    assert "with 2 guests" in updated


def test_someone_moved_up_from_the_waitlist_gets_a_working_link(client, app, smtp, make_event):
    event_id = make_event(capacity=1)
    rsvp(client, event_id, email="first@example.org")
    first = emailed_rsvp_token(app, "first@example.org")
    rsvp(client, event_id, email="second@example.org", name="Second Person")
    page = client.get(f"/rsvps/{first}").get_data(as_text=True)

    client.post(f"/rsvps/{first}/cancel", data={"csrf_token": csrf_token_from(page)})
    send_mail(app)

    waitlisted, promoted = smtp.to("second@example.org")
    assert waitlisted["Subject"] == "You're on the waitlist: Rally for Families"
    assert promoted["Subject"] == "You're in: Rally for Families"
    assert any(p.get_content_type() == "text/calendar" for p in promoted.iter_attachments())
    [link] = [link for link in links_in(promoted) if link.startswith("/rsvps/")]
    page = client.get(link)
    assert page.status_code == 200
    assert "Going" in page.get_data(as_text=True)


def test_nothing_is_lost_while_the_mail_server_is_down_and_nothing_is_sent_twice(
    client, app, smtp, make_event
):
    event_id = make_event()
    smtp.stop()
    addresses = [f"person{n}@example.org" for n in range(4)]
    for address in addresses:
        rsvp(client, event_id, email=address)

    output = send_mail(app)

    assert "unreachable" in output
    first, *others = outbox(app)
    assert first.status == MessageStatus.PENDING and first.attempts == 1
    assert first.next_attempt_at > utcnow() + timedelta(seconds=30)  # backing off
    assert "Connection" in first.last_error or "refused" in first.last_error.lower()
    assert [m.attempts for m in others] == [0, 0, 0]  # untouched while the server is down

    # Down for longer than the attempts allowed: still waiting, never given up.
    for _ in range(4):
        let_backoff_pass(app)
        send_mail(app)
    assert all(m.status == MessageStatus.PENDING for m in outbox(app))

    smtp.start()
    send_mail(app)  # backed-off messages are not due yet; the rest go now
    let_backoff_pass(app)
    send_mail(app)
    send_mail(app)

    assert sorted(m["To"] for m in smtp.received) == sorted(addresses)
    assert all(m.status == MessageStatus.SENT for m in outbox(app))


def test_two_senders_at_once_send_each_message_once(client, app, smtp, make_event):
    event_id = make_event()
    addresses = [f"person{n}@example.org" for n in range(12)]
    for address in addresses:
        rsvp(client, event_id, email=address)

    send_from_two_senders_at_once(app, send_pending_mail)

    assert_each_sent_once(smtp.received, addresses, outbox(app))


def test_a_message_the_server_refuses_ends_as_failed_after_the_last_attempt(
    client, app, smtp, make_event
):
    event_id = make_event()
    smtp.refuse.add("nobody@example.org")
    rsvp(client, event_id, email="nobody@example.org")
    rsvp(client, event_id, email="rosa@example.org")

    send_mail(app)
    for _ in range(3):
        let_backoff_pass(app)
        send_mail(app)

    refused, delivered = outbox(app)
    assert refused.status == MessageStatus.FAILED
    assert refused.attempts == 3
    assert "550" in refused.last_error
    assert delivered.status == MessageStatus.SENT
    assert [m["To"] for m in smtp.received] == ["rosa@example.org"]


def test_without_smtp_configured_mail_waits_in_the_outbox(client, make_app, make_event):
    app = make_app(SMTP_URL="")
    rsvp(app.test_client(), make_event(), email="rosa@example.org")

    output = send_mail(app)

    assert "1 messages wait in the outbox" in output
    [message] = outbox(app)
    assert message.status == MessageStatus.PENDING and message.attempts == 0


def test_console_mode_prints_messages_and_marks_them_sent(make_app, make_event):
    app = make_app(SMTP_URL="")
    rsvp(app.test_client(), make_event(), email="rosa@example.org")
    token = emailed_rsvp_token(app, "rosa@example.org")

    output = send_mail(app, "--console")

    assert "To: rosa@example.org" in output
    assert f"/rsvps/{token}" in output
    assert "[attached: event.ics (text/calendar)]" in output
    assert outbox(app)[0].status == MessageStatus.SENT


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.org", ("mail.example.org", 25, "", "", False, False)),
        (
            "smtp://user%40x:p%3Ass@mail.example.org:587?starttls=1",
            ("mail.example.org", 587, "user@x", "p:ss", False, True),
        ),
        ("smtps://u:p@mail.example.org", ("mail.example.org", 465, "u", "p", True, False)),
    ],
)
def test_smtp_url_is_read(url, expected):
    settings = smtp_settings(url, 10)
    assert (
        settings.host,
        settings.port,
        settings.username,
        settings.password,
        settings.use_tls,
        settings.starttls,
    ) == expected


def test_a_malformed_smtp_url_is_refused():
    with pytest.raises(ValueError, match="EVENTSITE_SMTP_URL"):
        smtp_settings("mail.example.org:25", 10)


def test_an_rsvp_change_that_fails_sends_no_email(client, app, smtp, make_event):
    event_id = make_event(capacity=2)
    rsvp(client, event_id, email="rosa@example.org")
    token = emailed_rsvp_token(app, "rosa@example.org")
    rsvp(client, event_id, email="ana@example.org")
    csrf = csrf_token_from(client.get(f"/rsvps/{token}").get_data(as_text=True))

    response = client.post(
        f"/rsvps/{token}",
        data={"name": "Rosa", "phone": "", "zip_code": "10001", "guests": "3", "csrf_token": csrf},
    )

    assert response.status_code == 400
    assert [m.subject for m in outbox(app)] == [
        "You're going: Rally for Families",
        "You're going: Rally for Families",
    ]


def test_a_rejected_host_can_reply_to_the_organizers(make_app, smtp):
    from test_api import make_campaign
    from test_organizers import log_in, make_organizer

    app = make_app(SMTP_URL=smtp.url, MODERATION=True)
    make_campaign(app)
    make_organizer(app.test_cli_runner(), email="olga@example.org")
    host_event(app.test_client(), host_email="dolores@example.org", campaign="families-june-14")
    with app.app_context():
        event_id = db.session.scalar(select(Event.id))
    organizer = app.test_client()
    log_in(organizer, email="olga@example.org")
    csrf = csrf_token_from(organizer.get("/organizers/").get_data(as_text=True))

    organizer.post(
        f"/organizers/events/{event_id}/reject",
        data={"csrf_token": csrf, "reason": "Please add the street address."},
    )
    send_mail(app)

    confirmation, rejection = smtp.to("dolores@example.org")
    assert rejection["Reply-To"] == "olga@example.org"
    assert confirmation["Reply-To"] == "olga@example.org"
    body = rejection.get_body(("plain",)).get_content()
    assert "Reply to this email to reach the organizers" in body


def test_replies_go_to_the_configured_address_and_never_to_a_private_one(
    make_app, smtp, make_event
):
    app = make_app(SMTP_URL=smtp.url, MAIL_REPLY_TO="Team <team@example.org>")
    client = app.test_client()
    rsvp(client, make_event(host_email="host.private@example.org"), email="rosa@example.org")
    host_event(client, host_email="dolores@example.org")

    send_mail(app)

    [attendee] = smtp.to("rosa@example.org")
    [host] = smtp.to("dolores@example.org")
    assert attendee["Reply-To"] == host["Reply-To"] == "Team <team@example.org>"
    assert all("host.private" not in str(message) for message in smtp.received)
