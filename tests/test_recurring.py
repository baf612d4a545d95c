"""Recurring events: "every Tuesday at 6 PM until March 1" is one event with a shift on
each date, at 6 PM where it happens whatever the daylight-saving offset."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from test_hosting import event_form, host_event

from eventsite.extensions import db
from eventsite.models import MAX_TIMESLOTS, Event
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


def add_times(client, token, **fields):
    """Send the host page's "Add a time" form, as a browser without JavaScript would."""
    from helpers import csrf_token_from

    page = client.get(f"/host/{token}").get_data(as_text=True)
    data = {"start_time": "18:00", "end_time": "20:00", "capacity": "8", "repeat": "once"}
    data.update(fields, csrf_token=csrf_token_from(page))
    return client.post(f"/host/{token}/times", data=data)


def test_a_host_adds_a_weekly_series_to_an_event_keeping_six_pm_across_dst(client, app):
    from test_hosting import manage_token

    change = next_spring_forward(date.today())
    first, until = change - timedelta(days=12), change + timedelta(days=16)
    token = manage_token(host_event(client, date=(first - timedelta(days=1)).isoformat()))
    page = client.get(f"/host/{token}").get_data(as_text=True)
    assert 'name="repeat"' in page and 'name="repeat_until"' in page  # no script needed

    response = add_times(
        client, token, date=first.isoformat(), repeat="weekly", repeat_until=until.isoformat()
    )

    assert response.status_code == 303
    times, event = hosted_times(app)
    assert len(times) == 1 + 5  # the event's own time, then a shift each week
    local = [(s.astimezone(DENVER), e.astimezone(DENVER)) for s, e in times[1:]]
    assert [start.date() for start, _end in local] == [first + timedelta(weeks=n) for n in range(5)]
    assert {(start.hour, end.hour) for start, end in local} == {(18, 20)}
    assert {start.hour for start, _end in times[1:]} == {0, 1}  # the UTC offset moved
    assert {slot.capacity for slot in event.timeslots[1:]} == {8}
    assert "5 new times are added." in client.get(response.headers["Location"]).text


def test_chosen_dates_add_only_the_times_not_already_there(client, app):
    from test_hosting import manage_token

    first = date.today() + timedelta(days=10)
    token = manage_token(
        host_event(client, date=first.isoformat(), start_time="18:00", end_time="20:00")
    )
    later = [first + timedelta(days=n) for n in (2, 5)]

    response = add_times(
        client,
        token,
        date=first.isoformat(),
        repeat="chosen_dates",
        repeat_dates="\n".join(day.isoformat() for day in later),
    )

    assert response.status_code == 303
    times, _event = hosted_times(app)
    assert [start.astimezone(DENVER).date() for start, _end in times] == [first, *later]
    again = add_times(client, token, date=first.isoformat())
    assert again.status_code == 400
    assert "The event already has these times." in again.text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"repeat": "weekly"}, "Choose the last date, after the first one."),
        ({"repeat": "chosen_dates", "repeat_dates": "someday"}, "someday is not a date"),
        ({"repeat": "hourly"}, "Choose how often the event repeats."),
        (
            {"repeat": "weekly", "repeat_until": str(date.today() + timedelta(weeks=60))},
            f"at most {MAX_DATES} dates",
        ),
    ],
)
def test_a_bad_series_is_explained_by_its_field_and_adds_nothing(client, app, fields, message):
    from test_hosting import manage_token

    token = manage_token(host_event(client))
    day = (date.today() + timedelta(days=3)).isoformat()

    response = add_times(client, token, date=day, **fields)

    assert response.status_code == 400
    assert message in response.text
    assert len(hosted_times(app)[0]) == 1


def test_a_series_cannot_take_an_event_past_its_most_times(client, app):
    from test_hosting import manage_token

    first = date.today() + timedelta(days=3)
    token = manage_token(host_event(client, date=first.isoformat()))

    def weekly(start: date, weeks: int) -> dict:
        until = start + timedelta(weeks=weeks - 1)
        return {"date": str(start), "repeat": "weekly", "repeat_until": str(until)}

    assert (
        add_times(client, token, **weekly(first + timedelta(days=1), MAX_DATES)).status_code == 303
    )
    response = add_times(client, token, **weekly(first + timedelta(days=2), 10))

    assert response.status_code == 400
    assert f"at most {MAX_TIMESLOTS} times" in response.text
    assert len(hosted_times(app)[0]) == 1 + MAX_DATES


def test_the_demo_prints_the_weekly_vigils_host_page_to_add_more_weeks(app, runner):
    import re

    result = runner.invoke(args=["demo-data", "--count", "20", "--shift-events"])

    [path] = re.findall(r"add more weeks: \S*(/host/[A-Za-z0-9_-]+)", result.output)
    page = app.test_client().get(path).get_data(as_text=True)
    assert "Tuesday vigil for families" in page and 'name="repeat"' in page
