"""Messages about an event with several times name the times they are about: a host's and
co-host's emails the next time and how many more, an attendee's text their own shift;
never the span from the first shift to the last."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from helpers import outbox, rsvp
from test_co_hosts import add_co_host
from test_hosting import host_event, manage_token
from test_shifts import shift_event, timeslot_ids
from test_texts import send_texts

from eventsite.extensions import db
from eventsite.models import Timeslot

NEW_YORK = ZoneInfo("America/New_York")


def day(moment: datetime, zone: ZoneInfo) -> str:
    """'Sat, Jun 14, 2031': a date as the messages write it (English)."""
    local = moment.astimezone(zone)
    return f"{local:%a, %b} {local.day}, {local.year}"


def test_a_weekly_events_host_and_co_host_read_its_first_time_and_how_many_more(client, app):
    first = date.today() + timedelta(days=10)
    token = manage_token(
        host_event(
            client,
            date=first.isoformat(),
            start_time="18:00",
            end_time="20:00",
            repeat="weekly",
            repeat_until=(first + timedelta(weeks=4)).isoformat(),
        )
    )
    add_co_host(client, token, "carla@example.org")

    to = {message.to_address: message.body_text for message in outbox(app)}

    first_day = f"{first:%a, %b} {first.day}, {first.year}"
    last = first + timedelta(weeks=4)
    hosting = to["dolores@example.org"]
    assert f"Thank you for hosting “Families Belong Together rally” on {first_day}, 6:00" in hosting
    assert "and 4 more times." in hosting
    assert f"{last:%b} {last.day}," not in hosting  # not "from the first to the last"
    invited = to["carla@example.org"]
    assert f"co-host of “Families Belong Together rally” on {first_day}, 6:00" in invited
    assert "and 4 more times." in invited


def test_a_one_time_events_host_email_reads_as_before(client, app):
    host_event(client)

    [message] = outbox(app)

    assert "more time" not in message.body_text
    assert "Thank you for hosting “Families Belong Together rally” on " in message.body_text


def test_a_text_to_someone_at_one_shift_names_that_shift(
    client, app, make_event, texting_app, twilio
):
    event_id = shift_event(make_event, None, None, None, title="Canvass")
    second = timeslot_ids(app, event_id)[1]
    with app.app_context():
        starts_at = db.session.get(Timeslot, second).starts_at

    rsvp(client, event_id, email="", phone="(212) 555-0147", sms_consent="y", timeslots=second)
    send_texts(texting_app)

    [body] = twilio.bodies_to("+12125550147")
    assert f"You're going to Canvass, {day(starts_at, NEW_YORK)}, " in body
