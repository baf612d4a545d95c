"""Searching from the browser's position ("Use my location") instead of a zip code."""

import math
import random
import re

import pytest
from test_search import titles

from eventsite.extensions import db
from eventsite.geo import all_zip_places
from eventsite.models import Campaign
from eventsite.search.places import place_at


def test_search_by_position_lists_nearest_first_and_names_the_place(client, make_event):
    make_event(title="Philadelphia rally", latitude=39.9526, longitude=-75.1652)
    make_event(title="Brooklyn rally", latitude=40.6782, longitude=-73.9442, city="Brooklyn")
    make_event(title="Midtown rally", latitude=40.7505, longitude=-73.9934)

    # Standing in Park Slope, Brooklyn: Brooklyn is nearer than Midtown.
    response = client.get("/events?lat=40.6710&lng=-73.9814&radius=100")

    assert response.status_code == 200
    assert titles(response) == ["Brooklyn rally", "Midtown rally", "Philadelphia rally"]
    html = response.get_data(as_text=True)
    assert "3 upcoming events near Brooklyn, NY 112" in html
    # The zip box shows where the position was placed, ready for the next search.
    assert re.search(r'name="zip"[^>]*value="112\d\d"', html)


def test_search_by_position_respects_the_radius(client, make_event):
    make_event(title="Midtown rally", latitude=40.7505, longitude=-73.9934)
    make_event(title="Philadelphia rally", latitude=39.9526, longitude=-75.1652)

    response = client.get("/events?lat=40.7484&lng=-73.9857&radius=25")

    assert titles(response) == ["Midtown rally"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("lat=91&lng=-73.98", "latitude must be a number from -90 to 90"),
        ("lat=-90.5&lng=-73.98", "latitude must be a number from -90 to 90"),
        ("lat=40.7&lng=181", "longitude must be a number from -180 to 180"),
        ("lat=40.7&lng=east", "longitude must be a number from -180 to 180"),
        ("lat=nan&lng=-73.98", "latitude must be a number from -90 to 90"),
        ("lat=40.7", "longitude must be a number from -180 to 180"),
        ("lng=-73.98&zip=10001", "latitude must be a number from -90 to 90"),
    ],
)
def test_a_bad_position_is_explained(client, query, message):
    response = client.get(f"/events?{query}")

    assert response.status_code == 400
    html = response.get_data(as_text=True).replace("&#39;", "'")
    assert message in html
    assert "Enter your zip code instead." in html


def test_use_my_location_button_is_hidden_without_javascript(client):
    html = client.get("/").get_data(as_text=True)

    button = re.search(r"<button[^>]*data-locate[^>]*>", html, re.S).group(0)
    assert "Your browser did not share your location." in button  # the refusal message
    assert re.search(r'<script src="/static/locate\.js\?v=\w+" defer></script>', html)
    no_script = re.search(r'<noscript><link rel="stylesheet" href="([^"]+)"></noscript>', html)
    with client.get(no_script.group(1)) as stylesheet:
        assert "[data-locate]" in stylesheet.get_data(as_text=True)


def test_campaign_page_searches_by_position_too(client, app, make_event):
    with app.app_context():
        campaign = Campaign(slug="june-14", name="Families Belong Together")
        db.session.add(campaign)
        db.session.commit()
        campaign_id = campaign.id
    make_event(
        title="Brooklyn vigil", campaign_id=campaign_id, latitude=40.6782, longitude=-73.9442
    )
    make_event(title="Midtown rally", campaign_id=campaign_id, latitude=40.7505, longitude=-73.9934)
    make_event(title="Midtown rally outside the campaign", latitude=40.7505, longitude=-73.9934)

    response = client.get("/c/june-14?lat=40.6710&lng=-73.9814&radius=25")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "2 events near Brooklyn, NY" in html
    assert html.index("Brooklyn vigil") < html.index("Midtown rally")
    assert "outside the campaign" not in html
    assert client.get("/c/june-14?lat=40.6710&lng=500").status_code == 400


def test_a_position_is_named_after_the_nearest_zip_code():
    places = all_zip_places()
    by_zip = {place.zip_code: place for place in places}
    positions = random.Random(5)

    for _ in range(300):
        latitude, longitude = positions.uniform(15, 70), positions.uniform(-175, -60)
        shrink = math.cos(math.radians(latitude))

        def closeness(place, latitude=latitude, longitude=longitude, shrink=shrink):
            return (place.latitude - latitude) ** 2 + ((place.longitude - longitude) * shrink) ** 2

        named = place_at(latitude, longitude)
        assert (named.latitude, named.longitude) == (latitude, longitude)
        assert closeness(by_zip[named.zip_code]) == min(closeness(place) for place in places)
