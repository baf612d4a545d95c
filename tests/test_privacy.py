"""Nothing public shows who RSVPed or how to reach a host: pages, feeds and the API."""

import re
from collections import deque

import pytest
from helpers import rsvp
from test_api import attendance_body, make_campaign

SECRETS = [
    "rosa.parks@example.org",
    "555-201-3344",
    "5552013344",
    "Rosa Quietperson",
    "Quietperson",
    "fannie@example.org",
    "5558675309",
    "555-867-5309",
    "Hamerlou",
    "host.private@example.org",
    "555-909-1212",
    "5559091212",
]

START_URLS = [
    "/",
    "/events?zip=10001",
    "/events?zip=10001&radius=any",
    "/c/families-june-14",
    "/c/families-june-14?zip=10001",
    "/events.ics",
    "/events.ics?zip=10001",
    "/c/families-june-14/events.ics",
    "/embed?zip=10001",
    "/c/families-june-14/embed",
    "/api/v1/openapi.json",
    "/api/v1/events",
    "/api/v1/events?zipcode=10001",
    "/api/v1/events/deleted",
    "/api/v1/organizations",
    "/api/v1/organizations/1/events",
    "/api/v1/organizations/0/events",
    "/api/v1/organizations/1/attendances",
    "/api/v1/organizations/0/attendances",
]

_LINK = re.compile(r'(?:href|src|action)="([^"#]+)')
_API_URL = re.compile(r'"(http://eventsite\.test/[^"]+)"')
# Private by design (a host's or attendee's own link, the organizer area): not crawled.
_PRIVATE_PREFIXES = ("/host/", "/rsvps/", "/organizers")


@pytest.fixture
def seeded(app, client, make_event):
    campaign_id = make_campaign(app)
    event_ids = [
        make_event(
            campaign_id=campaign_id,
            capacity=1,
            host_email="host.private@example.org",
            host_phone="555-909-1212",
        ),
        make_event(host_email="host.private@example.org", host_phone="555-909-1212"),
    ]
    for event_id in event_ids:
        rsvp(
            client,
            event_id,
            name="Rosa Quietperson",
            email="rosa.parks@example.org",
            phone="555-201-3344",
        )
    client.post(
        f"/api/v1/organizations/{campaign_id}/events/{event_ids[0]}/attendances",
        json=attendance_body(event_ids[0], family_name="Hamerlou"),
    )
    return event_ids


def _links(path: str, body: str) -> list[str]:
    found = [link for link in _LINK.findall(body) if link.startswith("/")]
    found += [url.removeprefix("http://eventsite.test") for url in _API_URL.findall(body)]
    return [link.replace("&amp;", "&").split("#")[0] for link in found]


def test_no_public_page_feed_or_api_answer_shows_personal_details(seeded, make_app):
    client = make_app(RATELIMIT_ENABLED=False).test_client()
    queue = deque(START_URLS + [f"/events/{event_id}" for event_id in seeded])
    queue += [f"/events/{event_id}/calendar.ics" for event_id in seeded]
    queue += [f"/api/v1/events/{event_id}" for event_id in seeded]
    seen = set()
    while queue and len(seen) < 300:
        path = queue.popleft()
        if path in seen or path.startswith(_PRIVATE_PREFIXES):
            continue
        seen.add(path)
        response = client.get(path)
        body = response.get_data(as_text=True)
        response.close()
        for secret in SECRETS:
            assert secret.lower() not in body.lower(), f"{secret} shown at {path}"
        if response.mimetype in ("text/html", "application/json"):
            queue.extend(_links(path, body))

    assert len(seen) > 30
    assert {f"/events/{event_id}" for event_id in seeded} <= seen
