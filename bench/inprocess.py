"""CPU of the app per request, in-process, as multiples of /ping.

The Flask test client drives the app in this thread, so time.thread_time() around a
request is the CPU the app (and SQLite, or psycopg's side of PostgreSQL) spent on it, with
none of gunicorn's or wrk's. Misses are forced by never asking for the same zip or event
twice; "seen" pages repeat one request. GETs come from visitors without a cookie, as from
a shared link; the RSVPs from one session, with the token of the form it was shown.
"""

import gc
import itertools
import statistics
import time
from dataclasses import asdict, dataclass

from eventsite.extensions import db

from .data import app_for
from .load import csrf_token_in

# Issue 14's targets: CPU per request at most this many times /ping's.
TARGETS = {
    "home": 3,
    "search-miss": 5,
    "search-filtered-miss": 5,
    "event-first": 4,
    "event-seen": 2,
    "rsvp": 6,
}
LABELS = {
    "ping": "/ping",
    "home": "home page",
    "search-miss": "zip search, page-cache miss",
    "search-filtered-miss": "zip search with filters, page-cache miss",
    "event-first": "event page, first view",
    "event-seen": "event page, seen before",
    "rsvp": "RSVP POST (valid CSRF, new email)",
}
# /ping is cheap and noisy: it gets this many times the others' requests.
PING_REPEAT = 5
# Each kind's requests are measured in this many slices, taking turns with the others.
ROUNDS = 5
# The header the app marks a page from its cache with (Flask-Caching's name).
HIT_HEADER = "hit_cache"
# The filtered search: a kind, only events with spots left, in the next 7 days.
FILTERS = "kind=rally&spots=y&when=week"
# Requests before measuring, so template compiling and first connections are not counted.
WARMUP = 3


@dataclass
class Row:
    request: str
    ms: float
    ratio: float
    target: float | None
    cache_hits: float  # share of the responses the app said came from its page cache


def _cpu_ms(send, items) -> tuple[float, float]:
    """Average CPU milliseconds of send(item) over the items, in this thread, and the
    share of responses served from the page cache."""
    gc.collect()
    hits = 0
    started = time.thread_time()
    for item in items:
        hits += HIT_HEADER in send(item).headers
    return (time.thread_time() - started) * 1000 / len(items), hits / len(items)


def _getter(client, expected: int = 200):
    def get(path: str):
        response = client.get(path)
        if response.status_code != expected:
            raise RuntimeError(f"GET {path}: {response.status_code}, expected {expected}")
        return response

    return get


def _rsvp_poster(client, token: str):
    emails = (f"inprocess-{n}@example.org" for n in itertools.count())

    def post(event_id: int):
        form = {"name": "Bench Person", "email": next(emails), "phone": "", "zip_code": "10001"}
        form |= {"guests": "0", "csrf_token": token}
        response = client.post(f"/events/{event_id}/rsvp", data=form)
        if response.status_code != 303:
            raise RuntimeError(f"RSVP to {event_id}: {response.status_code}, expected 303")
        return response

    return post


def _get_paths(event_ids: list[int], zips: list[str], requests: int) -> dict:
    """Per kind of GET: (warm-up paths, measured paths); no miss path asked twice."""
    need = requests + WARMUP
    zips = list(dict.fromkeys(zips))
    if len(zips) < 2 * need or len(event_ids) < need + 1:
        raise ValueError(f"{requests} requests need {need + 1} events and {2 * need} zips")
    searches = [f"/events?zip={z}" for z in zips[:need]]
    # Filters a visitor would pick together, on zips not searched plainly (all misses).
    filtered = [f"/events?zip={z}&{FILTERS}" for z in zips[need : 2 * need]]
    events = [f"/events/{i}" for i in event_ids[:need]]
    seen = f"/events/{event_ids[need]}"
    return {
        "ping": (["/ping"] * WARMUP, ["/ping"] * requests * PING_REPEAT),
        "home": (["/"] * WARMUP, ["/"] * requests),
        "search-miss": (searches[:WARMUP], searches[WARMUP:]),
        "search-filtered-miss": (filtered[:WARMUP], filtered[WARMUP:]),
        "event-first": (events[:WARMUP], events[WARMUP:]),
        "event-seen": ([seen] * WARMUP, [seen] * requests),
    }


def _kinds(app, event_ids: list[int], zips: list[str], requests: int) -> dict:
    """Per kind of request: (send, warm-up items, measured items)."""
    visitor = _getter(app.test_client(use_cookies=False))
    kinds = {
        name: (visitor, warmup, paths)
        for name, (warmup, paths) in _get_paths(event_ids, zips, requests).items()
    }
    session = app.test_client()
    page = _getter(session)(f"/events/{event_ids[0]}").get_data(as_text=True)
    # Different events in turn (never the event seen again), so none fills up.
    targets = event_ids[: requests + WARMUP]
    kinds["rsvp"] = (_rsvp_poster(session, csrf_token_in(page)), targets[:WARMUP], targets[WARMUP:])
    return kinds


def measure(url: str, event_ids: list[int], zips: list[str], requests: int) -> dict:
    """CPU ms per request of each kind, and its ratio to /ping's, on the database at url."""
    # Rate limits off as under load (one client); this process's own page cache. No app
    # context around the requests: each request gets its own, as when served.
    app = app_for(url, RATELIMIT_ENABLED=False, CACHE_URL="")
    kinds = _kinds(app, event_ids, zips, requests)
    for send, warmup, _ in kinds.values():
        _cpu_ms(send, warmup)
    # Kinds take turns, a slice each per round, so a slow moment of a shared machine
    # touches them all alike; each kind's figure is the median of its rounds.
    rounds = {name: [] for name in kinds}
    for turn in range(ROUNDS):
        for name, (send, _, items) in kinds.items():
            rounds[name].append(_cpu_ms(send, items[turn::ROUNDS]))
    with app.app_context():
        db.engine.dispose()
    ping_ms = statistics.median(ms for ms, _ in rounds["ping"])
    rows = []
    for name, figures in rounds.items():
        ms = statistics.median(ms for ms, _ in figures)
        hits = statistics.fmean(share for _, share in figures)
        rows.append(Row(name, ms, ms / ping_ms, TARGETS.get(name), hits))
    return {"requests": requests, "rounds": ROUNDS, "rows": [asdict(row) for row in rows]}


def table(runs: list[dict]) -> list[str]:
    """Markdown lines of the in-process table for the runs that measured it."""
    lines = [
        "| N | backend | request | CPU ms | vs /ping | target | cache hits |",
        "| ---: | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        for row in run.get("inprocess", {}).get("rows", []):
            target = f"≤ {row['target']}x" if row["target"] else "–"
            lines.append(
                f"| {run['events']:,} | {run['backend']} | {LABELS[row['request']]} "
                f"| {row['ms']:.2f} | {row['ratio']:.1f}x | {target} | {row['cache_hits']:.0%} |"
            )
    return lines
