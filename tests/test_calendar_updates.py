"""Emails people can act on: every attendee email that changes a calendar carries the
event's .ics with the same UID, a higher SEQUENCE after a change, and METHOD:CANCEL with
STATUS:CANCELLED when the event is called off, so phone calendars update or remove it; an
"RSVP updated" email repeats the private link. Through SMTP, in English and Spanish."""

import re

import pytest
from helpers import csrf_token_from, emailed_rsvp_token, rsvp, send_mail
from test_hosting import event_form, host_event, manage_token, only_event

UID = re.compile(r"UID:(event-\d+@\S+)")
SEQUENCE = re.compile(r"SEQUENCE:(\d+)")


@pytest.fixture
def app(make_app, smtp):
    return make_app(SMTP_URL=smtp.url, MAIL_FROM="Eventsite <events@eventsite.test>")


def calendar_of(message):
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return part


def uid_and_sequence(ics: str) -> tuple[str, int]:
    return UID.search(ics).group(1), int(SEQUENCE.search(ics).group(1))


def edit(client, token: str, **changes):
    form = client.get(f"/host/{token}/edit").get_data(as_text=True)
    response = client.post(
        f"/host/{token}/edit", data=event_form(csrf_token=csrf_token_from(form), **changes)
    )
    assert response.status_code == 303


def cancel(client, token: str):
    page = client.get(f"/host/{token}").get_data(as_text=True)
    response = client.post(
        f"/host/{token}/cancel",
        data={"csrf_token": csrf_token_from(page), "reason": "Storm", "confirm": "y"},
    )
    assert response.status_code == 303


@pytest.mark.parametrize(
    ("language", "changed", "cancelled"),
    [
        ("en", "Changed: Families Belong Together rally", "Cancelled: Families"),
        ("es", "Cambió: Families Belong Together rally", "Cancelado: Families"),
    ],
)
def test_a_moved_event_updates_and_a_cancelled_one_leaves_the_calendar(
    client, app, smtp, language, changed, cancelled
):
    host = manage_token(host_event(client))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    rsvp(client, only_event(app).id, email="bea@example.org")
    send_mail(app)
    edit(client, host, start_time="11:00", end_time="13:00")
    send_mail(app)
    cancel(client, host)
    send_mail(app)

    confirmation, moved, called_off = smtp.to("bea@example.org")

    first_uid, first_sequence = uid_and_sequence(calendar_of(confirmation).get_content())
    moved_ics = calendar_of(moved).get_content()
    assert moved["Subject"] == changed
    assert uid_and_sequence(moved_ics) == (first_uid, first_sequence + 1)
    assert "METHOD:PUBLISH" in moved_ics and "T110000" in moved_ics
    assert called_off["Subject"].startswith(cancelled)
    part = calendar_of(called_off)
    ics = part.get_content()
    assert part.get_param("method") == "CANCEL"
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics
    assert uid_and_sequence(ics) == (first_uid, first_sequence + 2)


def test_the_event_pages_calendar_file_carries_the_same_sequence(client, app):
    host = manage_token(host_event(client))
    event_id = only_event(app).id
    before = client.get(f"/events/{event_id}/calendar.ics").get_data(as_text=True)

    edit(client, host, title="Rally, now at noon", start_time="12:00", end_time="14:00")

    after = client.get(f"/events/{event_id}/calendar.ics").get_data(as_text=True)
    assert uid_and_sequence(after) == (uid_and_sequence(before)[0], 1)
    assert "METHOD" not in after  # a download, not an email: nothing to act on


def test_an_unchanged_edit_keeps_the_sequence(client, app):
    host = manage_token(host_event(client))

    edit(client, host)
    edit(client, host, capacity="50")

    assert only_event(app).calendar_sequence == 0


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "Your private link to change or cancel your RSVP:"),
        ("es", "Tu enlace privado para cambiar o cancelar tu confirmación:"),
    ],
)
def test_an_rsvp_updated_email_repeats_a_working_private_link(
    client, app, smtp, make_event, language, words
):
    event_id = make_event()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    rsvp(client, event_id, email="rosa@example.org")
    first = emailed_rsvp_token(app, "rosa@example.org")
    page = client.get(f"/rsvps/{first}").get_data(as_text=True)
    client.post(
        f"/rsvps/{first}",
        data={
            "name": "Rosa",
            "phone": "",
            "zip_code": "10001",
            "guests": "1",
            "csrf_token": csrf_token_from(page),
        },
    )
    send_mail(app)

    updated = smtp.to("rosa@example.org")[-1]
    body = updated.get_body(("plain",)).get_content()
    again = emailed_rsvp_token(app, "rosa@example.org")
    assert again != first and f"/rsvps/{again}" in body and words in body
    assert client.get(f"/rsvps/{again}").status_code == 200
    assert "with 1 guest" in body or "con 1 invitado" in body
