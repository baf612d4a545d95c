"""Texts people send to the site's number (POST /sms/inbound, signed by Twilio): STOP ends
every text to the number until START, HELP says who we are; a forged request does nothing.
Reminders by text go only to who agreed to texts and never texted STOP since."""

from datetime import UTC, datetime

import pytest
from helpers import rsvp
from sqlalchemy import select
from test_reminders import DAY_BEFORE_AT, DAY_OF_AT, START, send_reminders
from test_texts import ROSA_PHONE, rsvp_by_phone, send_texts, texts
from twilio.request_validator import RequestValidator
from twilio_server import AUTH_TOKEN

from eventsite.extensions import db
from eventsite.models import MessageChannel, OutboxMessage, SmsOptOut

WEBHOOK_URL = "http://eventsite.test/sms/inbound"


def text_the_site(app, body: str, sender: str = ROSA_PHONE, token: str = AUTH_TOKEN):
    """Post a text as Twilio forwards it, signed with token."""
    form = {
        "MessageSid": "SM" + "1" * 32,
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "To": "+12125550199",
        "Body": body,
    }
    signature = RequestValidator(token).compute_signature(WEBHOOK_URL, form)
    return app.test_client().post(
        "/sms/inbound", data=form, headers={"X-Twilio-Signature": signature}
    )


def opted_out_numbers(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(SmsOptOut.phone)))


def reminder_texts(app) -> list[OutboxMessage]:
    return [text for text in texts(app) if text.kind.startswith("reminder_")]


@pytest.mark.parametrize("word", ["STOP", "stop", " Stop. ", "STOPALL", "UNSUBSCRIBE", "CANCEL",
                                  "END", "QUIT", "PARAR"])  # fmt: skip
def test_a_stop_word_ends_texts_to_the_number(texting_app, word):
    response = text_the_site(texting_app, word)

    assert response.status_code == 200 and response.mimetype == "text/xml"
    assert "<Response><Message>eventsite: " in response.get_data(as_text=True)
    assert opted_out_numbers(texting_app) == [ROSA_PHONE]


def test_stop_is_answered_in_spanish_for_parar(texting_app):
    reply = text_the_site(texting_app, "parar").get_data(as_text=True)

    assert "Ya no te enviaremos mensajes de texto. Responde START" in reply


def test_help_says_who_we_are_and_how_to_stop(texting_app):
    reply = text_the_site(texting_app, "HELP").get_data(as_text=True)

    assert "eventsite: texts about events you RSVPed to. Reply STOP to stop them." in reply
    assert "http://eventsite.test/privacy" in reply
    assert opted_out_numbers(texting_app) == []


@pytest.mark.parametrize(
    ("headers", "token"),
    [
        pytest.param({}, None, id="unsigned"),
        pytest.param(None, "not-the-auth-token", id="signed-with-another-token"),
    ],
)
def test_a_forged_inbound_text_is_refused_and_changes_nothing(texting_app, headers, token):
    if headers is not None:
        form = {"From": ROSA_PHONE, "Body": "STOP"}
        response = texting_app.test_client().post("/sms/inbound", data=form, headers=headers)
    else:
        response = text_the_site(texting_app, "STOP", token=token)

    assert response.status_code == 403
    assert opted_out_numbers(texting_app) == []


def test_a_tampered_body_breaks_the_signature(texting_app):
    form = {"From": "+12125550100", "Body": "HELP"}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(WEBHOOK_URL, form)
    tampered = {**form, "From": ROSA_PHONE, "Body": "STOP"}

    response = texting_app.test_client().post(
        "/sms/inbound", data=tampered, headers={"X-Twilio-Signature": signature}
    )

    assert response.status_code == 403 and opted_out_numbers(texting_app) == []


def test_without_twilio_configured_inbound_texts_are_refused(app):
    assert text_the_site(app, "STOP").status_code == 403


def test_reminders_go_by_text_only_to_who_agreed(app, client, clock, make_event):
    event_id = make_event(starts_at=START)
    rsvp_by_phone(client, event_id)  # by phone alone, agreed
    rsvp(client, event_id, email="ella@example.org", phone="212-555-0111", sms_consent="y")
    rsvp(client, event_id, email="bea@example.org", phone="212-555-0122")  # did not agree

    send_reminders(app, clock, DAY_BEFORE_AT)

    assert sorted(text.to_address for text in reminder_texts(app)) == [
        "+12125550111",
        ROSA_PHONE,
    ]
    with app.app_context():
        reminder_emails = db.session.scalars(
            select(OutboxMessage.to_address).where(
                OutboxMessage.channel == MessageChannel.EMAIL,
                OutboxMessage.kind == "reminder_day_before",
            )
        ).all()
    assert sorted(reminder_emails) == ["bea@example.org", "ella@example.org"]


def test_after_stop_the_next_reminder_is_not_sent_until_start(
    app, client, clock, make_event, texting_app, twilio
):
    event_id = make_event(title="Vigil", starts_at=START)
    rsvp_by_phone(client, event_id)
    send_texts(texting_app)  # the confirmation
    send_reminders(app, clock, DAY_BEFORE_AT)
    [queued] = reminder_texts(app)

    text_the_site(texting_app, "STOP")
    send_texts(texting_app)
    send_reminders(app, clock, DAY_OF_AT)
    send_texts(texting_app)

    assert len(twilio.bodies_to(ROSA_PHONE)) == 1  # the confirmation, before STOP
    assert reminder_texts(app) == []  # the waiting one deleted, the next never queued
    assert queued.kind == "reminder_day_before"

    text_the_site(texting_app, "START")
    second_event = make_event(title="March", starts_at=START)
    rsvp_by_phone(client, second_event)
    send_texts(texting_app)
    assert twilio.bodies_to(ROSA_PHONE)[-1].startswith("eventsite: You're going to March")


def test_a_stop_between_queueing_and_sending_holds(app, client, make_event, texting_app, twilio):
    event_id = make_event()
    rsvp_by_phone(client, event_id)
    with app.app_context():  # STOP recorded the way another app server would
        db.session.add(SmsOptOut(phone=ROSA_PHONE, opted_out_at=datetime.now(UTC)))
        db.session.commit()

    output = send_texts(texting_app)

    assert "dropped 1" in output and twilio.requests == []
