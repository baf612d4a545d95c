"""Issue 20's design pass, measured in Chromium at 390x844: what a phone shows and asks for."""

import re

import pytest
from helpers import emailed_rsvp_token
from playwright.sync_api import expect

from eventsite.extensions import db
from eventsite.models import Campaign

# The phone's screen: what shows before any scrolling.
PHONE_HEIGHT = 844

# Rows of the header: a link's middle more than this far below another's starts a new row.
ROW_GAP_PX = 12


def header_rows(page) -> int:
    """How many rows the header's brand and links are laid out on."""
    middles = page.eval_on_selector_all(
        ".site-header a",
        "links => links.map(link => { const box = link.getBoundingClientRect();"
        " return box.top + box.height / 2; })",
    )
    rows = []
    for middle in sorted(middles):
        if not rows or middle - rows[-1] > ROW_GAP_PX:
            rows.append(middle)
    return len(rows)


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
def test_the_header_fits_on_two_rows_in_both_languages(phone, locale):
    page = phone(locale=locale)
    for path in ("/", "/events?zip=10003", "/privacy"):
        page.goto(path)
        assert header_rows(page) <= 2, f"{locale} {path}: the header wraps onto 3+ rows"


def site_requests(page, live_url: str) -> list[str]:
    return [url for url in page.requests_seen if not url.startswith(live_url + "/")]


@pytest.fixture
def watched_phone(phone, live_server):
    """A phone page that records the address of every request it makes."""

    def open_watched():
        page = phone()
        page.requests_seen = []
        page.on("request", lambda request: page.requests_seen.append(request.url))
        return page

    return open_watched


@pytest.mark.parametrize("path", ["/events?zip=10003", "event"])
def test_no_request_leaves_the_site_until_the_map_is_asked_for(
    watched_phone, live_server, make_event, path
):
    event_id = make_event(title="Union Square rally")
    page = watched_phone()
    page.goto(f"/events/{event_id}" if path == "event" else path)
    # Scrolled to the end and left a moment: nothing loads from another host.
    page.mouse.wheel(0, 20_000)
    page.wait_for_load_state("networkidle")
    assert site_requests(page, live_server) == []
    expect(page.locator(".leaflet-container")).to_have_count(0)

    page.get_by_role("button", name="Show map").click()
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    expect(page.locator(".leaflet-tile-loaded").first).to_be_attached()
    assert site_requests(page, live_server), "the tiles load once the map is asked for"
    assert all(url.startswith("https://tiles.invalid/") for url in site_requests(page, live_server))


def test_the_rsvp_button_is_on_the_first_screen_and_jumps_to_the_form(phone, make_event):
    event_id = make_event(title="Union Square rally")
    page = phone()
    page.goto(f"/events/{event_id}")
    jump = page.get_by_role("link", name="RSVP", exact=True)
    box = jump.bounding_box()
    assert box["y"] + box["height"] <= PHONE_HEIGHT, "the RSVP button is below the first screen"
    jump.click()
    expect(page.get_by_label("Your name")).to_be_in_viewport()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_mistake_in_the_rsvp_is_summed_up_at_the_form_and_shown_first(
    phone, make_event, assert_accessible, javascript
):
    event_id = make_event(title="Union Square rally")
    page = phone(javascript=javascript)
    page.goto(f"/events/{event_id}")
    page.get_by_label("Your name").fill("Rosa Parks")
    page.get_by_label("Email").fill("typo@example")
    page.get_by_label("Zip code").fill("10003")
    page.get_by_role("button", name="RSVP").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_in_viewport()  # the answer opens scrolled to the form
    expect(page).to_have_title(re.compile(r"^Error: Union Square rally"))
    if javascript:
        expect(summary).to_be_focused()
        assert_accessible(page)
    summary.get_by_role("link").click()
    expect(page.get_by_label("Email")).to_be_in_viewport()
    if javascript:
        expect(page.get_by_label("Email")).to_be_focused()
    # What was typed is still there.
    expect(page.get_by_label("Your name")).to_have_value("Rosa Parks")


def test_three_results_show_on_the_first_screen_and_the_map_is_a_tap_away(phone, make_event):
    for number, (latitude, longitude) in enumerate(
        [(40.7359, -73.9911), (40.6782, -73.9442), (40.7357, -74.1724), (40.80, -73.95)]
    ):
        make_event(
            title=f"Vigil for families number {number}", latitude=latitude, longitude=longitude
        )
    page = phone()
    page.goto("/events?zip=10003")
    third = page.locator("ol.results > li").nth(2)
    box = third.bounding_box()
    assert box["y"] + box["height"] <= PHONE_HEIGHT, "the third result is below the first screen"
    # The search is one line until asked for, and says what was searched.
    expect(page.get_by_text("Events near 10003 · 25 mi")).to_be_visible()
    expect(page.get_by_label("Zip code")).to_be_hidden()
    page.get_by_text("Change", exact=True).click()
    expect(page.get_by_label("Zip code")).to_have_value("10003")

    page.get_by_role("button", name="Show map").click()
    expect(page.locator(".leaflet-marker-icon")).to_have_count(4)
    panel = page.locator("[data-map]").bounding_box()
    assert panel["height"] >= PHONE_HEIGHT * 0.7, "the map fills the screen"
    page.get_by_role("button", name="Back to the list").click()
    expect(page.locator("[data-map]")).to_be_hidden()


def test_axe_finds_nothing_at_all_on_the_main_pages(phone, app, make_event, assert_no_violations):
    with app.app_context():
        campaign = Campaign(slug="june-14", name="Families Belong Together")
        db.session.add(campaign)
        db.session.commit()
        campaign_id = campaign.id
    event_id = make_event(title="Union Square rally", campaign_id=campaign_id)
    make_event(title="Brooklyn vigil", latitude=40.6782, longitude=-73.9442)
    page = phone()
    for path in ("/", "/events?zip=10003", f"/events/{event_id}", "/c/june-14"):
        page.goto(path)
        assert_no_violations(page)
    page.goto(f"/events/{event_id}")
    page.get_by_label("Your name").fill("Rosa Parks")
    page.get_by_label("Email").fill("rosa@example.org")
    page.get_by_label("Zip code").fill("10003")
    page.get_by_role("button", name="RSVP").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_no_violations(page)
    page.goto(f"/rsvps/{emailed_rsvp_token(app, 'rosa@example.org')}")
    assert_no_violations(page)
