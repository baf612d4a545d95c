"""Nothing public shows who RSVPed or how to reach a host: pages, feeds and the API."""

import re
from collections import deque
from datetime import timedelta

import pytest
from helpers import csrf_token_from, emailed_rsvp_token, rsvp, rsvp_link_tokens
from test_api import attendance_body, make_campaign

from eventsite.models import AttendanceMode, utcnow

SECRETS = [
    "rosa.parks@example.org",
    "212-555-0133",
    "2125550133",
    "Rosa Quietperson",
    "Quietperson",
    "fannie@example.org",
    "5558675309",
    "212-555-0109",
    "Hamerlou",
    "host.private@example.org",
    "555-909-1212",
    "5559091212",
    # RSVPs by phone (kept as +12125550166) and the rest of every number's forms.
    "555-0133",
    "Telefonista",
    "2125550166",
    "555-0166",
    "555 0166",
    "Pablo Movil",
    "2125550177",
    "555-0177",
]
# Read only by people who RSVPed: a meeting link, and an address shown only to them.
MEETING_LINK = "https://meet.example.org/j/8675309-virtual-secret"
PRIVATE_STREET, PRIVATE_VENUE = "12 Hidden Lane", "Ana Secretplace's living room"
PLACE_SECRETS = [
    MEETING_LINK,
    "8675309-virtual-secret",
    PRIVATE_STREET,
    "Hidden Lane",
    "Secretplace",
]
SECRETS += PLACE_SECRETS

START_URLS = [
    "/",
    "/events?zip=10001&mode=online",
    "/events?zip=10001&mode=near-or-online&sort=date",
    "/c/families-june-14?zip=10001&mode=near-or-online",
    "/api/v1/events?is_virtual=true",
    "/api/v1/events?zipcode=10001&is_virtual=true",
    "/privacy",
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
    # Online and hybrid events with their link; a private address (crawled, no RSVPs).
    # Two of them weekly, so their pages describe the next of several times.
    weekly = [
        (utcnow() + timedelta(weeks=n), utcnow() + timedelta(weeks=n, hours=2), None)
        for n in (2, 3)
    ]
    make_event(
        campaign_id=campaign_id,
        attendance_mode=AttendanceMode.VIRTUAL,
        meeting_link=MEETING_LINK,
        street_address="",
        venue="",
        more_times=weekly,
    )
    make_event(attendance_mode=AttendanceMode.BOTH, meeting_link=MEETING_LINK)
    make_event(
        campaign_id=campaign_id,
        venue=PRIVATE_VENUE,
        street_address=PRIVATE_STREET,
        address_private=True,
        more_times=weekly,
    )
    for event_id in event_ids:
        rsvp(
            client,
            event_id,
            name="Rosa Quietperson",
            email="rosa.parks@example.org",
            phone="212-555-0133",
        )
        rsvp(
            client,
            event_id,
            name="Rosa Telefonista",
            email="",
            phone="(212) 555-0166",
            sms_consent="y",
        )
    client.post(
        f"/api/v1/organizations/{campaign_id}/events/{event_ids[0]}/attendances",
        json=attendance_body(event_ids[0], family_name="Hamerlou"),
    )
    client.post(
        f"/api/v1/organizations/{campaign_id}/events/{event_ids[0]}/attendances",
        json=attendance_body(
            event_ids[0],
            given_name="Pablo",
            family_name="Movil",
            email_address="",
            phone_number="212 555 0177",
            sms_opt_in_status="OPT_IN",
        ),
    )
    return event_ids


def _links(path: str, body: str) -> list[str]:
    found = [link for link in _LINK.findall(body) if link.startswith("/")]
    found += [url.removeprefix("http://eventsite.test") for url in _API_URL.findall(body)]
    return [link.replace("&amp;", "&").split("#")[0] for link in found]


def test_no_public_page_feed_or_api_answer_shows_personal_details(seeded, make_app):
    seen = _crawl(make_app(RATELIMIT_ENABLED=False).test_client(), seeded)

    assert len(seen) > 30
    assert {f"/events/{event_id}" for event_id in seeded} <= seen


def _crawl(client, event_ids: list[int], secrets=SECRETS) -> set[str]:
    """Every public page, feed and API answer reachable from START_URLS and the events;
    fails on any that shows one of secrets; returns the paths seen."""
    queue = deque(START_URLS + [f"/events/{event_id}" for event_id in event_ids])
    queue += [f"/events/{event_id}/calendar.ics" for event_id in event_ids]
    queue += [f"/api/v1/events/{event_id}" for event_id in event_ids]
    queue += [f"/events/{event_id}/rsvp/forgotten" for event_id in event_ids]
    queue += [f"/events/{event_id}/rsvp/sent" for event_id in event_ids]
    seen = set()
    while queue and len(seen) < 300:
        path = queue.popleft()
        if path in seen or path.startswith(_PRIVATE_PREFIXES):
            continue
        seen.add(path)
        response = client.get(path)
        body = response.get_data(as_text=True)
        response.close()
        for secret in secrets:
            assert secret.lower() not in body.lower(), f"{secret} shown at {path}"
        if response.mimetype in ("text/html", "application/json"):
            queue.extend(_links(path, body))
    return seen


def test_the_privacy_page_says_what_is_kept_and_how_long_in_english_and_spanish(client):
    english = client.get("/privacy").get_data(as_text=True)
    spanish = client.get("/privacy", headers={"Accept-Language": "es"}).get_data(as_text=True)

    assert "30 days after an event ends or is cancelled, we delete the name, email" in english
    assert "emails we send you are deleted from our site 7 days after" in english
    assert "Delete my information" in english
    assert "30 días después de que un evento termina o se cancela, borramos" in spanish
    assert "Borrar mis datos" in spanish


def test_the_privacy_page_is_linked_from_the_footer_and_every_rsvp_form(client, app, make_event):
    event_id = make_event()
    rsvp(client, event_id, email="rosa.parks@example.org")
    token = emailed_rsvp_token(app, "rosa.parks@example.org")

    for path in ("/", f"/events/{event_id}", f"/rsvps/{token}"):
        page = client.get(path).get_data(as_text=True)
        assert page.count('href="/privacy"') >= (1 if path == "/" else 2), path


def test_after_someone_deletes_their_information_no_page_shows_it(seeded, make_app, app):
    client = make_app(RATELIMIT_ENABLED=False).test_client()
    tokens = rsvp_link_tokens(app, "rosa.parks@example.org")
    assert len(tokens) == 2
    for token in tokens:
        page = client.get(f"/rsvps/{token}").get_data(as_text=True)
        if "Delete my information" in page:
            csrf = csrf_token_from(page)
            client.post(f"/rsvps/{token}/forget", data={"csrf_token": csrf, "confirm": "y"})

    for token in tokens:
        assert client.get(f"/rsvps/{token}").status_code == 404
    assert rsvp_link_tokens(app, "rosa.parks@example.org") == []
    _crawl(client, seeded)


WALK_IN = {"name": "Wanda Walkerly", "email": "wanda.walkin@example.org", "phone": "212-555-0178"}


def test_checked_in_people_and_walk_ins_show_only_on_the_check_in_page(seeded, make_app, app):
    from sqlalchemy import update

    from eventsite.extensions import db
    from eventsite.models import Event, hash_token

    token = "a-host-link-for-the-privacy-crawl-0123456789"
    with app.app_context():
        db.session.execute(
            update(Event).where(Event.id == seeded[0]).values(manage_token_hash=hash_token(token))
        )
        db.session.commit()
    client = make_app(RATELIMIT_ENABLED=False).test_client()
    check_in = client.get(f"/host/{token}/check-in")
    csrf = csrf_token_from(check_in.get_data(as_text=True))
    for rsvp_id in re.findall(r'id="rsvp-(\d+)"', check_in.get_data(as_text=True)):
        client.post(f"/host/{token}/check-in/{rsvp_id}/arrived", data={"csrf_token": csrf})
    client.post(f"/host/{token}/walk-ins", data={**WALK_IN, "csrf_token": csrf})

    private = client.get(f"/host/{token}/check-in")
    public = client.get("/c/families-june-14").get_data(as_text=True)

    assert private.headers["Cache-Control"] == "no-store"
    assert private.headers["Referrer-Policy"] == "no-referrer"
    assert "Rosa Quietperson" in private.get_data(as_text=True)
    assert "Wanda Walkerly" in private.get_data(as_text=True)
    # Rosa, Rosa by phone, the API's two and Wanda
    assert "<strong>5</strong> people showed up" in public
    _crawl(client, seeded, secrets=[*SECRETS, *WALK_IN.values(), "2125550178", "555-0178"])


def test_a_phone_number_shows_only_to_its_person_the_hosts_and_organizers(
    seeded, make_app, app, runner
):
    """Rosa's number shows on her own private page, on the event's host page and in its
    campaign's organizers' API; another attendee's private page and the public pages
    never show it."""
    from sqlalchemy import select, update
    from test_api import bearer, make_api_key

    from eventsite.extensions import db
    from eventsite.models import Event, MessageChannel, OutboxMessage, hash_token

    client = make_app(RATELIMIT_ENABLED=False).test_client()
    with app.app_context():
        texted = db.session.scalars(
            select(OutboxMessage.private_token).where(
                OutboxMessage.channel == MessageChannel.SMS,
                OutboxMessage.to_address == "+12125550166",
            )
        ).all()
        db.session.execute(
            update(Event)
            .where(Event.id == seeded[0])
            .values(manage_token_hash=hash_token("h" * 43))
        )
        db.session.commit()
    [someone_else] = rsvp_link_tokens(app, "rosa.parks@example.org")[:1]
    key = make_api_key(runner)

    own_page = client.get(f"/rsvps/{texted[0]}").get_data(as_text=True)
    host_page = client.get(f"/host/{'h' * 43}").get_data(as_text=True)
    organizers = client.get("/api/v1/organizations/1/attendances", headers=bearer(key))
    other_page = client.get(f"/rsvps/{someone_else}").get_data(as_text=True)

    assert len(texted) == 2  # one confirmation a event
    assert "(212) 555-0166" in own_page
    assert "(212) 555-0166" in host_page and "+12125550166" in host_page  # the tel: link
    assert "+12125550166" in organizers.get_data(as_text=True)
    assert "555-0166" not in other_page and "Telefonista" not in other_page
    _crawl(client, seeded)


CO_HOST = "carla.cohost@example.org"
ANSWER = "Loved the speakers, sorry I left early"
HOST_MESSAGE = "Meet the organisers at the blue van"


def test_co_host_pages_are_private_and_no_public_page_shows_co_hosts_or_answers(
    seeded, make_app, app
):
    from sqlalchemy import select, update

    from eventsite.extensions import db
    from eventsite.models import Event, OutboxMessage, Rsvp, hash_token

    token = "a-host-link-for-the-co-host-crawl-0123456789"
    with app.app_context():
        db.session.execute(
            update(Event).where(Event.id == seeded[0]).values(manage_token_hash=hash_token(token))
        )
        db.session.execute(
            update(Rsvp).values(attended=True, attendance_note=ANSWER, checked_in_at=None)
        )
        db.session.commit()
    client = make_app(RATELIMIT_ENABLED=False).test_client()
    csrf = csrf_token_from(client.get(f"/host/{token}").get_data(as_text=True))
    client.post(f"/host/{token}/co-hosts", data={"csrf_token": csrf, "email": CO_HOST})
    client.post(
        f"/host/{token}/message",
        data={"csrf_token": csrf, "subject": "Where", "body": HOST_MESSAGE, "reply_to_me": "y"},
    )
    with app.app_context():
        co_host_token = db.session.scalar(
            select(OutboxMessage.private_token).where(OutboxMessage.to_address == CO_HOST)
        )

    for path in (f"/host/{co_host_token}", f"/host/{co_host_token}/check-in"):
        private = client.get(path)
        assert private.status_code == 200, path
        assert private.headers["Cache-Control"] == "no-store"
        assert private.headers["Referrer-Policy"] == "no-referrer"
    page = client.get(f"/host/{co_host_token}").get_data(as_text=True)
    assert "rosa.parks@example.org" in page and ANSWER in page
    secrets = [*SECRETS, CO_HOST, ANSWER, HOST_MESSAGE, token, co_host_token]
    _crawl(client, seeded, secrets=secrets)
