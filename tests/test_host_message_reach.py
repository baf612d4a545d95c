"""A host's message goes by email; people who gave only a phone number agreed to texts
about changes to the event, not to messages, and the host is told who it did not reach."""

from helpers import csrf_token_from, outbox, rsvp
from test_hosting import host_event, manage_token, only_event
from test_texts import rsvp_by_phone, texts


def write(client, token: str):
    page = client.get(f"/host/{token}").get_data(as_text=True)
    form = {"csrf_token": csrf_token_from(page), "subject": "Bring water", "body": "It's hot."}
    return client.post(f"/host/{token}/message", data=form, follow_redirects=True)


def test_the_host_is_told_who_gave_only_a_phone_number(client, app):
    token = manage_token(host_event(client))
    event_id = only_event(app).id
    rsvp(client, event_id, email="ella@example.org", phone="212-555-0111", sms_consent="y")
    rsvp_by_phone(client, event_id, name="Rosa By Phone")
    rsvp_by_phone(client, event_id, name="Lee By Phone", phone="(212) 555-0133")

    html = write(client, token).get_data(as_text=True)

    assert "Your message is on its way to 1 person." in html
    assert "2 people gave only a phone number and did not get it" in html
    messages = [m for m in outbox(app) if m.subject.startswith("Bring water")]
    assert [m.to_address for m in messages] == ["ella@example.org"]
    assert [text.kind for text in texts(app)] == ["rsvp_confirmation"] * 2  # no message


def test_no_notice_when_everyone_gave_an_email(client, app):
    token = manage_token(host_event(client))
    rsvp(client, only_event(app).id, email="ella@example.org")

    html = write(client, token).get_data(as_text=True)

    assert "Your message is on its way to 1 person." in html
    assert "only a phone number" not in html
