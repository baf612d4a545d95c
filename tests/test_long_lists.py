"""Lists that grow (a campaign's events, the review queues, a host's attendees) come a page
at a time on a phone, with a search where people look for one entry."""

import re
from datetime import timedelta

import pytest
from helpers import csrf_token_from
from test_hosting import host_event, manage_token, only_event
from test_organizers import campaign, log_in, make_organizer  # noqa: F401 (fixture)

from eventsite.extensions import db
from eventsite.models import EventStatus, Rsvp, RsvpStatus, utcnow

ITEM = re.compile(r'<li class="(?:result|queue-item)')


def items_on(page: str) -> int:
    return len(ITEM.findall(page))


@pytest.fixture
def organizer_client(app, runner, campaign):  # noqa: F811 (fixture)
    make_organizer(runner)
    client = app.test_client()
    assert log_in(client).status_code == 303
    return client


def test_a_campaign_with_many_events_lists_them_a_page_at_a_time(
    organizer_client,
    make_event,
    campaign,  # noqa: F811
):
    start = utcnow() + timedelta(days=3)
    for number in range(45):
        city = "Albany" if number % 9 == 0 else "New York"
        make_event(
            title=f"Vigil {number:02}",
            city=city,
            campaign_id=campaign,
            starts_at=start + timedelta(hours=number),
        )

    first = organizer_client.get("/organizers/campaigns/families-june-14").get_data(as_text=True)
    assert "45 events" in first
    assert items_on(first) == 20
    assert "Vigil 00" in first and "Vigil 20" not in first
    assert 'rel="next" href="/organizers/campaigns/families-june-14?page=2#events-heading"' in first
    assert 'rel="prev"' not in first

    last = organizer_client.get("/organizers/campaigns/families-june-14?page=3").get_data(
        as_text=True
    )
    assert items_on(last) == 5
    assert "Vigil 44" in last and 'rel="next"' not in last
    assert 'rel="prev" href="/organizers/campaigns/families-june-14?page=2#events-heading"' in last

    # A page past the end, or not a number, still shows a page of the list.
    assert (
        items_on(
            organizer_client.get("/organizers/campaigns/families-june-14?page=999").get_data(
                as_text=True
            )
        )
        == 5
    )
    assert (
        items_on(
            organizer_client.get("/organizers/campaigns/families-june-14?page=x").get_data(
                as_text=True
            )
        )
        == 20
    )


def test_an_organizer_finds_an_event_by_city_title_or_zip(organizer_client, make_event, campaign):  # noqa: F811
    for number in range(30):
        make_event(
            title=f"Vigil {number:02}",
            city="Albany" if number < 3 else "New York",
            zip_code="12207" if number < 3 else "10003",
            campaign_id=campaign,
        )
    make_event(title="Town hall on 100% of the facts", campaign_id=campaign)

    def found(search: str) -> str:
        response = organizer_client.get(
            "/organizers/campaigns/families-june-14", query_string={"q": search}
        )
        assert response.status_code == 200
        return response.get_data(as_text=True)

    by_city = found("albany")
    assert items_on(by_city) == 3 and "3 events" in by_city  # the heading counts what matched
    assert items_on(found("1220")) == 3
    assert items_on(found("100%")) == 1  # % is a character here, not a wildcard
    nothing = found("Nowhere")
    assert items_on(nothing) == 0 and "No event matches “Nowhere”." in nothing


def test_a_search_too_long_is_refused_by_the_field(organizer_client):
    response = organizer_client.get(
        "/organizers/campaigns/families-june-14", query_string={"q": "x" * 500}
    )
    assert response.status_code == 400
    assert "Field cannot be longer than 120 characters." in response.get_data(as_text=True)


def test_the_review_queue_comes_five_at_a_time_and_a_decision_keeps_the_page(
    organizer_client,
    make_event,
    campaign,  # noqa: F811
):
    ids = [
        make_event(title=f"Pending {number:02}", status=EventStatus.PENDING, campaign_id=campaign)
        for number in range(12)
    ]
    first = organizer_client.get("/organizers/").get_data(as_text=True)
    assert "Waiting for review (12)" in first
    assert items_on(first) == 5
    assert 'href="/organizers/?queue_page=2#queue-heading"' in first

    third = organizer_client.get("/organizers/?queue_page=3").get_data(as_text=True)
    assert items_on(third) == 2 and "Pending 11" in third

    second = organizer_client.get("/organizers/?queue_page=2").get_data(as_text=True)
    action = f"/organizers/events/{ids[5]}/approve?queue_page=2"
    assert f'action="{action}"' in second
    match = re.search(
        rf'action="{re.escape(action)}".*?name="reviewed"[^>]*value="([^"]*)"', second, re.S
    )
    answer = organizer_client.post(
        action, data={"csrf_token": csrf_token_from(second), "reviewed": match.group(1)}
    )
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/organizers/?queue_page=2"
    after = organizer_client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Waiting for review (11)" in after and "<h3>Pending 05</h3>" not in after


def test_a_host_sees_attendees_fifty_at_a_time_going_first(app, client):
    token = manage_token(host_event(client))
    event = only_event(app)
    with app.app_context():
        # Waitlisted and cancelled people were added first: the list still starts with
        # those going.
        statuses = [RsvpStatus.WAITLISTED] * 3 + [RsvpStatus.CANCELLED] * 2
        statuses += [RsvpStatus.GOING] * 115
        for number, status in enumerate(statuses):
            db.session.add(
                Rsvp(
                    event_id=event.id,
                    timeslot_id=event.timeslots[0].id,
                    name=f"Person {number:03}",
                    email=f"person{number}@example.org",
                    zip_code="10001",
                    status=status,
                    token_hash=f"{number:064}",
                )
            )
        db.session.commit()

    first = client.get(f"/host/{token}").get_data(as_text=True)
    assert "115 going" in first and "3 on the waitlist" in first  # counts of the whole list
    assert first.count('<li class="attendee ') == 50
    assert first.count('<li class="attendee attendee-going"') == 50
    assert f'rel="next" href="/host/{token}?page=2#attendees"' in first

    last = client.get(f"/host/{token}?page=3").get_data(as_text=True)
    attendees = re.findall(r'<li class="attendee attendee-(\w+)"', last)
    assert attendees == ["going"] * 15 + ["waitlisted"] * 3 + ["cancelled"] * 2
    assert 'rel="next"' not in last
