"""Calendar subscriptions and the embeddable list other sites put in an iframe."""

from datetime import timedelta

import pytest
from icalendar import Calendar
from test_api import cancel, make_campaign

from eventsite.models import utcnow

CHICAGO = {
    "title": "Chicago town hall",
    "city": "Chicago",
    "state": "IL",
    "zip_code": "60601",
    "latitude": 41.886,
    "longitude": -87.6189,
    "timezone": "America/Chicago",
}


def calendar_of(response) -> Calendar:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def entries(calendar: Calendar) -> dict[str, object]:
    return {str(entry["uid"]): entry for entry in calendar.walk("VEVENT")}


def test_site_feed_lists_upcoming_events_and_cancellations(client, app, make_event):
    starts_at = utcnow().replace(microsecond=0, second=0) + timedelta(days=2)
    new_york = make_event(title="NYC rally", starts_at=starts_at)
    chicago = make_event(starts_at=starts_at + timedelta(days=1), **CHICAGO)
    called_off = make_event(title="Called off")
    cancel(app, called_off)
    make_event(title="Long over", starts_at=utcnow() - timedelta(days=5))

    calendar = calendar_of(client.get("/events.ics"))

    found = entries(calendar)
    assert set(found) == {
        f"event-{new_york}@eventsite.test",
        f"event-{chicago}@eventsite.test",
        f"event-{called_off}@eventsite.test",
    }
    assert str(found[f"event-{called_off}@eventsite.test"]["status"]) == "CANCELLED"
    assert str(found[f"event-{new_york}@eventsite.test"]["status"]) == "CONFIRMED"
    chicago_start = found[f"event-{chicago}@eventsite.test"].decoded("dtstart")
    assert str(chicago_start.tzinfo) == "America/Chicago"
    assert chicago_start == starts_at + timedelta(days=1)
    assert {str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")} == {
        "America/New_York",
        "America/Chicago",
    }
    assert str(found[f"event-{new_york}@eventsite.test"]["url"]) == (
        f"http://eventsite.test/events/{new_york}"
    )


def test_feed_uids_match_the_single_event_calendar_file(client, app, make_event):
    event_id = make_event()

    feed = entries(calendar_of(client.get("/events.ics")))
    single = entries(calendar_of(client.get(f"/events/{event_id}/calendar.ics")))

    assert set(feed) == set(single) == {f"event-{event_id}@eventsite.test"}
    again = client.get("/events.ics")
    assert set(entries(calendar_of(again))) == set(feed)
    assert again.headers["Cache-Control"] == "public, max-age=300"
    unchanged = client.get("/events.ics", headers={"If-None-Match": again.headers["ETag"]})
    assert unchanged.status_code == 304
    cancel(app, event_id)
    changed = client.get("/events.ics", headers={"If-None-Match": again.headers["ETag"]})
    assert changed.status_code == 200


def test_zip_feed_keeps_to_its_radius(client, app, make_event):
    new_york = make_event()
    make_event(**CHICAGO)
    nearby_cancelled = make_event(title="Cancelled nearby")
    far_cancelled = make_event(**CHICAGO)
    cancel(app, nearby_cancelled)
    cancel(app, far_cancelled)

    found = entries(calendar_of(client.get("/events.ics?zip=10001&radius=25")))

    assert set(found) == {
        f"event-{new_york}@eventsite.test",
        f"event-{nearby_cancelled}@eventsite.test",
    }
    anywhere = entries(calendar_of(client.get("/events.ics?zip=10001&radius=any")))
    assert len(anywhere) == 4
    assert client.get("/events.ics?zip=00000").status_code == 400


def test_campaign_feed_has_only_its_events_and_is_linked(client, app, make_event):
    campaign_id = make_campaign(app)
    theirs = make_event(campaign_id=campaign_id)
    make_event()

    calendar = calendar_of(client.get("/c/families-june-14/events.ics"))

    assert set(entries(calendar)) == {f"event-{theirs}@eventsite.test"}
    assert str(calendar["x-wr-calname"]) == "Families Belong Together"
    assert client.get("/c/nope/events.ics").status_code == 404
    page = client.get("/c/families-june-14").get_data(as_text=True)
    assert 'href="/c/families-june-14/events.ics"' in page
    assert 'href="/c/families-june-14/embed"' in page


def test_embed_lists_nearest_events_and_may_be_framed(client, app, make_event):
    campaign_id = make_campaign(app)
    theirs = make_event(title="Campaign rally", campaign_id=campaign_id)
    make_event(title="Other rally")
    make_event(**CHICAGO)

    response = client.get("/embed?zip=10001")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert "Campaign rally" in html and "Other rally" in html
    assert "Chicago town hall" in html  # nearest first, anywhere
    assert html.index("Campaign rally") < html.index("Chicago town hall")
    assert f'href="http://eventsite.test/events/{theirs}#rsvp-heading"' in html
    assert '<base target="_blank">' in html

    for url in ("/c/families-june-14/embed", "/embed?campaign=families-june-14&zip=10001"):
        html = client.get(url).get_data(as_text=True)
        assert "Campaign rally" in html and "Other rally" not in html
    assert client.get("/embed?campaign=nope").status_code == 404
    assert client.get("/").headers["X-Frame-Options"] == "DENY"


NEAR_MIDTOWN = "lat=40.7484&lng=-73.9857"


@pytest.mark.parametrize("zip_field", ["zip=&", ""])
@pytest.mark.parametrize(
    "path", ["/events.ics", "/c/families-june-14/events.ics", "/c/families-june-14/embed", "/embed"]
)
def test_feeds_and_embeds_search_from_a_position(client, app, make_event, path, zip_field):
    campaign_id = make_campaign(app)
    make_event(title="Midtown rally", campaign_id=campaign_id)
    make_event(campaign_id=campaign_id, **CHICAGO)

    response = client.get(f"{path}?{zip_field}{NEAR_MIDTOWN}&radius=25")

    assert response.status_code == 200
    if path.endswith(".ics"):
        summaries = [str(entry["summary"]) for entry in calendar_of(response).walk("VEVENT")]
        assert summaries == ["Midtown rally"]
        assert str(calendar_of(response)["x-wr-calname"]).endswith("· 10118")
    else:
        html = response.get_data(as_text=True)
        assert "Midtown rally" in html and "Chicago" not in html
        assert "Events near New York, NY 10118" in html


@pytest.mark.parametrize(
    "query", ["zip=&lat=&lng=", "lat=40.7", "lat=91&lng=0", "lat=90&lng=0", "zip=10001&lng=east"]
)
@pytest.mark.parametrize(
    "path",
    [
        "/events.ics",
        "/embed",
        "/embed?campaign=families-june-14&",
        "/c/families-june-14/events.ics",
        "/c/families-june-14/embed",
    ],
)
def test_feeds_refuse_a_bad_position(client, app, path, query):
    make_campaign(app)
    separator = "" if path.endswith("&") else "?"

    response = client.get(f"{path}{separator}{query}")

    assert response.status_code == 400
