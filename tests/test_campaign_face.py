"""Campaigns with a face (issue 20, part 4): a picture with no metadata, served in a few
widths as WebP and JPEG from the database, a tagline and a readable accent colour."""

import re
from io import BytesIO

import pytest
from helpers import csrf_token_from
from photos import gps_photo, has_no_metadata, png_claiming
from PIL import Image
from test_organizers import campaign, log_in, make_organizer  # noqa: F401  (fixture)

from eventsite.extensions import db
from eventsite.models import Campaign, Event, EventStatus

FACE = "/organizers/campaigns/families-june-14/face"


def save_face(client, photo: bytes | None = None, **fields):
    """Send the organizer's campaign face form as a browser would (multipart)."""
    page = client.get(FACE).get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(page),
        "tagline": "",
        "accent_color": "",
        "hashtag": "",
        "suggested_post": "",
        **fields,
    }
    if photo is not None:
        data["image"] = (BytesIO(photo), "IMG_0042.jpg", "image/jpeg")
    return client.post(FACE, data=data, content_type="multipart/form-data")


@pytest.fixture
def organizer(client, runner, campaign):  # noqa: F811
    make_organizer(runner)
    log_in(client)
    return client


def image_urls(html: str) -> list[str]:
    """Every picture URL in a page's srcset and src attributes."""
    urls = re.findall(r"(/images/[0-9a-f]{64}/\d+\.(?:webp|jpeg))", html)
    assert urls, "no picture on the page"
    return sorted(set(urls))


def test_a_phone_photo_is_served_in_three_widths_with_no_metadata(organizer, app):
    response = save_face(
        organizer, gps_photo(), tagline="One day, every state", accent_color="#1A5E8A"
    )
    assert response.status_code == 303
    page = organizer.get("/c/families-june-14").get_data(as_text=True)
    assert "One day, every state" in page
    urls = image_urls(page)
    assert {url.rsplit("/", 1)[1] for url in urls} == {
        f"{width}.{fmt}" for width in (480, 960, 1440) for fmt in ("webp", "jpeg")
    }
    assert re.search(r'<source type="image/webp" srcset="[^"]*480\.webp 480w, ', page)
    for url in urls:
        served = organizer.get(url)
        assert served.status_code == 200
        assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert served.mimetype == ("image/webp" if url.endswith("webp") else "image/jpeg")
        assert has_no_metadata(served.data), url
        width = int(url.rsplit("/", 1)[1].split(".")[0])
        assert Image.open(BytesIO(served.data)).size == (width, round(1200 * width / 2000))


def test_the_campaign_shows_its_colour_through_a_stylesheet_it_links(organizer):
    save_face(organizer, accent_color="#1A5E8A")
    page = organizer.get("/c/families-june-14").get_data(as_text=True)
    href = re.search(r'<link rel="stylesheet" href="(/c/families-june-14/accent-[^"]+)"', page)
    assert href and href.group(1) == "/c/families-june-14/accent-1a5e8a.css"
    sheet = organizer.get(href.group(1))
    assert sheet.mimetype == "text/css"
    assert "--accent:#1a5e8a" in sheet.get_data(as_text=True)
    assert sheet.headers["Cache-Control"].endswith("immutable")
    # No inline style anywhere: the CSP allows only the site's own stylesheets.
    assert "style=" not in page and "<style" not in page


@pytest.mark.parametrize("colour", ["1A5E8A.css", "zzzzzz", "1a5e8", "1a5e8aa"])
def test_an_accent_stylesheet_url_that_is_not_a_colour_is_not_found(client, campaign, colour):  # noqa: F811
    assert client.get(f"/c/families-june-14/accent-{colour}.css").status_code == 404


def test_open_graph_and_the_embed_show_the_picture(organizer):
    save_face(organizer, gps_photo())
    page = organizer.get("/c/families-june-14").get_data(as_text=True)
    og = re.search(r'<meta property="og:image" content="([^"]+)"', page).group(1)
    assert re.fullmatch(r"http://eventsite\.test/images/[0-9a-f]{64}/1440\.jpeg", og)
    assert 'name="twitter:card" content="summary_large_image"' in page
    assert has_no_metadata(organizer.get(og.removeprefix("http://eventsite.test")).data)
    embed = organizer.get("/c/families-june-14/embed").get_data(as_text=True)
    assert image_urls(embed)


@pytest.mark.parametrize(
    ("fields", "photo", "field", "message"),
    [
        ({}, b"GIF89a not really", "image", "not a picture we can read"),
        ({}, b"%PDF-1.4 hello", "image", "not a picture we can read"),
        ({}, gps_photo(200, 150), "image", "too small"),
        ({}, png_claiming(9000, 9000), "image", "too large (9000 × 9000 pixels)"),
        ({}, png_claiming(20000, 20000), "image", "too large"),
        ({"accent_color": "blue"}, None, "accent_color", "# and six hex digits"),
        ({"accent_color": "#ffcc00"}, None, "accent_color", "hard to read (contrast 1.5:1"),
        ({"accent_color": "#b3261e33"}, None, "accent_color", "Field cannot be longer"),
        ({"hashtag": "#no spaces"}, None, "hashtag", "letters, digits and underscores"),
        ({"hashtag": "#2026"}, None, "hashtag", "letters, digits and underscores"),
        ({"suggested_post": "x" * 281}, None, "suggested_post", "under 280 characters"),
        (
            {"action_label_1": "Sign", "action_url_1": "javascript:alert(1)"},
            None,
            "action_url_1",
            "starting with https://",
        ),
        (
            {"action_label_1": "Sign", "action_url_1": "ftp://example.org/petition"},
            None,
            "action_url_1",
            "starting with https://",
        ),
        ({"action_label_2": "Sign the petition"}, None, "action_url_2", "Add the link"),
        ({"action_url_1": "https://example.org/p"}, None, "action_label_1", "Name this action"),
    ],
)
def test_bad_pictures_colours_and_links_are_refused_by_their_field(
    organizer, app, fields, photo, field, message
):
    response = save_face(organizer, photo, **fields)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    assert error, f"no error by {field}"
    assert message in error.group(1).replace("&#215;", "×")
    assert "<title>Error:" in page
    with app.app_context():
        saved = db.session.scalar(db.select(Campaign))
        assert (saved.image, saved.accent_color, saved.actions) == (None, "", None)


def test_a_dark_enough_colour_passes_and_the_picture_can_be_removed(organizer, app):
    assert save_face(organizer, gps_photo(), accent_color="#767676").status_code == 303
    assert save_face(organizer, accent_color="#767676").status_code == 303  # picture kept
    with app.app_context():
        assert db.session.scalar(db.select(Campaign)).image is not None
    page = organizer.get(FACE).get_data(as_text=True)
    assert save_face(organizer, remove_image="y", accent_color="#767676").status_code == 303
    with app.app_context():
        saved = db.session.scalar(db.select(Campaign))
        assert (saved.image, saved.accent_color) == (None, "#767676")
    assert 'name="remove_image"' in page


def test_an_event_of_the_campaign_and_the_api_use_its_face(organizer, app, make_event):
    save_face(organizer, gps_photo(), accent_color="#1a5e8a", tagline="Every state")
    with app.app_context():
        campaign_id = db.session.scalar(db.select(Campaign.id))
    event_id = make_event(campaign_id=campaign_id)
    plain_id = make_event(title="Town hall on housing")
    page = organizer.get(f"/events/{event_id}").get_data(as_text=True)
    assert 'href="/c/families-june-14/accent-1a5e8a.css"' in page
    assert "Every state" in page and image_urls(page)
    assert re.search(r'<meta property="og:image" content="http://eventsite\.test/images/', page)
    assert "og:image" not in organizer.get(f"/events/{plain_id}").get_data(as_text=True)
    events = {e["id"]: e for e in organizer.get("/api/v1/events").get_json()["data"]}
    assert re.fullmatch(
        r"http://eventsite\.test/images/[0-9a-f]{64}/1440\.jpeg",
        events[event_id]["featured_image_url"],
    )
    assert events[plain_id]["featured_image_url"] == ""


def test_an_unknown_picture_is_not_found(client):
    assert client.get("/images/" + "0" * 64 + "/480.jpeg").status_code == 404
    assert client.get("/images/nothex/480.jpeg").status_code == 404
    assert client.get("/images/" + "0" * 64 + "/480.gif").status_code == 404


def test_the_face_form_needs_an_organizer_of_the_campaign(client, runner, campaign):  # noqa: F811
    assert client.get(FACE).status_code == 302
    make_organizer(runner, email="other@example.org", campaigns=())
    log_in(client, email="other@example.org")
    assert client.get(FACE).status_code == 404


def host_with_picture(client, photo: bytes, **overrides):
    from test_hosting import event_form

    page = client.get("/events/new").get_data(as_text=True)
    data = {**event_form(**overrides), "csrf_token": csrf_token_from(page)}
    data["image"] = (BytesIO(photo), "protest.jpg", "image/jpeg")
    return client.post("/events/new", data=data, content_type="multipart/form-data")


def test_a_host_adds_a_picture_to_their_event_and_an_edit_keeps_it(client, app):
    from test_hosting import event_form, manage_token

    response = host_with_picture(client, gps_photo())
    assert response.status_code == 303
    token = manage_token(response)
    with app.app_context():
        event_id = db.session.scalar(db.select(Event.id))
    page = client.get(f"/events/{event_id}").get_data(as_text=True)
    urls = image_urls(page)
    assert all(has_no_metadata(client.get(url).data) for url in urls)
    assert re.search(r'<meta property="og:image" content="http://eventsite\.test/images/', page)
    edit = client.get(f"/host/{token}/edit").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in edit
    data = {
        **event_form(title="Families Belong Together march"),
        "csrf_token": csrf_token_from(edit),
    }
    assert client.post(f"/host/{token}/edit", data=data).status_code == 303
    assert image_urls(client.get(f"/events/{event_id}").get_data(as_text=True)) == urls


def test_a_host_picture_that_is_not_one_is_refused_by_its_field(client, app):
    response = host_with_picture(client, b"\xff\xd8\xff\xe0 broken jpeg")
    assert response.status_code == 400
    assert re.search(
        r'<p class="error" id="image-error">This file is not a picture',
        response.get_data(as_text=True),
    )
    with app.app_context():
        assert db.session.scalar(db.select(Event.id)) is None


def test_with_moderation_a_new_picture_on_a_listed_event_waits_for_review(make_app):
    from test_hosting import event_form, manage_token

    app = make_app(MODERATION=True)
    client = app.test_client()
    token = manage_token(host_with_picture(client, gps_photo()))
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        event.status = EventStatus.PUBLISHED
        first_image = event.image_id
        db.session.commit()
        event_id = event.id
    edit = client.get(f"/host/{token}/edit").get_data(as_text=True)
    data = {**event_form(), "csrf_token": csrf_token_from(edit)}
    data["image"] = (BytesIO(gps_photo(1600, 900)), "other.jpg", "image/jpeg")
    assert (
        client.post(
            f"/host/{token}/edit", data=data, content_type="multipart/form-data"
        ).status_code
        == 303
    )
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert event.image_id == first_image
        assert event.proposed_changes["image_id"] not in (None, first_image)


def test_the_demo_campaign_has_a_face_and_a_call_to_action(runner, client):
    assert runner.invoke(args=["demo-data", "--count", "20"]).exit_code == 0
    page = client.get("/c/families-belong-together").get_data(as_text=True)
    assert "Thousands of us, in every state, on one day" in page
    assert 'href="/c/families-belong-together/accent-1a5e8a.css"' in page
    assert all(has_no_metadata(client.get(url).data) for url in image_urls(page))
    assert "Sign the petition" in page and "#FamiliesBelongTogether" in page


def test_a_photo_taken_upright_is_shown_upright(organizer):
    # Stored sideways (1600 x 1200) with the EXIF orientation that says "turn me": the
    # orientation is applied before every tag is dropped.
    save_face(organizer, gps_photo(1600, 1200, orientation=6))
    page = organizer.get("/c/families-june-14").get_data(as_text=True)
    smallest = next(url for url in image_urls(page) if url.endswith("/480.jpeg"))
    served = Image.open(BytesIO(organizer.get(smallest).data))
    assert served.size == (480, 640)
