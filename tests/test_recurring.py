"""Recurring events: "every Tuesday at 6 PM until March 1" is one event with a shift on
each date, at 6 PM where it happens whatever the daylight-saving offset."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from test_hosting import event_form, host_event

from eventsite.extensions import db
from eventsite.models import Event
from eventsite.recurrence import MAX_DATES

DENVER = ZoneInfo("America/Denver")


def next_spring_forward(today: date) -> date:
    """The second Sunday of the next March: the US moves its clocks forward that night."""
    year = today.year + (1 if today >= date(today.year, 3, 1) else 0)
    march_first = date(year, 3, 1)
    first_sunday = march_first + timedelta(days=(6 - march_first.weekday()) % 7)
    return first_sunday + timedelta(days=7)


def hosted_times(app):
    with app.app_context():
        [event] = db.session.scalars(select(Event)).all()
        return [(slot.starts_at, slot.ends_at) for slot in event.timeslots], event


def test_a_weekly_event_keeps_six_pm_across_a_daylight_saving_change(client, app):
    change = next_spring_forward(date.today())
    first, until = change - timedelta(days=12), change + timedelta(days=16)

    response = host_event(
        client,
        date=first.isoformat(),
        start_time="18:00",
        end_time="20:00",
        capacity="12",
        repeat="weekly",
        repeat_until=until.isoformat(),
    )

    assert response.status_code == 303
    times, event = hosted_times(app)
    assert len(times) == 5  # one event, a shift each week
    local = [(s.astimezone(DENVER), e.astimezone(DENVER)) for s, e in times]
    assert [start.date() for start, _end in local] == [first + timedelta(weeks=n) for n in range(5)]
    assert {(start.hour, start.minute, end.hour) for start, end in local} == {(18, 0, 20)}
    # The clock moved: before the change 6 PM is 01:00 UTC, after it 00:00 UTC.
    assert {start.hour for start, _end in times} == {0, 1}
    assert (event.starts_at, event.ends_at) == (times[0][0], times[-1][1])


def test_every_two_weeks_and_chosen_dates(client, app):
    first = date.today() + timedelta(days=10)
    host_event(
        client,
        date=first.isoformat(),
        repeat="chosen_dates",
        repeat_dates=f"{first + timedelta(days=3)}, {first + timedelta(days=1)}\n{first}",
    )
    times, _event = hosted_times(app)
    local_days = [start.astimezone(DENVER).date() for start, _end in times]
    assert local_days == [first, first + timedelta(days=1), first + timedelta(days=3)]

    with app.app_context():
        db.session.execute(Event.__table__.delete())
        db.session.commit()
    host_event(
        client,
        date=first.isoformat(),
        repeat="every_two_weeks",
        repeat_until=(first + timedelta(days=30)).isoformat(),
    )
    times, _event = hosted_times(app)
    assert [start.astimezone(DENVER).date() for start, _end in times] == [
        first + timedelta(days=14 * n) for n in range(3)
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"repeat": "weekly"}, "Choose the last date, after the first one."),
        ({"repeat": "weekly", "repeat_until": "2000-01-01"}, "within two years"),
        ({"repeat": "chosen_dates", "repeat_dates": "tomorrow"}, "tomorrow is not a date"),
        ({"repeat": "fortnightly"}, "Choose how often the event repeats."),
    ],
)
def test_bad_repeats_get_a_message_by_the_field(client, app, fields, message):
    response = host_event(client, **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Event.id)) is None


def test_the_number_of_dates_is_capped(client, app):
    first = date.today() + timedelta(days=3)
    typed = " ".join(str(first + timedelta(days=n)) for n in range(1, MAX_DATES + 5))
    response = host_event(
        client, date=first.isoformat(), repeat="chosen_dates", repeat_dates=typed[:1000]
    )
    assert response.status_code == 400
    assert f"at most {MAX_DATES} dates" in response.get_data(as_text=True)

    response = host_event(
        client,
        date=first.isoformat(),
        repeat="weekly",
        repeat_until=(first + timedelta(weeks=MAX_DATES + 10)).isoformat(),
    )
    assert response.status_code == 400
    assert f"at most {MAX_DATES} dates" in response.get_data(as_text=True)


def test_the_edit_form_leaves_a_recurring_events_times_to_its_shifts(client, app):
    from test_hosting import manage_token

    first = date.today() + timedelta(days=10)
    token = manage_token(
        host_event(
            client,
            date=first.isoformat(),
            repeat="weekly",
            repeat_until=(first + timedelta(weeks=2)).isoformat(),
        )
    )
    page = client.get(f"/host/{token}/edit").get_data(as_text=True)
    assert 'name="start_time"' not in page and "several times" in page
    data = {**event_form(title="Weekly vigil at City Park"), "csrf_token": "x"}
    from helpers import csrf_token_from

    data["csrf_token"] = csrf_token_from(page)
    response = client.post(f"/host/{token}/edit", data=data)
    assert response.status_code == 303
    times, event = hosted_times(app)
    assert len(times) == 3 and event.title == "Weekly vigil at City Park"
