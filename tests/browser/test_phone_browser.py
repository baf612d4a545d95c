"""The main flows in headless Chromium on a 390x844 phone, with and without JavaScript."""

import re
from datetime import date, timedelta

import pytest
from helpers import emailed_rsvp_token
from playwright.sync_api import expect

from eventsite.extensions import db
from eventsite.models import Campaign

NEAR_UNION_SQUARE = {"latitude": 40.7359, "longitude": -73.9911}


@pytest.fixture
def events(make_event):
    """Three events around New York, nearest to 10003 first."""
    return [
        make_event(title="Union Square rally"),
        make_event(title="Brooklyn vigil", city="Brooklyn", latitude=40.6782, longitude=-73.9442),
        make_event(
            title="Newark town hall",
            city="Newark",
            state="NJ",
            zip_code="07102",
            latitude=40.7357,
            longitude=-74.1724,
        ),
    ]


def expect_map_with_markers(page, count: int) -> None:
    """Asked for, the map draws its markers and its credits."""
    page.get_by_role("button", name="Show map").click()
    expect(page.locator(".leaflet-marker-icon")).to_have_count(count)
    expect(page.locator(".leaflet-control-attribution a").first).to_be_visible()


def search_by_zip(page, zip_code: str = "10003") -> None:
    page.goto("/")
    page.get_by_label("Zip code").fill(zip_code)
    page.get_by_role("button", name="Find events").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("3 upcoming events near")


def rsvp_and_see_confirmation(page) -> None:
    page.get_by_role("link", name="Union Square rally").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Union Square rally")
    page.get_by_label("Your name").fill("Rosa Parks")
    page.get_by_label("Email").fill("rosa@example.org")
    page.get_by_label("Zip code").fill("10003")
    page.get_by_role("button", name="RSVP").click()
    # The private link goes by email only, so the answer is the same for anyone.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")


def test_find_an_event_by_zip_and_rsvp(phone, events, assert_accessible):
    page = phone()
    page.goto("/")
    assert_accessible(page)

    search_by_zip(page)
    results = page.locator("ol.results > li h2")
    expect(results).to_have_text(["Union Square rally", "Brooklyn vigil", "Newark town hall"])
    # The map fills in when asked for, one marker per listed event.
    expect_map_with_markers(page, 3)
    expect(page.locator(".leaflet-tile-loaded").first).to_be_attached()
    assert_accessible(page)
    # The map covers the list; the list is a tap away.
    page.get_by_role("button", name="Back to the list").click()

    page.get_by_role("link", name="Union Square rally").click()
    expect_map_with_markers(page, 1)
    assert_accessible(page)
    page.go_back()
    rsvp_and_see_confirmation(page)
    assert_accessible(page)


def test_a_map_marker_opens_a_popup_linking_to_the_event(phone, events):
    page = phone()
    search_by_zip(page)
    page.get_by_role("button", name="Show map").click()

    page.get_by_role("button", name="Brooklyn vigil").click()

    popup_link = page.locator(".leaflet-popup-content a")
    expect(popup_link).to_have_text("Brooklyn vigil")
    popup_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brooklyn vigil")


def test_find_an_event_and_rsvp_without_javascript(app, phone, events):
    page = phone(javascript=False)
    search_by_zip(page)

    expect(page.locator("[data-map]")).to_be_hidden()
    expect(page.get_by_role("button", name="Use my location")).to_be_hidden()
    rsvp_and_see_confirmation(page)
    # The emailed private link's page changes and cancels the RSVP with plain forms.
    page.goto(f"/rsvps/{emailed_rsvp_token(app, 'rosa@example.org')}")
    page.get_by_label("Bringing anyone?").select_option("2")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".status")).to_have_text(re.compile(r"Going\s+with 2 guests"))
    page.get_by_role("button", name="Cancel my RSVP").click()
    expect(page.locator(".status")).to_have_text("Cancelled")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_host_form_explains_a_mistake_then_lists_the_event(phone, assert_accessible, javascript):
    page = phone(javascript=javascript)
    page.goto("/")
    page.get_by_role("link", name="Host an event").click()
    if javascript:
        assert_accessible(page)
    next_week = (date.today() + timedelta(days=7)).isoformat()
    page.get_by_label("Event title").fill("Families Belong Together rally")
    page.get_by_label("Kind of event").select_option("rally")
    page.get_by_label("Description").fill("Bring signs, water and friends. We march at noon.")
    page.get_by_label("Date", exact=True).fill(next_week)
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Ends at").fill("12:00")
    page.get_by_label("City", exact=True).fill("Denver")
    page.get_by_label("State", exact=True).select_option("CO")
    page.get_by_label("Zip code").fill("80202")
    page.get_by_label("Your name").fill("Dolores Host")
    page.get_by_label("Your email").fill("dolores@example.org")
    # The street address is left out.
    page.get_by_role("button", name="List my event").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Street address: Enter the street address")
    expect(summary).to_be_in_viewport()
    summary.get_by_role("link").click()
    street = page.get_by_label("Street address")
    expect(street).to_be_in_viewport()
    expect(street).to_have_attribute("aria-invalid", "true")
    expect(street).to_have_accessible_description(re.compile("Enter the street address"))
    if javascript:
        assert_accessible(page)

    street.fill("101 W 14th Ave")
    page.get_by_role("button", name="List my event").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your event is listed!")
    assert "/host/" in page.url
    if javascript:
        assert_accessible(page)


def test_use_my_location_searches_from_where_the_phone_is(phone, events):
    page = phone(geolocation=NEAR_UNION_SQUARE, permissions=["geolocation"])
    page.goto("/")

    page.get_by_role("button", name="Use my location").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("3 upcoming events near")
    assert "lat=40.73590" in page.url and "lng=-73.99110" in page.url
    expect(page.locator("ol.results > li h2").first).to_have_text("Union Square rally")


def test_use_my_location_explains_a_refusal(phone, events):
    page = phone(geolocation=NEAR_UNION_SQUARE)  # the site is not allowed to know it
    page.goto("/")

    page.get_by_role("button", name="Use my location").click()

    expect(page.get_by_role("status").filter(has_text="location")).to_have_text(
        re.compile("did not share your location. Enter your zip code instead")
    )
    assert page.url.endswith("/")
    page.get_by_label("Zip code").fill("10003")
    page.get_by_role("button", name="Find events").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("3 upcoming events near")


def test_campaign_page_maps_its_events_and_can_be_shared(phone, app, make_event, assert_accessible):
    with app.app_context():
        campaign = Campaign(slug="june-14", name="Families Belong Together")
        db.session.add(campaign)
        db.session.commit()
        campaign_id = campaign.id
    make_event(title="Union Square rally", campaign_id=campaign_id)
    make_event(
        title="Brooklyn vigil", campaign_id=campaign_id, latitude=40.6782, longitude=-73.9442
    )
    page = phone(permissions=["clipboard-read", "clipboard-write"])
    page.goto("/c/june-14")

    expect_map_with_markers(page, 2)
    assert_accessible(page)
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#share-url-status")).to_have_text("Link copied.")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.endswith("/c/june-14")
    expect(page.get_by_role("link", name="WhatsApp")).to_have_attribute(
        "href", re.compile(r"^https://wa\.me/\?text=Families\+Belong\+Together")
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_spanish_speaking_phone_finds_an_event_and_rsvps_in_spanish(
    phone, events, assert_accessible, javascript
):
    page = phone(javascript=javascript, locale="es-ES")
    # axe runs as a script, so it checks the pages only when JavaScript is on.
    check = assert_accessible if javascript else (lambda page: None)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    check(page)
    page.get_by_label("Código postal").fill("10003")
    page.get_by_role("button", name="Buscar eventos").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("3 eventos próximos cerca de")
    check(page)
    page.get_by_role("link", name="Union Square rally").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_label("Tu nombre").fill("Dolores Huerta")
    page.get_by_label("Correo electrónico").fill("dolores@example.org")
    page.get_by_label("Código postal").fill("10003")
    page.get_by_role("button", name="Confirma tu asistencia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revisa tu correo")
    check(page)


def test_the_language_switch_overrides_the_browser_and_is_remembered(phone, events):
    page = phone(javascript=False, locale="en-US")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.goto("/events?zip=10003")
    expect(page.get_by_role("heading", level=1)).to_contain_text("3 eventos próximos cerca de")
