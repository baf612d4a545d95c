"""Realistic demo events: one national day of action plus scattered local events."""

import itertools
import random
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from .demo_faces import give_demo_face
from .demo_places import with_demo_place
from .demo_times import insert_events_with_timeslots, one_timeslot
from .extensions import db
from .forgetting import erase_attendee_list, erase_hosts
from .geo import ZipPlace, all_zip_places, lookup_zip
from .models import (
    Campaign,
    Event,
    EventKind,
    EventStatus,
    GeocodeStatus,
    Rsvp,
    RsvpStatus,
    hash_token,
    new_token,
    no_email_of_phone,
    no_email_of_walk_in,
)
from .texts import CURRENT_CONSENT_WORDING
from .transactions import unit_of_work

# Downtown zip codes of large US cities; demo events cluster around them as real ones do.
CITY_ZIPS = [
    "10001",
    "10003",
    "10027",
    "11201",
    "11215",
    "10451",
    "07302",
    "19103",
    "02108",
    "02139",
    "20001",
    "21201",
    "15213",
    "14604",
    "12207",
    "06103",
    "04101",
    "05401",
    "03301",
    "02903",
    "30303",
    "33101",
    "32801",
    "33602",
    "28202",
    "27601",
    "29201",
    "37203",
    "37902",
    "38103",
    "35203",
    "39201",
    "70112",
    "40202",
    "45202",
    "43215",
    "44113",
    "48201",
    "49503",
    "46204",
    "60601",
    "60614",
    "53202",
    "55401",
    "55101",
    "50309",
    "63101",
    "64105",
    "66101",
    "68102",
    "73102",
    "74103",
    "75201",
    "77002",
    "78701",
    "78205",
    "79901",
    "87102",
    "80202",
    "84101",
    "83702",
    "59601",
    "82001",
    "85004",
    "85701",
    "89101",
    "89501",
    "90012",
    "90028",
    "92101",
    "94102",
    "94612",
    "95814",
    "95112",
    "97204",
    "97401",
    "98101",
    "98402",
    "99201",
    "99501",
    "96813",
    "57104",
    "58102",
    "71201",
    "72201",
    "23219",
    "23510",
    "25301",
    "19801",
    "08608",
]

TITLES = {
    EventKind.PROTEST: ["Protest at {city} City Hall", "Stand Up for Families in {city}"],
    EventKind.MARCH: ["March for Families: {city}", "{city} Solidarity March"],
    EventKind.RALLY: ["Families Belong Together Rally — {city}", "Rally for Democracy in {city}"],
    EventKind.VIGIL: ["Candlelight Vigil in {city}", "Vigil for Separated Families, {city}"],
    EventKind.TOWN_HALL: ["Community Town Hall: {city}", "Ask Your Representative — {city}"],
    EventKind.OTHER: ["Phone Bank Party in {city}", "Sign-Making Night, {city}"],
}
VENUES = [
    ("City Hall Plaza", "1 Civic Center Plaza"),
    ("Public Library, Main Branch", "100 Library Way"),
    ("Riverside Park", "200 River Road"),
    ("First Unitarian Church", "405 Church Street"),
    ("Union Hall", "55 Labor Lane"),
    ("Courthouse Steps", "300 Main Street"),
    ("Community Center", "12 Elm Avenue"),
]
FIRST_NAMES = ["Ana", "Marcus", "Priya", "Jordan", "Lupe", "Sam", "Keisha", "Tom", "Mei", "Diego"]
LAST_NAMES = ["Garcia", "Johnson", "Nguyen", "Smith", "Okafor", "Rivera", "Cohen", "Patel"]
START_HOURS = [9, 10, 11, 12, 14, 17, 18, 19]


def _close_places(centre: ZipPlace, places: list[ZipPlace]) -> list[ZipPlace]:
    return [
        p
        for p in places
        if abs(p.latitude - centre.latitude) < 0.4 and abs(p.longitude - centre.longitude) < 0.5
    ]


def _nearby_place(rng: random.Random, centre: ZipPlace, close: list[ZipPlace]) -> ZipPlace:
    """A zip close to a city centre (most events) or the centre itself."""
    if rng.random() < 0.5:
        return centre
    return rng.choice(close) if close else centre


def _event_at(
    rng: random.Random, place: ZipPlace, day: date, kind: EventKind, campaign_id: int | None
) -> dict:
    """One demo event's column values."""
    zone = ZoneInfo(place.timezone)
    starts_local = datetime.combine(day, time(rng.choice(START_HOURS), rng.choice([0, 30])), zone)
    starts_at = starts_local.astimezone(UTC)
    venue, street = rng.choice(VENUES)
    host_first, host_last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return dict(
        campaign_id=campaign_id,
        title=rng.choice(TITLES[kind]).format(city=place.city),
        kind=kind,
        description=(
            f"Join neighbors in {place.city} to stand together. Bring water, a sign and a friend. "
            "Families with kids welcome; the route is step-free."
        ),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=rng.choice([1, 2, 2, 3])),
        timezone=place.timezone,
        venue=venue,
        street_address=street,
        city=place.city,
        state=place.state,
        zip_code=place.zip_code,
        # Spread events around the zip's centre, a mile or two, as real addresses are.
        latitude=place.latitude + rng.uniform(-0.02, 0.02),
        longitude=place.longitude + rng.uniform(-0.02, 0.02),
        geocode_status=GeocodeStatus.ADDRESS,
        capacity=rng.choice([None, None, None, 25, 50, 100, 300]),
        status=EventStatus.PUBLISHED,
        host_name=f"{host_first} {host_last}",
        host_email=f"{host_first.lower()}.{host_last.lower()}@example.org",
    )


def demo_campaign(today: date) -> Campaign:
    """The national day of action, three weeks from today."""
    return Campaign(
        slug="families-belong-together",
        name="Families Belong Together — Day of Action",
        description="Nationwide actions to keep families together. Find one near you or host one.",
        action_date=today + timedelta(days=21),
    )


def demo_events(count: int, today: date, campaign: Campaign, seed: int = 14) -> Iterator[dict]:
    """`count` events' column values, about half of them in the (saved) campaign."""
    rng = random.Random(seed)
    places = all_zip_places()
    city_places = [lookup_zip(z) for z in CITY_ZIPS]
    # Each city's nearby zips, found once: scanning all 42,000 per event took minutes.
    close_to = {city.zip_code: _close_places(city, places) for city in city_places}
    for index in range(count):
        in_campaign = index % 2 == 0
        # Four in five events near big cities, the rest anywhere in the country.
        if rng.random() < 0.8:
            centre = rng.choice(city_places)
            place = _nearby_place(rng, centre, close_to[centre.zip_code])
        else:
            place = rng.choice(places)
        if in_campaign:
            kind = rng.choice(
                [EventKind.RALLY, EventKind.MARCH, EventKind.VIGIL, EventKind.PROTEST]
            )
            row = _event_at(rng, place, campaign.action_date, kind, campaign.id)
        else:
            kind = rng.choice(list(EventKind))
            row = _event_at(rng, place, today + timedelta(days=rng.randint(1, 60)), kind, None)
        yield with_demo_place(row, index)


# Rows written per statement; progress is reported after each batch.
BATCH_SIZE = 1000


def load_demo_data(
    count: int, today: date, progress: Callable[[int, int], None] | None = None
) -> int:
    """Add the campaign and `count` events in one transaction, telling progress(done, total)."""
    campaign = demo_campaign(today)
    saved = 0
    with unit_of_work():
        db.session.add(campaign)
        give_demo_face(campaign)
        db.session.flush()
        # Plain rows in batches, not ORM objects: 100,000 events in seconds, not minutes.
        rows = demo_events(count, today, campaign)
        while batch := list(itertools.islice(rows, BATCH_SIZE)):
            insert_events_with_timeslots(batch)
            saved += len(batch)
            if progress:
                progress(saved, count)
    return saved


# A past event shows what forgetting leaves: its count of people going, and nobody's details.
FORGOTTEN_DAYS_AGO = 40
FORGOTTEN_ATTENDEES = 12


def load_forgotten_past_event(today: date) -> None:
    """Add one campaign event FORGOTTEN_DAYS_AGO in the past, with RSVPs whose details (and
    its host's) were erased 30 days after it, as forget-past erases them."""
    campaign = db.session.scalar(select(Campaign).order_by(Campaign.id))
    row = next(demo_events(1, today, campaign, seed=FORGOTTEN_DAYS_AGO))
    with unit_of_work():
        _add_forgotten_event(row, today)


def _add_forgotten_event(row: dict, today: date) -> None:
    days_back = timedelta(days=(row["starts_at"].date() - today).days + FORGOTTEN_DAYS_AGO)
    event = Event(**one_timeslot({**row, "capacity": None}))
    [slot] = event.timeslots
    slot.starts_at, slot.ends_at = event.starts_at - days_back, event.ends_at - days_back
    slot.seats_taken = FORGOTTEN_ATTENDEES
    event.keep_span_of_timeslots()
    db.session.add(event)
    db.session.flush()
    db.session.add_all(
        Rsvp(
            event_id=event.id,
            timeslot_id=slot.id,
            name=f"Demo Attendee {number}",
            email=f"attendee{number}@example.org",
            zip_code=event.zip_code,
            status=RsvpStatus.GOING,
            token_hash=hash_token(new_token()),
        )
        for number in range(FORGOTTEN_ATTENDEES)
    )
    db.session.flush()
    forgotten_at = event.ends_at + timedelta(days=30)
    erase_attendee_list(event.id, forgotten_at)
    erase_hosts([event.id], forgotten_at)


# An event happening now shows check-in at the door: some people arrived, one walked in.
CHECK_IN_ATTENDEES = 30
CHECK_IN_ARRIVED = 12


def load_check_in_event(today: date, now: datetime) -> str:
    """Add one campaign event that started an hour ago, with RSVPs, some checked in, and a
    walk-in; returns its host's private token, for the check-in list."""
    campaign = db.session.scalar(select(Campaign).order_by(Campaign.id))
    row = next(demo_events(1, today, campaign, seed=CHECK_IN_ATTENDEES))
    token = new_token()
    with unit_of_work():
        event = Event(**one_timeslot({**row, "capacity": None}))
        event.manage_token_hash = hash_token(token)
        [slot] = event.timeslots
        slot.starts_at, slot.ends_at = now - timedelta(hours=1), now + timedelta(hours=2)
        event.keep_span_of_timeslots()
        db.session.add(event)
        db.session.flush()
        rsvps = [demo_rsvp(event, number) for number in range(CHECK_IN_ATTENDEES)]
        for minutes_ago, rsvp in enumerate(rsvps[:CHECK_IN_ARRIVED]):
            rsvp.checked_in_at = now - timedelta(minutes=70 - 5 * minutes_ago)
        walk_in = demo_rsvp(event, CHECK_IN_ATTENDEES, walk_in=True)
        walk_in.checked_in_at = now - timedelta(minutes=5)
        db.session.add_all([*rsvps, walk_in])
        slot.seats_taken = sum(rsvp.seats for rsvp in rsvps)
    return token


def demo_rsvp(event: Event, number: int, walk_in: bool = False) -> Rsvp:
    first = FIRST_NAMES[number % len(FIRST_NAMES)]
    last = LAST_NAMES[(number // len(FIRST_NAMES) + number) % len(LAST_NAMES)]
    # Every tenth RSVPed by phone alone (a fictional 555-01xx number), agreeing to texts.
    phone = f"+1212555{100 + number % 100:04d}" if number % 10 == 3 and not walk_in else ""
    email = f"{first}.{last}{number}@example.org".lower()
    return Rsvp(
        event_id=event.id,
        timeslot_id=event.timeslots[0].id,
        name=f"{first} {last}",
        # A walk-in who gave no email, as at the door.
        email=no_email_of_walk_in() if walk_in else (no_email_of_phone(phone) if phone else email),
        phone=phone,
        sms_consent_at=event.created_at if phone else None,
        sms_consent_wording=CURRENT_CONSENT_WORDING if phone else None,
        zip_code="" if walk_in else event.zip_code,
        guests=0 if walk_in or number % 4 else 1,
        status=RsvpStatus.GOING,
        token_hash=hash_token(new_token()),
        walk_in=walk_in,
    )
