"""A campaign's face and call to action in Chromium on a 390x844 phone (issue 20, parts 4
and 5): an organizer uploads a phone photo with its GPS position in EXIF, and the picture
every visitor's browser loads carries no EXIF at all."""

import re

import pytest
from photos import gps_photo, has_no_metadata
from playwright.sync_api import expect
from test_organizers import (
    PASSWORD,
    campaign,  # noqa: F401  (a fixture)
    make_organizer,
)

from eventsite.extensions import db
from eventsite.models import Campaign

PETITION = "https://petitions.example.org/families"


def organizer_sets_the_face(page) -> None:
    page.goto("/organizers/login")
    page.get_by_label("Email").fill("org@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/organizers/campaigns/families-june-14")
    page.get_by_role("link", name="Look and call to action").click()
    page.get_by_label("Picture (optional)").set_input_files(
        {"name": "IMG_0042.jpg", "mimeType": "image/jpeg", "buffer": gps_photo()}
    )
    page.get_by_label("Tagline").fill("Thousands of us, in every state, on one day")
    page.get_by_label("Accent colour").fill("#1a5e8a")
    page.get_by_label("Hashtag").fill("#FamiliesBelongTogether")
    page.get_by_label("Suggested post").fill("Families belong together. Join a rally near you")
    page.get_by_label("Action 1: what to do").fill("Sign the petition")
    page.get_by_label("Action 1: link").fill(PETITION)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_have_text("The campaign page is updated.")


def test_an_uploaded_phone_photo_is_served_without_any_exif(
    phone,
    app,
    runner,
    campaign,  # noqa: F811  (the fixture)
    make_event,
    assert_no_violations,
):
    make_organizer(runner)
    with app.app_context():
        campaign_id = db.session.scalar(db.select(Campaign.id))
    make_event(title="Union Square rally", campaign_id=campaign_id)
    page = phone()
    organizer_sets_the_face(page)
    assert_no_violations(page)

    page.goto("/c/families-june-14")
    picture = page.locator(".campaign-image img")
    expect(picture).to_be_visible()
    page.wait_for_function("() => document.querySelector('.campaign-image img').complete")
    # The variant this phone chose (WebP, sized for a 3x screen), as every visitor gets it.
    chosen = picture.evaluate("img => img.currentSrc")
    assert re.search(r"/images/[0-9a-f]{64}/\d+\.webp$", chosen), chosen
    served = page.request.get(chosen)
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert has_no_metadata(served.body())
    preview = page.locator('meta[property="og:image"]').get_attribute("content")
    assert has_no_metadata(page.request.get(preview).body())
    # The colour arrives by stylesheet: the band under the name is the campaign's blue.
    band = page.locator(".face-text")
    expect(band).to_have_css("background-color", "rgb(26, 94, 138)")
    expect(page.get_by_text("Thousands of us, in every state, on one day")).to_be_visible()
    expect(page.get_by_role("link", name="Sign the petition")).to_have_attribute("href", PETITION)
    expect(page.get_by_role("link", name="Bluesky")).to_have_attribute(
        "href", re.compile(r"^https://bsky\.app/intent/compose\?text=Families\+belong")
    )
    assert_no_violations(page)

    page.get_by_role("link", name="Union Square rally").click()
    expect(page.locator(".event-image img")).to_be_visible()
    expect(page.locator(".campaign-band")).to_have_css("background-color", "rgb(26, 94, 138)")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_mastodon_sharing_goes_to_the_persons_own_server(phone, campaign, javascript):  # noqa: F811
    page = phone(javascript=javascript)
    # The person's server, answered here: nothing leaves the machine.
    page.route(
        "https://mastodon.example/**",
        lambda route: route.fulfill(status=200, content_type="text/plain", body="compose"),
    )
    page.goto("/c/families-june-14")
    page.get_by_label("Your Mastodon server").fill("@me@mastodon.example")
    page.get_by_role("button", name="Share on Mastodon").click()
    if not javascript:  # one more tap, on our page naming where it leads
        page.get_by_role("link", name="Continue to mastodon.example").click()
    expect(page).to_have_url(re.compile(r"^https://mastodon\.example/share\?text=Families"))
    assert "families-june-14" in page.url
