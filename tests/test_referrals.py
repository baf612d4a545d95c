"""Where sign-ups come from: UTM tags and referral codes carried from the landing page to the
stored RSVP in links and forms (no cookie), the invite link, the API's referrer, exports."""

import csv
import io
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import rsvp
from sqlalchemy import select
from test_api import bearer, make_api_key, make_campaign

from eventsite.extensions import db
from eventsite.models import Rsvp

TAGS = {
    "utm_source": "newsletter",
    "utm_medium": "email",
    "utm_campaign": "june-14",
    "utm_content": "button",
    "utm_term": "families",
    "ref": "Abc123_-xy",
}


class PageParts(HTMLParser):
    """The links and each form's fields (hidden ones with their values) of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.links, self.forms = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        elif tag == "form":
            self.forms.append({"action": attrs.get("action"), "hidden": {}})
        elif tag == "input" and self.forms and attrs.get("type") == "hidden":
            self.forms[-1]["hidden"][attrs["name"]] = attrs.get("value", "")

    def form_to(self, path_end: str) -> dict:
        return next(f for f in self.forms if urlsplit(f["action"] or "").path.endswith(path_end))


def event_links(html: str, event_id: int) -> list[str]:
    return [link for link in PageParts(html).links if urlsplit(link).path == f"/events/{event_id}"]


def query_of(url: str) -> dict:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def stored_rsvps(app) -> list[Rsvp]:
    with app.app_context():
        rows = db.session.scalars(select(Rsvp).order_by(Rsvp.id)).all()
        db.session.expunge_all()
        return rows


def tags_of(row: Rsvp) -> dict:
    return {name: getattr(row, name) for name in TAGS}


def test_tags_go_from_the_landing_page_through_search_to_the_rsvp(client, app, make_event):
    event_id = make_event()
    landing = client.get("/", query_string=TAGS).get_data(as_text=True)
    search_form = PageParts(landing).form_to("/events")
    assert search_form["hidden"] == TAGS  # the zip search sends them on

    results = client.get("/events", query_string={"zip": "10003", **search_form["hidden"]})
    [link] = event_links(results.get_data(as_text=True), event_id)
    assert query_of(link) == TAGS

    page = client.get(link).get_data(as_text=True)
    rsvp_form = PageParts(page).form_to(f"/events/{event_id}/rsvp")
    assert {k: v for k, v in rsvp_form["hidden"].items() if k != "csrf_token"} == TAGS
    response = client.post(
        f"/events/{event_id}/rsvp",
        data={**rsvp_form["hidden"], "name": "Rosa Parks", "email": "rosa@example.org",
              "phone": "", "zip_code": "10001", "guests": "0"},
    )  # fmt: skip

    assert response.status_code == 303
    [row] = stored_rsvps(app)
    assert tags_of(row) == TAGS
    assert "utm" not in response.headers.get("Set-Cookie", "")  # no tracking cookie


def test_a_campaign_page_carries_its_tags_to_the_event(client, app, make_event):
    campaign_id = make_campaign(app)
    event_id = make_event(campaign_id=campaign_id)
    page = client.get("/c/families-june-14", query_string=TAGS).get_data(as_text=True)
    links = event_links(page, event_id)
    assert links and all(query_of(link) == TAGS for link in links)
    assert PageParts(page).form_to("/c/families-june-14")["hidden"] == TAGS


def test_pages_kept_in_the_cache_keep_each_visitors_tags(client, make_event):
    event_id = make_event()
    for source in ("first", "second", "first"):
        query = {"zip": "10003", "utm_source": source}
        html = client.get("/events", query_string=query).get_data(as_text=True)
        assert [query_of(link) for link in event_links(html, event_id)] == [{"utm_source": source}]
        page = client.get(f"/events/{event_id}", query_string={"utm_source": source})
        rsvp_form = PageParts(page.get_data(as_text=True)).form_to(f"/events/{event_id}/rsvp")
        assert rsvp_form["hidden"]["utm_source"] == source
    plain = client.get("/events?zip=10003").get_data(as_text=True)
    assert event_links(plain, event_id) == [f"/events/{event_id}"]


def test_a_refused_rsvp_keeps_its_tags_in_the_form(client, app, make_event):
    event_id = make_event()
    response = rsvp(client, event_id, email="not an email", **TAGS)
    assert response.status_code == 400
    hidden = PageParts(response.get_data(as_text=True)).form_to(f"/events/{event_id}/rsvp")
    assert {k: v for k, v in hidden["hidden"].items() if k != "csrf_token"} == TAGS


@pytest.mark.parametrize(
    "bad",
    [
        {"utm_source": "x" * 101},
        {"utm_source": "bad\x00byte"},
        {"utm_medium": "line\nbreak"},
        {"ref": "not a code!"},
        {"ref": "x" * 33},
    ],
)
def test_mangled_tags_are_left_out_not_refused(client, app, make_event, bad):
    event_id = make_event()
    assert client.get(f"/events/{event_id}", query_string=bad).status_code == 200
    assert client.get("/events", query_string={"zip": "10003", **bad}).status_code == 200
    assert rsvp(client, event_id, **bad).status_code == 303
    [row] = stored_rsvps(app)
    assert all(value is None for value in tags_of(row).values())


def test_the_confirmation_page_offers_an_invite_link_with_the_persons_own_code(
    client, app, make_event
):
    event_id = make_event()
    rsvp(client, event_id, email="rosa@example.org")
    sent = client.get(f"/events/{event_id}/rsvp/sent").get_data(as_text=True)
    [row] = stored_rsvps(app)
    code = row.referral_code
    assert code and len(code) >= 8
    invite = f"http://eventsite.test/events/{event_id}?ref={code}"
    assert f'value="{invite}"' in sent and "Invite friends" in sent
    # The link names neither the person nor their row: only the random code is in it (a
    # check for "=<id>" in the URL failed whenever the code began with the id's digits).
    assert "rosa" not in invite and parse_qs(urlsplit(invite).query) == {"ref": [code]}
    assert code != str(row.id)

    friend = app.test_client()
    link = urlsplit(invite)
    friend.get(link.path, query_string=link.query)
    rsvp(friend, event_id, email="friend@example.org", ref=code)
    assert stored_rsvps(app)[1].ref == code
    assert stored_rsvps(app)[1].referral_code not in (None, code)


def test_a_repeat_rsvp_gets_the_same_invite_code(client, app, make_event):
    event_id = make_event()
    rsvp(client, event_id, email="rosa@example.org")
    first = client.get(f"/events/{event_id}/rsvp/sent").get_data(as_text=True)
    rsvp(app.test_client(), event_id, email="rosa@example.org")
    [row] = stored_rsvps(app)
    assert f"ref={row.referral_code}" in first


def test_the_api_fills_referrer_as_mobilize_does(client, app, runner, make_event):
    campaign_id = make_campaign(app)
    event_id = make_event(campaign_id=campaign_id)
    rsvp(client, event_id, email="rosa@example.org", **TAGS)
    rsvp(client, event_id, email="bea@example.org")
    key = make_api_key(runner)

    body = client.get(f"/api/v1/organizations/{campaign_id}/attendances", headers=bearer(key))
    tagged, plain = sorted(body.get_json()["data"], key=lambda a: a["id"])

    referrer = tagged["referrer"]
    assert {k: v for k, v in referrer.items() if k != "url"} == {
        k: v for k, v in TAGS.items() if k != "ref"
    }
    assert urlsplit(referrer["url"]).path == f"/events/{event_id}"
    assert query_of(referrer["url"]) == TAGS
    assert plain["referrer"]["utm_source"] is None
    assert query_of(plain["referrer"]["url"]) == {}


def test_exports_carry_the_tags_spreadsheet_safe(client, app, runner, make_event):
    from test_organizers import log_in, make_organizer

    campaign_id = make_campaign(app)
    event_id = make_event(campaign_id=campaign_id)
    rsvp(client, event_id, email="rosa@example.org", **{**TAGS, "utm_source": "=HYPERLINK(1)"})
    make_organizer(runner)
    organizer = app.test_client()
    log_in(organizer)

    response = organizer.get("/organizers/campaigns/families-june-14/rsvps.csv")
    assert response.is_streamed
    [row] = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert row["utm_source"] == "'=HYPERLINK(1)"
    assert {name: row[name] for name in TAGS if name != "utm_source"} == {
        k: v for k, v in TAGS.items() if k != "utm_source"
    }
    assert row["referral_code"] == stored_rsvps(app)[0].referral_code


def test_an_rsvp_through_the_api_keeps_its_referrer(client, app, make_event):
    from test_api import attendance_body

    event_id = make_event()
    body = attendance_body(event_id)
    body["referrer"] = {
        "utm_source": "partner-site",
        "utm_medium": "widget",
        "url": f"https://partner.example.org/join?ref={TAGS['ref']}",
    }
    response = client.post(f"/api/v1/organizations/0/events/{event_id}/attendances", json=body)
    assert response.status_code == 202
    [row] = stored_rsvps(app)
    assert (row.utm_source, row.utm_medium, row.ref) == ("partner-site", "widget", TAGS["ref"])
