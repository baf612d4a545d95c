"""What a shared event or campaign link shows, and the links to share it."""

import html as html_module
import json
import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from eventsite.extensions import db
from eventsite.models import Campaign, Event, EventStatus


def meta(html: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    assert match, f"no {key} tag"
    return html_module.unescape(match.group(1))


def structured_data(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def share_hrefs(html: str) -> list[str]:
    section = re.search(r'<section class="share".*?</section>', html, re.S).group(0)
    return [html_module.unescape(h) for h in re.findall(r'<a href="([^"]+)"', section)]


def test_event_page_has_a_preview_with_title_local_date_and_city(client, make_event):
    # 00:30 UTC on the 14th is still the evening of the 13th in New York.
    event_id = make_event(title="Night vigil", starts_at=datetime(2031, 6, 14, 0, 30, tzinfo=UTC))

    html = client.get(f"/events/{event_id}").get_data(as_text=True)

    assert meta(html, "og:title") == "Night vigil"
    assert meta(html, "og:description") == "Fri, Jun 13, 2031 · New York, NY"
    assert meta(html, "og:url") == f"http://eventsite.test/events/{event_id}"
    assert meta(html, "twitter:card") == "summary"
    assert meta(html, "twitter:description") == "Fri, Jun 13, 2031 · New York, NY"


def test_event_page_describes_the_event_for_search_engines(client, make_event):
    event_id = make_event(
        title="Rally </script><script>alert(1)</script>",
        starts_at=datetime(2031, 1, 10, 15, 0, tzinfo=UTC),
    )

    html = client.get(f"/events/{event_id}").get_data(as_text=True)
    data = structured_data(html)

    assert "<script>alert(1)" not in html  # the title cannot end the data block
    assert data["@type"] == "Event"
    assert data["name"] == "Rally </script><script>alert(1)</script>"
    assert data["startDate"] == "2031-01-10T10:00:00-05:00"
    assert data["endDate"] == "2031-01-10T12:00:00-05:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["url"] == f"http://eventsite.test/events/{event_id}"
    assert data["organizer"] == {"@type": "Person", "name": "Ana Host"}
    location = data["location"]
    assert location["name"] == "Union Square"
    assert location["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "1 Union Sq W",
        "addressLocality": "New York",
        "addressRegion": "NY",
        "postalCode": "10003",
        "addressCountry": "US",
    }
    assert location["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 40.7359,
        "longitude": -73.9911,
    }


def test_a_cancelled_event_says_so_to_search_engines(client, make_event):
    event_id = make_event(status=EventStatus.CANCELLED)

    data = structured_data(client.get(f"/events/{event_id}").get_data(as_text=True))

    assert data["eventStatus"] == "https://schema.org/EventCancelled"


def test_a_recurring_event_tells_search_engines_and_previews_its_next_time(client, make_event):
    # Weekly at 10 AM in New York: a shift that is over, one cancelled, then the next two.
    now = datetime.now(UTC).replace(hour=15, minute=0, second=0, microsecond=0)
    past, cancelled, upcoming, later = (now + timedelta(weeks=n) for n in (-1, 1, 2, 3))
    event_id = make_event(
        title="Weekly vigil",
        starts_at=past,
        more_times=[
            (start, start + timedelta(hours=2), None) for start in (cancelled, upcoming, later)
        ],
    )
    with client.application.app_context():
        event = db.session.get(Event, event_id)
        next(slot for slot in event.timeslots if slot.starts_at == cancelled).cancelled_at = now
        db.session.commit()

    html = client.get(f"/events/{event_id}").get_data(as_text=True)
    data = structured_data(html)

    new_york = ZoneInfo("America/New_York")
    assert data["startDate"] == upcoming.astimezone(new_york).isoformat()
    assert data["endDate"] == (upcoming + timedelta(hours=2)).astimezone(new_york).isoformat()
    day = f"{upcoming.astimezone(new_york):%a, %b} {upcoming.astimezone(new_york).day}"
    summary = f"{day}, {upcoming.year} · +1 more time · New York, NY"
    assert meta(html, "og:description") == summary
    assert meta(html, "twitter:description") == summary
    assert meta(html, "description").startswith(f"{day}, {upcoming.year} in New York, NY:")


def test_a_recurring_event_with_one_time_left_shows_that_time(client, make_event):
    now = datetime.now(UTC).replace(hour=15, minute=0, second=0, microsecond=0)
    last = now + timedelta(weeks=1)
    event_id = make_event(
        starts_at=now - timedelta(weeks=1), more_times=[(last, last + timedelta(hours=2), None)]
    )

    html = client.get(f"/events/{event_id}").get_data(as_text=True)

    new_york = ZoneInfo("America/New_York")
    when = re.search(r"<dt>When</dt>\s*<dd><time datetime=\"([^\"]+)\">([^<]+)</time>", html)
    assert when.group(1) == last.astimezone(new_york).isoformat()
    assert when.group(2).startswith(f"{last.astimezone(new_york):%a, %b} {last.day}, {last.year},")
    assert "–" in when.group(2) and when.group(2).count(str(last.year)) == 1  # one day's times


def test_event_share_links_carry_the_link_and_work_without_javascript(client, make_event):
    event_id = make_event(title="Rally & march", starts_at=datetime(2031, 6, 14, 15, tzinfo=UTC))
    url = f"http://eventsite.test/events/{event_id}"
    text = "Rally & march · Sat, Jun 14, 2031 · New York, NY"

    html = client.get(f"/events/{event_id}").get_data(as_text=True)
    sms, whatsapp, bluesky, facebook, x = share_hrefs(html)

    assert re.search(rf'<input id="share-url"[^>]*readonly value="{re.escape(url)}"', html)
    assert sms.startswith("sms:?&body=")
    assert parse_qs(urlsplit(sms).query)["body"] == [f"{text} {url}"]
    assert whatsapp.startswith("https://wa.me/?")
    assert parse_qs(urlsplit(whatsapp).query) == {"text": [f"{text} {url}"]}
    assert bluesky.startswith("https://bsky.app/intent/compose?")
    assert parse_qs(urlsplit(bluesky).query) == {"text": [f"{text} {url}"]}
    assert facebook.startswith("https://www.facebook.com/sharer/sharer.php?")
    assert parse_qs(urlsplit(facebook).query) == {"u": [url]}
    assert x.startswith("https://x.com/intent/post?")
    assert parse_qs(urlsplit(x).query) == {"text": [text], "url": [url]}


def test_shared_links_use_the_public_url(make_app, make_event):
    client = make_app(PUBLIC_URL="https://events.example.org").test_client()
    event_id = make_event()

    html = client.get(f"/events/{event_id}").get_data(as_text=True)

    assert meta(html, "og:url") == f"https://events.example.org/events/{event_id}"
    assert structured_data(html)["url"] == f"https://events.example.org/events/{event_id}"


def test_campaign_page_has_a_preview_and_share_links(client, app):
    with app.app_context():
        db.session.add(
            Campaign(slug="june-14", name="Families Belong Together", action_date=date(2031, 6, 14))
        )
        db.session.commit()

    html = client.get("/c/june-14").get_data(as_text=True)

    assert meta(html, "og:title") == "Families Belong Together"
    assert meta(html, "og:description") == "Saturday, June 14, 2031"
    assert meta(html, "og:url") == "http://eventsite.test/c/june-14"
    whatsapp = share_hrefs(html)[1]
    assert parse_qs(urlsplit(whatsapp).query) == {
        "text": [
            "Families Belong Together · Saturday, June 14, 2031 http://eventsite.test/c/june-14"
        ]
    }
