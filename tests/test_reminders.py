"""Reminders before an event: `flask send-reminders` queues a day-before email (11 AM the
day before, in the event's own time zone) and a day-of one (3 hours before the start)
for every going RSVP, once, through the outbox; their one-tap links confirm or cancel.

The clock is frozen: send-reminders and the one-tap links run at the moment a test names.
Events are in 2030, so RSVPs made now (the real clock) come long before their reminders.
"""

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from helpers import csrf_token_from, outbox, rsvp
from sqlalchemy import event as sa_event
from sqlalchemy import func, select, update

from eventsite import reminders
from eventsite.extensions import db
from eventsite.models import (
    Event,
    EventStatus,
    OutboxMessage,
    Reminder,
    ReminderKind,
    Rsvp,
    hash_token,
)

DAY_BEFORE = "reminder_day_before"
DAY_OF = "reminder_day_of"
# Friday June 14, 2030, 2 PM in New York: the day before is Thursday 11 AM EDT.
START = datetime(2030, 6, 14, 18, 0, tzinfo=UTC)
DAY_BEFORE_AT = datetime(2030, 6, 13, 15, 0, tzinfo=UTC)
DAY_OF_AT = datetime(2030, 6, 14, 15, 0, tzinfo=UTC)


def send_reminders(app, clock, moment: datetime) -> str:
    clock(moment)
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def reminder_rows(app, kind: str | None = None) -> list[OutboxMessage]:
    with app.app_context():
        query = select(OutboxMessage).where(OutboxMessage.kind.in_([DAY_BEFORE, DAY_OF]))
        if kind:
            query = query.where(OutboxMessage.kind == kind)
        rows = db.session.scalars(query.order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return rows


def reminded(app, kind: str) -> list[str]:
    return [row.to_address for row in reminder_rows(app, kind)]


def one_tap_token(app, address: str, kind: str = DAY_BEFORE) -> str:
    [row] = [row for row in reminder_rows(app, kind) if row.to_address == address]
    return row.private_token


def rsvp_status(app, address: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Rsvp.status).where(Rsvp.email == address)).value


@pytest.mark.parametrize(
    ("timezone", "starts_at", "day_before_at", "day_of_at"),
    [
        pytest.param("America/New_York", START, DAY_BEFORE_AT, DAY_OF_AT, id="new-york"),
        pytest.param(  # Friday 10 AM HST (UTC-10): Thursday 11 AM HST
            "Pacific/Honolulu",
            datetime(2030, 6, 14, 20, 0, tzinfo=UTC),
            datetime(2030, 6, 13, 21, 0, tzinfo=UTC),
            datetime(2030, 6, 14, 17, 0, tzinfo=UTC),
            id="honolulu",
        ),
        pytest.param(  # Tuesday Nov 5, 6 PM AST (UTC-4 all year): Monday 11 AM AST
            "America/Puerto_Rico",
            datetime(2030, 11, 5, 22, 0, tzinfo=UTC),
            datetime(2030, 11, 4, 15, 0, tzinfo=UTC),
            datetime(2030, 11, 5, 19, 0, tzinfo=UTC),
            id="san-juan",
        ),
        pytest.param(  # Monday Mar 11, 10 AM EDT; clocks went forward on Sunday at 2 AM
            "America/New_York",
            datetime(2030, 3, 11, 14, 0, tzinfo=UTC),
            datetime(2030, 3, 10, 15, 0, tzinfo=UTC),  # Sunday 11 AM EDT, not EST
            datetime(2030, 3, 11, 11, 0, tzinfo=UTC),
            id="new-york-spring-forward",
        ),
        pytest.param(  # Sunday Nov 3, 2 PM EST; clocks went back that morning
            "America/New_York",
            datetime(2030, 11, 3, 19, 0, tzinfo=UTC),
            datetime(2030, 11, 2, 15, 0, tzinfo=UTC),  # Saturday 11 AM EDT
            datetime(2030, 11, 3, 16, 0, tzinfo=UTC),
            id="new-york-fall-back",
        ),
    ],
)
def test_reminders_go_at_their_local_times_once(
    app, client, clock, make_event, timezone, starts_at, day_before_at, day_of_at
):
    event_id = make_event(starts_at=starts_at, timezone=timezone)
    rsvp(client, event_id, email="rosa@example.org")
    minute = timedelta(minutes=1)

    assert "Queued 0 day-before" in send_reminders(app, clock, day_before_at - minute)
    assert reminder_rows(app) == []

    assert "Queued 1 day-before and 0 day-of" in send_reminders(app, clock, day_before_at)
    assert reminded(app, DAY_BEFORE) == ["rosa@example.org"]
    send_reminders(app, clock, day_before_at + timedelta(hours=2))
    send_reminders(app, clock, day_of_at - minute)
    assert len(reminder_rows(app)) == 1

    assert "Queued 0 day-before and 1 day-of" in send_reminders(app, clock, day_of_at)
    send_reminders(app, clock, day_of_at + timedelta(minutes=5))
    assert reminded(app, DAY_OF) == ["rosa@example.org"]
    assert len(reminder_rows(app)) == 2


def test_a_run_after_a_long_pause_sends_only_the_reminder_still_ahead(
    app, client, clock, make_event
):
    event_id = make_event(starts_at=START)
    rsvp(client, event_id, email="rosa@example.org")

    send_reminders(app, clock, DAY_OF_AT + timedelta(minutes=30))

    assert [row.kind for row in reminder_rows(app)] == [DAY_OF]


def test_no_reminders_once_the_event_started(app, client, clock, make_event):
    event_id = make_event(starts_at=START)
    rsvp(client, event_id, email="rosa@example.org")

    send_reminders(app, clock, START + timedelta(minutes=1))

    assert reminder_rows(app) == []


def test_only_going_rsvps_of_listed_events_are_reminded(app, client, clock, make_event):
    full_id = make_event(starts_at=START, capacity=1)
    rsvp(client, full_id, email="going@example.org")
    rsvp(client, full_id, email="waiting@example.org")
    rsvp(client, full_id, email="cancelled@example.org")
    cancelled_id = make_event(starts_at=START, title="Called off")
    rsvp(client, cancelled_id, email="other@example.org")
    with app.app_context():
        db.session.execute(
            update(Rsvp).where(Rsvp.email == "cancelled@example.org").values(status="cancelled")
        )
        db.session.execute(
            update(Event).where(Event.id == cancelled_id).values(status=EventStatus.CANCELLED)
        )
        db.session.commit()

    send_reminders(app, clock, DAY_BEFORE_AT)

    assert reminded(app, DAY_BEFORE) == ["going@example.org"]


def test_an_rsvp_made_after_the_reminders_time_gets_only_the_next_one(
    app, client, clock, make_event
):
    event_id = make_event(starts_at=START)
    rsvp(client, event_id, email="late@example.org")
    with app.app_context():  # as if made on Thursday at 3 PM, after the day-before's time
        db.session.execute(
            update(Rsvp).values(
                created_at=DAY_BEFORE_AT + timedelta(hours=4),
                updated_at=DAY_BEFORE_AT + timedelta(hours=4),
            )
        )
        db.session.commit()

    send_reminders(app, clock, DAY_BEFORE_AT + timedelta(hours=5))
    send_reminders(app, clock, DAY_OF_AT)

    assert [row.kind for row in reminder_rows(app)] == [DAY_OF]


def test_two_runs_at_once_queue_each_reminder_once(app, client, clock, make_event, monkeypatch):
    event_id = make_event(starts_at=START)
    rsvp(client, event_id, email="rosa@example.org")
    rsvp(client, event_id, email="ana@example.org")
    # The second run read who to remind before the first committed: both lists alike.
    seen = []
    real = reminders.rsvps_to_remind
    monkeypatch.setattr(
        reminders, "rsvps_to_remind", lambda *args: seen or seen.extend(real(*args)) or seen
    )

    first = send_reminders(app, clock, DAY_BEFORE_AT)
    second = send_reminders(app, clock, DAY_BEFORE_AT + timedelta(minutes=5))

    assert len(seen) == 2
    assert "Queued 2 day-before" in first and "Queued 0 day-before" in second
    assert sorted(reminded(app, DAY_BEFORE)) == ["ana@example.org", "rosa@example.org"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Reminder)) == 2


def test_the_host_can_turn_reminders_off(app, client, clock, make_event):
    event_id = make_event(starts_at=START, manage_token_hash=hash_token("host-token"))
    rsvp(client, event_id, email="rosa@example.org")
    page = client.get("/host/host-token").get_data(as_text=True)
    assert re.search(r'<input checked id="send_reminders" name="send_reminders"', page)

    response = client.post("/host/host-token/reminders", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 303
    send_reminders(app, clock, DAY_BEFORE_AT)
    assert reminder_rows(app) == []

    page = client.get("/host/host-token").get_data(as_text=True)
    client.post(
        "/host/host-token/reminders",
        data={"csrf_token": csrf_token_from(page), "send_reminders": "y"},
    )
    send_reminders(app, clock, DAY_BEFORE_AT + timedelta(minutes=5))
    assert reminded(app, DAY_BEFORE) == ["rosa@example.org"]


def test_the_host_page_shows_when_reminders_went_out_and_who_confirmed(
    app, client, clock, make_event
):
    event_id = make_event(starts_at=START, manage_token_hash=hash_token("host-token"))
    rsvp(client, event_id, email="rosa@example.org")
    rsvp(client, event_id, email="ana@example.org")
    assert "No reminders have gone out yet." in client.get("/host/host-token").get_data(True)
    send_reminders(app, clock, DAY_BEFORE_AT + timedelta(minutes=2))
    token = one_tap_token(app, "rosa@example.org")
    page = client.get(f"/rsvps/{token}/coming").get_data(as_text=True)
    client.post(f"/rsvps/{token}/coming", data={"csrf_token": csrf_token_from(page)})

    page = client.get("/host/host-token").get_data(as_text=True)

    assert "Day-before reminder sent Thu, Jun 13, 2030, 11:02" in page
    assert "to 2 people · 1 confirmed" in page


def test_a_one_tap_get_changes_nothing_and_its_post_confirms(app, client, clock, make_event):
    event_id = make_event(starts_at=START)
    rsvp(client, event_id, email="rosa@example.org")
    send_reminders(app, clock, DAY_BEFORE_AT)
    token = one_tap_token(app, "rosa@example.org")

    page = client.get(f"/rsvps/{token}/coming")  # as a mail scanner would

    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "I'm coming</button>" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Reminder.confirmed_at)) is None

    response = client.post(
        f"/rsvps/{token}/coming", data={"csrf_token": csrf_token_from(page.get_data(True))}
    )

    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Reminder.confirmed_at)) == DAY_BEFORE_AT
    assert response.headers["Location"] == f"/rsvps/{token}/coming"
    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you! The host knows you" in after  # the thanks, flashed once
    assert "You told the host you" in after and "</button>" not in after.split("<main")[-1]
    assert rsvp_status(app, "rosa@example.org") == "going"


def test_a_one_tap_post_needs_the_pages_form_token(app, client, clock, make_event):
    event_id = make_event(starts_at=START)
    rsvp(client, event_id, email="rosa@example.org")
    send_reminders(app, clock, DAY_BEFORE_AT)
    token = one_tap_token(app, "rosa@example.org")

    assert client.post(f"/rsvps/{token}/not-coming").status_code == 400

    assert rsvp_status(app, "rosa@example.org") == "going"


def test_i_cant_make_it_frees_the_seat_for_the_waitlist(app, client, clock, make_event):
    event_id = make_event(starts_at=START, capacity=1)
    rsvp(client, event_id, email="rosa@example.org")
    rsvp(client, event_id, email="ana@example.org")
    send_reminders(app, clock, DAY_BEFORE_AT)
    token = one_tap_token(app, "rosa@example.org")

    page = client.get(f"/rsvps/{token}/not-coming")
    assert rsvp_status(app, "rosa@example.org") == "going"
    response = client.post(
        f"/rsvps/{token}/not-coming", data={"csrf_token": csrf_token_from(page.get_data(True))}
    )

    assert response.status_code == 303
    assert rsvp_status(app, "rosa@example.org") == "cancelled"
    assert rsvp_status(app, "ana@example.org") == "going"
    with app.app_context():
        assert db.session.get(Event, event_id).seats_taken == 1
        kinds = db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds[-2:] == ["rsvp_cancelled", "waitlist_promotion"]
    assert response.headers["Location"] == f"/rsvps/{token}/not-coming"
    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your RSVP is cancelled." in after
    assert "Your RSVP is cancelled and your spot goes to someone else. Thank you." in after


def test_someone_moved_up_later_gets_the_reminders_still_ahead(app, client, clock, make_event):
    event_id = make_event(starts_at=START, capacity=1)
    rsvp(client, event_id, email="rosa@example.org")
    rsvp(client, event_id, email="ana@example.org")
    send_reminders(app, clock, DAY_BEFORE_AT)
    assert reminded(app, DAY_BEFORE) == ["rosa@example.org"]
    token = one_tap_token(app, "rosa@example.org")
    clock(DAY_BEFORE_AT + timedelta(hours=3))
    page = client.get(f"/rsvps/{token}/not-coming")
    client.post(
        f"/rsvps/{token}/not-coming", data={"csrf_token": csrf_token_from(page.get_data(True))}
    )
    with app.app_context():  # Ana moved up then (the RSVP's own clock is the real one)
        db.session.execute(
            update(Rsvp)
            .where(Rsvp.email == "ana@example.org")
            .values(updated_at=DAY_BEFORE_AT + timedelta(hours=3))
        )
        db.session.commit()

    send_reminders(app, clock, DAY_BEFORE_AT + timedelta(hours=4))
    send_reminders(app, clock, DAY_OF_AT)

    assert reminded(app, DAY_BEFORE) == ["rosa@example.org"]
    assert reminded(app, DAY_OF) == ["ana@example.org"]


def test_one_tap_links_expire_after_the_event(app, client, clock, make_event):
    event_id = make_event(starts_at=START)
    rsvp(client, event_id, email="rosa@example.org")
    send_reminders(app, clock, DAY_BEFORE_AT)
    token = one_tap_token(app, "rosa@example.org")
    page = client.get(f"/rsvps/{token}/not-coming").get_data(as_text=True)

    clock(START + timedelta(hours=2, minutes=1))  # it ended a minute ago
    expired = client.get(f"/rsvps/{token}/not-coming")
    posted = client.post(f"/rsvps/{token}/not-coming", data={"csrf_token": csrf_token_from(page)})

    assert expired.status_code == posted.status_code == 410
    assert "This link has expired" in expired.get_data(as_text=True)
    assert rsvp_status(app, "rosa@example.org") == "going"
    assert client.get("/rsvps/not-a-real-token/coming").status_code == 404


def test_one_tap_links_end_when_the_person_is_erased(app, client, clock, make_event):
    event_id = make_event(starts_at=START)
    rsvp(client, event_id, email="rosa@example.org")
    send_reminders(app, clock, DAY_BEFORE_AT)
    token = one_tap_token(app, "rosa@example.org")
    with app.app_context():
        from eventsite.forgetting import erase_rsvps

        erase_rsvps(Rsvp.event_id == event_id, DAY_BEFORE_AT)
        db.session.commit()
        assert db.session.scalars(select(Reminder.token_hash)).all() == [None]

    assert client.get(f"/rsvps/{token}/coming").status_code == 404


def send_mail(make_app, smtp) -> str:
    sender = make_app(SMTP_URL=smtp.url, MAIL_FROM="Eventsite <events@eventsite.test>")
    result = sender.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    return result.output


def body_of(message) -> str:
    return message.get_body(("plain",)).get_content()


@pytest.mark.parametrize(
    ("language", "subjects", "words"),
    [
        (
            "en",
            ("Tomorrow: Vigil", "Today: Vigil"),
            (
                "Bring a candle.",
                "I'm coming: ",
                "I can't make it",
                "Map: https://www.openstreetmap",
            ),
        ),
        (
            "es",
            ("Mañana: Vigil", "Hoy: Vigil"),
            ("Bring a candle.", "Voy a ir: ", "No puedo ir", "Mapa: https://www.openstreetmap"),
        ),
    ],
)
def test_reminders_arrive_in_the_language_of_the_rsvp(
    app, client, clock, make_event, make_app, smtp, language, subjects, words
):
    event_id = make_event(title="Vigil", starts_at=START, description="Bring a candle.")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    rsvp(client, event_id, email="rosa@example.org")
    send_reminders(app, clock, DAY_BEFORE_AT)
    send_mail(make_app, smtp)
    send_reminders(app, clock, DAY_OF_AT)
    send_mail(make_app, smtp)
    token = one_tap_token(app, "rosa@example.org")

    confirmation, day_before, day_of = smtp.to("rosa@example.org")

    assert (day_before["Subject"], day_of["Subject"]) == subjects
    body = body_of(day_before)
    assert words[0] in body and words[1] in body and words[2] in body
    assert f"/rsvps/{token}/coming" in body and f"/rsvps/{token}/not-coming" in body
    assert [p.get_filename() for p in day_before.iter_attachments()] == ["event.ics"]
    assert words[3] in body_of(day_of)
    assert f"/rsvps/{one_tap_token(app, 'rosa@example.org', DAY_OF)}/not-coming" in body_of(day_of)


def test_a_reminder_for_an_rsvp_cancelled_before_it_went_is_dropped(
    app, client, clock, make_event, make_app, smtp
):
    event_id = make_event(starts_at=START)
    rsvp(client, event_id, email="rosa@example.org")
    send_reminders(app, clock, DAY_BEFORE_AT)
    with app.app_context():
        db.session.execute(update(Rsvp).values(status="cancelled"))
        db.session.commit()

    assert "Sent 1, will retry 0, gave up on 0, dropped 1" in send_mail(make_app, smtp)

    assert [m["Subject"] for m in smtp.to("rosa@example.org")] == [
        "You're going: Rally for Families"
    ]
    assert reminder_rows(app) == []


def test_two_runs_in_parallel_queue_each_reminder_once(app, client, clock, make_event, monkeypatch):
    event_id = make_event(starts_at=START)
    for number in range(5):
        rsvp(client, event_id, email=f"person{number}@example.org")
    both_have_read = threading.Barrier(2, timeout=20)
    real = reminders.rsvps_to_remind

    def read_then_wait(*args):
        recipients = real(*args)
        both_have_read.wait()  # neither run has inserted yet: both lists hold all five
        return recipients

    monkeypatch.setattr(reminders, "rsvps_to_remind", read_then_wait)
    clock(DAY_BEFORE_AT)
    outputs = []

    def run():
        with app.app_context():
            outputs.append(reminders.send_reminders().queued.get(ReminderKind.DAY_BEFORE, 0))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outputs) == [0, 5]
    assert len(reminder_rows(app)) == 5


def write_to_attendees(client, token: str, subject: str, body: str):
    page = client.get(f"/host/{token}").get_data(as_text=True)
    response = client.post(
        f"/host/{token}/message",
        data={"csrf_token": csrf_token_from(page), "subject": subject, "body": body},
    )
    assert response.status_code == 303


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Ana Host's last message: Rain plan"), ("es", "Último mensaje de Ana Host: Rain plan")],
)
def test_the_day_of_reminder_repeats_the_hosts_last_message(
    app, client, clock, make_event, make_app, smtp, language, words
):
    event_id = make_event(starts_at=START, manage_token_hash=hash_token("host-token"))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    rsvp(client, event_id, email="rosa@example.org")
    write_to_attendees(client, "host-token", "First note", "Bring water.")
    write_to_attendees(client, "host-token", "Rain plan", "We meet under the arch if it rains.")

    send_reminders(app, clock, DAY_OF_AT)
    send_mail(make_app, smtp)

    day_of = smtp.to("rosa@example.org")[-1]
    body = body_of(day_of)
    assert words in body and "We meet under the arch if it rains." in body
    assert "Bring water." not in body


def test_the_day_of_reminder_has_no_message_line_when_the_host_wrote_none(
    app, client, clock, make_event
):
    event_id = make_event(starts_at=START)
    rsvp(client, event_id, email="rosa@example.org")

    send_reminders(app, clock, DAY_OF_AT)

    [day_of] = [m for m in outbox(app) if m.kind == DAY_OF]
    assert "last message" not in day_of.body_text


def statements_run_by(app, run) -> int:
    """How many SQL statements run() sends to the app's database."""
    sent = []
    with app.app_context():
        engine = db.engine

    def count(*_):
        sent.append(1)

    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        run()
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
    return len(sent)


def test_a_run_with_nothing_new_to_send_costs_the_same_however_many_were_sent(
    app, client, clock, make_event
):
    """Cron runs send-reminders every few minutes: one with nothing new must not read
    every shift and ended event in its window again, one by one."""
    ended_at = DAY_BEFORE_AT - timedelta(hours=3)  # asked "Did you make it?" an hour later
    statements_of_a_quiet_run = []
    for events in (1, 5):
        for number in range(events):
            upcoming_id = make_event(starts_at=START, title=f"Upcoming {events}.{number}")
            rsvp(client, upcoming_id, email=f"going{events}.{number}@example.org")
            ended_id = make_event(starts_at=ended_at - timedelta(hours=2), title="Ended")
            rsvp(client, ended_id, email=f"went{events}.{number}@example.org")
        sent = send_reminders(app, clock, DAY_BEFORE_AT)
        assert f"Queued {events} day-before and 0 day-of reminders, and {events}" in sent

        def run_again():
            output = send_reminders(app, clock, DAY_BEFORE_AT + timedelta(minutes=5))
            assert "Queued 0 day-before and 0 day-of reminders, and 0" in output

        statements_of_a_quiet_run.append(statements_run_by(app, run_again))

    after_two_events, after_twelve = statements_of_a_quiet_run
    assert after_twelve == after_two_events
