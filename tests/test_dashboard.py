"""The campaign dashboard: figures equal to the exports', charts drawn as SVG on the server
with the right bars, each with a title, a description and the same figures in a table."""

import base64
import csv
import io
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from helpers import rsvp
from sqlalchemy import update
from test_organizers import log_in, make_organizer
from test_webhooks import SLUG, campaign_id  # noqa: F401 (fixture)

from eventsite.extensions import db
from eventsite.models import EventKind, EventStatus, Rsvp, utcnow

SVG = "{http://www.w3.org/2000/svg}"
DASHBOARD = f"/organizers/campaigns/{SLUG}/dashboard"


class Tables(HTMLParser):
    """Each table's rows by its id, cells as text; and each image's src and alt."""

    def __init__(self, html: str):
        super().__init__()
        self.tables, self.images, self.captions = {}, [], {}
        self._table = self._row = self._cell = None
        self._in_caption = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = attrs.get("id")
            self.tables[self._table] = []
        elif tag == "caption":
            self._in_caption = True
            self.captions[self._table] = ""
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""
        elif tag == "img":
            self.images.append(attrs)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "caption":
            self._in_caption = False
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        elif self._in_caption:
            self.captions[self._table] += data

    def figures(self, table_id: str) -> dict[str, list[int]]:
        """A chart's table as {label: [value per series]}, without its header row."""
        rows = self.tables[table_id][1:]
        return {row[0]: [int(v) for v in row[1:]] for row in rows if len(row) > 1}


@pytest.fixture
def day_of_action(app, make_event, campaign_id):  # noqa: F811
    """A campaign's events in two states and kinds, RSVPs from sources and referrals."""
    ny = make_event(campaign_id=campaign_id, title="NYC Rally")
    la = make_event(
        campaign_id=campaign_id,
        title="LA Vigil",
        state="CA",
        city="Los Angeles",
        zip_code="90012",
        latitude=34.05,
        longitude=-118.24,
        kind=EventKind.VIGIL,
    )
    make_event(campaign_id=campaign_id, title="Waiting", status=EventStatus.PENDING)
    make_event(title="Outside the campaign")
    visitor = app.test_client()
    rsvp(visitor, ny, name="Rosa Parks", email="rosa@example.org", utm_source="newsletter")
    with app.app_context():
        code = db.session.get(Rsvp, 1).referral_code
    for n in range(3):
        rsvp(visitor, ny, name=f"Friend {n}", email=f"f{n}@example.org", ref=code)
    rsvp(visitor, la, name="Lee", email="lee@example.org", utm_source="newsletter")
    rsvp(visitor, la, name="Kim", email="kim@example.org", utm_source="facebook", ref=code)
    with app.app_context():
        db.session.execute(update(Rsvp).where(Rsvp.id.in_([1, 5])).values(checked_in_at=utcnow()))
        db.session.commit()
    return code


def exported(client, name: str) -> list[dict]:
    response = client.get(f"/organizers/campaigns/{SLUG}/{name}.csv")
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.fixture
def organizer(app, runner, campaign_id):  # noqa: F811
    make_organizer(runner, campaigns=(SLUG,))
    client = app.test_client()
    log_in(client)
    return client


def test_dashboard_figures_equal_the_exports(organizer, day_of_action):
    page = Tables(organizer.get(DASHBOARD).get_data(as_text=True))
    events = {row["event_id"]: row for row in exported(organizer, "events")}
    rsvps = exported(organizer, "rsvps")
    names = {row["referral_code"]: row["name"] for row in rsvps}

    def single(table_id):
        return {label: values[0] for label, values in page.figures(table_id).items()}

    states = Counter(events[row["event_id"]]["state"] for row in rsvps)
    kinds = Counter(events[row["event_id"]]["kind"].replace("_", " ").capitalize() for row in rsvps)
    titles = Counter(events[row["event_id"]]["title"] for row in rsvps)
    titles.update({events[e]["title"]: 0 for e in events})  # events nobody has RSVPed to
    assert titles == {row["title"]: int(row["rsvps"]) for row in events.values()}
    sources = Counter(row["utm_source"] or "(none)" for row in rsvps)
    referrers = Counter(names[row["ref"]] for row in rsvps if row["ref"])
    assert single("table-per-state") == dict(states) == {"NY": 4, "CA": 2}
    assert single("table-per-kind") == dict(kinds)
    assert single("table-top-events") == dict(titles)
    assert single("table-top-sources") == dict(sources)
    assert single("table-top-referrers") == dict(referrers) == {"Rosa Parks": 4}

    per_hour = page.figures("table-per-hour")
    assert len(per_hour) == 48
    assert sum(values[0] for values in per_hour.values()) == len(rsvps)
    assert sum(values[1] for values in per_hour.values()) == sum(
        1 for row in rsvps if row["checked_in_at"]
    )
    hours = Counter(row["rsvped_at"][:13] for row in rsvps)
    assert sorted(v[0] for v in per_hour.values() if v[0]) == sorted(hours.values())
    waiting = page.tables  # the pending event shows among what waits
    assert waiting is not None
    html = organizer.get(DASHBOARD).get_data(as_text=True)
    assert 'id="pending-events"><a' in html


def _svg(image: dict) -> ET.Element:
    data = image["src"].removeprefix("data:image/svg+xml;base64,")
    return ET.fromstring(base64.b64decode(data))  # noqa: S314 (our own page)


def _bars(svg: ET.Element) -> list[list[tuple[str, int, float]]]:
    """Each series' bars as (label, value, length drawn: its width when they lie down)."""
    graph = next(g for g in svg.iter(f"{SVG}g") if "graph" in (g.get("class") or ""))
    size = "width" if "horizontal" in graph.get("class") else "height"
    found = []
    for series in svg.iter(f"{SVG}g"):
        if "series" not in (series.get("class") or "") or series.find(f"{SVG}g") is None:
            continue
        bars = []
        for bar in series.iter(f"{SVG}g"):
            if bar.get("class") != "bar":
                continue
            descs = {d.get("class"): d.text for d in bar.iter(f"{SVG}desc")}
            rect = bar.find(f"{SVG}rect")
            length = float(rect.get(size)) if rect is not None else 0.0
            bars.append((descs["x_label"], int(descs["value"]), length))
        if bars:
            found.append(bars)
    return found


def test_charts_are_svg_with_the_right_bars_and_a_table(organizer, day_of_action):
    html = organizer.get(DASHBOARD).get_data(as_text=True)
    page = Tables(html)
    charts = [image for image in page.images if image["src"].startswith("data:image/svg+xml")]
    assert len(charts) == 6

    by_title = {}
    for image in charts:
        svg = _svg(image)
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title is not None and title.text and desc is not None and desc.text
        assert svg.get("role") == "img"
        assert svg.find(f".//{SVG}script") is None
        assert image["alt"].startswith(title.text)
        by_title[title.text] = svg

    per_state = _bars(by_title["RSVPs per state"])
    assert [(label, value) for label, value, _ in per_state[0]] == [("NY", 4), ("CA", 2)]
    ny, ca = per_state[0]
    assert ny[2] > ca[2] > 0  # the longer bar for more RSVPs
    table = page.figures("table-per-state")
    assert table == {"NY": [4], "CA": [2]}
    assert page.captions["table-per-state"].strip() == "RSVPs per state"

    rsvps_bars, check_in_bars = _bars(by_title["RSVPs and check-ins per hour"])
    per_hour = page.figures("table-per-hour")
    assert [value for _l, value, _ in rsvps_bars] == [v[0] for v in per_hour.values()]
    assert [value for _l, value, _ in check_in_bars] == [v[1] for v in per_hour.values()]
    assert sum(value for _l, value, _ in check_in_bars) == 2
    assert all((value > 0) == (length > 0) for _l, value, length in rsvps_bars)

    referrers = _bars(by_title["Top referrers"])[0]
    assert [(label, value) for label, value, _ in referrers] == [("Rosa Parks", 4)]


def test_a_chart_follows_new_figures(organizer, app, day_of_action):
    def per_state():
        html = organizer.get(DASHBOARD).get_data(as_text=True)
        chart = next(i for i in Tables(html).images if i["alt"].startswith("RSVPs per state"))
        return [(label, value) for label, value, _ in _bars(_svg(chart))[0]]

    assert per_state() == [("NY", 4), ("CA", 2)]
    with app.app_context():
        la = db.session.scalar(db.select(Rsvp.event_id).where(Rsvp.email == "lee@example.org"))
    for n in range(3):
        rsvp(app.test_client(), la, name=f"Neighbor {n}", email=f"n{n}@example.org")

    assert per_state() == [("CA", 5), ("NY", 4)]


def test_the_dashboard_runs_no_third_party_script(organizer, day_of_action):
    html = organizer.get(DASHBOARD).get_data(as_text=True)
    assert '<script src="http' not in html and "pygal.org" not in html
    assert 'src="data:image/svg+xml' in html


def test_an_empty_campaign_has_a_dashboard_too(organizer):
    page = Tables(organizer.get(DASHBOARD).get_data(as_text=True))
    assert page.figures("table-per-state") == {}
    assert len(page.figures("table-per-hour")) == 48


def test_a_past_day_of_action_shows_its_own_hours(organizer, app, day_of_action):
    from eventsite.models import Campaign

    with app.app_context():
        campaign = db.session.scalar(db.select(Campaign))
        campaign.action_date = (utcnow() - timedelta(days=10)).date()
        db.session.commit()
    per_hour = Tables(organizer.get(DASHBOARD).get_data(as_text=True)).figures("table-per-hour")
    assert len(per_hour) == 48 and sum(v[0] for v in per_hour.values()) == 0


def test_demo_data_shows_a_dashboard_with_referrals_and_a_webhook(app, runner):
    result = runner.invoke(args=["demo-data", "--count", "100", "--referrals"])
    assert result.exit_code == 0, result.output
    assert "/organizers/campaigns/families-belong-together/dashboard" in result.output
    make_organizer(runner, campaigns=("families-belong-together",))
    client = app.test_client()
    log_in(client)
    html = client.get("/organizers/campaigns/families-belong-together/dashboard").get_data(
        as_text=True
    )
    page = Tables(html)
    referrers = page.figures("table-top-referrers")
    assert set(referrers) == {"Ana Garcia", "Marcus Johnson", "Priya Nguyen"}
    assert sum(values[0] for values in page.figures("table-per-hour").values()) == 400
    assert "crm.example.org" in html and "HTTP 503" in html and "HTTP 200" in html
