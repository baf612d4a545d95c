"""Issue 20's design pass, measured in Chromium at 390x844: what a phone shows and asks for."""

import re

import pytest
from playwright.sync_api import expect

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
