"""Placing events through geopy's Nominatim class, against a stand-in server on 127.0.0.1."""

import zoneinfo
from html import unescape

import pytest
from helpers import csrf_token_from
from nominatim_server import NominatimStandIn
from sqlalchemy import select
from test_hosting import event_form, host_event, manage_token, only_event, outbox

from eventsite.extensions import db
from eventsite.geo import _remember_answer, all_zip_places, lookup_zip
from eventsite.models import Event, GeocodedAddress, GeocodeStatus

DENVER_ZIP = lookup_zip("80202")
# 101 W 14th Ave, Denver: under a mile from the zip code's centre.
CIVIC_CENTER = (39.7392, -104.9903)
NEW_YORK = (40.7128, -74.0060)
PENDING_WORDS = "saved and listed near zip code 80202"


@pytest.fixture
def nominatim():
    server = NominatimStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def app(make_app, nominatim):
    """The site with Nominatim as its geocoder, pointed at the stand-in."""
    return make_app(
        GEOCODER="nominatim",
        NOMINATIM_URL=nominatim.url,
        GEOCODER_TIMEOUT=0.5,
        GEOCODER_MIN_DELAY=0,
        GEOCODE_MAX_ATTEMPTS=3,
    )


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


def host_and_follow(client, **overrides):
    response = host_event(client, **overrides)
    assert response.status_code == 303
    return response, client.get(response.headers["Location"])


def test_a_street_address_the_geocoder_finds_places_the_event_there(client, app, nominatim):
    nominatim.answer_match(*CIVIC_CENTER)

    _, manage = host_and_follow(client)

    event = only_event(app)
    assert event.geocode_status == GeocodeStatus.ADDRESS
    assert (event.latitude, event.longitude) == CIVIC_CENTER
    assert event.timezone == "America/Denver"
    assert nominatim.queries == ["101 W 14th Ave, Denver, CO 80202, USA"]
    [parameters] = nominatim.requests
    assert parameters["format"] == ["json"] and parameters["limit"] == ["1"]
    assert nominatim.user_agents[0].startswith("eventsite")
    assert PENDING_WORDS not in page_text(manage)
    results = client.get("/events?zip=80204&radius=5").get_data(as_text=True)
    assert "Families Belong Together rally" in results


def _refuse_connections(server):
    server.stop()


@pytest.mark.parametrize(
    "make_trouble",
    [
        NominatimStandIn.answer_nothing,
        _refuse_connections,
        lambda server: server.answer_slowly(3),
        NominatimStandIn.answer_rate_limited,
    ],
    ids=["no-match", "connection-refused", "timeout", "rate-limited-429"],
)
def test_event_is_saved_at_its_zip_code_when_the_geocoder_cannot_place_it(
    client, app, nominatim, make_trouble
):
    make_trouble(nominatim)

    _, manage = host_and_follow(client)

    event = only_event(app)
    assert event.geocode_status == GeocodeStatus.ZIP_PENDING
    assert (event.latitude, event.longitude) == (DENVER_ZIP.latitude, DENVER_ZIP.longitude)
    assert event.timezone == "America/Denver"
    assert event.geocode_attempts == 1
    assert PENDING_WORDS in page_text(manage)
    [email] = outbox(app)
    assert PENDING_WORDS in email.body_text
    assert "Families Belong Together rally" in client.get("/events?zip=80202").get_data(
        as_text=True
    )


def test_failures_are_not_cached_so_the_next_event_asks_again(client, app, nominatim):
    nominatim.answer_rate_limited()
    host_event(client)
    nominatim.answer_match(*CIVIC_CENTER)

    host_event(client, title="Second rally at the same park")

    assert len(nominatim.queries) == 2
    with app.app_context():
        statuses = db.session.scalars(select(Event.geocode_status).order_by(Event.id)).all()
    assert statuses == [GeocodeStatus.ZIP_PENDING, GeocodeStatus.ADDRESS]


def test_a_match_far_from_the_zip_code_is_not_trusted(client, app, nominatim):
    nominatim.answer_match(*NEW_YORK)

    _, manage = host_and_follow(client)

    event = only_event(app)
    assert event.geocode_status == GeocodeStatus.ZIP_FLAGGED
    assert (event.latitude, event.longitude) == (DENVER_ZIP.latitude, DENVER_ZIP.longitude)
    assert event.timezone == "America/Denver"
    text = page_text(manage)
    assert "more than 30 miles from that zip code" in text
    assert "check the street address" in text


def test_one_address_is_asked_once(client, app, nominatim):
    nominatim.answer_match(*CIVIC_CENTER)

    host_event(client)
    # The same address with other capitals and spacing.
    host_event(client, title="Second rally at the same park", street_address="101  w 14th AVE")

    assert len(nominatim.queries) == 1
    with app.app_context():
        events = db.session.scalars(select(Event)).all()
        cached = db.session.scalars(select(GeocodedAddress)).all()
        assert [(e.latitude, e.longitude) for e in events] == [CIVIC_CENTER, CIVIC_CENTER]
        assert [e.geocode_status for e in events] == [GeocodeStatus.ADDRESS] * 2
        assert [(c.query, c.latitude) for c in cached] == [
            ("101 w 14th ave, denver, co 80202, usa", CIVIC_CENTER[0])
        ]


def test_an_edited_address_is_asked_about(client, app, nominatim):
    nominatim.answer_match(*CIVIC_CENTER)
    token = manage_token(host_event(client))
    nominatim.answer_match(40.0150, -105.2705)
    form = client.get(f"/host/{token}/edit").get_data(as_text=True)

    client.post(
        f"/host/{token}/edit",
        data=event_form(
            street_address="1777 Broadway",
            city="Boulder",
            zip_code="80302",
            csrf_token=csrf_token_from(form),
        ),
    )

    event = only_event(app)
    assert nominatim.queries[-1] == "1777 Broadway, Boulder, CO 80302, USA"
    assert (event.latitude, event.longitude) == (40.0150, -105.2705)
    assert event.geocode_status == GeocodeStatus.ADDRESS


def test_geocode_pending_places_an_event_saved_while_the_geocoder_was_down(client, app, nominatim):
    nominatim.stop()
    _, manage = host_and_follow(client)
    assert PENDING_WORDS in page_text(manage)
    assert only_event(app).geocode_status == GeocodeStatus.ZIP_PENDING

    nominatim.start()
    nominatim.answer_match(*CIVIC_CENTER)
    result = app.test_cli_runner().invoke(args=["geocode-pending"])

    assert result.exit_code == 0, result.output
    assert "Placed 1 at their street address" in result.output
    event = only_event(app)
    assert event.geocode_status == GeocodeStatus.ADDRESS
    assert (event.latitude, event.longitude) == CIVIC_CENTER
    assert event.geocode_attempts == 2
    assert event.timezone == "America/Denver"
    assert "Families Belong Together rally" in client.get("/events?zip=80204&radius=5").get_data(
        as_text=True
    )

    again = app.test_cli_runner().invoke(args=["geocode-pending"])
    assert "Placed 0" in again.output
    assert len(nominatim.queries) == 1


def test_geocode_pending_asks_again_about_an_address_it_found_nothing_for(client, app, nominatim):
    nominatim.answer_nothing()
    host_event(client)
    nominatim.answer_match(*CIVIC_CENTER)

    result = app.test_cli_runner().invoke(args=["geocode-pending"])

    assert "Placed 1" in result.output
    assert len(nominatim.queries) == 2
    assert only_event(app).geocode_status == GeocodeStatus.ADDRESS


def test_geocode_pending_gives_up_after_the_maximum_attempts(client, app, nominatim):
    nominatim.answer_rate_limited()
    host_event(client)  # attempt 1 of 3
    runner = app.test_cli_runner()

    first = runner.invoke(args=["geocode-pending"])
    second = runner.invoke(args=["geocode-pending"])
    third = runner.invoke(args=["geocode-pending"])

    assert "1 still waiting" in first.output
    assert "1 given up after 3 tries" in second.output
    assert "Placed 0" in third.output and "0 still waiting" in third.output
    assert len(nominatim.queries) == 3
    event = only_event(app)
    assert event.geocode_status == GeocodeStatus.ZIP_PENDING
    assert event.geocode_attempts == 3


def test_geocode_pending_with_the_offline_geocoder_says_so(make_app):
    result = make_app().test_cli_runner().invoke(args=["geocode-pending"])
    assert "offline" in result.output


def test_every_zip_code_has_a_real_time_zone():
    known = zoneinfo.available_timezones()
    assert all(place.timezone in known for place in all_zip_places())
    # The zipcodes package names a town here instead of a zone.
    assert lookup_zip("99634").timezone == "America/Anchorage"


def test_a_second_answer_for_a_cached_address_keeps_the_first(app):
    # Two requests that missed the cache at once both insert; neither may fail.
    with app.app_context():
        _remember_answer("1 main st, denver, co 80202, usa", CIVIC_CENTER, "nominatim")
        db.session.commit()
        _remember_answer("1 main st, denver, co 80202, usa", None, "nominatim")
        db.session.commit()
        [cached] = db.session.scalars(select(GeocodedAddress)).all()
        assert (cached.latitude, cached.longitude) == CIVIC_CENTER
