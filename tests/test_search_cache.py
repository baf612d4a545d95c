"""Zip search pages come from a short-lived cache, per language, never with private bits."""

import time

from test_api import make_campaign
from test_search import titles

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


def _three_events_near_grand_central(make_event):
    make_event(title="Midtown rally", latitude=40.7527, longitude=-73.9772)
    make_event(title="Union Square vigil", latitude=40.7359, longitude=-73.9911)
    make_event(title="Brooklyn march", latitude=40.6782, longitude=-73.9442, city="Brooklyn")


def test_a_query_string_cannot_pass_one_page_off_as_another(make_app, make_event):
    client = make_app(SEARCH_CACHE_SECONDS=30, SEARCH_PAGE_SIZE=1).test_client()
    _three_events_near_grand_central(make_event)

    # "page=2&radius=25" is the page parameter's value here: nonsense, so page 1.
    injected = search(client, "page=2%26radius%3D25&zip=10017")
    second = search(client, "zip=10017&radius=25&page=2")

    assert titles(injected) == ["Midtown rally"]
    assert titles(second) == ["Union Square vigil"] and HIT not in second.headers


def _main(response) -> str:
    html = response.get_data(as_text=True)
    return html[html.index('<main id="main">') : html.index("</main>")]


# Ways of writing the same few searches, and searches a careless key would mix up.
ODD_QUERIES = [
    "zip=10017&radius=25&page=2",
    "page=2%26radius%3D25&zip=10017",
    "zip=10017&page=2&radius=25",
    "zip=10017%26page%3D2",
    "zip=10017-1234&radius=25&page=2",
    "zip=+10017+&page=2",
    "zip=10017&radius=25&radius=5&page=2",
    "zip=10017&radius=5&radius=25&page=2",
    "zip=10017&radius=&page=2",
    "zip=10017&page=2&page=1",
    "zip=10017&page=1&page=2",
    "zip=10017&zip=11201&page=2",
    "zip=11201&zip=10017&page=2",
    "zip=10017&page=2&utm_source=newsletter&fbclid=abc",
    "zip=10017&page=02",
    "zip=10017&page=2.0",
    "zip=10017&page=3",
    "zip=10017&page=9999",
    "zip=10017&lat=&lng=&page=2",
    "zip=10017&lat=+&page=2",
    "zip=10017&radius=any",
    "zip=99999&page=2",
    "radius=5",
    "",
]


def test_every_query_gets_the_page_it_would_get_without_the_cache(make_app, make_event):
    cached = make_app(SEARCH_CACHE_SECONDS=30, SEARCH_PAGE_SIZE=1).test_client()
    fresh = make_app(SEARCH_CACHE_SECONDS=0, SEARCH_PAGE_SIZE=1).test_client()
    _three_events_near_grand_central(make_event)

    for _ in range(2):  # the second round comes from the cache where a page was kept
        for query in ODD_QUERIES:
            from_cache, built = cached.get(f"/events?{query}"), fresh.get(f"/events?{query}")

            assert from_cache.status_code == built.status_code, query
            assert _main(from_cache) == _main(built), query
    hits = [query for query in ODD_QUERIES if HIT in cached.get(f"/events?{query}").headers]
    assert "zip=10017&page=2&utm_source=newsletter&fbclid=abc" in hits


def test_shared_pages_link_only_to_the_search_they_show(make_app, make_event):
    client = make_app(SEARCH_CACHE_SECONDS=30).test_client()
    make_event(title="Midtown rally")

    first = search(client, "zip=10017&radius=25&fbclid=someone-elses-click")
    again = search(client, "zip=10017&radius=25")

    assert again.headers[HIT] == "True"
    assert "someone-elses-click" not in first.text
    assert "/language/es?next=/events?zip%3D10017%26radius%3D25" in again.text.replace("&amp;", "&")


def test_a_campaign_page_shared_with_tracking_parameters_is_still_shared(make_app, make_event):
    app = make_app(SEARCH_CACHE_SECONDS=30)
    client = app.test_client()
    campaign_id = make_campaign(app, slug="june-14")
    make_event(title="Families vigil", campaign_id=campaign_id)

    first = client.get("/c/june-14?fbclid=first-click")
    again = client.get("/c/june-14?fbclid=second-click")
    searched = client.get("/c/june-14?zip=10001&fbclid=third-click")
    # UTM tags are carried on in the page's links and forms (attribution.py): a page of
    # their own, shared by everyone who came by the same link.
    tagged = client.get("/c/june-14?fbclid=fourth-click&utm_source=facebook")
    tagged_again = client.get("/c/june-14?utm_source=facebook&fbclid=fifth-click")

    assert again.status_code == 200 and again.headers[HIT] == "True"
    assert "click" not in first.text and "click" not in again.text
    assert "Families vigil" in searched.text and HIT not in searched.headers
    assert "click" not in searched.text
    assert HIT not in tagged.headers and "utm_source=facebook" in tagged.text
    assert tagged_again.headers[HIT] == "True" and "click" not in tagged_again.text
    assert "utm_source" not in first.text


def test_with_a_public_url_every_host_gets_the_same_kept_page(make_app):
    app = make_app(
        SEARCH_CACHE_SECONDS=30, SERVER_NAME=None, PUBLIC_URL="https://events.example.org"
    )
    make_campaign(app, slug="june-14")

    app.test_client().get("/c/june-14", headers={"Host": "evil.example"})
    honest = app.test_client().get("/c/june-14", headers={"Host": "events.example.org"})

    assert honest.headers[HIT] == "True" and "evil.example" not in honest.text
