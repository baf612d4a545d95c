"""An RSVP is changed only through its private link, and that link goes only to its email.

Someone who RSVPs with an email already on an event's list (through the event page or
the keyless API) changes nothing, gets no link, and learns nothing they did not type;
the address on file is emailed a working link instead.
"""

import re
from datetime import timedelta

import pytest
from helpers import csrf_token_from, emailed_rsvp_token, rsvp, rsvp_link_tokens, send_mail
from sqlalchemy import select
from test_api import attendance_body, make_campaign
from test_mail import links_in

from eventsite.extensions import db
from eventsite.models import Event, Rsvp, RsvpStatus

ROSA = {
    "name": "Rosa Quietperson",
    "email": "rosa@example.org",
    "phone": "212-555-0133",
    "zip_code": "10001",
    "guests": 2,
}
ROSA_DETAILS = ["Quietperson", "212-555-0133", "2125550133", "2 guests"]
_CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+')


@pytest.fixture
def app(make_app, smtp):
    return make_app(SMTP_URL=smtp.url, MAIL_FROM="Eventsite <events@eventsite.test>")


def saved_rsvp(app, event_id: int, email: str) -> Rsvp:
    with app.app_context():
        found = db.session.scalar(
            select(Rsvp).where(Rsvp.event_id == event_id, Rsvp.email == email)
        )
        db.session.expunge_all()
        return found


def as_it_was(found: Rsvp) -> tuple:
    return (
        found.name,
        found.phone,
        found.zip_code,
        found.guests,
        found.status,
        found.token_hash,
        found.updated_at,
        found.version,
    )


def seats_taken(app, event_id: int) -> int:
    with app.app_context():
        return db.session.get(Event, event_id).seats_taken


def cancel_with(client, token: str):
    page = client.get(f"/rsvps/{token}").get_data(as_text=True)
    return client.post(f"/rsvps/{token}/cancel", data={"csrf_token": csrf_token_from(page)})


def answer_page(client, response) -> str:
    """The page an RSVP's answer leads to, without the session's own CSRF tokens."""
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return _CSRF_VALUE.sub(r"\1…", page)


def test_rsvp_with_someone_elses_email_changes_nothing_and_gives_no_link(app, smtp, make_event):
    event_id = make_event(capacity=10)
    rsvp(app.test_client(), event_id, **ROSA)
    rosas_link = emailed_rsvp_token(app, "rosa@example.org")
    before = as_it_was(saved_rsvp(app, event_id, "rosa@example.org"))

    mallory = app.test_client()
    response = rsvp(
        mallory, event_id, name="Mallory", email=" ROSA@example.org ", phone="212-555-0190"
    )

    assert "/rsvps/" not in response.headers["Location"]
    page = answer_page(mallory, response)
    assert "/rsvps/" not in page and rosas_link not in page
    for detail in ROSA_DETAILS:
        assert detail not in page
    assert "sent your link" in page
    assert as_it_was(saved_rsvp(app, event_id, "rosa@example.org")) == before
    assert seats_taken(app, event_id) == 3
    # Rosa is emailed a further link; the one she had keeps working.
    send_mail(app)
    confirmation, reminder = smtp.to("rosa@example.org")
    [link] = [link for link in links_in(reminder) if link.startswith("/rsvps/")]
    assert link != f"/rsvps/{rosas_link}"
    assert "Rosa Quietperson" in app.test_client().get(link).get_data(as_text=True)
    assert cancel_with(app.test_client(), rosas_link).status_code == 303
    assert saved_rsvp(app, event_id, "rosa@example.org").status == RsvpStatus.CANCELLED
    assert seats_taken(app, event_id) == 0


def test_the_answer_is_the_same_whether_or_not_the_email_had_rsvped(app, make_event):
    event_id = make_event(capacity=10)
    rsvp(app.test_client(), event_id, **ROSA)

    answers = []
    for email in ("rosa@example.org", "newcomer@example.org"):
        client = app.test_client()
        response = rsvp(client, event_id, name="Someone", email=email)
        page = answer_page(client, response).replace(email, "EMAIL")
        # Each RSVP's invite code is random (never its email or id): one looks like another.
        page = re.sub(r"ref(=|%3D)[A-Za-z0-9]+", r"ref\1CODE", page)
        answers.append((response.headers["Location"], page))

    assert answers[0] == answers[1]
    assert "EMAIL" in answers[0][1]  # the address typed, to catch a typo


def test_many_repeat_rsvps_send_one_further_link(app, make_event):
    event_id = make_event()
    rsvp(app.test_client(), event_id, **ROSA)

    for _ in range(3):
        rsvp(app.test_client(), event_id, name="Mallory", email="rosa@example.org")

    assert len(rsvp_link_tokens(app, "rosa@example.org")) == 2  # the first, and one more


def test_a_cancelled_rsvp_is_not_revived_by_someone_else(app, smtp, make_event):
    event_id = make_event(capacity=10)
    rsvp(app.test_client(), event_id, **ROSA)
    rosas_link = emailed_rsvp_token(app, "rosa@example.org")
    cancel_with(app.test_client(), rosas_link)
    before = as_it_was(saved_rsvp(app, event_id, "rosa@example.org"))

    mallory = app.test_client()
    page = answer_page(mallory, rsvp(mallory, event_id, name="Mallory", email="rosa@example.org"))

    assert "/rsvps/" not in page and "Quietperson" not in page
    assert as_it_was(saved_rsvp(app, event_id, "rosa@example.org")) == before
    assert seats_taken(app, event_id) == 0
    # Rosa gets a link by email; from it she can RSVP again herself.
    send_mail(app)
    reminder = smtp.to("rosa@example.org")[-1]
    [link] = [link for link in links_in(reminder) if link.startswith("/rsvps/")]
    rosa = app.test_client()
    page = rosa.get(link).get_data(as_text=True)
    assert "RSVP again" in page
    rosa.post(
        link,
        data={"name": "Rosa Quietperson", "zip_code": "10001", "guests": "0",
              "csrf_token": csrf_token_from(page)},
    )  # fmt: skip
    assert saved_rsvp(app, event_id, "rosa@example.org").status == RsvpStatus.GOING
    assert seats_taken(app, event_id) == 1


def test_api_rsvp_with_someone_elses_email_changes_nothing_and_reveals_nothing(
    app, smtp, make_event
):
    campaign_id = make_campaign(app)
    event_id = make_event(campaign_id=campaign_id, capacity=10)
    rsvp(app.test_client(), event_id, **ROSA)
    rosas_link = emailed_rsvp_token(app, "rosa@example.org")
    before = as_it_was(saved_rsvp(app, event_id, "rosa@example.org"))
    url = f"/api/v1/organizations/{campaign_id}/events/{event_id}/attendances"
    api = app.test_client()

    def attendance(email):
        body = attendance_body(
            event_id, given_name="Mallory", family_name="X", email_address=email,
            phone_number="212-555-0190",
        )  # fmt: skip
        response = api.post(url, json=body)
        return response.status_code, response.get_data(as_text=True).replace(email, "EMAIL")

    repeat = attendance("rosa@example.org")
    new = attendance("newcomer@example.org")

    assert repeat == new  # nothing tells whether Rosa had RSVPed, or when
    assert repeat[0] == 202 and "/rsvps/" not in repeat[1]
    for detail in ROSA_DETAILS:
        assert detail not in repeat[1]
    assert as_it_was(saved_rsvp(app, event_id, "rosa@example.org")) == before
    assert seats_taken(app, event_id) == 4  # Rosa's 3 and the newcomer's 1
    send_mail(app)
    reminder = smtp.to("rosa@example.org")[-1]
    [link] = [link for link in links_in(reminder) if link.startswith("/rsvps/")]
    assert "Rosa Quietperson" in app.test_client().get(link).get_data(as_text=True)
    assert app.test_client().get(f"/rsvps/{rosas_link}").status_code == 200


def test_a_promoted_waitlister_cancels_with_the_link_they_already_had(app, make_event):
    event_id = make_event(capacity=1)
    rsvp(app.test_client(), event_id, email="first@example.org")
    rsvp(app.test_client(), event_id, email="second@example.org", name="Second Person")
    first_link = emailed_rsvp_token(app, "first@example.org")
    waitlisted_link = emailed_rsvp_token(app, "second@example.org")

    cancel_with(app.test_client(), first_link)

    assert saved_rsvp(app, event_id, "second@example.org").status == RsvpStatus.GOING
    promotion_link = emailed_rsvp_token(app, "second@example.org")
    assert promotion_link != waitlisted_link
    assert app.test_client().get(f"/rsvps/{promotion_link}").status_code == 200
    response = cancel_with(app.test_client(), waitlisted_link)
    assert response.status_code == 303
    assert saved_rsvp(app, event_id, "second@example.org").status == RsvpStatus.CANCELLED
    assert seats_taken(app, event_id) == 0


def test_private_pages_are_never_stored_or_sent_as_a_referrer(app, make_event):
    from test_hosting import host_event, manage_token

    event_id = make_event()
    client = app.test_client()
    answer = rsvp(client, event_id, **ROSA)
    token = emailed_rsvp_token(app, "rosa@example.org")
    host_token = manage_token(host_event(client))
    page = client.get(f"/rsvps/{token}").get_data(as_text=True)
    csrf = csrf_token_from(page)

    responses = {
        "rsvp page": client.get(f"/rsvps/{token}"),
        "rsvp answer": client.get(answer.headers["Location"]),
        "rsvp change refused": client.post(f"/rsvps/{token}", data={"csrf_token": csrf}),
        "rsvp cancelled": client.post(f"/rsvps/{token}/cancel", data={"csrf_token": csrf}),
        "host page": client.get(f"/host/{host_token}"),
        "host edit page": client.get(f"/host/{host_token}/edit"),
        "host's attendee list": client.get(f"/host/{host_token}/rsvps.csv"),
        "check-in list": client.get(f"/host/{host_token}/check-in?q=rosa"),
        "walk-in added": client.post(
            f"/host/{host_token}/walk-ins", data={"csrf_token": csrf, "name": "Walt"}
        ),
        "walk-in refused": client.post(f"/host/{host_token}/walk-ins", data={"csrf_token": csrf}),
        "arrival marked": client.post(
            f"/host/{host_token}/check-in/1/arrived", data={"csrf_token": csrf}
        ),
        "arrival undone": client.post(
            f"/host/{host_token}/check-in/1/undo", data={"csrf_token": csrf}
        ),
    }

    for name, response in responses.items():
        assert response.status_code < 500, name
        assert response.headers["Cache-Control"] == "no-store", name
        assert response.headers["Referrer-Policy"] == "no-referrer", name


def forget_me(client, token: str, confirm: bool = True):
    """Delete my information, as the RSVP page's plain form sends it (no script needed)."""
    page = client.get(f"/rsvps/{token}").get_data(as_text=True)
    assert f'<form method="post" action="/rsvps/{token}/forget#forget" novalidate>' in page
    data = {"csrf_token": csrf_token_from(page)}
    if confirm:
        data["confirm"] = "y"
    return client.post(f"/rsvps/{token}/forget", data=data)


def test_delete_my_information_frees_the_seat_promotes_the_waitlist_and_erases_at_once(
    app, make_event
):
    from test_forgetting import every_text_value

    event_id = make_event(capacity=3)
    client = app.test_client()
    rsvp(client, event_id, **ROSA)
    rsvp(app.test_client(), event_id, email="second@example.org", name="Second Person")
    token = emailed_rsvp_token(app, "rosa@example.org")

    refused = forget_me(client, token, confirm=False)
    assert refused.status_code == 400
    assert "Tick the box to confirm." in refused.get_data(as_text=True)
    assert saved_rsvp(app, event_id, "rosa@example.org").status == RsvpStatus.GOING

    response = forget_me(client, token)

    assert response.status_code == 303
    assert response.headers["Location"] == f"/events/{event_id}/rsvp/forgotten"
    page = answer_page(client, response)
    assert "Your information is deleted" in page
    assert "Your RSVP is cancelled, and your name, email, phone and zip code are gone" in page
    assert not [detail for detail in ROSA_DETAILS + ["rosa@example.org"] if detail in page]
    assert saved_rsvp(app, event_id, "second@example.org").status == RsvpStatus.GOING
    assert len(rsvp_link_tokens(app, "second@example.org")) == 2  # the promotion's email
    assert seats_taken(app, event_id) == 1
    assert client.get(f"/rsvps/{token}").status_code == 404
    stored = "\n".join(every_text_value(app))
    assert not [
        detail
        for detail in ["Rosa Quietperson", "rosa@example.org", "212-555-0133"]
        if detail in stored
    ]


def test_a_host_deletes_the_attendee_list_once_the_event_is_over(app, make_event):
    from test_forgetting import every_text_value
    from test_hosting import host_event, manage_token

    client = app.test_client()
    host_token = manage_token(host_event(client))
    with app.app_context():
        event_id = db.session.scalar(select(Event.id))
    rsvp(app.test_client(), event_id, **ROSA)

    def erase_now():
        page = client.get(f"/host/{host_token}").get_data(as_text=True)
        data = {"csrf_token": csrf_token_from(page), "confirm": "y"}
        client.post(f"/host/{host_token}/forget-attendees", data=data)
        return client.get(f"/host/{host_token}").get_data(as_text=True)

    page = erase_now()
    assert "You can delete the attendee list once the event is over." in page
    assert "Rosa Quietperson" in page
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.starts_at, event.ends_at = (
            event.starts_at - timedelta(days=30),
            event.ends_at - timedelta(days=30),
        )
        db.session.commit()
    assert "Delete the attendee list" in client.get(f"/host/{host_token}").get_data(as_text=True)

    page = erase_now()

    assert "We deleted the details of 1 person who RSVPed. The counts stay." in page
    assert "The attendee list was deleted" in page
    assert "3 people were going" in page
    assert "Rosa Quietperson" not in "\n".join(every_text_value(app))
    assert seats_taken(app, event_id) == 3
