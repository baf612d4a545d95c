"""Zip search pages come from a short-lived cache, per language, never with private bits."""

import time

from eventsite.extensions import db
from eventsite.models import Campaign

HIT = "hit_cache"


def search(client, query="zip=10001", **headers):
    response = client.get(f"/events?{query}", headers=headers)
    assert response.status_code == 200
    return response


def test_a_zip_search_is_served_from_the_cache_until_it_expires(make_app, make_event):
    app = make_app(SEARCH_CACHE_SECONDS=1)
    client = app.test_client()
    make_event(title="First rally")

    first = search(client)
    make_event(title="Second rally")
    again = search(client)

    assert "First rally" in first.text and HIT not in first.headers
    assert "Second rally" not in again.text and again.headers[HIT] == "True"
    assert again.headers["Cache-Control"] == "public, max-age=1"
    time.sleep(1.2)
    fresh = search(client)
    assert "Second rally" in fresh.text and HIT not in fresh.headers


def test_each_language_gets_its_own_page(make_app, make_event):
    client = make_app(SEARCH_CACHE_SECONDS=30).test_client()
    make_event(title="Vigil")

    english = search(client, **{"Accept-Language": "en"})
    spanish = search(client, **{"Accept-Language": "es"})
    spanish_again = search(client, **{"Accept-Language": "es"})

    assert "upcoming event near" in english.text
    assert "próximo" in spanish.text and "upcoming event near" not in spanish.text
    assert spanish_again.headers[HIT] == "True" and spanish_again.text == spanish.text


def test_location_searches_and_bad_input_are_never_cached(make_app, make_event):
    client = make_app(SEARCH_CACHE_SECONDS=30).test_client()
    make_event(title="First rally")
    near_union_square = "lat=40.7359&lng=-73.9911"

    search(client, near_union_square)
    bad = client.get("/events?zip=00000")
    make_event(title="Second rally")
    located = search(client, near_union_square)

    assert bad.status_code == 400 and "Cache-Control" not in bad.headers
    assert "Second rally" in located.text and HIT not in located.headers
    assert "public" not in located.headers.get("Cache-Control", "")
    assert client.get("/events?zip=00000").status_code == 400


def test_a_visitor_with_a_session_is_neither_served_nor_shared(make_app, make_event):
    app = make_app(SEARCH_CACHE_SECONDS=30)
    make_event(title="First rally")
    anonymous = app.test_client()
    search(anonymous)  # now cached
    returning = app.test_client()
    with returning.session_transaction() as session:
        session["_flashes"] = [("message", "Your RSVP is cancelled.")]

    own = search(returning)
    later = search(app.test_client())

    assert "Your RSVP is cancelled." in own.text and HIT not in own.headers
    assert "public" not in own.headers.get("Cache-Control", "")
    assert "Your RSVP is cancelled." not in later.text and later.headers[HIT] == "True"


def test_app_servers_share_pages_through_redis(make_app, make_event, redis_prefix):
    settings = {
        "SEARCH_CACHE_SECONDS": 30,
        "CACHE_URL": "redis://127.0.0.1:6379",
        "CACHE_KEY_PREFIX": redis_prefix,
    }
    one, other = make_app(**settings), make_app(**settings)
    make_event(title="First rally")

    search(one.test_client())
    make_event(title="Second rally")
    from_other = search(other.test_client())

    assert from_other.headers[HIT] == "True" and "Second rally" not in from_other.text


def test_campaign_pages_are_shared_per_campaign(make_app, make_event):
    app = make_app(SEARCH_CACHE_SECONDS=30)
    client = app.test_client()
    with app.app_context():
        families, workers = (
            Campaign(slug="june-14", name="Families Belong Together"),
            Campaign(slug="may-day", name="May Day"),
        )
        db.session.add_all([families, workers])
        db.session.commit()
        families_id, workers_id = families.id, workers.id
    make_event(title="Families vigil", campaign_id=families_id)

    first = client.get("/c/june-14")
    make_event(title="Families march", campaign_id=families_id)
    make_event(title="Workers march", campaign_id=workers_id)
    again, other = client.get("/c/june-14"), client.get("/c/may-day")

    assert "Families vigil" in first.text and HIT not in first.headers
    assert again.headers[HIT] == "True" and "Families march" not in again.text
    assert again.headers["Cache-Control"] == "public, max-age=30"
    assert HIT not in other.headers and "Workers march" in other.text
    assert client.get("/c/no-such-campaign").status_code == 404
