"""Benchmark databases: N realistic events over real zip centroids, loaded in bulk."""

import bisect
import itertools
import os
import random
import sqlite3
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from eventsite import create_app
from eventsite.cli import Progress
from eventsite.config import normalise_database_url
from eventsite.demo import CITY_ZIPS, START_HOURS, TITLES, VENUES
from eventsite.extensions import db
from eventsite.geo import all_zip_places, lookup_zip
from eventsite.models import EventKind

# The columns the loader fills; the rest take their database defaults or stay NULL.
COLUMNS = (
    "title",
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "timezone",
    "venue",
    "street_address",
    "city",
    "state",
    "zip_code",
    "latitude",
    "longitude",
    "geocode_status",
    "geocode_attempts",
    "accessibility_notes",
    "capacity",
    "seats_taken",
    "status",
    "rejection_reason",
    "host_name",
    "host_email",
    "host_phone",
    "created_at",
    "updated_at",
)
# Each loaded event gets one timeslot with its times and seats (as migration 0016 gave
# every event then), and the events' retired seat columns are emptied.
ONE_TIMESLOT_EACH = (
    "INSERT INTO timeslots (event_id, starts_at, ends_at, capacity, seats_taken, created_at, "
    "updated_at) SELECT id, starts_at, ends_at, capacity, seats_taken, created_at, updated_at "
    "FROM events ORDER BY id"
)
RETIRED_SEATS_EMPTIED = "UPDATE events SET capacity = NULL, seats_taken = 0"
# Share of events clustered around big-city downtowns; the rest follow zip density.
CITY_SHARE = 0.6
# Zip density is counted on a grid of cells this many degrees wide.
DENSITY_CELL_DEGREES = 0.5


class PlacePicker:
    """Picks event places: near big-city downtowns, else weighted by zip code density.

    Zip codes are small where people are many, so a zip drawn with a weight equal to the
    number of zips in its grid cell lands in metro areas far more often than in the
    countryside, without population data.
    """

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.places = [p for p in all_zip_places() if p.state not in {"PR", "VI", "GU", "AS"}]
        cell = Counter(self._cell(p) for p in self.places)
        self.cumulative = list(itertools.accumulate(cell[self._cell(p)] for p in self.places))
        self.cities = [lookup_zip(z) for z in CITY_ZIPS]
        # Where the big cities' people live: every zip in a city's cell, big metros' many.
        city_cells = {self._cell(city) for city in self.cities}
        self.metro_places = [p for p in self.places if self._cell(p) in city_cells]

    @staticmethod
    def _cell(place):
        return (
            int(place.latitude // DENSITY_CELL_DEGREES),
            int(place.longitude // DENSITY_CELL_DEGREES),
        )

    def pick(self):
        if self.rng.random() < CITY_SHARE:
            centre = self.rng.choice(self.cities)
            # A few miles to ~25 miles from downtown, denser near the middle.
            spread = self.rng.choice([0.03, 0.1, 0.3])
            return centre, self.rng.gauss(0, spread), self.rng.gauss(0, spread)
        place = self._dense_place()
        return place, self.rng.uniform(-0.02, 0.02), self.rng.uniform(-0.02, 0.02)

    def pick_resident_zip(self) -> str:
        """A zip code someone searches from, weighted as events are placed: any zip of a big
        city's metro (its half-degree cell; a big metro has many), else by zip density."""
        if self.rng.random() < CITY_SHARE:
            return self.rng.choice(self.metro_places).zip_code
        return self._dense_place().zip_code

    def _dense_place(self):
        index = bisect.bisect_left(self.cumulative, self.rng.uniform(0, self.cumulative[-1]))
        return self.places[min(index, len(self.places) - 1)]


def event_rows(count: int, seed: int = 14, today: date | None = None):
    """Yield `count` event rows as tuples in COLUMNS order."""
    rng = random.Random(seed)
    picker = PlacePicker(rng)
    today = today or datetime.now(UTC).date()
    now = datetime.now(UTC)
    kinds = list(EventKind)
    zones = {}
    for n in range(count):
        place, dlat, dlng = picker.pick()
        zone = zones.get(place.timezone) or zones.setdefault(
            place.timezone, ZoneInfo(place.timezone)
        )
        # Most events are ahead, a few already over; most start on the hour or half hour.
        day = today + timedelta(days=rng.randint(-5, 45))
        starts_local = datetime.combine(
            day, clock(rng.choice(START_HOURS), rng.choice([0, 0, 30])), zone
        )
        starts_at = starts_local.astimezone(UTC)
        kind = rng.choice(kinds)
        venue, street = rng.choice(VENUES)
        status = "published" if rng.random() < 0.95 else rng.choice(["cancelled", "pending"])
        yield (
            rng.choice(TITLES[kind]).format(city=place.city),
            kind.value,
            f"Join neighbors in {place.city}. Bring water, a sign and a friend.",
            starts_at,
            starts_at + timedelta(hours=rng.choice([1, 2, 2, 3])),
            place.timezone,
            venue,
            street,
            place.city,
            place.state,
            place.zip_code,
            round(place.latitude + dlat, 6),
            round(place.longitude + dlng, 6),
            "address",
            0,
            "",
            rng.choice([None, None, None, 25, 50, 100, 300]),
            0,
            status,
            "",
            f"Host {n}",
            f"host{n}@example.org",
            "",
            now,
            now,
        )


def _rows_showing_progress(count: int):
    """event_rows(count), with a progress bar while they load when run in a terminal."""
    with Progress(f"  loading {count:,} events") as progress:
        for done, row in enumerate(event_rows(count), 1):
            if done % 10_000 == 0 or done == count:
                progress(done, count)
            yield row


def sqlite_url(workdir: str, count: int) -> str:
    return f"sqlite:///{os.path.join(workdir, f'bench-{count}.sqlite3')}"


def app_for(url: str, **settings):
    """The app on a benchmark database, in this process."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-in-process",
            "PUBLIC_URL": "http://127.0.0.1",
            **settings,
        }
    )


def _migrate(url: str) -> None:
    app = app_for(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _fresh_postgresql(url: str) -> None:
    """Drop and create the bench database (never a database the app uses for real)."""
    engine_url = normalise_database_url(url)
    server, name = engine_url.rsplit("/", 1)
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def _load_sqlite(url: str, count: int) -> None:
    path = url.removeprefix("sqlite:///")
    connection = sqlite3.connect(path)
    placeholders = ", ".join("?" * len(COLUMNS))
    rows = (
        tuple(v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in row)
        for row in _rows_showing_progress(count)
    )
    # The column names are this module's constants, not input.
    insert = f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES ({placeholders})"  # noqa: S608
    with connection:
        connection.executemany(insert, rows)
        connection.execute(ONE_TIMESLOT_EACH)
        connection.execute(RETIRED_SEATS_EMPTIED)
    connection.execute("ANALYZE")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def _load_postgresql(url: str, count: int) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        copy_events = f"COPY events ({', '.join(COLUMNS)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(copy_events) as copy:
            for row in _rows_showing_progress(count):
                copy.write_row(row)
        connection.execute(ONE_TIMESLOT_EACH)
        connection.execute(RETIRED_SEATS_EMPTIED)
        connection.commit()
        connection.autocommit = True
        # Statistics for the planner, and a visibility map for index-only scans.
        connection.execute("VACUUM ANALYZE events")
        connection.execute("VACUUM ANALYZE timeslots")
        # Write the load out now, not in a checkpoint during the measurements.
        connection.execute("CHECKPOINT")


def build_database(backend: str, count: int, workdir: str, postgresql_url: str) -> str:
    """A migrated database holding `count` events; returns its URL."""
    started = time.perf_counter()
    if backend == "sqlite":
        url = sqlite_url(workdir, count)
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        _migrate(url)
        _load_sqlite(url, count)
    else:
        url = normalise_database_url(postgresql_url)
        _fresh_postgresql(url)
        _migrate(url)
        _load_postgresql(url, count)
    print(f"  built {backend} with {count:,} events in {time.perf_counter() - started:.1f}s")
    # Flush the load to disk now: the kernel writing it back during the first
    # measurements slowed them (a 1M-event load held /ping to a third of its rate).
    os.sync()
    return url
