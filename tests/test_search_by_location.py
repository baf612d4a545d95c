"""Searching from the browser's position ("Use my location") instead of a zip code."""

import math
import random
import re

import pytest
from test_api import make_campaign
from test_search import titles

from eventsite.extensions import db
from eventsite.geo import EARTH_RADIUS_MILES, all_zip_places
from eventsite.models import Campaign
from eventsite.places import NAMING_REACH_MILES, nearest_zip, place_at


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


def _nearest_by_full_scan(latitude, longitude, places):
    """The nearest zip within reach by reading every zip code (haversine, from radians and
    cosines worked out once): what nearest_zip must find."""
    phi, lam = math.radians(latitude), math.radians(longitude)
    cos_phi, sin = math.cos(phi), math.sin
    term = min(
        (
            sin((place_phi - phi) / 2) ** 2 + cos_phi * cos_place * sin((place_lam - lam) / 2) ** 2,
            zip_code,
        )
        for place_phi, place_lam, cos_place, zip_code in places
    )
    distance = 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(term[0])))
    return term[1] if distance <= NAMING_REACH_MILES else None


# Poles, the antimeridian in the Aleutians, the open ocean, abroad, and places in reach.
AWKWARD_POSITIONS = [
    (90, 0),
    (-90, 0),
    (89.99, -45),
    (-89.5, 179.9),
    (52, 179.9),
    (52, -179.9),
    (51.4, -180),
    (51.4, 180),
    (0, 0),
    (21.3, -157.9),  # Honolulu
    (13.4, 144.8),  # Guam
    (-14.3, -170.7),  # Pago Pago
    (18.4, -66.1),  # San Juan
    (43.65, -79.38),  # Toronto, 33 miles from Youngstown, NY
    (51.5, -0.1),  # London
    (30, -40),  # mid-Atlantic
]


def test_a_position_is_named_after_the_nearest_zip_code_with_bounded_work():
    places = [
        (
            math.radians(place.latitude),
            math.radians(place.longitude),
            math.cos(math.radians(place.latitude)),
            place.zip_code,
        )
        for place in all_zip_places()
    ]
    positions = random.Random(5)
    everywhere = [(positions.uniform(-90, 90), positions.uniform(-180, 180)) for _ in range(30)]
    americas = [(positions.uniform(15, 72), positions.uniform(-180, -60)) for _ in range(60)]

    for latitude, longitude in AWKWARD_POSITIONS + everywhere + americas:
        found = nearest_zip(latitude, longitude)
        expected = _nearest_by_full_scan(latitude, longitude, places)

        assert (found.place and found.place.zip_code) == expected, (latitude, longitude)
        # A full scan compares 42,000 zip codes. 150 miles spans at most 6 one-degree rows
        # of at most 360 cells each (around a pole, where they are all empty).
        assert found.cells_read <= 6 * 360, (latitude, longitude, found)
        assert found.zips_compared <= 1_500, (latitude, longitude, found)
        named = place_at(latitude, longitude)
        if expected is None:
            assert named is None
        else:
            assert (named.zip_code, named.latitude, named.longitude) == (
                expected,
                latitude,
                longitude,
            )


@pytest.mark.parametrize(
    "position", ["lat=90&lng=0", "lat=-90&lng=0", "lat=0&lng=0", "lat=51.5&lng=-0.1"]
)
@pytest.mark.parametrize("path", ["/events", "/c/june-14"])
def test_a_position_far_from_every_zip_code_is_explained(client, app, make_event, path, position):
    make_campaign(app, slug="june-14")
    make_event(title="Midtown rally")

    response = client.get(f"{path}?{position}&radius=any")

    assert response.status_code == 400
    html = response.get_data(as_text=True).replace("&#39;", "'")
    assert "more than 150 miles from every US zip code" in html
    assert "Enter your zip code instead." in html
    assert "Midtown rally" not in html
