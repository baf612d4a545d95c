"""No GET does work that grows with what its query string asks for: deep pages of nearest
events, repeated filters, feeds and embeds rebuilt for every visitor."""

import pytest

from eventsite.api.serializers import EVENT_TYPES

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
