"""The benchmark: python -m bench --help

For each size and backend: build a database of N realistic events, serve the real app
under gunicorn with the production config, drive load at it with wrk from a separate
process, time the naive nearest-event search in-process, then print a table and write
bench/results/latest.json. Last, time send-reminders queuing day-before reminders
(bench/reminders.py).
"""

import argparse
import json
import os
import platform
import random
import signal
import tempfile
import time
from datetime import UTC, datetime

from geopy.distance import great_circle
from sqlalchemy import func, select

from eventsite.extensions import db
from eventsite.geo import all_zip_places
from eventsite.models import Event, EventStatus, Rsvp, utcnow
from eventsite.nearby import search_page

from . import data, inprocess, load, mix, organizers, reminders

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
# search: zip searches, served from the page cache once a worker has seen the zip;
# search-location: "use my location" searches, each a new place, so never cached.
# /ping runs first and again last ("ping-end"): ratios are taken against the faster of
# the two, so a slow moment of the machine cannot flatter the other figures.
# mix: a day of action's requests in their proportions (see mix.py).
ENDPOINTS = ("ping", "search", "search-location", "event", "rsvp", "mix", "ping-end")


SERVER_WARMUP_SECONDS = 5


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="event counts, comma-separated")
    parser.add_argument("--backends", default="sqlite,postgresql", help="sqlite, postgresql")
    parser.add_argument("--duration", type=float, default=10, help="seconds of load per endpoint")
    parser.add_argument("--connections", type=int, default=16, help="wrk's open connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: CPU count)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--postgresql-url",
        default="postgresql://postgres@127.0.0.1:5432/bench",
        help="a database only the benchmark uses: it is dropped and created again",
    )
    parser.add_argument(
        "--workdir",
        default=os.path.join(tempfile.gettempdir(), "eventsite-bench"),
        help="SQLite files and logs",
    )
    parser.add_argument(
        "--naive-searches", type=int, default=3, help="naive searches timed per size (0: skip)"
    )
    parser.add_argument(
        "--max-sqlite-events",
        type=int,
        default=100_000,
        help="skip SQLite for bigger sizes (one file, one writer: not the 1M-event setup)",
    )
    parser.add_argument(
        "--inprocess-requests",
        type=int,
        default=200,
        help="requests of each kind in the in-process CPU table (0: skip it)",
    )
    parser.add_argument(
        "--only",
        choices=("load", "inprocess", "organizers", "reminders"),
        help="only the wrk load (and searches timed), the in-process CPU table, the "
        "organizers' dashboard and webhooks, or send-reminders",
    )
    parser.add_argument(
        "--campaign-rsvps",
        type=int,
        help="RSVPs in the dashboard's campaign (default: 10 per event, at most 1,000,000)",
    )
    parser.add_argument(
        "--webhook-deliveries",
        type=int,
        default=600,
        help="webhook deliveries queued and sent for the fan-out rate (0: skip)",
    )
    parser.add_argument(
        "--reminder-rsvps",
        type=int,
        default=100_000,
        help="going RSVPs whose day-before reminders send-reminders queues, timed (at most "
        f"{reminders.MAX_RSVPS_PER_DATABASE_EVENT} per event in the database; 0: skip)",
    )
    parser.add_argument("--output", default=os.path.join(RESULTS, "latest.json"))
    return parser.parse_args(argv)


def sample_event_ids(url: str, count: int, rng: random.Random) -> list[int]:
    app = data.app_for(url)
    with app.app_context():
        ids = db.session.scalars(
            select(Event.id).where(Event.status == EventStatus.PUBLISHED, Event.ends_at > utcnow())
        ).all()
        db.engine.dispose()
    return rng.sample(ids, min(count, len(ids)))


def naive_nearest(latitude: float, longitude: float, limit: int = 20) -> list[Event]:
    """What a first version would do: load every upcoming event, sort by geopy distance."""
    events = db.session.scalars(
        select(Event).where(Event.status == EventStatus.PUBLISHED, Event.ends_at > utcnow())
    ).all()
    here = (latitude, longitude)
    events.sort(key=lambda e: great_circle(here, (e.latitude, e.longitude)).miles)
    return events[:limit]


def time_searches(url: str, places, naive_count: int) -> dict:
    """Milliseconds per search in-process: the naive way and the indexed search_page."""
    app = data.app_for(url)
    timings = {}
    with app.test_request_context():
        started = time.perf_counter()
        for place in places:
            search_page(place.latitude, place.longitude, radius_miles=25, page=1, page_size=20)
        timings["indexed_ms"] = (time.perf_counter() - started) * 1000 / len(places)
        if naive_count:
            started = time.perf_counter()
            for place in places[:naive_count]:
                naive_nearest(place.latitude, place.longitude)
                db.session.expunge_all()
            timings["naive_ms"] = (time.perf_counter() - started) * 1000 / naive_count
        db.session.remove()
        db.engine.dispose()
    return timings


def rsvps_recorded(url: str) -> int:
    app = data.app_for(url)
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Rsvp))
        db.engine.dispose()
    return count


def wrk_scripts(base_url: str, event_ids: list[int], rng: random.Random) -> dict:
    """Each endpoint's wrk script."""
    places = all_zip_places()
    zips = [rng.choice(places).zip_code for _ in range(2000)]
    # Positions a little off real zip centres (up to ~3 miles): every one a new search.
    positions = [
        (place.latitude + rng.uniform(-0.04, 0.04), place.longitude + rng.uniform(-0.04, 0.04))
        for place in (rng.choice(places) for _ in range(20000))
    ]
    sessions = load.csrf_sessions(base_url, event_ids, 200)
    return {
        "ping": load.get_script(["/ping"]),
        "ping-end": load.get_script(["/ping"]),
        "search": load.get_script([f"/events?zip={z}" for z in zips], count_cache_hits=True),
        "search-location": load.get_script(
            [f"/events?lat={lat:.5f}&lng={lng:.5f}" for lat, lng in positions],
            count_cache_hits=True,
        ),
        "event": load.get_script([f"/events/{i}" for i in event_ids]),
        "rsvp": load.rsvp_script(event_ids, sessions),
        "mix": load.mix_script(mix.day_of_action_paths(event_ids, rng), sessions, mix.RSVP_SUFFIX),
    }


def run_load(url: str, event_ids: list[int], options, rng: random.Random) -> list[dict]:
    """wrk at gunicorn serving the database at url: a result per endpoint."""
    load_kwargs = {
        "duration": options.duration,
        "connections": options.connections,
        "threads": options.threads,
    }
    results = []
    with load.Server(url, options.port, options.workdir, options.workers) as server:
        scripts = wrk_scripts(server.base_url, event_ids, rng)
        # Warm the database's buffers and the result-row cache the way hours of traffic
        # would, with searches whose pages are never cached: the zip searches measured
        # next then start from a warm server but an empty page cache.
        load.run_wrk(
            server.base_url,
            "search-warmup-server",
            scripts["search-location"],
            options.workdir,
            **{**load_kwargs, "duration": SERVER_WARMUP_SECONDS},
        )
        for endpoint in ENDPOINTS:
            # A short warm-up fills caches and connection pools before measuring.
            load.run_wrk(
                server.base_url,
                endpoint + "-warmup",
                scripts[endpoint],
                options.workdir,
                **{**load_kwargs, "duration": 1},
            )
            result = load.run_wrk(
                server.base_url, endpoint, scripts[endpoint], options.workdir, **load_kwargs
            )
            print(f"  {endpoint:15} {result.requests_per_second:8.0f} req/s", flush=True)
            results.append(load.as_dict(result))
    return results


def run_inprocess(url: str, event_ids: list[int], options, rng: random.Random) -> dict:
    """The in-process CPU table's figures, on zips where people live."""
    # Each first view needs an event of its own (and one more is seen again).
    requests = min(options.inprocess_requests, len(event_ids) - inprocess.WARMUP - 1)
    picker = data.PlacePicker(rng)
    zips = [picker.pick_resident_zip() for _ in range(4 * requests + 100)]
    print(f"  in-process CPU per request, {requests} of each ...", flush=True)
    return inprocess.measure(url, event_ids, zips, requests)


def bench_one(size: int, backend: str, options, rng: random.Random) -> dict:
    print(f"\n== {size:,} events on {backend} ==", flush=True)
    url = data.build_database(backend, size, options.workdir, options.postgresql_url)
    event_ids = sample_event_ids(url, 2000, rng)
    run = {"events": size, "backend": backend}
    if options.only in (None, "load"):
        run["endpoints"] = run_load(url, event_ids, options, rng)
        run["rsvps_recorded"] = rsvps_recorded(url)
        timed_places = [rng.choice(all_zip_places()) for _ in range(200)]
        run |= time_searches(url, timed_places, options.naive_searches)
    if options.only in (None, "inprocess") and options.inprocess_requests:
        run["inprocess"] = run_inprocess(url, event_ids, options, rng)
    if options.only in (None, "organizers"):
        rsvps = options.campaign_rsvps or min(1_000_000, 10 * size)
        run["organizers"] = organizers.measure(url, backend, rsvps, options.webhook_deliveries)
    # Last: it adds RSVPs and outbox rows the other measurements should not see.
    if options.only in (None, "reminders") and options.reminder_rsvps:
        run["reminders"] = reminders.measure(url, reminders.rsvps_for(size, options.reminder_rsvps))
    return run


def _ceiling(run: dict) -> dict:
    """The faster of the run's two /ping measurements."""
    pings = [r for r in run["endpoints"] if r["endpoint"].startswith("ping")]
    return max(pings, key=lambda r: r["requests_per_second"])


def _hit_share(result: dict) -> str:
    hits = result.get("cache_hits")
    return "–" if hits is None else f"{hits / max(1, result['requests']):.0%}"


def _load_lines(runs: list[dict]) -> list[str]:
    lines = [
        "| N | backend | endpoint | req/s | p50 ms | p99 ms | req/s vs ping | errors "
        "| cache hits |",
        "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        ping = _ceiling(run)
        for r in run["endpoints"]:
            ratio = r["requests_per_second"] / ping["requests_per_second"]
            lines.append(
                f"| {run['events']:,} | {run['backend']} | {r['endpoint']} "
                f"| {r['requests_per_second']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} "
                f"| {ratio:.0%} | {r['errors']} | {_hit_share(r)} |"
            )
    return lines


def _search_lines(runs: list[dict]) -> list[str]:
    lines = [
        "| N | backend | naive search ms | indexed search ms | naive / indexed |",
        "| ---: | --- | ---: | ---: | ---: |",
    ]
    for run in runs:
        naive = run.get("naive_ms")
        lines.append(
            f"| {run['events']:,} | {run['backend']} "
            f"| {naive:.0f} | {run['indexed_ms']:.2f} | {naive / run['indexed_ms']:.0f}x |"
            if naive
            else f"| {run['events']:,} | {run['backend']} | – | {run['indexed_ms']:.2f} | – |"
        )
    return lines


def print_table(runs: list[dict]) -> str:
    """Print the tables of what the runs measured; returns them as Markdown."""
    loaded = [run for run in runs if "endpoints" in run]
    measured = [run for run in runs if "inprocess" in run]
    tables = []
    if loaded:
        tables += [_load_lines(loaded), _search_lines(loaded)]
    if measured:
        tables.append(inprocess.table(measured))
    dashboards = [run for run in runs if "organizers" in run]
    if dashboards:
        tables.append(organizers.table(dashboards))
    reminded = [run for run in runs if "reminders" in run]
    if reminded:
        tables.append(reminders.table(reminded))
    table = "\n\n".join("\n".join(lines) for lines in tables)
    print("\n" + table)
    return table


def main(argv=None) -> None:
    options = parse_arguments(argv)
    # Stopped with SIGTERM, unwind like Ctrl-C so gunicorn is stopped too.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    os.makedirs(options.workdir, exist_ok=True)
    rng = random.Random(2025)
    runs = []
    for size in [int(s) for s in options.sizes.split(",")]:
        for backend in [b.strip() for b in options.backends.split(",")]:
            if backend == "sqlite" and size > options.max_sqlite_events:
                continue
            runs.append(bench_one(size, backend, options, rng))
    table = print_table(runs)
    os.makedirs(os.path.dirname(os.path.abspath(options.output)), exist_ok=True)
    with open(options.output, "w") as file:
        json.dump(
            {
                "finished_at": datetime.now(UTC).isoformat(),
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "options": vars(options),
                "runs": runs,
                "table": table,
            },
            file,
            indent=2,
        )
    print(f"\nwrote {options.output}")
    failed = [
        f"{run['events']} {run['backend']} {r['endpoint']}: {r['errors']} errors"
        for run in runs
        for r in run.get("endpoints", [])
        if r["errors"]
    ]
    if failed:
        raise SystemExit("requests failed: " + "; ".join(failed))


if __name__ == "__main__":
    main()
