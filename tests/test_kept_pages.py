"""Event pages are built once per version and language and kept; each visitor gets the kept
page with their own CSRF token, and a changed event is a new page at once."""

import re

import pytest
from flask import render_template_string
from helpers import csrf_token_from, rsvp
from jinja2 import ChoiceLoader, DictLoader

from eventsite.extensions import db
from eventsite.models import Campaign, Event, EventStatus

HIT = "hit_cache"
TOKEN = re.compile(r'(name="csrf_token" type="hidden" value=")[^"]+"')


@pytest.fixture
def kept(make_app):
    """An app that keeps pages, as production does."""
    return make_app(SEARCH_CACHE_SECONDS=30)


def without_token(response) -> str:
    return TOKEN.sub(r"\1…", response.get_data(as_text=True))


def rsvp_data(token: str, **fields) -> dict:
    data = {"name": "Rosa Parks", "email": "rosa@example.org", "zip_code": "10001", "guests": "0"}
    return {**data, "csrf_token": token, **fields}


def test_two_visitors_get_the_same_kept_page_with_their_own_tokens(kept, make_event):
    event_id = make_event(title="Vigil for peace")
    first, second = kept.test_client(), kept.test_client()

    one, other = first.get(f"/events/{event_id}"), second.get(f"/events/{event_id}")

    assert HIT not in one.headers and other.headers[HIT] == "True"
    assert without_token(one) == without_token(other)
    assert csrf_token_from(one.text) != csrf_token_from(other.text)
    # Each visitor gets the session the token belongs to, and only the browser keeps the page.
    assert "session=" in other.headers["Set-Cookie"]
    assert other.headers["Cache-Control"] == "private, no-cache"
    # The kept page's token works for the visitor who got it.
    posted = second.post(f"/events/{event_id}/rsvp", data=rsvp_data(csrf_token_from(other.text)))
    assert posted.status_code == 303


def test_a_post_without_a_token_or_with_another_sessions_token_is_refused(kept, make_event):
    event_id = make_event(capacity=5)
    mallory, victim = kept.test_client(), kept.test_client()
    mallorys_token = csrf_token_from(mallory.get(f"/events/{event_id}").text)
    victim.get(f"/events/{event_id}")  # the same kept page, with the victim's own session

    without = victim.post(f"/events/{event_id}/rsvp", data=rsvp_data(""))
    borrowed = victim.post(f"/events/{event_id}/rsvp", data=rsvp_data(mallorys_token))

    assert without.status_code == 400 and borrowed.status_code == 400
    assert "Your form expired or came from another site" in borrowed.text
    with kept.app_context():
        assert db.session.get(Event, event_id).seats_taken == 0


def test_an_rsvp_that_fills_the_event_shows_full_on_the_next_view(kept, make_event):
    event_id = make_event(capacity=1)
    client = kept.test_client()
    assert "1 of 1 spots left" in client.get(f"/events/{event_id}").text
    assert client.get(f"/events/{event_id}").headers[HIT] == "True"

    assert rsvp(client, event_id).status_code == 303
    page = kept.test_client().get(f"/events/{event_id}")

    assert "Full: RSVP to join the waitlist" in page.text and HIT not in page.headers
    assert "1 of 1 spots left" not in page.text


def _change(app, event_id, **values):
    with app.app_context():
        event = db.session.get(Event, event_id)
        for name, value in values.items():
            setattr(event, name, value)
        db.session.commit()


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        ({"title": "Vigil, moved indoors"}, "Vigil, moved indoors"),
        ({"status": EventStatus.CANCELLED}, "This event has been cancelled."),
    ],
    ids=["edited", "cancelled"],
)
def test_a_changed_event_is_a_new_page(kept, make_event, change, shown):
    event_id = make_event(title="Vigil")
    kept.test_client().get(f"/events/{event_id}")

    _change(kept, event_id, **change)
    page = kept.test_client().get(f"/events/{event_id}")

    assert shown in page.text and HIT not in page.headers


def test_a_renamed_campaign_is_a_new_event_page(kept, make_event):
    with kept.app_context():
        campaign = Campaign(slug="june-14", name="Families Belong Together")
        db.session.add(campaign)
        db.session.commit()
        campaign_id = campaign.id
    event_id = make_event(campaign_id=campaign_id)
    kept.test_client().get(f"/events/{event_id}")

    with kept.app_context():
        db.session.get(Campaign, campaign_id).name = "Families Together"
        db.session.commit()
    page = kept.test_client().get(f"/events/{event_id}")

    assert "Families Together" in page.text and HIT not in page.headers


def test_each_language_is_kept_apart(kept, make_event):
    event_id = make_event()
    client = kept.test_client()

    english = client.get(f"/events/{event_id}", headers={"Accept-Language": "en"})
    spanish = client.get(f"/events/{event_id}", headers={"Accept-Language": "es"})
    spanish_again = client.get(f"/events/{event_id}", headers={"Accept-Language": "es"})

    assert "Your name" in english.text and "Your name" not in spanish.text
    assert HIT not in spanish.headers and spanish_again.headers[HIT] == "True"


def test_a_refused_rsvp_is_shown_to_its_sender_only(kept, make_event):
    event_id = make_event()
    sender = kept.test_client()
    token = csrf_token_from(sender.get(f"/events/{event_id}").text)

    refused = sender.post(
        f"/events/{event_id}/rsvp", data=rsvp_data(token, email="not-an-email", name="Zed")
    )
    later = kept.test_client().get(f"/events/{event_id}")

    assert refused.status_code == 400 and 'value="Zed"' in refused.text
    assert later.headers[HIT] == "True"
    assert 'value="Zed"' not in later.text and "not-an-email" not in later.text


def test_flashed_messages_reach_their_visitor_alone(kept, make_event):
    event_id = make_event()
    kept.test_client().get(f"/events/{event_id}")
    returning = kept.test_client()
    with returning.session_transaction() as session:
        session["_flashes"] = [("success", "Your changes are saved.")]

    own = returning.get(f"/events/{event_id}")
    again = returning.get(f"/events/{event_id}")
    other = kept.test_client().get(f"/events/{event_id}")

    assert "Your changes are saved." in own.text
    assert "Your changes are saved." not in again.text and again.headers[HIT] == "True"
    assert "Your changes are saved." not in other.text


def test_the_language_switch_of_a_kept_page_leads_back_to_the_page(kept, make_event):
    event_id = make_event()
    kept.test_client().get(f"/events/{event_id}?fbclid=someone-elses-click")

    page = kept.test_client().get(f"/events/{event_id}")

    assert page.headers[HIT] == "True" and "click" not in page.text
    assert f'href="/language/es?next=/events/{event_id}"' in page.text


def test_a_visitor_part_inside_a_macro_cannot_be_kept(kept):
    from eventsite.caching import _render_in_parts

    with kept.test_request_context("/"):
        top_level = kept.jinja_env.from_string("<p>{{ visitor_part('csrf_field') }}</p>")
        in_macro = kept.jinja_env.from_string(
            "{% macro f() %}<p>{{ visitor_part('csrf_field') }}</p>{% endmacro %}{{ f() }}"
        )
        assert _render_in_parts(top_level, {}) == ("<p>", "csrf_field", "</p>")
        with pytest.raises(RuntimeError, match="top level"):
            _render_in_parts(in_macro, {})
        macro = "{% macro f() %}<i>{{ visitor_part('csrf_field') }}</i>{% endmacro %}"
        kept.jinja_env.loader = ChoiceLoader([DictLoader({"_part.html": macro}), kept.jinja_loader])
        imported = kept.jinja_env.from_string('{% from "_part.html" import f %}<p>{{ f() }}</p>')
        with pytest.raises(RuntimeError, match="top level"):
            _render_in_parts(imported, {})
        assert 'name="csrf_token"' in render_template_string("{{ visitor_part('csrf_field') }}")


@pytest.mark.parametrize("path", ["/events?zip=10001", "/c/june-14", "/events.ics", "/embed"])
def test_public_pages_without_a_form_set_no_cookie_and_may_be_shared(kept, make_event, path):
    with kept.app_context():
        db.session.add(Campaign(slug="june-14", name="Families Belong Together"))
        db.session.commit()
    make_event()

    response = kept.test_client().get(path)

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"].startswith("public, max-age=")


def test_the_home_page_is_shared(kept):
    client = kept.test_client()

    first, again = client.get("/"), client.get("/")

    assert HIT not in first.headers and again.headers[HIT] == "True"
    assert again.headers["Cache-Control"] == "public, max-age=30"
    assert "Set-Cookie" not in again.headers


def test_a_visitor_whose_session_holds_only_a_token_gets_the_kept_search_page(kept, make_event):
    event_id = make_event(title="Midtown rally")
    kept.test_client().get("/events?zip=10001")  # now kept
    returning = kept.test_client()
    returning.get(f"/events/{event_id}")  # a session cookie, holding a form token

    page = returning.get("/events?zip=10001")

    assert page.headers[HIT] == "True" and "Midtown rally" in page.text
    assert "public" not in page.headers.get("Cache-Control", "")  # asked with a session
