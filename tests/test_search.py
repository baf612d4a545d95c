"""Searching for events by zip code."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from helpers import ON_POSTGRESQL, rsvp
from markupsafe import escape
from test_api import make_campaign

from eventsite.extensions import db
from eventsite.models import Event, EventStatus, utcnow


def titles(response) -> list[str]:
    return re.findall(
        r'<h2><a href="/events/\d+">([^<]+)</a></h2>', response.get_data(as_text=True)
    )


def test_home_page_has_a_zip_search(client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'action="/events"' in html
    assert 'name="zip"' in html


def test_search_lists_nearest_first_with_distances(client, make_event):
    # Brooklyn, Newark and Philadelphia, added out of order.
    make_event(
        title="Philadelphia rally", latitude=39.9526, longitude=-75.1652, city="Philadelphia"
    )
    make_event(title="Midtown rally", latitude=40.7505, longitude=-73.9934)
    make_event(title="Newark rally", latitude=40.7357, longitude=-74.1724, city="Newark")
    make_event(title="Brooklyn rally", latitude=40.6782, longitude=-73.9442, city="Brooklyn")

    response = client.get("/events?zip=10001&radius=100")

    assert response.status_code == 200
    assert titles(response) == [
        "Midtown rally",
        "Brooklyn rally",
        "Newark rally",
        "Philadelphia rally",
    ]
    distances = re.findall(r'class="distance">([^<]+)<', response.get_data(as_text=True))
    assert distances[0] == "nearby" or float(distances[0].split()[0]) < 1
    assert distances[-1] == "83 mi"  # 10001 to Philadelphia City Hall


def test_radius_limits_results(client, make_event):
    make_event(title="Midtown rally", latitude=40.7505, longitude=-73.9934)
    make_event(title="Philadelphia rally", latitude=39.9526, longitude=-75.1652)

    response = client.get("/events?zip=10001&radius=25")

    assert titles(response) == ["Midtown rally"]
    assert "1 upcoming event near" in response.get_data(as_text=True)


def test_empty_radius_says_so_and_shows_nearest_further_out(client, make_event):
    make_event(title="Boston vigil", latitude=42.3601, longitude=-71.0589, city="Boston")
    make_event(title="Chicago march", latitude=41.8781, longitude=-87.6298, city="Chicago")

    response = client.get("/events?zip=10001&radius=5")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "No upcoming events within 5 miles of 10001" in html
    assert titles(response) == ["Boston vigil", "Chicago march"]


SAN_JUAN_IS_FAR = [
    {"title": "Miami vigil", "latitude": 25.7617, "longitude": -80.1918, "city": "Miami"},
    {"title": "Orlando rally", "latitude": 28.5383, "longitude": -81.3792, "city": "Orlando"},
    {"title": "Atlanta march", "latitude": 33.749, "longitude": -84.388, "city": "Atlanta"},
]


def test_a_search_widened_past_its_radius_says_one_true_thing(client, make_event):
    for fields in SAN_JUAN_IS_FAR:
        make_event(state="FL", **fields)

    response = client.get("/events?zip=00901")

    html = response.get_data(as_text=True)
    heading = re.search(r"<h1>([^<]+)</h1>", html).group(1)
    assert heading == "No upcoming events within 25 miles of 00901"
    assert "upcoming events near" not in html and "further away." not in html
    assert "Here are the nearest of the 3 upcoming events further away:" in html
    assert titles(response) == ["Miami vigil", "Orlando rally", "Atlanta march"]


def test_a_campaign_search_widened_past_its_radius_says_one_true_thing(app, client, make_event):
    campaign_id = make_campaign(app, slug="june-14")
    make_event(title="Nearby rally outside the campaign", latitude=18.4655, longitude=-66.1057)
    make_event(campaign_id=campaign_id, state="FL", **SAN_JUAN_IS_FAR[0])

    html = client.get("/c/june-14?zip=00901").get_data(as_text=True)

    heading = re.search(r"<h2>([^<]+)</h2>", html).group(1)
    assert heading == "No Families Belong Together events within 25 miles of 00901"
    assert not re.search(r"\d+ events? near", html) and "further away." not in html
    assert "The nearest Families Belong Together event is further away:" in html
    assert "Miami vigil" in html and "outside the campaign" not in html


def test_a_search_with_nothing_anywhere_says_so_once(client):
    html = client.get("/events?zip=00901").get_data(as_text=True)

    assert re.search(r"<h1>([^<]+)</h1>", html).group(1) == (
        "No upcoming events within 25 miles of 00901"
    )
    assert "No upcoming events yet. Check back soon." in html
    assert "further away" not in html and "upcoming events near" not in html


def test_anywhere_lists_every_upcoming_event(client, make_event):
    make_event(
        title="Honolulu vigil", latitude=21.3069, longitude=-157.8583, timezone="Pacific/Honolulu"
    )
    make_event(title="Midtown rally", latitude=40.7505, longitude=-73.9934)

    response = client.get("/events?zip=10001&radius=any")

    assert titles(response) == ["Midtown rally", "Honolulu vigil"]


def test_past_cancelled_and_pending_events_are_not_listed(client, make_event):
    make_event(title="Upcoming rally")
    make_event(title="Past rally", starts_at=utcnow() - timedelta(days=2))
    make_event(title="Cancelled rally", status=EventStatus.CANCELLED)
    make_event(title="Pending rally", status=EventStatus.PENDING)

    response = client.get("/events?zip=10001&radius=any")

    assert titles(response) == ["Upcoming rally"]


def test_event_in_progress_is_still_listed(client, make_event):
    make_event(title="Happening now", starts_at=utcnow() - timedelta(minutes=30))

    assert titles(client.get("/events?zip=10001")) == ["Happening now"]


def test_times_show_in_the_events_own_time_zone(client, make_event):
    # 18:00 UTC on a July day is 11:00 in Los Angeles (PDT) and 08:00 in Honolulu (HST).
    starts = datetime(utcnow().year + 1, 7, 4, 18, 0, tzinfo=UTC)
    make_event(
        title="LA",
        starts_at=starts,
        timezone="America/Los_Angeles",
        latitude=34.05,
        longitude=-118.24,
    )
    make_event(
        title="HNL",
        starts_at=starts,
        timezone="Pacific/Honolulu",
        latitude=21.30,
        longitude=-157.85,
    )

    html = client.get("/events?zip=90012&radius=any").get_data(as_text=True).replace("\u202f", " ")

    la_date = starts.astimezone(ZoneInfo("America/Los_Angeles")).strftime("%a, %b %-d, %Y")
    times = re.findall(r"<time[^>]*>([^<]+)</time>", html)
    assert times == [f"{la_date}, 11:00 AM – 1:00 PM PDT", f"{la_date}, 8:00 AM – 10:00 AM HST"]
    assert f'datetime="{starts.year}-07-04T11:00:00-07:00"' in html


def test_results_show_rsvp_counts_once_they_say_something(client, make_event):
    make_event(title="Busy rally", seats_taken=12)
    make_event(title="Quiet vigil", seats_taken=4)
    make_event(title="New town hall", seats_taken=0)

    html = client.get("/events?zip=10001").get_data(as_text=True)
    assert "12 going" in html
    # "0 going" or "4 going" puts people off more than it draws them: nothing is said.
    assert "4 going" not in html and "0 going" not in html


def test_results_follow_changes_to_an_event_at_once(app, client, make_event):
    # Rows are built once per version of an event: an RSVP or an edit is a new version.
    event_id = make_event(title="Rally for Families", capacity=1)
    before = client.get("/events?zip=10001").get_data(as_text=True)

    rsvp(client, event_id)
    after_rsvp = client.get("/events?zip=10001").get_data(as_text=True)
    with app.app_context():
        db.session.get(Event, event_id).title = "Rally for All Families"
        db.session.commit()
    after_edit = client.get("/events?zip=10001")

    assert "Full: waitlist open" not in before
    assert "Full: waitlist open" in after_rsvp
    assert titles(after_edit) == ["Rally for All Families"]


def test_results_paginate(client, make_event):
    for n in range(25):
        make_event(title=f"Rally {n:02d}", latitude=40.75 + n * 0.001, longitude=-73.99)

    first = client.get("/events?zip=10001&radius=25")
    second = client.get("/events?zip=10001&radius=25&page=2")

    assert len(titles(first)) == 20
    assert len(titles(second)) == 5
    assert set(titles(first)).isdisjoint(titles(second))
    assert "Page 1 of 2" in first.get_data(as_text=True)
    assert 'rel="next"' in first.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("zip=abcde", "Enter a 5-digit US zip code"),
        ("zip=123", "Enter a 5-digit US zip code"),
        ("zip=1000100", "Enter a 5-digit US zip code"),
        ("zip=00000", "find zip code 00000"),
        ("zip=99999", "find zip code 99999"),
        ("zip=", "Enter your zip code"),
        ("zip=10001&radius=7", "Choose a distance"),
        ("zip=%00%ff", "invisible control characters"),
        ("zip=%ff", "Enter a 5-digit US zip code"),
    ],
)
def test_bad_search_input_gets_a_message_not_an_error(client, query, message):
    response = client.get(f"/events?{query}")

    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")


@pytest.mark.parametrize("page", ["0", "-3", "x", "99999999999"])
def test_odd_page_numbers_do_not_break_search(client, make_event, page):
    make_event()
    assert client.get(f"/events?zip=10001&page={page}").status_code == 200


def test_zip_plus_four_is_accepted(client, make_event):
    make_event(title="Midtown rally")
    assert titles(client.get("/events?zip=10001-1234")) == ["Midtown rally"]


def test_titles_are_escaped(client, make_event):
    make_event(title='<script>alert("x")</script>')

    html = client.get("/events?zip=10001").get_data(as_text=True)

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


@pytest.mark.parametrize(
    "title",
    ["NULSLOT\x00distance\x00<i>x</i>", "Rally \x00 <b>&amp;</b> · 3 mi</span></li>"],
)
def test_no_title_can_break_its_row(client, make_event, title):
    if ON_POSTGRESQL and "\x00" in title:
        pytest.skip("PostgreSQL text cannot hold a NUL byte")
    make_event(title=title)
    make_event(title="Brooklyn rally", latitude=40.6782, longitude=-73.9442, city="Brooklyn")
    escaped = str(escape(title))

    # Built, then reused from the row cache; then the same rows at other distances.
    for query in ("zip=10001", "zip=10001", "zip=11201"):
        html = client.get(f"/events?{query}").get_data(as_text=True)

        results = html[html.index('<ol class="results">') : html.index("</ol>")]
        rows = results.split('<li class="result"')[1:]
        assert len(rows) == 2 and results.count("</li>") == 2
        for row in rows:
            assert row.count('<span class="distance">') == 1
            assert row.rstrip().endswith("</li>")
            assert 'class="meta"' in row
        assert rows[0].count(escaped) + rows[1].count(escaped) == 2  # data-title and link


@pytest.mark.parametrize("path", ["/events", "/c/june-14"])
def test_a_page_past_the_last_shows_the_last(app, make_app, make_event, path):
    campaign_id = make_campaign(app, slug="june-14")
    client = make_app(SEARCH_PAGE_SIZE=1).test_client()
    make_event(title="Midtown rally", latitude=40.7527, longitude=-73.9772, campaign_id=campaign_id)
    make_event(title="Union Square vigil", campaign_id=campaign_id)

    for page in ("3", "50", "9999"):
        html = client.get(f"{path}?zip=10017&page={page}").get_data(as_text=True)

        assert "Union Square vigil" in html and "Midtown rally" not in html
        assert "Page 2 of 2" in html and "No upcoming events yet" not in html
