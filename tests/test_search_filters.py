"""Filters on the results and campaign pages: when, kind, in person or online, spots left,
and the order; combined with distance, kept in the URL and cached like zip searches."""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from test_api import make_campaign

from eventsite.models import AttendanceMode, EventKind, utcnow

HIT = "hit_cache"
NEW_YORK = ZoneInfo("America/New_York")
# Places around zip 10001 (Manhattan) and far away (Los Angeles).
MIDTOWN = {"latitude": 40.7506, "longitude": -73.9972, "zip_code": "10001"}
BROOKLYN = {"latitude": 40.6782, "longitude": -73.9442, "zip_code": "11201"}
LOS_ANGELES = {
    "latitude": 34.0522,
    "longitude": -118.2437,
    "zip_code": "90012",
    "city": "Los Angeles",
    "state": "CA",
    "timezone": "America/Los_Angeles",
}


def titles(response) -> list[str]:
    return re.findall(r'<h2><a href="/events/\d+">([^<]+)</a></h2>', response.text)


def next_saturday_noon():
    today = utcnow().astimezone(NEW_YORK).date()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    return utcnow().replace(
        year=saturday.year, month=saturday.month, day=saturday.day, hour=16, minute=0
    )


@pytest.fixture
def events(make_event):
    soon = utcnow() + timedelta(days=2)
    weekend = next_saturday_noon() + timedelta(days=7)  # past the next 7 days
    return {
        "near rally": make_event(title="Near rally", starts_at=soon, **MIDTOWN),
        "brooklyn vigil": make_event(
            title="Brooklyn vigil", kind=EventKind.VIGIL, starts_at=weekend, **BROOKLYN
        ),
        "full march": make_event(
            title="Full march",
            kind=EventKind.MARCH,
            capacity=2,
            seats_taken=2,
            starts_at=soon + timedelta(hours=3),
            **MIDTOWN,
        ),
        "hybrid town hall": make_event(
            title="Hybrid town hall",
            kind=EventKind.TOWN_HALL,
            attendance_mode=AttendanceMode.BOTH,
            meeting_link="https://meet.example.org/hybrid-secret",
            starts_at=soon + timedelta(days=1),
            **BROOKLYN,
        ),
        "online call": make_event(
            title="Online call",
            attendance_mode=AttendanceMode.VIRTUAL,
            meeting_link="https://meet.example.org/online-secret",
            street_address="",
            venue="",
            starts_at=soon + timedelta(days=3),
            **LOS_ANGELES,
        ),
        "la rally": make_event(title="LA rally", starts_at=soon, **LOS_ANGELES),
    }


def search(client, query: str, status: int = 200):
    response = client.get(f"/events?zip=10001&{query}")
    assert response.status_code == status, response.text
    return response


def test_online_only_events_are_not_found_by_distance(client, events):
    found = titles(search(client, "radius=any"))

    assert "Online call" not in found
    assert found[:4] == ["Near rally", "Full march", "Hybrid town hall", "Brooklyn vigil"]
    assert found[-1] == "LA rally"


def test_the_online_filter_lists_online_events_anywhere_soonest_first(client, events):
    response = search(client, "mode=online")

    assert titles(response) == ["Hybrid town hall", "Online call"]
    assert "2 upcoming online events" in response.text
    assert 'class="distance"' not in response.text  # no distance for an online event
    assert "meet.example.org" not in response.text


def test_near_me_or_online_puts_online_events_first_then_the_nearest(client, events):
    by_distance = titles(search(client, "mode=near-or-online&radius=10"))
    by_date = titles(search(client, "mode=near-or-online&radius=10&sort=date"))

    assert by_distance == [
        "Hybrid town hall",
        "Online call",
        "Near rally",
        "Full march",
        "Brooklyn vigil",
    ]
    assert by_date == [
        "Near rally",
        "Full march",
        "Hybrid town hall",
        "Online call",
        "Brooklyn vigil",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=vigil", ["Brooklyn vigil"]),
        ("kind=march&radius=5", ["Full march"]),
        ("spots=y&radius=10", ["Near rally", "Hybrid town hall", "Brooklyn vigil"]),
        ("when=week&radius=10", ["Near rally", "Full march", "Hybrid town hall"]),
        ("sort=date&radius=any", ["Near rally", "LA rally", "Full march", "Hybrid town hall"]),
        ("kind=rally&spots=y&when=week&sort=date&radius=any", ["Near rally", "LA rally"]),
    ],
)
def test_filters_narrow_the_search_around_the_zip_code(client, events, query, expected):
    found = titles(search(client, query))

    assert found[: len(expected) or None] == expected if expected else found == []


def test_this_weekend_is_saturday_and_sunday_where_the_searcher_is(client, make_event):
    today = utcnow().astimezone(NEW_YORK).date()
    sunday = today + timedelta(days=(6 - today.weekday()) % 7)
    late_sunday = datetime.combine(sunday, time(23), NEW_YORK).astimezone(UTC)
    make_event(title="Sunday night vigil", kind=EventKind.OTHER, starts_at=late_sunday, **MIDTOWN)
    make_event(
        title="Next week's vigil",
        kind=EventKind.OTHER,
        starts_at=late_sunday + timedelta(days=6),
        **MIDTOWN,
    )

    assert titles(search(client, "when=weekend&kind=other")) == ["Sunday night vigil"]


def test_a_chosen_date_is_a_day_where_the_searcher_is(client, events):
    weekend = next_saturday_noon() + timedelta(days=7)
    day = weekend.astimezone(NEW_YORK).date().isoformat()

    assert titles(search(client, f"on={day}")) == ["Brooklyn vigil"]
    assert titles(search(client, f"on={day}&when=week")) == ["Brooklyn vigil"]


def test_the_radius_still_bounds_filtered_results(client, events):
    assert titles(search(client, "kind=rally&radius=5")) == ["Near rally"]
    assert titles(search(client, "kind=rally&radius=any")) == ["Near rally", "LA rally"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=picnic", "Choose an option from the list."),
        ("mode=teleport", "Choose an option from the list."),
        ("sort=loudest", "Choose an option from the list."),
        ("when=someday", "Choose an option from the list."),
        ("on=2026-13-45", "Not a valid date value."),
        ("on=2999-01-01", "Choose a date within two years of today."),
    ],
)
def test_bad_filters_get_a_message_by_the_field(client, events, query, message):
    response = search(client, query, status=400)

    assert message in response.text
    assert 'class="filters" open' in response.text


def test_filters_are_kept_in_the_page_links(make_app, make_event):
    client = make_app(SEARCH_PAGE_SIZE=2).test_client()
    for n in range(5):
        make_event(title=f"Vigil {n}", kind=EventKind.VIGIL, **MIDTOWN)

    page = search(client, "kind=vigil&sort=date&spots=y")
    next_link = re.search(r'rel="next" href="([^"]+)"', page.text).group(1).replace("&amp;", "&")

    assert "kind=vigil" in next_link and "sort=date" in next_link and "spots=y" in next_link
    assert '<option selected value="vigil">' in page.text
    assert titles(client.get(next_link)) == ["Vigil 2", "Vigil 3"]


def test_filtered_searches_are_cached_per_filter(make_app, make_event):
    client = make_app(SEARCH_CACHE_SECONDS=60).test_client()
    make_event(title="First vigil", kind=EventKind.VIGIL, **MIDTOWN)

    first = search(client, "kind=vigil")
    make_event(title="Second vigil", kind=EventKind.VIGIL, **MIDTOWN)
    again = search(client, "kind=vigil&fbclid=x")  # a click id: not a page of its own
    other = search(client, "kind=vigil&spots=y")

    assert HIT not in first.headers and again.headers[HIT] == "True"
    assert titles(again) == ["First vigil"]
    assert HIT not in other.headers and len(titles(other)) == 2


def test_campaign_pages_filter_their_own_events(client, app, make_event):
    campaign_id = make_campaign(app)
    make_event(title="Campaign vigil", kind=EventKind.VIGIL, campaign_id=campaign_id, **MIDTOWN)
    make_event(title="Campaign rally", campaign_id=campaign_id, **MIDTOWN)
    make_event(
        title="Campaign call",
        attendance_mode=AttendanceMode.VIRTUAL,
        meeting_link="https://meet.example.org/x",
        campaign_id=campaign_id,
        **LOS_ANGELES,
    )
    make_event(title="Other vigil", kind=EventKind.VIGIL, **MIDTOWN)

    vigils = client.get("/c/families-june-14?zip=10001&kind=vigil")
    online = client.get("/c/families-june-14?zip=10001&mode=online")

    assert re.findall(r'<h3><a href="/events/\d+">([^<]+)', vigils.text) == ["Campaign vigil"]
    assert re.findall(r'<h3><a href="/events/\d+">([^<]+)', online.text) == ["Campaign call"]
