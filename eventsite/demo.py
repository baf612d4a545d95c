"""Realistic demo events: one national day of action plus scattered local events."""

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .extensions import db
from .geo import ZipPlace, all_zip_places, lookup_zip
from .models import Campaign, Event, EventKind, EventStatus, GeocodeStatus

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


def _nearby_place(rng: random.Random, centre: ZipPlace, places: list[ZipPlace]) -> ZipPlace:
    """A zip close to a city centre (most events) or the centre itself."""
    if rng.random() < 0.5:
        return centre
    close = [
        p
        for p in places
        if abs(p.latitude - centre.latitude) < 0.4 and abs(p.longitude - centre.longitude) < 0.5
    ]
    return rng.choice(close) if close else centre


def _event_at(rng: random.Random, place: ZipPlace, day: date, kind: EventKind, **fields) -> Event:
    zone = ZoneInfo(place.timezone)
    starts_local = datetime.combine(day, time(rng.choice(START_HOURS), rng.choice([0, 30])), zone)
    starts_at = starts_local.astimezone(UTC)
    venue, street = rng.choice(VENUES)
    host_first, host_last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return Event(
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
        **fields,
    )


def demo_events(count: int, today: date, seed: int = 14) -> tuple[Campaign, list[Event]]:
    """A day-of-action campaign and `count` events, about half of them in it."""
    rng = random.Random(seed)
    places = all_zip_places()
    city_places = [lookup_zip(z) for z in CITY_ZIPS]
    action_day = today + timedelta(days=21)
    campaign = Campaign(
        slug="families-belong-together",
        name="Families Belong Together — Day of Action",
        description="Nationwide actions to keep families together. Find one near you or host one.",
        action_date=action_day,
    )
    events = []
    for index in range(count):
        in_campaign = index % 2 == 0
        # Four in five events near big cities, the rest anywhere in the country.
        if rng.random() < 0.8:
            place = _nearby_place(rng, rng.choice(city_places), places)
        else:
            place = rng.choice(places)
        if in_campaign:
            kind = rng.choice(
                [EventKind.RALLY, EventKind.MARCH, EventKind.VIGIL, EventKind.PROTEST]
            )
            event = _event_at(rng, place, action_day, kind, campaign=campaign)
        else:
            kind = rng.choice(list(EventKind))
            event = _event_at(rng, place, today + timedelta(days=rng.randint(1, 60)), kind)
        events.append(event)
    return campaign, events


def load_demo_data(count: int, today: date) -> int:
    campaign, events = demo_events(count, today)
    db.session.add(campaign)
    db.session.add_all(events)
    db.session.commit()
    return len(events)
