"""What visitors read on an event's page and what its host reads on the private page."""

import re
from datetime import timedelta
from html import unescape

import pytest
from helpers import rsvp
from test_hosting import host_event, manage_token, only_event

from eventsite.extensions import db
from eventsite.models import Campaign, EventStatus, utcnow


def text_of(response) -> str:
    """The page's words as a reader sees them, one space between."""
    html = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(unescape(html).split())


@pytest.mark.parametrize(
    ("fields", "notice"),
    [
        ({"status": EventStatus.CANCELLED}, "This event has been cancelled."),
        ({"starts_at": utcnow() - timedelta(days=3)}, "This event has already happened."),
    ],
    ids=["cancelled", "past"],
)
def test_an_event_that_takes_no_rsvps_says_why_and_invites_nobody(
    client, make_event, fields, notice
):
    event_id = make_event(capacity=2, seats_taken=2, **fields)

    page = client.get(f"/events/{event_id}")

    words = text_of(page)
    assert notice in words
    assert "RSVP" not in words and "waitlist" not in words
    assert "Add to calendar" not in words
    assert f"/events/{event_id}/calendar.ics" not in page.get_data(as_text=True)


def test_an_upcoming_full_event_invites_to_the_waitlist_and_the_calendar(client, make_event):
    event_id = make_event(capacity=2, seats_taken=2)

    page = client.get(f"/events/{event_id}")

    assert "Full: RSVP to join the waitlist" in text_of(page)
    assert f'href="/events/{event_id}/calendar.ics"' in page.get_data(as_text=True)


@pytest.mark.parametrize("status", [EventStatus.PENDING, EventStatus.REJECTED])
def test_events_not_approved_have_no_public_page(client, make_event, status):
    event_id = make_event(status=status)
    assert client.get(f"/events/{event_id}").status_code == 404
    assert client.get(f"/events/{event_id}/calendar.ics").status_code == 404


def test_an_event_page_links_to_its_campaign(client, app, make_event):
    with app.app_context():
        campaign = Campaign(slug="families-june-14", name="Families Belong Together")
        db.session.add(campaign)
        db.session.commit()
        campaign_id = campaign.id
    event_id = make_event(campaign_id=campaign_id)

    html = client.get(f"/events/{event_id}").get_data(as_text=True)

    assert '<a href="/c/families-june-14">Families Belong Together</a>' in html
    assert "Ana Host, part of Families Belong Together" in text_of(
        client.get(f"/events/{event_id}")
    )


# (capacity, guests of each RSVP in order) -> what the host's page says about them.
COUNTS = [
    ("2", [], "No RSVPs yet · 2 spots", "Todavía nadie ha confirmado · 2 lugares"),
    ("", [], "No RSVPs yet", "Todavía nadie ha confirmado"),
    ("1", [], "No RSVPs yet · 1 spot", "Todavía nadie ha confirmado · 1 lugar"),
    ("", [0], "1 going", "1 asistente"),
    (
        "7",
        [2, 0, 0],
        "3 going (5 people with guests) · 2 of 7 spots left",
        "3 asistentes (5 personas con invitados) · Quedan 2 de 7 lugares",
    ),
    (
        "7",
        [0, 0, 0, 0, 0, 0],
        "6 going · 1 of 7 spots left",
        "6 asistentes · Queda 1 de 7 lugares",
    ),
    (
        "2",
        [1, 0],
        "1 going (2 people with guests) · Full · 1 on the waitlist",
        "1 asistente (2 personas con invitados) · Lleno · 1 en la lista de espera",
    ),
]


@pytest.mark.parametrize(
    ("capacity", "guests", "english", "spanish"),
    COUNTS,
    ids=["none-of-2", "none-open", "none-of-1", "one-open", "guests", "one-left", "full"],
)
def test_the_host_page_counts_rsvps_as_a_person_would(
    client, app, capacity, guests, english, spanish
):
    token = manage_token(host_event(client, capacity=capacity))
    event_id = only_event(app).id
    for number, extra in enumerate(guests):
        rsvp(app.test_client(), event_id, email=f"person{number}@example.org", guests=extra)

    summary = re.compile(r"Who's coming (.*?)\.? (?:Share|Download)")
    assert summary.search(text_of(client.get(f"/host/{token}"))).group(1) == english
    in_spanish = client.get(f"/host/{token}", headers={"Accept-Language": "es"})
    assert spanish in text_of(in_spanish)
