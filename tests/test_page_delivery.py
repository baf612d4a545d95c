"""How pages reach a phone: security headers, compression, cached static files, absolute links."""

import gzip
import re

import brotli
import pytest
from test_hosting import host_event, manage_token

from eventsite.templating import allow_framing
from eventsite.urls import external_url


def csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )


def test_pages_allow_scripts_and_styles_only_from_the_site(client, make_event):
    event_id = make_event()
    for path in ("/", "/events?zip=10001", f"/events/{event_id}", "/events/new"):
        response = client.get(path)
        policy = csp(response)
        assert policy["script-src"] == "'self'", path
        assert policy["style-src"] == "'self'", path
        assert policy["object-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        html = response.get_data(as_text=True)
        # Nothing inline for the policy to block: only external scripts and data blocks.
        assert not re.search(r"<script(?![^>]*(?:\bsrc=|application/ld\+json))", html), path
        assert " style=" not in html and "<style" not in html, path


@pytest.mark.parametrize(
    ("tile_url", "allowed"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tiles.example.net/{z}/{x}/{y}.png", "https://*.tiles.example.net"),
        ("http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png", "http://127.0.0.1:8080"),
        ("/static/tiles/{z}/{x}/{y}.png", ""),
    ],
)
def test_map_tiles_are_allowed_from_the_configured_server(make_app, tile_url, allowed):
    client = make_app(MAP_TILE_URL=tile_url).test_client()

    response = client.get("/")

    assert csp(response)["img-src"] == " ".join(filter(None, ["'self'", "data:", allowed]))
    assert f'data-tile-url="{tile_url}"' not in response.get_data(as_text=True)  # no map: home


def test_the_map_reads_its_tile_server_and_attribution_from_the_config(make_app, make_event):
    app = make_app(
        MAP_TILE_URL="https://tiles.example.net/{z}/{x}/{y}.png",
        MAP_ATTRIBUTION="Tiles by Example",
    )
    event_id = make_event()

    html = app.test_client().get(f"/events/{event_id}").get_data(as_text=True)

    assert 'data-tile-url="https://tiles.example.net/{z}/{x}/{y}.png"' in html
    assert 'data-attribution="Tiles by Example"' in html
    assert 'data-lat="40.7359" data-lng="-73.9911"' in html
    assert re.search(r'<script src="/static/map\.js\?v=\w+" defer></script>', html)


def test_private_pages_keep_their_stricter_referrer_policy(client):
    token = manage_token(host_event(client))

    response = client.get(f"/host/{token}")

    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_framable_pages_drop_only_the_frame_protection(make_app):
    app = make_app()

    @app.get("/framable-test")
    @allow_framing
    def framable():
        return "embedded"

    response = app.test_client().get("/framable-test")

    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors" not in csp(response)
    assert csp(response)["script-src"] == "'self'"


@pytest.mark.parametrize(
    ("encoding", "decompress"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
def test_pages_are_compressed_for_browsers_that_accept_it(client, make_event, encoding, decompress):
    for number in range(10):
        make_event(title=f"Rally number {number}")

    plain = client.get("/events?zip=10001")
    packed = client.get("/events?zip=10001", headers={"Accept-Encoding": encoding})

    assert packed.headers["Content-Encoding"] == encoding
    assert len(packed.data) < len(plain.data) / 3
    assert decompress(packed.data) == plain.data


def test_compression_can_be_turned_off(make_app):
    client = make_app(COMPRESS_RESPONSES=False).test_client()

    response = client.get("/", headers={"Accept-Encoding": "gzip, br"})

    assert "Content-Encoding" not in response.headers


def test_static_files_have_content_hashed_urls_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
    assert re.fullmatch(r"/static/site\.css\?v=[0-9a-f]{12}", stylesheet)

    with client.get(stylesheet) as response:
        assert response.status_code == 200
        assert response.cache_control.max_age == 365 * 24 * 3600
        assert response.cache_control.immutable
    with client.get("/static/site.css") as unversioned:
        assert unversioned.cache_control.max_age != 365 * 24 * 3600


@pytest.mark.parametrize(
    ("encoding", "decompress"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
def test_scripts_are_sent_compressed_as_small_as_they_go(app, client, encoding, decompress):
    path = "/static/vendor/leaflet/leaflet.js"
    with open(app.static_folder + "/vendor/leaflet/leaflet.js", "rb") as file:
        original = file.read()

    with client.get(path, headers={"Accept-Encoding": f"{encoding}, deflate"}) as response:
        assert response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert response.get_etag()[0].endswith(f":{encoding}")
        assert decompress(response.data) == original
        assert len(response.data) < 43_000  # Leaflet is 147 KB as it comes
    with client.get(path) as plain:
        assert "Content-Encoding" not in plain.headers
        assert plain.data == original


def test_favicon_and_robots_txt_are_served(client):
    with client.get("/favicon.ico", headers={"Accept-Encoding": "br, gzip"}) as icon:
        assert icon.status_code == 200
        assert icon.mimetype == "image/vnd.microsoft.icon"
        assert icon.data[:4] == b"\x00\x00\x01\x00"

    robots = client.get("/robots.txt")
    assert robots.mimetype == "text/plain"
    assert "Disallow: /host/" in robots.get_data(as_text=True)
    assert "Disallow: /rsvps/" in robots.get_data(as_text=True)


def test_public_url_wins_over_server_name_in_absolute_links(make_app):
    # The tests set SERVER_NAME; production links must still use the public address.
    app = make_app(PUBLIC_URL="https://events.example.org/act")

    with app.app_context():
        outside_request = external_url("events.show", event_id=7)
    with app.test_request_context("/"):
        inside_request = external_url("events.show", event_id=7)

    assert outside_request == "https://events.example.org/act/events/7"
    assert inside_request == "https://events.example.org/act/events/7"


def test_without_a_public_url_links_use_the_site_host(app):
    with app.app_context():
        assert external_url("events.show", event_id=7) == "http://eventsite.test/events/7"
