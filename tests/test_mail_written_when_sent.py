"""The outbox names what to send and the sender writes it: an RSVP queues a row with the
message's kind, the ids it needs and the language; send-mail writes the words and the
calendar file from the event as it is when the message goes out."""

from datetime import UTC, datetime, timedelta

import pytest
from helpers import emailed_rsvp_token, rsvp, send_mail
from icalendar import Calendar
from sqlalchemy import delete, select, update
from test_hosting import host_event

from eventsite.extensions import db
from eventsite.models import Event, MessageStatus, OutboxMessage, Rsvp, Timeslot

# Friday June 14, 2030, 2 PM in New York; moved to Saturday the 15th, 11 AM.
FIRST_TIME_UTC = datetime(2030, 6, 14, 18, 0, tzinfo=UTC)
MOVED_TIME_UTC = datetime(2030, 6, 15, 15, 0, tzinfo=UTC)


@pytest.fixture
def app(make_app, smtp):
    return make_app(SMTP_URL=smtp.url, MAIL_FROM="Eventsite <events@eventsite.test>")


def outbox_rows(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return rows


def move_event(app, event_id: int, starts_at: datetime) -> None:
    """Move the event and its one shift (where its time lives) behind the site's back."""
    moved = {"starts_at": starts_at, "ends_at": starts_at + timedelta(hours=2)}
    with app.app_context():
        db.session.execute(update(Event).where(Event.id == event_id).values(**moved))
        db.session.execute(update(Timeslot).where(Timeslot.event_id == event_id).values(**moved))
        db.session.commit()


def body_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def calendar_entry_of(message):
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "event.ics"
    (entry,) = Calendar.from_ical(part.get_content()).walk("VEVENT")
    return entry


def test_an_rsvp_queues_a_named_message_and_writes_no_email(client, app, make_event):
    event_id = make_event()

    rsvp(client, event_id, email="rosa@example.org", guests=1)

    [row] = outbox_rows(app)
    assert (row.kind, row.language, row.event_id) == ("rsvp_confirmation", "en", event_id)
    assert row.rsvp_id is not None and row.to_address == "rosa@example.org"
    assert row.facts == {"status": "going", "guests": 1}
    # Nothing written in the request: no subject, no body, no calendar file.
    assert (row.subject, row.body_text, row.ics_attachment) == (None, None, None)
    # The private link is carried in the row (only its hash is kept with the RSVP).
    assert row.private_token == emailed_rsvp_token(app, "rosa@example.org")


@pytest.mark.parametrize(
    ("language", "subject", "when", "details"),
    [
        ("en", "You're going: Vigil", "Sat, Jun 15, 2030, 11:00", "Details and RSVP: "),
        (
            "es",
            "Asistencia confirmada: Vigil",
            "sáb, 15 de jun de 2030, 11:00",
            "Detalles y confirmación de asistencia: ",
        ),
    ],
)
def test_a_confirmation_queued_before_the_event_moved_is_sent_with_the_new_time(
    client, app, smtp, make_event, language, subject, when, details
):
    event_id = make_event(title="Vigil", starts_at=FIRST_TIME_UTC)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    rsvp(client, event_id, email="rosa@example.org")
    token = emailed_rsvp_token(app, "rosa@example.org")

    move_event(app, event_id, MOVED_TIME_UTC)
    assert "Sent 1" in send_mail(app)

    [message] = smtp.to("rosa@example.org")
    assert message["Subject"] == subject
    assert when in body_of(message)
    assert f"/rsvps/{token}" in body_of(message)
    entry = calendar_entry_of(message)
    assert entry.decoded("dtstart").astimezone(UTC) == MOVED_TIME_UTC
    assert details in str(entry["DESCRIPTION"])


def test_a_message_queued_before_this_release_is_sent_as_it_was(app, smtp):
    with app.app_context():
        db.session.add(
            OutboxMessage(
                to_address="rosa@example.org",
                subject="Written at queue time",
                body_text="Hi Rosa,\n\nThe words of an old release.",
                ics_attachment="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                reply_to="Team <team@example.org>",
            )
        )
        db.session.commit()

    assert "Sent 1" in send_mail(app)

    [message] = smtp.to("rosa@example.org")
    assert message["Subject"] == "Written at queue time"
    assert message["Reply-To"] == "Team <team@example.org>"
    assert "The words of an old release." in body_of(message)
    assert [p.get_filename() for p in message.iter_attachments()] == ["event.ics"]


def test_a_message_whose_rsvp_is_erased_goes_with_it(client, app, smtp, make_event):
    event_id = make_event()
    rsvp(client, event_id, email="rosa@example.org")

    with app.app_context():
        db.session.execute(delete(Rsvp).where(Rsvp.email == "rosa@example.org"))
        db.session.commit()
    send_mail(app)

    assert outbox_rows(app) == []
    assert smtp.received == []


def test_messages_about_a_deleted_event_go_with_it(client, app, smtp, make_event):
    event_id = make_event()
    rsvp(client, event_id, email="rosa@example.org")
    host_event(client, host_email="dolores@example.org")

    with app.app_context():
        db.session.execute(delete(Event))
        db.session.commit()
    send_mail(app)

    assert outbox_rows(app) == []
    assert smtp.received == []


def test_the_sender_drops_a_message_whose_rsvp_is_gone(client, app, smtp, make_event):
    event_id = make_event()
    rsvp(client, event_id, email="rosa@example.org")
    rsvp(client, event_id, email="ana@example.org")
    with app.app_context():  # erased in place: the row no longer names its RSVP
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.to_address == "rosa@example.org")
            .values(rsvp_id=None)
        )
        db.session.commit()

    output = send_mail(app)

    assert "Sent 1" in output and "dropped 1" in output
    assert [m["To"] for m in smtp.received] == ["ana@example.org"]
    [left] = outbox_rows(app)
    assert left.to_address == "ana@example.org" and left.status == MessageStatus.SENT
