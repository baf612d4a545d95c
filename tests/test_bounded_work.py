"""No GET does work that grows with what its query string asks for: deep pages of nearest
events, repeated filters, feeds and embeds rebuilt for every visitor."""

import pytest
from test_api import make_campaign

from eventsite.api.serializers import EVENT_TYPES
from eventsite.extensions import db
from eventsite.models import Event

REPEATED = {
    "timeslot_start": "gte_now",
    "timeslot_end": "gte_now",
    "organization_id": "0",
    "event_types": "RALLY",
}


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("timeslot_start", 4),
        ("timeslot_end", 4),
        ("organization_id", 50),
        ("event_types", len(EVENT_TYPES)),
    ],
)
def test_api_filters_repeat_a_sensible_number_of_times(client, make_event, name, allowed):
    make_event()
    value = REPEATED[name]

    within = client.get("/api/v1/events?" + "&".join([f"{name}={value}"] * allowed))
    beyond = client.get("/api/v1/events?" + "&".join([f"{name}={value}"] * (allowed + 1)))

    assert within.status_code == 200 and within.get_json()["count"] == 1
    assert beyond.status_code == 400
    assert f"at most {allowed}" in beyond.get_json()["error"]["detail"]


@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/organizations/0/events"])
def test_api_pages_of_nearest_events_reach_the_nearest_thousand(client, make_event, path):
    make_event()

    last = client.get(f"{path}?zipcode=10001&per_page=200&page=5")  # events 801 to 1000
    beyond = client.get(f"{path}?zipcode=10001&per_page=200&page=6")
    far_beyond = client.get(f"{path}?zipcode=10001&max_dist=25000&per_page=200&page=100000")
    without_zipcode = client.get(f"{path}?per_page=200&page=6")

    assert last.status_code == 200 and last.get_json()["data"] == []
    for refused in (beyond, far_beyond):
        assert refused.status_code == 400
        assert "nearest 1000 events" in refused.get_json()["error"]["detail"]
    assert without_zipcode.status_code == 200


SHARED_FEEDS = [
    "/events.ics",
    "/c/families-june-14/events.ics",
    "/embed",
    "/embed?zip=10001",
    "/embed?zip=10001&radius=any&campaign=families-june-14",
    "/c/families-june-14/embed",
    "/c/families-june-14/embed?zip=10001&radius=50",
]


@pytest.mark.parametrize("path", SHARED_FEEDS)
def test_feeds_and_embeds_are_built_once_for_everyone(make_app, make_event, path):
    app = make_app(SEARCH_CACHE_SECONDS=30)
    campaign_id = make_campaign(app)
    make_event(title="First rally", campaign_id=campaign_id)

    first = app.test_client().get(path)
    make_event(title="Second rally", campaign_id=campaign_id)
    again = app.test_client().get(path)
    other_host = app.test_client().get(path, headers={"Host": "other.example"})
    spanish = app.test_client().get(path, headers={"Accept-Language": "es"})

    assert first.status_code == again.status_code == 200
    assert "First rally" in first.text and "Second rally" not in first.text
    assert again.data == first.data  # built once, kept for SEARCH_CACHE_SECONDS
    # Links come only from EVENTSITE_PUBLIC_URL, so any Host gets the page kept for all.
    assert other_host.data == first.data
    assert "Second rally" in spanish.text  # each language its own


@pytest.mark.parametrize(
    "path",
    [
        "/events.ics?zip=10001",
        "/c/families-june-14/events.ics?zip=10001&radius=any",
        "/events.ics?lat=40.7359&lng=-73.9911",
        "/embed?lat=40.7359&lng=-73.9911",
        "/c/families-june-14/embed?lat=40.7359&lng=-73.9911",
    ],
)
def test_feeds_around_a_place_and_embeds_by_position_are_never_kept(make_app, make_event, path):
    # Too many, and feeds too big, to keep: they count against the search budget instead.
    app = make_app(SEARCH_CACHE_SECONDS=30)
    campaign_id = make_campaign(app)
    make_event(title="First rally", campaign_id=campaign_id)

    app.test_client().get(path)
    make_event(title="Second rally", campaign_id=campaign_id)
    again = app.test_client().get(path)

    assert again.status_code == 200 and "Second rally" in again.text


def test_a_changed_event_shows_in_feeds_once_the_kept_copy_expires(make_app, make_event):
    app = make_app(SEARCH_CACHE_SECONDS=0)  # every request builds the feed
    client = app.test_client()
    event_id = make_event(title="First title")
    first = client.get("/events.ics").text

    with app.app_context():
        event = db.session.get(Event, event_id)
        event.title = "Second title"
        db.session.commit()
    again = client.get("/events.ics").text

    assert "SUMMARY:First title" in first
    assert "SUMMARY:Second title" in again and "First title" not in again
    assert again.count("BEGIN:VEVENT") == again.count("END:VEVENT") == 1
    assert again.endswith("END:VCALENDAR\r\n") and again.count("END:VCALENDAR") == 1


def test_a_campaign_counts_its_events_once_for_every_search(make_app, make_event):
    app = make_app(SEARCH_CACHE_SECONDS=30)
    client = app.test_client()
    campaign_id = make_campaign(app)
    make_event(title="First rally", campaign_id=campaign_id)

    first = client.get("/c/families-june-14?zip=10001")
    make_event(title="Second rally", campaign_id=campaign_id)
    # Another search: a page of its own, with the campaign's totals as counted above.
    other = client.get("/c/families-june-14?zip=11201")
    located = client.get("/c/families-june-14?lat=40.7359&lng=-73.9911")

    assert "<strong>1</strong> upcoming event" in first.text
    for page in (other, located):
        assert "Second rally" in page.text
        assert "<strong>1</strong> upcoming event" in page.text
