"""Demo events' timeslots: each demo event row gets its one, and a canvass in shifts and a
weekly vigil show what more than one looks like (flask demo-data --shift-events)."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select

from .extensions import db
from .models import Campaign, Event, EventKind, Timeslot, hash_token, new_token
from .recurrence import Repeat, repeating_dates, shift_times
from .transactions import unit_of_work


def insert_events_with_timeslots(rows: list[dict]) -> None:
    """Insert events' rows, each with one timeslot at its times and capacity."""
    capacities = [row.pop("capacity") for row in rows]
    ids = db.session.scalars(
        insert(Event.__table__).returning(Event.__table__.c.id, sort_by_parameter_order=True),
        rows,
    ).all()
    slots = [
        {
            "event_id": event_id,
            "starts_at": row["starts_at"],
            "ends_at": row["ends_at"],
            "capacity": capacity,
            "seats_taken": 0,
        }
        for event_id, row, capacity in zip(ids, rows, capacities, strict=True)
    ]
    db.session.execute(insert(Timeslot.__table__), slots)


def one_timeslot(row: dict) -> dict:
    """An event's row for Event(**...), its times and capacity on its one timeslot."""
    capacity = row.get("capacity")
    slot = Timeslot(starts_at=row["starts_at"], ends_at=row["ends_at"], capacity=capacity)
    return {**{k: v for k, v in row.items() if k != "capacity"}, "timeslots": [slot]}


CANVASS_SHIFTS = ((time(10), time(12)), (time(12), time(14)), (time(14), time(16)))
CANVASS_SPOTS = 15
VIGIL_WEEKS = 8


def load_shift_events(today: date) -> str:
    """A door-knocking canvass in three shifts on the campaign's day of action, and a vigil
    every Tuesday at 6 PM for VIGIL_WEEKS weeks: one event each, a timeslot per time.
    Returns the vigil's private host token: its page adds more weeks as a series."""
    from .demo import demo_events  # demo.py imports this module for its rows' timeslots

    campaign = db.session.scalar(select(Campaign).order_by(Campaign.id))
    canvass_row = next(demo_events(1, today, campaign, seed=16))
    vigil_row = next(demo_events(1, today, campaign, seed=17))
    token = new_token()
    with unit_of_work():
        db.session.add(_canvass(canvass_row, campaign.action_date))
        db.session.add(_weekly_vigil(vigil_row, today, manage_token_hash=hash_token(token)))
    return token


def _event_with_times(row: dict, times, capacity: int | None, **fields) -> Event:
    row = {k: v for k, v in row.items() if k != "capacity"}
    event = Event(**{**row, **fields})
    for starts_at, ends_at in times:
        event.timeslots.append(Timeslot(starts_at=starts_at, ends_at=ends_at, capacity=capacity))
    event.keep_span_of_timeslots()
    return event


def _canvass(row: dict, day: date) -> Event:
    times = [
        shift_times(datetime.combine(day, start), datetime.combine(day, end), (), row["timezone"])[
            0
        ]
        for start, end in CANVASS_SHIFTS
    ]
    return _event_with_times(
        row,
        times,
        CANVASS_SPOTS,
        title=f"Door-knocking canvass in {row['city']}",
        kind=EventKind.OTHER,
        description="Knock on doors with neighbors: come for one shift or several. "
        "We pair newcomers with someone who has done it before; bring comfortable shoes.",
    )


def _weekly_vigil(row: dict, today: date, **fields) -> Event:
    tuesday = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    dates = repeating_dates(tuesday, Repeat.WEEKLY, tuesday + timedelta(weeks=VIGIL_WEEKS - 1), 52)
    first = datetime.combine(tuesday, time(18))
    times = shift_times(first, first + timedelta(hours=1), dates, row["timezone"])
    return _event_with_times(
        row,
        times,
        None,
        campaign_id=None,
        title=f"Tuesday vigil for families in {row['city']}",
        kind=EventKind.VIGIL,
        description="Every Tuesday at 6 PM we hold a vigil for families kept apart. "
        "Bring a candle; come once or every week.",
        **fields,
    )
