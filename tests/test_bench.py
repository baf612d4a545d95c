"""The benchmark's own parts: the day-of-action mix and the in-process CPU table.

The whole benchmark (gunicorn and wrk) runs in .ci/run's smoke; these stay quick.
"""

import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def bench(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO))
    import bench.data
    import bench.mix

    return bench


def test_day_of_action_mix_has_its_proportions(bench):
    event_ids = list(range(1, 2001))
    paths = bench.mix.day_of_action_paths(event_ids, random.Random(1), size=10_000)
    searches = [p for p in paths if p.startswith("/events?zip=")]
    rsvps = [p for p in paths if p.endswith(bench.mix.RSVP_SUFFIX)]
    views = [p for p in paths if p not in searches and p not in rsvps]
    assert (len(searches), len(rsvps), len(views)) == (4500, 500, 5000)
    # A few shared events take most views: the ten most viewed take over a third.
    top_ten = sum(count for _, count in Counter(views).most_common(10))
    assert top_ten > len(views) / 3


def test_day_of_action_searches_come_from_where_people_live(bench):
    picker = bench.data.PlacePicker(random.Random(2))
    metro_zips = {place.zip_code for place in picker.metro_places}
    paths = bench.mix.day_of_action_paths([1, 2, 3], random.Random(3), size=10_000)
    zips = [p.removeprefix("/events?zip=") for p in paths if p.startswith("/events?zip=")]
    # Big cities' metros hold under a fifth of zip codes but most people searching.
    assert len(metro_zips) < len(picker.places) / 5
    assert sum(z in metro_zips for z in zips) > 0.6 * len(zips)


@pytest.mark.slow  # builds a database and starts the app in a new process
def test_in_process_table_measures_every_request(tmp_path):
    output = tmp_path / "results.json"
    command = [sys.executable, "-m", "bench", "--sizes", "300", "--backends", "sqlite"]
    command += ["--only", "inprocess", "--inprocess-requests", "10"]
    command += ["--workdir", str(tmp_path), "--output", str(output)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTSITE_")}
    finished = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert "| event page, first view |" in finished.stdout
    (run,) = json.loads(output.read_text())["runs"]
    rows = {row["request"]: row for row in run["inprocess"]["rows"]}
    assert list(rows) == [
        "ping",
        "home",
        "search-miss",
        "search-filtered-miss",
        "event-first",
        "event-seen",
        "rsvp",
    ]
    assert rows["ping"]["ratio"] == 1
    assert all(row["ms"] > 0 for row in rows.values())
    assert rows["search-miss"]["cache_hits"] == rows["search-filtered-miss"]["cache_hits"] == 0
    assert "endpoints" not in run


@pytest.mark.slow  # builds a database and runs send-reminders in a new process
def test_reminders_table_times_send_reminders(tmp_path):
    output = tmp_path / "results.json"
    command = [sys.executable, "-m", "bench", "--sizes", "300", "--backends", "sqlite"]
    command += ["--only", "reminders", "--reminder-rsvps", "450"]
    command += ["--workdir", str(tmp_path), "--output", str(output)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTSITE_")}
    finished = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert "| 300 | sqlite | 450 | 5 |" in finished.stdout
    (run,) = json.loads(output.read_text())["runs"]
    assert run["reminders"]["rsvps"] == 450 and run["reminders"]["seconds"] > 0
    assert "inprocess" not in run and "endpoints" not in run


def test_a_smoke_run_reminds_at_most_two_rsvps_per_event(bench):
    import bench.reminders

    assert bench.reminders.rsvps_for(1000, 100_000) == 2000
    assert bench.reminders.rsvps_for(100_000, 100_000) == 100_000
