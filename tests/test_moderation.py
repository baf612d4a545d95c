"""Moderation: what the public sees of a moderated event is what an organizer approved."""

from datetime import date, timedelta

import pytest
from helpers import csrf_token_from, emailed_rsvp_token, rsvp
from sqlalchemy import select
from test_hosting import event_form, host_event, manage_token, outbox
from test_organizers import PASSWORD, approve_form, log_in, make_organizer

from eventsite.extensions import db
from eventsite.models import Campaign, Event, EventStatus

TITLE = "Families Belong Together rally"
PHISHING_TITLE = "Free bus tickets: claim yours now"
PHISHING_DESCRIPTION = "Claim your seat at http://phish.example/login before they run out."


@pytest.fixture
def app(make_app):
    app = make_app(MODERATION=True)
    with app.app_context():
        for slug, name in (
            ("families-june-14", "Families Belong Together"),
            ("hands-off", "Hands Off"),
        ):
            db.session.add(
                Campaign(slug=slug, name=name, action_date=date.today() + timedelta(days=30))
            )
        db.session.commit()
    runner = app.test_cli_runner()
    make_organizer(runner, "families@example.org", campaigns=("families-june-14",))
    make_organizer(runner, "handsoff@example.org", campaigns=("hands-off",))
    return app


def organizer(app, email="families@example.org"):
    client = app.test_client()
    assert log_in(client, email, PASSWORD).status_code == 303
    return client


def only_event_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Event.id))


def event_values(app, event_id) -> Event:
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.timeslots  # loaded before it leaves the session  # noqa: B018
        db.session.expunge(event)
        return event


def approve(client, event_id, what="approve"):
    action = f"/organizers/events/{event_id}/{what}"
    dashboard = client.get("/organizers/").get_data(as_text=True)
    return client.post(action, data=approve_form(dashboard, action))


def approved_event(app, **overrides):
    """A host's event in the families campaign, approved by its organizer: (token, id)."""
    token = manage_token(host_event(app.test_client(), campaign="families-june-14", **overrides))
    event_id = only_event_id(app)
    approve(organizer(app), event_id)
    assert event_values(app, event_id).status == EventStatus.PUBLISHED
    return token, event_id


def edit_as_host(client, token, **changes):
    form = client.get(f"/host/{token}/edit").get_data(as_text=True)
    data = event_form(**{"campaign": "families-june-14", **changes})
    return client.post(f"/host/{token}/edit", data={**data, "csrf_token": csrf_token_from(form)})


def public_pages(client, event_id) -> dict[str, str]:
    paths = (
        f"/events/{event_id}",
        "/events?zip=80202",
        "/c/families-june-14",
        f"/api/v1/events/{event_id}",
        "/c/families-june-14/events.ics",
    )
    return {path: client.get(path).get_data(as_text=True) for path in paths}


def test_a_hosts_new_text_waits_for_approval_and_the_approved_version_stays_public(app):
    token, event_id = approved_event(app)
    host = app.test_client()

    response = edit_as_host(host, token, title=PHISHING_TITLE, description=PHISHING_DESCRIPTION)

    assert response.status_code == 303
    manage = host.get(f"/host/{token}").get_data(as_text=True)
    assert "waiting for an organizer" in manage
    assert "approved version" in manage
    for path, html in public_pages(app.test_client(), event_id).items():
        assert "phish.example" not in html and PHISHING_TITLE not in html, path
        assert TITLE in html, path
    # The host's form shows what they asked for, so a second edit builds on it.
    assert f'value="{PHISHING_TITLE}"' in host.get(f"/host/{token}/edit").get_data(as_text=True)

    reviewer = organizer(app)
    dashboard = reviewer.get("/organizers/").get_data(as_text=True)
    assert "Changes waiting for review (1)" in dashboard
    assert PHISHING_TITLE in dashboard and "phish.example" in dashboard
    assert approve(reviewer, event_id, "changes/approve").status_code == 303

    page = app.test_client().get(f"/events/{event_id}").get_data(as_text=True)
    assert PHISHING_TITLE in page and "phish.example" in page
    assert "waiting for an organizer" not in host.get(f"/host/{token}").get_data(as_text=True)
    assert any(m.subject.startswith("Your changes are approved") for m in outbox(app))
    assert "Changes waiting for review (0)" in reviewer.get("/organizers/").get_data(as_text=True)


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "vigil"},
        {"venue": "Somewhere else"},
        {"street_address": "1777 Broadway", "city": "Boulder", "zip_code": "80302"},
        {"accessibility_notes": "Shuttle from http://phish.example"},
        {"host_name": "Official Site Team"},
    ],
)
def test_every_public_detail_waits_for_approval(app, changes):
    token, event_id = approved_event(app)
    before = event_values(app, event_id)

    edit_as_host(app.test_client(), token, **changes)

    after = event_values(app, event_id)
    for name in changes:
        assert getattr(after, name) == getattr(before, name), name
    assert (after.latitude, after.longitude) == (before.latitude, before.longitude)


def test_times_and_capacity_change_at_once_while_the_title_waits(app):
    token, event_id = approved_event(app, capacity="10")

    edit_as_host(app.test_client(), token, title=PHISHING_TITLE, capacity="20", start_time="11:00")

    event = event_values(app, event_id)
    assert event.timeslots[0].capacity == 20
    assert event.title == TITLE
    assert "11:00" in app.test_client().get(f"/events/{event_id}").get_data(as_text=True)


def test_moving_an_event_into_a_campaign_needs_that_campaigns_organizers(app):
    token, event_id = approved_event(app)

    edit_as_host(app.test_client(), token, campaign="hands-off")

    visitor = app.test_client()
    assert f"/events/{event_id}" not in visitor.get("/c/hands-off").get_data(as_text=True)
    assert f"/events/{event_id}" in visitor.get("/c/families-june-14").get_data(as_text=True)
    assert event_values(app, event_id).campaign_id is not None
    # The campaign it leaves has no say over the one it joins.
    families = organizer(app)
    assert "Changes waiting for review (0)" in families.get("/organizers/").get_data(as_text=True)
    assert approve(families, event_id, "changes/approve").status_code == 404
    assert f"/events/{event_id}" not in visitor.get("/c/hands-off").get_data(as_text=True)

    hands_off = organizer(app, "handsoff@example.org")
    dashboard = hands_off.get("/organizers/").get_data(as_text=True)
    assert "Changes waiting for review (1)" in dashboard and "Hands Off" in dashboard
    approve(hands_off, event_id, "changes/approve")

    assert f"/events/{event_id}" in visitor.get("/c/hands-off").get_data(as_text=True)
    assert f"/events/{event_id}" not in visitor.get("/c/families-june-14").get_data(as_text=True)


def test_rejected_changes_leave_the_event_as_approved_and_the_host_is_told(app):
    token, event_id = approved_event(app)
    host = app.test_client()
    edit_as_host(host, token, title=PHISHING_TITLE)
    reviewer = organizer(app)
    csrf = csrf_token_from(reviewer.get("/organizers/").get_data(as_text=True))

    no_reason = reviewer.post(
        f"/organizers/events/{event_id}/changes/reject", data={"csrf_token": csrf}
    )
    assert no_reason.status_code == 400
    assert "Tell the host why." in no_reason.get_data(as_text=True)
    response = reviewer.post(
        f"/organizers/events/{event_id}/changes/reject",
        data={"csrf_token": csrf, "reason": "Links to ticket sites are not allowed."},
    )

    assert response.status_code == 303
    event = event_values(app, event_id)
    assert (event.title, event.status, event.proposed_changes) == (
        TITLE,
        EventStatus.PUBLISHED,
        None,
    )
    [told] = [m for m in outbox(app) if m.subject.startswith("Your changes were not approved")]
    assert told.to_address == "dolores@example.org"
    assert "Links to ticket sites are not allowed." in told.body_text
    manage = host.get(f"/host/{token}").get_data(as_text=True)
    assert "Links to ticket sites are not allowed." in manage
    assert f'value="{TITLE}"' in host.get(f"/host/{token}/edit").get_data(as_text=True)


def test_an_organizer_approves_only_the_version_they_reviewed(app):
    token = manage_token(host_event(app.test_client(), campaign="families-june-14"))
    event_id = only_event_id(app)
    reviewer = organizer(app)
    dashboard = reviewer.get("/organizers/").get_data(as_text=True)
    action = f"/organizers/events/{event_id}/approve"
    seen = approve_form(dashboard, action)

    # The host swaps in other text while the organizer reads the harmless one.
    edit_as_host(app.test_client(), token, title=PHISHING_TITLE)
    response = reviewer.post(action, data=seen)

    assert response.status_code == 303
    assert event_values(app, event_id).status == EventStatus.PENDING
    assert "since you opened this page; review it again" in reviewer.get("/organizers/").get_data(
        as_text=True
    )
    assert approve(reviewer, event_id).status_code == 303
    assert event_values(app, event_id).status == EventStatus.PUBLISHED


def test_an_organizer_approves_only_the_changes_they_reviewed(app):
    token, event_id = approved_event(app)
    edit_as_host(app.test_client(), token, title="Families Belong Together rally at noon")
    reviewer = organizer(app)
    dashboard = reviewer.get("/organizers/").get_data(as_text=True)
    action = f"/organizers/events/{event_id}/changes/approve"
    seen = approve_form(dashboard, action)

    edit_as_host(app.test_client(), token, title=PHISHING_TITLE)
    reviewer.post(action, data=seen)

    assert event_values(app, event_id).title == TITLE


def test_cancelling_drops_changes_waiting_for_review(app):
    token, event_id = approved_event(app)
    host = app.test_client()
    edit_as_host(host, token, title=PHISHING_TITLE)
    page = host.get(f"/host/{token}").get_data(as_text=True)

    host.post(f"/host/{token}/cancel", data={"csrf_token": csrf_token_from(page), "confirm": "y"})

    assert "Changes waiting for review (0)" in organizer(app).get("/organizers/").get_data(
        as_text=True
    )
    assert event_values(app, event_id).proposed_changes is None


def test_edits_to_an_event_still_waiting_apply_to_what_is_reviewed(app):
    token = manage_token(host_event(app.test_client(), campaign="families-june-14"))
    event_id = only_event_id(app)

    edit_as_host(app.test_client(), token, title="Families rally, new time", campaign="hands-off")

    event = event_values(app, event_id)
    assert (event.title, event.status) == ("Families rally, new time", EventStatus.PENDING)
    families = organizer(app).get("/organizers/").get_data(as_text=True)
    assert "Waiting for review (0)" in families
    hands_off = organizer(app, "handsoff@example.org").get("/organizers/").get_data(as_text=True)
    assert "Waiting for review (1)" in hands_off and "Families rally, new time" in hands_off


def test_organizers_edits_apply_at_once_within_their_own_campaigns(app):
    token, event_id = approved_event(app)
    reviewer = organizer(app)
    form = reviewer.get(f"/organizers/events/{event_id}/edit").get_data(as_text=True)
    data = {**event_form(title="Families rally, corrected"), "csrf_token": csrf_token_from(form)}

    elsewhere = reviewer.post(
        f"/organizers/events/{event_id}/edit", data={**data, "campaign": "hands-off"}
    )
    assert elsewhere.status_code == 400
    assert "Choose a campaign from the list" in elsewhere.get_data(as_text=True)
    assert event_values(app, event_id).title == TITLE

    reviewer.post(
        f"/organizers/events/{event_id}/edit", data={**data, "campaign": "families-june-14"}
    )
    event = event_values(app, event_id)
    assert (event.title, event.proposed_changes) == ("Families rally, corrected", None)


def test_without_moderation_a_hosts_edits_apply_at_once(make_app):
    app = make_app()
    client = app.test_client()
    token = manage_token(host_event(client))

    edit_as_host(client, token, title="Families rally, corrected", campaign="")

    assert event_values(app, only_event_id(app)).title == "Families rally, corrected"


OLD_LINK = "https://meet.example.org/j/approved-room"
IN_PERSON = "in_person"
NEW_LINK = "https://phish.example/j/claim-your-seat"


def rsvp_page_and_emails(app, client, event_id, email="goer@example.org"):
    """An attendee's RSVP page and every email sent to them: (page, bodies)."""
    token = emailed_rsvp_token(app, email)
    bodies = [m.body_text for m in outbox(app) if m.to_address == email]
    return client.get(f"/rsvps/{token}").get_data(as_text=True), bodies


def test_a_new_meeting_link_reaches_attendees_only_once_an_organizer_approves_it(app):
    token, event_id = approved_event(app, attendance_mode="both", meeting_link=OLD_LINK)
    visitor = app.test_client()
    rsvp(visitor, event_id, email="goer@example.org")

    host = app.test_client()
    edit_as_host(host, token, attendance_mode="both", meeting_link=NEW_LINK)

    assert event_values(app, event_id).meeting_link == OLD_LINK
    assert f'value="{NEW_LINK}"' in host.get(f"/host/{token}/edit").text  # what they asked for
    page, bodies = rsvp_page_and_emails(app, visitor, event_id)
    assert OLD_LINK in page and NEW_LINK not in page
    assert not any(NEW_LINK in body for body in bodies)
    for path, html in public_pages(app.test_client(), event_id).items():
        assert "phish.example" not in html, path
    reviewer = organizer(app)
    dashboard = reviewer.get("/organizers/").get_data(as_text=True)
    assert "Changes waiting for review (1)" in dashboard
    assert NEW_LINK in dashboard  # the organizer judges the link itself
    assert f'href="{NEW_LINK}"' not in dashboard  # shown, not one click away

    assert approve(reviewer, event_id, "changes/approve").status_code == 303

    page, bodies = rsvp_page_and_emails(app, visitor, event_id)
    assert NEW_LINK in page
    assert NEW_LINK in bodies[-1]  # told of the new way to join
    assert "phish.example" not in app.test_client().get(f"/events/{event_id}").text


@pytest.mark.parametrize(
    ("approved", "changes"),
    [
        ({}, {"attendance_mode": "virtual", "meeting_link": NEW_LINK, "venue": ""}),
        ({}, {"attendance_mode": "both", "meeting_link": NEW_LINK}),
        ({"attendance_mode": "virtual", "meeting_link": OLD_LINK}, {"attendance_mode": IN_PERSON}),
        # Unticked: the street would show to everyone.
        ({"address_private": "y"}, {}),
    ],
)
def test_how_people_join_and_who_reads_the_address_wait_for_approval(app, approved, changes):
    token, event_id = approved_event(app, **approved)
    before = event_values(app, event_id)
    place = (before.attendance_mode, before.meeting_link, before.address_private)

    edit_as_host(app.test_client(), token, **{**approved, "address_private": "", **changes})

    after = event_values(app, event_id)
    assert (after.attendance_mode, after.meeting_link, after.address_private) == place
    assert (after.latitude, after.longitude) == (before.latitude, before.longitude)
    assert after.proposed_changes
    if before.address_private:  # the street stays off the public page
        assert "101 W 14th Ave" not in app.test_client().get(f"/events/{event_id}").text


def test_hiding_the_address_from_the_public_applies_at_once(app):
    token, event_id = approved_event(app)

    edit_as_host(app.test_client(), token, address_private="y")

    event = event_values(app, event_id)
    assert event.address_private and event.proposed_changes is None
    for path, html in public_pages(app.test_client(), event_id).items():
        assert "101 W 14th Ave" not in html, path


def test_an_organizer_sees_a_new_events_meeting_link_before_approving_it(app):
    host_event(
        app.test_client(),
        campaign="families-june-14",
        attendance_mode="virtual",
        meeting_link=NEW_LINK,
        street_address="",
    )

    dashboard = organizer(app).get("/organizers/").get_data(as_text=True)

    assert "Waiting for review (1)" in dashboard
    assert NEW_LINK in dashboard and f'href="{NEW_LINK}"' not in dashboard
