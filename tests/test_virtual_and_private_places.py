"""Virtual events and private addresses: the meeting link and the street go only to
people who RSVPed (their page, emails and calendar file), never to any public page, feed,
embed, Open Graph, JSON-LD or keyless API answer."""

import re
from html import unescape

import pytest
from helpers import csrf_token_from, emailed_rsvp_token, outbox, rsvp
from nominatim_server import NominatimStandIn
from test_geocoding import CIVIC_CENTER
from test_hosting import host_event, manage_token, only_event
from test_privacy import MEETING_LINK as LINK
from test_privacy import PLACE_SECRETS, _crawl
from test_privacy import PRIVATE_STREET as STREET
from test_privacy import PRIVATE_VENUE as VENUE

from eventsite.geo import lookup_zip
from eventsite.models import AttendanceMode, GeocodeStatus


@pytest.fixture
def hidden(make_event):
    """An online event, a hybrid one and one whose address only attendees read."""
    return {
        "online": make_event(
            title="Online town hall",
            attendance_mode=AttendanceMode.VIRTUAL,
            meeting_link=LINK,
            venue="",
            street_address="",
        ),
        "hybrid": make_event(
            title="Hybrid teach-in", attendance_mode=AttendanceMode.BOTH, meeting_link=LINK
        ),
        "private": make_event(
            title="House meeting", venue=VENUE, street_address=STREET, address_private=True
        ),
    }


def test_no_public_page_feed_embed_or_api_answer_shows_a_link_or_private_street(
    hidden, make_app, app
):
    client = make_app(RATELIMIT_ENABLED=False).test_client()
    for event_id in hidden.values():
        rsvp(client, event_id, email=f"goer{event_id}@example.org")  # the sent page, too
        sent = client.get(f"/events/{event_id}/rsvp/sent")
        assert not any(secret in sent.text for secret in PLACE_SECRETS)

    seen = _crawl(client, list(hidden.values()), secrets=PLACE_SECRETS)

    assert {f"/events/{event_id}" for event_id in hidden.values()} <= seen
    assert {f"/events/{event_id}/calendar.ics" for event_id in hidden.values()} <= seen


def test_search_pages_filtered_every_way_show_no_link_or_street(hidden, client):
    for query in ("", "&mode=online", "&mode=near-or-online&sort=date", "&radius=any&spots=y"):
        page = client.get(f"/events?zip=10003{query}").text
        assert not any(secret in page for secret in PLACE_SECRETS), query
        embed = client.get(f"/embed?zip=10003{query}").text
        assert not any(secret in embed for secret in PLACE_SECRETS), query


def test_the_event_page_says_where_as_the_public_may_read_it(hidden, client):
    online = client.get(f"/events/{hidden['online']}").text
    private = client.get(f"/events/{hidden['private']}").text

    assert "the link to join goes to people who RSVP" in online
    assert '"OnlineEventAttendanceMode"' in online.replace("https://schema.org/", '"')
    assert 'class="map"' not in online  # nowhere to mark
    assert "New York, NY 10003" in private
    assert "The host shares the full address with people who RSVP." in private
    assert "google.com/maps" not in private and "maps.apple.com" not in private


def test_an_attendee_gets_the_link_and_the_full_address_on_their_page_emails_and_calendar(
    hidden, client, app
):
    for name in ("hybrid", "private"):
        rsvp(client, hidden[name], email=f"{name}@example.org")
    hybrid_token = emailed_rsvp_token(app, "hybrid@example.org")
    private_token = emailed_rsvp_token(app, "private@example.org")

    hybrid_page = client.get(f"/rsvps/{hybrid_token}").text
    private_page = unescape(client.get(f"/rsvps/{private_token}").text)
    hybrid_ics = client.get(f"/rsvps/{hybrid_token}/calendar.ics").text
    private_ics = client.get(f"/rsvps/{private_token}/calendar.ics")
    emails = {m.to_address: m for m in outbox(app)}

    assert f'href="{LINK}"' in hybrid_page
    assert STREET in private_page and VENUE in private_page
    assert LINK in hybrid_ics.replace("\r\n ", "")
    assert STREET in private_ics.text and private_ics.headers["Cache-Control"] == "no-store"
    assert f"Join online: {LINK}" in emails["hybrid@example.org"].body_text
    assert LINK in emails["hybrid@example.org"].ics_attachment.replace("\r\n ", "")
    assert STREET in emails["private@example.org"].body_text
    assert STREET in emails["private@example.org"].ics_attachment


def test_a_waitlisted_or_cancelled_attendee_does_not_get_the_link(client, app, make_event):
    event_id = make_event(
        attendance_mode=AttendanceMode.VIRTUAL, meeting_link=LINK, capacity=1, street_address=""
    )
    rsvp(client, event_id, email="first@example.org")
    rsvp(client, event_id, email="second@example.org")
    token = emailed_rsvp_token(app, "second@example.org")

    page = client.get(f"/rsvps/{token}").text
    calendar = client.get(f"/rsvps/{token}/calendar.ics")
    [waitlisted] = [m for m in outbox(app) if m.to_address == "second@example.org"]

    assert "On the waitlist" in page and LINK not in page
    assert calendar.status_code == 302 and LINK not in waitlisted.body_text


def test_a_host_lists_a_virtual_event_without_a_street(client, app):
    response = host_event(
        client,
        attendance_mode="virtual",
        meeting_link=LINK,
        street_address="",
        venue="",
    )

    assert response.status_code == 303, response.text
    event = only_event(app)
    centre = lookup_zip("80202")
    assert event.attendance_mode == AttendanceMode.VIRTUAL and event.meeting_link == LINK
    assert (event.latitude, event.longitude) == (centre.latitude, centre.longitude)
    manage = client.get(f"/host/{manage_token(response)}").text
    assert LINK in manage and "Online" in manage


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"attendance_mode": "virtual", "meeting_link": ""}, "Give the link people join with"),
        ({"attendance_mode": "both", "meeting_link": "javascript:alert(1)"}, "starting with"),
        ({"attendance_mode": "in_person", "street_address": ""}, "Enter the street address."),
        ({"attendance_mode": "teleport"}, "Choose in person, online, or both."),
    ],
)
def test_bad_virtual_choices_are_explained_by_the_field(client, app, overrides, message):
    response = host_event(client, **overrides)

    assert response.status_code == 400
    assert message in response.text


def test_a_private_address_is_placed_at_its_zip_centre_without_asking_the_geocoder(make_app):
    nominatim = NominatimStandIn().start()
    try:
        nominatim.answer_match(*CIVIC_CENTER)
        app = make_app(GEOCODER="nominatim", NOMINATIM_URL=nominatim.url, GEOCODER_MIN_DELAY=0)
        client = app.test_client()
        response = host_event(client, address_private="y", street_address=STREET)
        assert response.status_code == 303
        event = only_event(app)
        centre = lookup_zip("80202")
        assert (event.latitude, event.longitude) == (centre.latitude, centre.longitude)
        assert event.geocode_status == GeocodeStatus.ZIP_ONLY and event.address_private
        assert nominatim.queries == []  # the street was never sent anywhere

        # Made public, the address is placed at the street.
        token = manage_token(response)
        edit = client.get(f"/host/{token}/edit")
        data = dict(re.findall(r'name="([a-z_]+)"[^>]*value="([^"]*)"', edit.text))
        data.pop("address_private", None)
        data.update(
            csrf_token=csrf_token_from(edit.text),
            description="Bring signs, water and friends. We march at noon to City Hall.",
            kind="rally",
            state="CO",
            attendance_mode="in_person",
            website="",
        )
        assert client.post(f"/host/{token}/edit", data=data).status_code == 303
        assert (only_event(app).latitude, only_event(app).longitude) == CIVIC_CENTER
    finally:
        nominatim.stop()
