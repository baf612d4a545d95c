"""After the event: "Did you make it?" — send-reminders asks each going RSVP that was not
checked in, once, an hour after the event ends; a yes or no link (GET shows, POST records)
and an optional line on how it was. The host, organizers (CSV) and the API see attended,
didn't attend, or unknown; the API says CONFIRMED for who tapped "I'm coming".

The clock is frozen as in test_reminders: events are in 2030.
"""

import csv
import io
import re
from datetime import timedelta
from html import unescape

import pytest
from helpers import csrf_token_from, rsvp
from sqlalchemy import select, update
from test_api import bearer, make_api_key, make_campaign
from test_reminders import (
    DAY_BEFORE_AT,
    START,
    body_of,
    one_tap_token,
    send_mail,
    send_reminders,
)

from eventsite import attendance, reminder_email_words, reminders
from eventsite.extensions import db
from eventsite.models import OutboxMessage, Rsvp, hash_token

AFTER = "attendance_question"
END = START + timedelta(hours=2)
ASK_AT = END + timedelta(hours=1)
HOST = "host-token-for-attendance-tests"


@pytest.fixture
def clock(monkeypatch):
    """The reminders' and the answers' clock: clock(moment)."""

    def set_to(moment):
        for module in (reminders, reminder_email_words, attendance):
            monkeypatch.setattr(module, "utcnow", lambda: moment)

    return set_to


@pytest.fixture
def event_id(make_event):
    return make_event(starts_at=START, manage_token_hash=hash_token(HOST))


def questions(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == AFTER).order_by(OutboxMessage.id)
        ).all()
        db.session.expunge_all()
        return rows


def asked(app) -> list[str]:
    return [row.to_address for row in questions(app)]


def question_token(app, address: str) -> str:
    [row] = [row for row in questions(app) if row.to_address == address]
    return row.private_token


def answer(client, token: str, which: str, **fields):
    page = client.get(f"/rsvps/{token}/{which}").get_data(as_text=True)
    return client.post(
        f"/rsvps/{token}/{which}", data={"csrf_token": csrf_token_from(page), **fields}
    )


def saved(app, address: str) -> Rsvp:
    with app.app_context():
        found = db.session.scalar(select(Rsvp).where(Rsvp.email == address))
        db.session.expunge_all()
        return found


def test_an_hour_after_the_end_each_going_rsvp_not_checked_in_is_asked_once(
    app, client, clock, make_event, event_id
):
    full = make_event(starts_at=START, capacity=1, title="Full")
    rsvp(client, event_id, email="rosa@example.org")
    rsvp(client, event_id, email="came@example.org")
    rsvp(client, event_id, email="cancelled@example.org")
    rsvp(client, full, email="going@example.org")
    rsvp(client, full, email="waiting@example.org")
    with app.app_context():
        db.session.execute(
            update(Rsvp).where(Rsvp.email == "came@example.org").values(checked_in_at=START)
        )
        db.session.execute(
            update(Rsvp).where(Rsvp.email == "cancelled@example.org").values(status="cancelled")
        )
        db.session.commit()

    send_reminders(app, clock, ASK_AT - timedelta(minutes=1))
    assert asked(app) == []

    output = send_reminders(app, clock, ASK_AT)
    assert "and 2 'Did you make it?' emails" in output
    assert sorted(asked(app)) == ["going@example.org", "rosa@example.org"]
    send_reminders(app, clock, ASK_AT + timedelta(hours=3))
    assert len(asked(app)) == 2


def test_a_run_days_later_asks_no_more(app, client, clock, event_id):
    rsvp(client, event_id, email="rosa@example.org")

    send_reminders(app, clock, END + attendance.ASK_WITHIN + timedelta(minutes=1))

    assert asked(app) == []


def test_a_get_changes_nothing_and_a_yes_with_a_line_is_recorded(app, client, clock, event_id):
    rsvp(client, event_id, email="rosa@example.org")
    send_reminders(app, clock, ASK_AT)
    token = question_token(app, "rosa@example.org")

    page = client.get(f"/rsvps/{token}/attended")  # as a mail scanner would
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Yes, I was there</button>" in page.get_data(as_text=True)
    assert saved(app, "rosa@example.org").attended is None

    response = answer(client, token, "attended", note="Great turnout, good speakers.")

    assert response.status_code == 303
    rosa = saved(app, "rosa@example.org")
    assert (rosa.attended, rosa.attendance_note) == (True, "Great turnout, good speakers.")
    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you! The host knows you were there." in after
    assert "You told the host you were there." in after
    host_page = unescape(client.get(f"/host/{HOST}").get_data(as_text=True))
    assert "Says they attended" in host_page and "Great turnout, good speakers." in host_page
    assert "1 attended · 0 didn't attend · 0 unknown" in " ".join(host_page.split())


def test_a_no_is_recorded_and_the_host_sees_all_three_states(app, client, clock, event_id):
    for person in ("rosa", "ana", "bea", "cy"):
        rsvp(client, event_id, email=f"{person}@example.org")
    with app.app_context():
        db.session.execute(
            update(Rsvp).where(Rsvp.email == "cy@example.org").values(checked_in_at=START)
        )
        db.session.commit()
    send_reminders(app, clock, ASK_AT)

    rosa_token = question_token(app, "rosa@example.org")
    response = answer(client, rosa_token, "missed")
    after = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    answer(client, question_token(app, "ana@example.org"), "attended")

    assert saved(app, "rosa@example.org").attended is False
    assert response.status_code == 303
    assert response.headers["Location"] == f"/rsvps/{rosa_token}/missed"
    assert "Thank you for letting the host know." in after
    assert "You told the host you couldn't make it." in after
    page = " ".join(unescape(client.get(f"/host/{HOST}").get_data(as_text=True)).split())
    assert "2 attended · 1 didn't attend · 1 unknown" in page
    assert '"Did you make it?" emailed to 3 people' in page
    assert "Didn't attend" in page


@pytest.mark.parametrize("note", ["x" * 201, "two\nlines"], ids=["too-long", "two-lines"])
def test_a_bad_line_is_refused_by_the_field(app, client, clock, event_id, note):
    rsvp(client, event_id, email="rosa@example.org")
    send_reminders(app, clock, ASK_AT)
    token = question_token(app, "rosa@example.org")

    response = answer(client, token, "attended", note=note)

    assert response.status_code == 400
    assert 'class="error" id="note-error"' in response.get_data(as_text=True)
    assert saved(app, "rosa@example.org").attended is None


def test_answer_links_expire_and_answer_only_the_question(app, client, clock, event_id):
    rsvp(client, event_id, email="rosa@example.org")
    send_reminders(app, clock, DAY_BEFORE_AT)
    send_reminders(app, clock, ASK_AT)
    token = question_token(app, "rosa@example.org")
    reminder_token = one_tap_token(app, "rosa@example.org")

    assert client.get(f"/rsvps/{reminder_token}/attended").status_code == 404
    assert client.get(f"/rsvps/{token}/not-coming").status_code == 404
    page = client.get(f"/rsvps/{token}/missed").get_data(as_text=True)

    clock(END + attendance.ANSWER_FOR + timedelta(minutes=1))
    expired = client.get(f"/rsvps/{token}/missed")
    posted = client.post(f"/rsvps/{token}/missed", data={"csrf_token": csrf_token_from(page)})

    assert expired.status_code == posted.status_code == 410
    assert saved(app, "rosa@example.org").attended is None


def test_a_question_for_someone_checked_in_since_is_dropped(
    app, client, clock, event_id, make_app, smtp
):
    rsvp(client, event_id, email="rosa@example.org")
    send_reminders(app, clock, ASK_AT)
    with app.app_context():
        db.session.execute(update(Rsvp).values(checked_in_at=START))
        db.session.commit()

    assert "dropped 1" in send_mail(make_app, smtp)


@pytest.mark.parametrize(
    ("language", "subject", "words"),
    [
        ("en", "Did you make it? Vigil", ("Yes, I was there: ", "No, I couldn't make it: ")),
        ("es", "¿Pudiste ir? Vigil", ("Sí, estuve: ", "No, no pude ir: ")),
    ],
)
def test_the_question_arrives_in_the_language_of_the_rsvp(
    app, client, clock, make_event, make_app, smtp, language, subject, words
):
    event_id = make_event(title="Vigil", starts_at=START)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    rsvp(client, event_id, email="rosa@example.org")
    send_reminders(app, clock, ASK_AT)
    send_mail(make_app, smtp)
    token = question_token(app, "rosa@example.org")

    question = smtp.to("rosa@example.org")[-1]

    assert question["Subject"] == subject
    body = body_of(question)
    assert words[0] in body and words[1] in body
    assert f"/rsvps/{token}/attended" in body and f"/rsvps/{token}/missed" in body


def test_exports_and_the_api_carry_attendance_and_confirmation(
    app, client, clock, make_event, runner
):
    make_campaign(app)
    key = make_api_key(runner)
    with app.app_context():
        from eventsite.models import Campaign

        campaign_id = db.session.scalar(select(Campaign.id))
    event_id = make_event(
        starts_at=START, manage_token_hash=hash_token(HOST), campaign_id=campaign_id
    )
    for person in ("rosa", "ana", "bea"):
        rsvp(client, event_id, email=f"{person}@example.org", name=person.title())
    send_reminders(app, clock, DAY_BEFORE_AT)
    answer(client, one_tap_token(app, "rosa@example.org"), "coming")
    send_reminders(app, clock, ASK_AT)
    answer(client, question_token(app, "rosa@example.org"), "attended", note="Loved it")
    answer(client, question_token(app, "ana@example.org"), "missed")

    body = client.get(
        f"/api/v1/organizations/{campaign_id}/attendances", headers=bearer(key)
    ).get_json()
    by_email = {item["person"]["email_addresses"][0]["address"]: item for item in body["data"]}
    assert by_email["rosa@example.org"]["attended"] is True
    assert by_email["rosa@example.org"]["status"] == "CONFIRMED"
    assert by_email["ana@example.org"]["attended"] is False
    assert by_email["ana@example.org"]["status"] == "REGISTERED"
    assert by_email["bea@example.org"]["attended"] is None

    exported = client.get(f"/host/{HOST}/rsvps.csv").get_data(as_text=True)
    rows = {row["email"]: row for row in csv.DictReader(io.StringIO(exported))}
    assert (rows["rosa@example.org"]["attended"], rows["rosa@example.org"]["attendance_note"]) == (
        "yes",
        "Loved it",
    )
    assert rows["ana@example.org"]["attended"] == "no"
    assert rows["bea@example.org"]["attended"] == ""
    assert re.search(r"attended", exported.splitlines()[0])


def test_each_shift_is_asked_about_after_it_and_named_in_the_question(
    app, client, clock, make_event, make_app, smtp
):
    # A weekly vigil: the first shift is over, the next is a week on. Who came to the
    # first is asked now, about that shift, not "from the first week to the last"; who
    # signed up for the second is asked after it.
    from test_shifts import rsvp_to, timeslot_ids

    week = timedelta(days=7)
    more = [(START + week, END + week, None)]
    event_id = make_event(title="Vigil", starts_at=START, more_times=more)
    first, second = timeslot_ids(app, event_id)
    rsvp_to(client, event_id, [first])
    rsvp_to(client, event_id, [second], email="lee@example.org")

    send_reminders(app, clock, ASK_AT)
    assert asked(app) == ["rosa@example.org"]
    send_mail(make_app, smtp)
    body = body_of(smtp.to("rosa@example.org")[-1])
    held = re.search(r"“Vigil” was on (.+)\. Did you make it\?", body).group(1)
    assert held.count(":00") == 2, held  # one start and one end: the shift's own
    assert f"{START.day}," in held and f"{(START + week).day}," not in held, held

    send_reminders(app, clock, ASK_AT + week)
    assert asked(app) == ["rosa@example.org", "lee@example.org"]
