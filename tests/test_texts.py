"""RSVPs by phone and the text messages they get: consent kept, texts through the outbox
to a stand-in of Twilio's Messages API (tests/twilio_server.py), nothing lost while it is
down, a number it refuses not retried forever, and each text sent once."""

import re
from datetime import timedelta

import pytest
from helpers import (
    assert_each_sent_once,
    csrf_token_from,
    flask_command,
    let_backoff_pass,
    rsvp,
    send_from_two_senders_at_once,
)
from sqlalchemy import select

from eventsite.extensions import db
from eventsite.mail import send_pending_texts
from eventsite.models import MessageChannel, MessageStatus, OutboxMessage, Rsvp, utcnow
from eventsite.text_words import GSM_CHARACTERS, MAX_TEXT_LENGTH
from eventsite.texts import CONSENT_WORDINGS, CURRENT_CONSENT_WORDING

ROSA_PHONE = "+12125550147"
LINK = re.compile(r"http://eventsite\.test(/rsvps/[A-Za-z0-9_-]+)")


def rsvp_by_phone(client, event_id, phone="(212) 555-0147", **fields):
    """RSVP with a mobile number and no email, ticking "Text me" unless told otherwise."""
    return rsvp(client, event_id, email="", phone=phone, sms_consent="y", **fields)


def texts(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.channel == MessageChannel.SMS)
            .order_by(OutboxMessage.id)
        ).all()
        db.session.expunge_all()
        return rows


def emails(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.channel == MessageChannel.EMAIL)
        ).all()
        db.session.expunge_all()
        return rows


def rsvps(app) -> list[Rsvp]:
    with app.app_context():
        rows = db.session.scalars(select(Rsvp).order_by(Rsvp.id)).all()
        db.session.expunge_all()
        return rows


def send_texts(app) -> str:
    return flask_command(app, "send-texts")


def assert_short_and_plain(body: str) -> None:
    assert len(body) <= MAX_TEXT_LENGTH, body
    assert set(body) <= GSM_CHARACTERS, set(body) - GSM_CHARACTERS


def test_an_rsvp_by_phone_alone_is_confirmed_by_text_with_its_private_link(
    app, client, make_event, texting_app, twilio
):
    event_id = make_event(title="Vigil for Families", capacity=10)

    response = rsvp_by_phone(client, event_id)

    assert response.status_code == 303
    sent = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Check your phone" in sent and "(212) 555-0147" in sent
    [saved] = rsvps(app)
    assert (saved.phone, saved.email_address, saved.has_email) == (ROSA_PHONE, "", False)
    assert saved.sms_consent_at is not None
    assert saved.sms_consent_wording == CURRENT_CONSENT_WORDING
    assert emails(app) == []
    [text] = texts(app)
    assert (text.to_address, text.kind) == (ROSA_PHONE, "rsvp_confirmation")

    assert "Sent 1" in send_texts(texting_app)

    [body] = twilio.bodies_to(ROSA_PHONE)
    assert body.startswith("eventsite: You're going to Vigil for Families,")
    assert "Reply STOP to stop." in body
    assert_short_and_plain(body)
    [link] = LINK.findall(body)
    page = client.get(link).get_data(as_text=True)
    assert "Your RSVP" in page and "(212) 555-0147" in page
    assert twilio.received[0]["From"] == "+12125550199"
    assert texts(texting_app)[0].status == MessageStatus.SENT


def test_the_consent_checkbox_shows_its_exact_words_unticked(client, make_event):
    event_id = make_event()

    page = client.get(f"/events/{event_id}").get_data(as_text=True)

    box = re.search(r'<input[^>]*name="sms_consent"[^>]*>', page).group(0)
    assert 'type="checkbox"' in box and "checked" not in box
    wording = str(CONSENT_WORDINGS[CURRENT_CONSENT_WORDING])
    assert wording.replace("'", "&#39;") in page or wording in page


def test_an_rsvp_by_phone_alone_needs_the_consent_box_ticked(app, client, make_event):
    event_id = make_event()

    response = rsvp(client, event_id, email="", phone="212-555-0147")

    assert response.status_code == 400
    error = re.search(r'id="sms_consent-error">([^<]*)<', response.get_data(as_text=True))
    assert error and "Tick the box" in error.group(1)
    assert rsvps(app) == [] and texts(app) == []


def test_an_rsvp_with_email_and_phone_but_no_consent_gets_no_text(app, client, make_event):
    event_id = make_event()

    rsvp(client, event_id, email="rosa@example.org", phone="212-555-0147")

    [saved] = rsvps(app)
    assert saved.phone == ROSA_PHONE and saved.sms_consent_at is None
    assert texts(app) == [] and len(emails(app)) == 1


def test_ticking_texts_without_a_number_asks_for_one(app, client, make_event):
    event_id = make_event()

    response = rsvp(client, event_id, email="rosa@example.org", phone="", sms_consent="y")

    assert response.status_code == 400
    assert 'id="phone-error">Enter your mobile number to get texts.' in response.get_data(
        as_text=True
    )
    assert rsvps(app) == []


def test_the_same_phone_rsvping_again_changes_nothing_and_gets_its_link_by_text(
    app, client, make_event
):
    event_id = make_event(capacity=10)
    rsvp_by_phone(client, event_id, guests=1)

    again = rsvp_by_phone(client, event_id, phone="+1 212-555-0147", name="Mallory", guests=5)
    with_email = rsvp(client, event_id, email="other@example.org", phone="2125550147")

    assert again.status_code == with_email.status_code == 303
    [only] = rsvps(app)
    assert (only.name, only.guests) == ("Rosa Parks", 1)
    assert [text.kind for text in texts(app)] == ["rsvp_confirmation", "rsvp_link"]
    assert emails(app) == []  # nothing to the address Mallory typed


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["You're going to", "Change or cancel:", "Reply STOP to stop."]),
        ("es", ["Vas a ir a", "Cambia o cancela:", "Responde STOP para no recibir"]),
    ],
)
def test_texts_go_in_the_language_of_the_rsvp(
    client, make_event, texting_app, twilio, language, words
):
    # A long title with characters a text can't carry as they are: shortened, made plain.
    title = "Vigilia “Familias Unidas” — acción por la reunificación " + "x" * 140
    event_id = make_event(title=title)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    rsvp_by_phone(client, event_id)

    send_texts(texting_app)

    [body] = twilio.bodies_to(ROSA_PHONE)
    assert all(word in body for word in words), body
    assert '"Familias Unidas" - accion por la reunificacion' in body
    assert "New York, NY 10003" in body  # the title gave way, the place did not
    assert_short_and_plain(body)
    assert LINK.search(body)


def test_texts_wait_in_the_outbox_while_no_provider_is_set(app, client, make_event):
    event_id = make_event()
    rsvp_by_phone(client, event_id)

    output = send_texts(app)

    assert "EVENTSITE_SMS_URL is not set: 1 messages wait" in output
    assert texts(app)[0].status == MessageStatus.PENDING


def test_nothing_is_lost_while_the_provider_is_down_or_busy(
    client, make_event, texting_app, twilio
):
    event_id = make_event()
    numbers = [f"+1212555010{n}" for n in range(4)]
    for number in numbers:
        rsvp_by_phone(client, event_id, phone=number)
    twilio.stop()

    output = send_texts(texting_app)

    assert "The SMS provider is unreachable." in output
    first, *others = texts(texting_app)
    assert first.status == MessageStatus.PENDING and first.attempts == 1
    assert first.next_attempt_at > utcnow() + timedelta(seconds=30)  # backing off
    assert [text.attempts for text in others] == [0, 0, 0]

    # Down, then too busy (429), then failing (500), for more tries than MAIL_MAX_ATTEMPTS.
    twilio.start()
    for behaviour in ["429", "500"] * 6:
        twilio.behaviour = behaviour
        let_backoff_pass(texting_app)
        send_texts(texting_app)
    assert all(text.status == MessageStatus.PENDING for text in texts(texting_app))
    assert twilio.received == []

    twilio.behaviour = "ok"
    let_backoff_pass(texting_app)
    send_texts(texting_app)

    assert sorted(text["To"] for text in twilio.received) == sorted(numbers)
    assert all(text.status == MessageStatus.SENT for text in texts(texting_app))


def test_a_number_the_provider_refuses_is_given_up_at_once(client, make_event, texting_app, twilio):
    event_id = make_event()
    rsvp_by_phone(client, event_id, phone="+12125550101")
    rsvp_by_phone(client, event_id, phone="+12125550102")
    twilio.invalid_numbers.add("+12125550101")

    output = send_texts(texting_app)
    let_backoff_pass(texting_app)
    send_texts(texting_app)

    assert "Sent 1, will retry 0, gave up on 1" in output
    refused, taken = texts(texting_app)
    assert (refused.status, refused.attempts) == (MessageStatus.FAILED, 1)
    assert "21211" in refused.last_error
    assert taken.status == MessageStatus.SENT
    assert [request["To"] for request in twilio.requests].count("+12125550101") == 1


def test_two_senders_at_once_send_each_text_once(client, make_event, texting_app, twilio):
    event_id = make_event()
    numbers = [f"+121255501{n:02d}" for n in range(12)]
    for number in numbers:
        rsvp_by_phone(client, event_id, phone=number)

    send_from_two_senders_at_once(texting_app, send_pending_texts)

    assert_each_sent_once(twilio.received, numbers, texts(texting_app))


def test_emails_and_texts_each_go_only_by_their_own_sender(
    client, make_event, make_app, twilio, smtp
):
    event_id = make_event()
    rsvp_by_phone(client, event_id)
    rsvp(client, event_id, email="rosa@example.org")
    sender = make_app(SMS_URL=twilio.sms_url, SMTP_URL=smtp.url)

    assert "Sent 1" in send_texts(sender)
    assert [text["To"] for text in twilio.received] == [ROSA_PHONE]
    assert smtp.received == []


def test_the_private_page_keeps_a_phone_only_rsvp_reachable(app, client, make_event):
    event_id = make_event()
    rsvp_by_phone(client, event_id)
    [text] = texts(app)
    page = client.get(f"/rsvps/{text.private_token}").get_data(as_text=True)
    assert "Email:" not in page

    cleared = client.post(
        f"/rsvps/{text.private_token}",
        data={"name": "Rosa", "phone": "", "zip_code": "10001", "guests": "0",
              "csrf_token": csrf_token_from(page)},
    )  # fmt: skip
    unticked = client.post(
        f"/rsvps/{text.private_token}",
        data={"name": "Rosa", "phone": "212-555-0147", "zip_code": "10001", "guests": "0",
              "csrf_token": csrf_token_from(page)},
    )  # fmt: skip

    assert cleared.status_code == unticked.status_code == 400
    assert "it is how we reach you" in cleared.get_data(as_text=True)
    assert "Tick the box" in unticked.get_data(as_text=True)
    [saved] = rsvps(app)
    assert (saved.phone, saved.sms_consent_wording) == (ROSA_PHONE, CURRENT_CONSENT_WORDING)


def test_an_rsvp_by_phone_hears_by_text_of_a_spot_opening_and_of_a_cancellation(
    app, client, make_event, texting_app, twilio
):
    from eventsite.models import hash_token

    host_token = "host-token-for-texts-0123456789abcdefghijklmn"
    event_id = make_event(title="Vigil", capacity=1, manage_token_hash=hash_token(host_token))
    rsvp(client, event_id, email="going@example.org")
    rsvp_by_phone(client, event_id)  # waitlisted
    going_link = texts(app)  # nothing yet but the confirmation
    assert [text.kind for text in going_link] == ["rsvp_confirmation"]
    with app.app_context():
        [email_row] = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == "going@example.org")
        ).all()
    page = client.get(f"/rsvps/{email_row.private_token}").get_data(as_text=True)
    client.post(
        f"/rsvps/{email_row.private_token}/cancel", data={"csrf_token": csrf_token_from(page)}
    )
    host_page = client.get(f"/host/{host_token}").get_data(as_text=True)
    client.post(
        f"/host/{host_token}/cancel",
        data={"csrf_token": csrf_token_from(host_page), "confirm": "y", "reason": "Storm."},
    )

    send_texts(texting_app)

    waitlisted, promoted, cancelled = twilio.bodies_to(ROSA_PHONE)
    assert "You're on the waitlist for Vigil" in waitlisted
    assert "A spot opened: you're going to Vigil" in promoted and LINK.search(promoted)
    assert "Vigil (" in cancelled and "is cancelled." in cancelled
    for body in (waitlisted, promoted, cancelled):
        assert_short_and_plain(body)
