"""The indexed nearest-event search: same answers as a plain scan, and read through the index."""

import random
import re
from datetime import timedelta

import pytest
from helpers import ON_POSTGRESQL
from sqlalchemy import event, insert, text

from eventsite.extensions import db
from eventsite.geo import all_zip_places, distance_miles, lookup_zip
from eventsite.models import Event, EventKind, EventStatus, GeocodeStatus, utcnow
from eventsite.nearby import COUNT_CAP, nearest_events

# Searchers in a big city, a small town, a remote spot and Hawaii.
SEARCH_ZIPS = ["10001", "60614", "59001", "99723", "96813"]


def event_rows(count: int, seed: int, centres=None) -> list[dict]:
    """Events scattered around zip centroids (or given centres), some not listable."""
    chooser = random.Random(seed)
    places = all_zip_places()
    now = utcnow()
    rows = []
    for n in range(count):
        if centres:
            latitude, longitude = chooser.choice(centres)
        else:
            place = chooser.choice(places)
            latitude, longitude = place.latitude, place.longitude
        latitude += chooser.uniform(-0.3, 0.3)
        longitude += chooser.uniform(-0.3, 0.3)
        starts_at = now + timedelta(hours=chooser.randint(-72, 24 * 30))
        rows.append(
            {
                "title": f"Event {n}",
                "kind": chooser.choice(list(EventKind)),
                "description": "",
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=2),
                "timezone": "America/New_York",
                "venue": "",
                "street_address": "",
                "city": "Somewhere",
                "state": "NY",
                "zip_code": "10001",
                "latitude": latitude,
                "longitude": longitude,
                "geocode_status": GeocodeStatus.ZIP_ONLY,
                "geocode_attempts": 0,
                "accessibility_notes": "",
                "seats_taken": 0,
                "status": chooser.choice([EventStatus.PUBLISHED] * 8 + [EventStatus.CANCELLED]),
                "rejection_reason": "",
                "host_name": "Host",
                "host_email": "host@example.org",
                "host_phone": "",
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def add_events(app, rows) -> None:
    with app.app_context():
        db.session.execute(insert(Event), rows)
        db.session.commit()
        if ON_POSTGRESQL:
            db.session.execute(text("ANALYZE events"))
            db.session.commit()


def expected_ids(
    app, zip_code: str, radius_miles: float | None, kind: EventKind | None = None
) -> list[int]:
    """Every listable event within the radius (of a kind), ordered by a plain Python haversine."""
    place = lookup_zip(zip_code)
    now = utcnow()
    listable = [Event.status == EventStatus.PUBLISHED]
    if kind is not None:
        listable.append(Event.kind == kind)
    with app.app_context():
        rows = db.session.execute(
            db.select(Event.id, Event.latitude, Event.longitude, Event.starts_at).where(*listable)
        ).all()
    found = []
    for event_id, latitude, longitude, starts_at in rows:
        miles = distance_miles(place.latitude, place.longitude, latitude, longitude)
        ends_at = starts_at + timedelta(hours=2)
        if ends_at > now and (radius_miles is None or miles <= radius_miles):
            found.append((miles, starts_at, event_id))
    return [event_id for _, _, event_id in sorted(found)]


def listed_ids(response) -> list[int]:
    html = response.get_data(as_text=True)
    return [int(n) for n in re.findall(r'<h2><a href="/events/(\d+)">', html)]


def listed_total(response) -> str:
    return re.search(r"<h1>(\S+) upcoming event", response.get_data(as_text=True)).group(1)


@pytest.mark.parametrize("radius", ["5", "25", "100", "any"])
def test_search_pages_match_a_plain_haversine_over_every_row(app, client, radius):
    add_events(app, event_rows(600, seed=int(radius) if radius.isdigit() else 7))

    for zip_code in SEARCH_ZIPS:
        radius_miles = None if radius == "any" else float(radius)
        expected = expected_ids(app, zip_code, radius_miles)
        if not expected:  # the page then shows the nearest events anywhere
            continue
        first = client.get(f"/events?zip={zip_code}&radius={radius}")
        second = client.get(f"/events?zip={zip_code}&radius={radius}&page=2")
        assert listed_ids(first) == expected[:20], zip_code
        # A page past the last shows the last.
        assert listed_ids(second) == (expected[20:40] or expected[:20]), zip_code
        assert listed_total(first) == str(len(expected)), zip_code


def test_empty_radius_widens_to_the_nearest_anywhere(app, client):
    add_events(app, event_rows(200, seed=3, centres=[(34.05, -118.24)]))

    response = client.get("/events?zip=10001&radius=5")

    assert "No upcoming events within 5 miles" in response.get_data(as_text=True)
    assert listed_ids(response) == expected_ids(app, "10001", None)[:20]


def test_extra_conditions_narrow_the_search(app):
    add_events(app, event_rows(300, seed=11, centres=[(40.75, -73.99)]))
    place = lookup_zip("10001")

    with app.app_context():
        found = nearest_events(
            place.latitude,
            place.longitude,
            radius_miles=50,
            limit=500,
            extra_conditions=[Event.kind == EventKind.VIGIL],
        )
        vigils = db.session.scalars(
            db.select(Event.id).where(
                Event.kind == EventKind.VIGIL,
                Event.status == EventStatus.PUBLISHED,
                Event.ends_at > utcnow(),
            )
        ).all()

    assert found and all(nearby.event.kind == EventKind.VIGIL for nearby in found)
    assert sorted(nearby.event.id for nearby in found) == sorted(vigils)
    distances = [nearby.distance_miles for nearby in found]
    assert distances == sorted(distances)


def test_big_counts_stop_at_the_cap(app, client):
    rows = event_rows(COUNT_CAP + 50, seed=5, centres=[(40.75, -73.99)])
    for row in rows:
        row["status"] = EventStatus.PUBLISHED
        row["starts_at"] = utcnow() + timedelta(days=1)
        row["ends_at"] = row["starts_at"] + timedelta(hours=2)
    add_events(app, rows)

    response = client.get("/events?zip=10001&radius=100")

    assert listed_total(response) == f"{COUNT_CAP}+"
    assert listed_ids(response) == expected_ids(app, "10001", 100)[:20]


def _search_statements(app, client, url, marker="latitude_band"):
    """The SQL statements (with their parameters) containing marker that a search page runs."""
    statements = []
    with app.app_context():
        engine = db.engine

    def capture(conn, cursor, statement, parameters, context, executemany):
        if marker in statement:
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert statements
    return statements


@pytest.mark.parametrize(
    "url",
    [
        "/events?zip=10001&radius=25",
        "/events?zip=59001&radius=any",
        # Filters narrow what the band index reads; they never make the search scan.
        "/events?zip=10001&radius=25&kind=vigil&spots=y&when=week",
        "/events?zip=10001&radius=100&sort=date&kind=rally",
        "/events?zip=60614&radius=25&mode=near-or-online&sort=date&spots=y",
    ],
)
def test_search_reads_events_through_the_band_index(app, client, url):
    # Enough rows for PostgreSQL's planner to prefer an index to a scan, as it would in
    # production; SQLite's planner chooses by the shape of the query alone.
    add_events(app, event_rows(3000, seed=13))

    with app.app_context():
        connection = db.session.connection()
        for statement, parameters in _search_statements(app, client, url):
            if ON_POSTGRESQL:
                plan = connection.exec_driver_sql("EXPLAIN " + statement, parameters).all()
                plan_text = "\n".join(line for (line,) in plan)
                # With statistics the planner may read a rare kind's upcoming events
                # through (status, kind, ends_at) instead: an index either way.
                readers = ["ix_events_latitude_band_longitude", "ix_events_status_kind_ends_at"]
                assert any(reader in plan_text for reader in readers), plan_text
                # A scan may only feed a LIMIT: counting "1000+" anywhere stops early.
                lines = [line for (line,) in plan]
                for above, line in zip(lines, lines[1:], strict=False):
                    assert "Seq Scan" not in line or "Limit" in above, plan_text
            else:
                plan = connection.exec_driver_sql(
                    "EXPLAIN QUERY PLAN " + statement, parameters
                ).all()
                plan_text = "\n".join(row[-1] for row in plan)
                assert "INDEX ix_events_latitude_band_longitude" in plan_text, plan_text
                assert "SCAN events" not in plan_text, plan_text


def _plan(app, statement, parameters) -> str:
    with app.app_context():
        connection = db.session.connection()
        if ON_POSTGRESQL:
            plan = connection.exec_driver_sql("EXPLAIN " + statement, parameters).all()
            return "\n".join(line for (line,) in plan)
        plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
        return "\n".join(row[-1] for row in plan)


def _online_rows(count: int, seed: int) -> list[dict]:
    """Events of which one in fifty is held online, half of those in person too."""
    rows = event_rows(count, seed=seed)
    for n, row in enumerate(rows):
        row["attendance_mode"] = {0: "virtual", 25: "both"}.get(n % 50, "in_person")
    return rows


@pytest.mark.parametrize(
    ("url", "marker", "index"),
    [
        # Online events anywhere, soonest first, filtered or not.
        ("/events?zip=10001&mode=online", "attendance_mode IN", "attendance_mode_status_starts_at"),
        (
            "/events?zip=10001&mode=online&kind=town_hall&when=week&spots=y",
            "attendance_mode IN",
            "attendance_mode_status_starts_at",
        ),
        # Soonest first anywhere: upcoming events in start order.
        (
            "/events?zip=10001&radius=any&sort=date&kind=vigil",
            "ORDER BY events.starts_at",
            "status_",
        ),
    ],
)
def test_online_and_soonest_first_searches_read_through_an_index(app, client, url, marker, index):
    add_events(app, _online_rows(3000, seed=19))

    statements = _search_statements(app, client, url, marker=marker)

    for statement, parameters in statements:
        plan_text = _plan(app, statement, parameters)
        if ON_POSTGRESQL:
            # With statistics the planner may also walk (status, starts_at) when online
            # events are many: an index either way, never a scan of the table.
            assert "ix_events_" in plan_text, plan_text
        else:
            assert f"ix_events_{index}" in plan_text, plan_text
        if ON_POSTGRESQL:
            lines = plan_text.splitlines()
            for above, line in zip(lines, lines[1:], strict=False):
                assert "Seq Scan" not in line or "Limit" in above, plan_text
        else:
            assert "SCAN events" not in plan_text, plan_text


def test_nearest_anywhere_from_far_away_walks_the_earth_index(app, client):
    # Guam: thousands of miles from every event. Circles would read most of the table;
    # PostgreSQL's GiST index on ll_to_earth hands over the nearest events first.
    add_events(app, event_rows(3000, seed=17))
    expected = expected_ids(app, "96910", None)[:20]

    if ON_POSTGRESQL:
        [(statement, parameters)] = _search_statements(
            app, client, "/events?zip=96910", marker="ll_to_earth"
        )
        with app.app_context():
            plan = db.session.connection().exec_driver_sql("EXPLAIN " + statement, parameters)
            plan_text = "\n".join(line for (line,) in plan)
        assert "ix_events_earth_position" in plan_text, plan_text
        assert "Seq Scan" not in plan_text, plan_text
    response = client.get("/events?zip=96910")

    assert "No upcoming events within 25 miles of 96910" in response.get_data(as_text=True)
    assert listed_ids(response) == expected


def test_a_filtered_search_with_nothing_near_reads_the_nearest_matches_through_an_index(
    app, client
):
    # No vigil within 25 miles of this Montana zip: the page lists the nearest vigils
    # anywhere. Finding and counting them reads an index holding every column the filter
    # reads, never the table rows of every upcoming event (SQLite has no nearest-point
    # index to walk).
    add_events(app, event_rows(3000, seed=29))
    url = "/events?zip=59001&radius=25&kind=vigil"
    expected = expected_ids(app, "59001", None, kind=EventKind.VIGIL)

    response = client.get(url)

    assert "No upcoming events within 25 miles of 59001" in response.get_data(as_text=True)
    assert listed_ids(response) == expected[:20]
    plans = [_plan(app, *found) for found in _search_statements(app, client, url, "FROM events")]
    plan_text = "\n".join(plans)
    if ON_POSTGRESQL:
        assert "Seq Scan on events" not in plan_text, plan_text
    else:
        assert "SCAN events" not in plan_text, plan_text
        assert "ix_events_status_kind_ends_at" in plan_text, plan_text
