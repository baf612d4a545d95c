"""The rest of the call to action (issue 20, part 5): a campaign's hashtag, suggested post
and action links on its page and on the RSVP confirmation, with plain share links."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import rsvp
from test_campaign_face import save_face
from test_organizers import campaign, log_in, make_organizer  # noqa: F401  (fixture)

from eventsite.extensions import db
from eventsite.models import Campaign

POST = "Families belong together. Find a rally near you"
PETITION = "https://petitions.example.org/families?ref=eventsite&lang=en"


@pytest.fixture
def asking_campaign(client, runner, campaign):  # noqa: F811
    """The campaign with a hashtag, a suggested post and two actions."""
    make_organizer(runner)
    log_in(client)
    response = save_face(
        client,
        hashtag="#FamiliesBelongTogether",
        suggested_post=POST,
        action_label_1="Sign the petition",
        action_url_1=PETITION,
        action_label_2="Call your senator",
        action_url_2="https://example.org/call",
    )
    assert response.status_code == 303
    client.post("/organizers/logout", data={})
    return campaign


def links_by_name(html: str) -> dict[str, str]:
    return {
        unescape(re.sub(r"<[^>]+>", "", text)).strip(): unescape(href)
        for href, text in re.findall(r'<a[^>]*href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)
    }


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def assert_share_links(html: str, page_url: str, text: str) -> None:
    links = links_by_name(html)
    message = f"{text} {page_url}"
    assert query(links["Bluesky"]) == {"text": message}
    assert links["Bluesky"].startswith("https://bsky.app/intent/compose?")
    assert query(links["WhatsApp"]) == {"text": message}
    assert query(links["X (Twitter)"]) == {"text": text, "url": page_url}
    assert query(links["Facebook"]) == {"u": page_url}
    assert links["Text message"].startswith("sms:?&body=")
    assert 'action="/share/mastodon" method="get"' in html
    assert f'name="text" value="{message}"' in unescape(html).replace("&#39;", "'")
    # No third-party script: every script is the site's own.
    assert all(src.startswith("/static/") for src in re.findall(r'<script src="([^"]+)"', html))


def test_the_campaign_page_offers_the_actions_and_shares_the_post(client, asking_campaign):
    html = client.get("/c/families-june-14").get_data(as_text=True)
    links = links_by_name(html)
    assert links["Sign the petition"] == PETITION
    assert links["Call your senator"] == "https://example.org/call"
    assert "#FamiliesBelongTogether" in html
    assert_share_links(
        html, "http://eventsite.test/c/families-june-14", f"{POST} #FamiliesBelongTogether"
    )
    assert "data-web-share" in html  # the phone's share sheet, shown by share.js


def test_the_rsvp_confirmation_offers_them_at_the_moment_people_want_more(
    client, app, asking_campaign, make_event
):
    with app.app_context():
        campaign_id = db.session.scalar(db.select(Campaign.id))
    event_id = make_event(title="Union Square rally", campaign_id=campaign_id)
    confirmation = rsvp(client, event_id)
    assert confirmation.status_code == 303
    html = client.get(confirmation.headers["Location"]).get_data(as_text=True)
    assert "Check your email" in html
    assert links_by_name(html)["Sign the petition"] == PETITION
    code = re.search(rf"/events/{event_id}\?ref=(\w+)", html).group(1)
    assert_share_links(
        html,
        f"http://eventsite.test/events/{event_id}?ref={code}",
        "I’m going to Union Square rally. Join me! #FamiliesBelongTogether",
    )


def test_a_confirmation_outside_campaigns_still_offers_sharing(client, make_event):
    event_id = make_event(title="Town hall on housing")
    html = client.get(rsvp(client, event_id).headers["Location"]).get_data(as_text=True)
    assert "Do one more thing" not in html
    # The link shared carries the person's own invite code (issue 18), nothing else of theirs.
    code = re.search(rf"/events/{event_id}\?ref=(\w+)", html).group(1)
    assert_share_links(
        html,
        f"http://eventsite.test/events/{event_id}?ref={code}",
        "I’m going to Town hall on housing. Join me!",
    )


@pytest.mark.parametrize(
    "typed",
    ["mastodon.social", "  Mastodon.Social ", "https://mastodon.social/", "@me@mastodon.social"],
)
def test_mastodon_sharing_links_to_the_persons_own_server(client, typed):
    text = "Families belong together http://eventsite.test/c/families-june-14"
    response = client.get("/share/mastodon", query_string={"server": typed, "text": text})
    # A page with the link, never a redirect: nobody can bounce people off our address.
    assert response.status_code == 200
    target = links_by_name(response.get_data(as_text=True))["Continue to mastodon.social"]
    assert target.startswith("https://mastodon.social/share?")
    assert query(target) == {"text": text}


@pytest.mark.parametrize(
    "server", ["", "not a server", "javascript:alert(1)", "localhost", "a" * 300]
)
def test_a_mastodon_server_that_is_not_one_is_refused_by_its_field(client, server):
    response = client.get("/share/mastodon", query_string={"server": server, "text": "hi"})
    assert response.status_code == 400
    assert re.search(
        r'<p class="error" id="server-error">[^<]*Mastodon server|server name',
        response.get_data(as_text=True),
    )


def test_the_api_sponsor_keeps_mobilizes_organization_shape(
    client, asking_campaign, app, make_event
):
    with app.app_context():
        campaign_id = db.session.scalar(db.select(Campaign.id))
    make_event(campaign_id=campaign_id)
    sponsor = client.get("/api/v1/events").get_json()["data"][0]["sponsor"]
    mobilize_fields = {
        "id",
        "name",
        "slug",
        "is_coordinated",
        "is_independent",
        "race_type",
        "is_primary_campaign",
        "state",
        "district",
        "candidate_name",
        "event_feed_url",
        "created_date",
        "modified_date",
    }
    assert mobilize_fields <= set(sponsor)
    assert sponsor["event_feed_url"] == "http://eventsite.test/c/families-june-14"
    organizations = client.get("/api/v1/organizations").get_json()["data"]
    assert [o["slug"] for o in organizations] == ["", "families-june-14"]
