"""Where sign-ups come from, in a phone's browser with and without JavaScript: the tags of
the landing link reach the stored RSVP; the organizer's dashboard reads well on a phone."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from test_phone_browser import (  # noqa: F401 (events: a fixture)
    NEAR_UNION_SQUARE,
    events,
    rsvp_and_see_confirmation,
)

from eventsite.extensions import db
from eventsite.models import Campaign, Rsvp

TAGS = "utm_source=newsletter&utm_medium=email&utm_campaign=june-14&ref=Abc123"
EXPECTED = {"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "june-14",
            "utm_content": None, "utm_term": None, "ref": "Abc123"}  # fmt: skip


def stored_tags(app) -> dict:
    with app.app_context():
        row = db.session.scalar(select(Rsvp))
        return {name: getattr(row, name) for name in EXPECTED}


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.usefixtures("events")
def test_landing_tags_reach_the_rsvp(phone, app, javascript):
    page = phone(javascript=javascript)
    page.goto("/?" + TAGS)
    page.get_by_label("Zip code").fill("10003")
    page.get_by_role("button", name="Find events").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("3 upcoming events near")
    assert "ref=Abc123" in page.url
    rsvp_and_see_confirmation(page)

    assert stored_tags(app) == EXPECTED
    assert not [c for c in page.context.cookies() if "utm" in c["name"] + c["value"]]
    # The invite link carries the person's own code now, not the one they came by.
    invite = page.get_by_label("Link to this page").input_value()
    assert "ref=" in invite and "Abc123" not in invite and "rosa" not in invite


@pytest.mark.usefixtures("events")
def test_use_my_location_keeps_the_tags(phone, app):
    page = phone(geolocation=NEAR_UNION_SQUARE, permissions=["geolocation"])
    page.goto("/?" + TAGS)
    page.get_by_role("button", name="Use my location").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("3 upcoming events near")
    assert "lat=40.73590" in page.url and "utm_source=newsletter" in page.url
    rsvp_and_see_confirmation(page)
    assert stored_tags(app) == EXPECTED


def test_the_campaign_dashboard_is_accessible_on_a_phone(phone, app, assert_accessible):
    with app.app_context():
        db.session.add(Campaign(slug="june-14", name="Families Belong Together"))
        db.session.commit()
    password = "correct horse battery"
    result = app.test_cli_runner().invoke(
        args=["create-organizer", "org@example.org", "--campaign", "june-14"],
        input=f"{password}\n{password}\n",
    )
    assert result.exit_code == 0, result.output
    page = phone()
    page.goto("/organizers/login")
    page.get_by_label("Email").fill("org@example.org")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.goto("/organizers/campaigns/june-14/dashboard")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Families Belong Together")
    expect(page.get_by_role("img", name="RSVPs per state")).to_be_visible()
    expect(page.get_by_role("table", name="RSVPs per state")).to_be_attached()
    assert_accessible(page)
