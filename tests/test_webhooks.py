"""Signed webhooks: registered per campaign, sent through the outbox in order per RSVP,
retried while the receiver is down, signed with a secret shown once; never to private
addresses unless a setting allows it."""

import json
import re

import pytest
from helpers import csrf_token_from, emailed_rsvp_token, rsvp
from sqlalchemy import select
from test_organizers import log_in, make_organizer
from webhook_receiver import WebhookReceiver

from eventsite.extensions import db
from eventsite.models import Campaign, MessageStatus, WebhookDelivery
from eventsite.webhooks import signature_matches

SLUG = "families-june-14"
DASHBOARD = f"/organizers/campaigns/{SLUG}/dashboard"


@pytest.fixture
def receiver():
    receiving = WebhookReceiver()
    yield receiving
    receiving.stop()


@pytest.fixture
def campaign_id(app):
    with app.app_context():
        campaign = Campaign(slug=SLUG, name="Families Belong Together")
        db.session.add(campaign)
        db.session.commit()
        return campaign.id


@pytest.fixture
def organizer(app, campaign_id):
    return organizer_on(app)


def organizer_on(app):
    """A client logged in as the campaign's organizer, on app (with its own settings)."""
    make_organizer(app.test_cli_runner(), campaigns=(SLUG,))
    client = app.test_client()
    log_in(client)
    return client


def add_webhook(organizer, url: str, topics=None):
    page = organizer.get(DASHBOARD).get_data(as_text=True)
    data = {"url": url, "csrf_token": csrf_token_from(page)}
    if topics is not None:
        data["topics"] = topics
    else:
        data["topics"] = ["rsvp.created", "rsvp.changed", "rsvp.cancelled", "event.changed",
                          "event.created", "event.cancelled"]  # fmt: skip
    return organizer.post(f"/organizers/campaigns/{SLUG}/webhooks", data=data)


def secret_on(page: str) -> str:
    match = re.search(r'id="webhook-secret"[^>]*value="(whsec_[^"]+)"', page)
    assert match, "no secret on the page"
    return match.group(1)


def send_until_done(runner, rounds: int = 20) -> None:
    for _ in range(rounds):
        result = runner.invoke(args=["send-webhooks"])
        assert result.exit_code == 0, result.output
        if "sent 0, retrying 0, failed 0" in result.output:
            return


def deliveries(app) -> list[WebhookDelivery]:
    with app.app_context():
        rows = db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
        db.session.expunge_all()
        return rows


def test_every_delivery_arrives_once_in_order_signed_after_the_receiver_was_down(
    make_app, make_event, campaign_id, receiver
):
    # Tries come again at once: the backoff's length is not what this test is about.
    app = make_app(WEBHOOKS_ALLOW_PRIVATE=True, WEBHOOK_RETRY_BASE_SECONDS=0)
    runner = app.test_cli_runner()
    organizer = organizer_on(app)
    created = add_webhook(organizer, receiver.url)
    assert created.status_code == 200
    secret = secret_on(created.get_data(as_text=True))
    assert secret not in organizer.get(DASHBOARD).get_data(as_text=True)  # shown once

    event_id = make_event(campaign_id=campaign_id)
    visitor = app.test_client()
    rsvp(visitor, event_id, email="rosa@example.org")
    rsvp(visitor, event_id, name="Bea Smith", email="bea@example.org", guests=2)
    token = emailed_rsvp_token(app, "rosa@example.org")
    manage = visitor.get(f"/rsvps/{token}").get_data(as_text=True)
    visitor.post(f"/rsvps/{token}", data={"name": "Rosa Parks", "zip_code": "10001",
                 "guests": "1", "phone": "", "csrf_token": csrf_token_from(manage)})  # fmt: skip
    visitor.post(f"/rsvps/{token}/cancel", data={"csrf_token": csrf_token_from(manage)})

    # The receiver is down: each RSVP's first delivery is tried, the rest wait behind it.
    send_until_done(runner, rounds=3)
    waiting = deliveries(app)
    assert [d.topic for d in waiting] == [
        "rsvp.created", "rsvp.created", "rsvp.changed", "rsvp.cancelled",
    ]  # fmt: skip
    assert all(d.status == MessageStatus.PENDING for d in waiting)
    assert [d.attempts > 0 for d in waiting] == [True, True, False, False]
    log = organizer.get(DASHBOARD).get_data(as_text=True)
    assert "ConnectionRefusedError" in log or "URLError" in log

    receiver.start()
    send_until_done(runner)

    sent = deliveries(app)
    assert all(d.status == MessageStatus.SENT for d in sent)
    ids = [r.headers["X-Eventsite-Delivery"] for r in receiver.received]
    assert sorted(ids) == sorted(d.delivery_id for d in sent)  # each once
    bodies = [json.loads(r.body) for r in receiver.received]
    for received, body in zip(receiver.received, bodies, strict=True):
        assert signature_matches(secret, received.body, received.headers["X-Eventsite-Signature"])
        assert received.headers["X-Eventsite-Topic"] == body["topic"]
        assert body["id"] == received.headers["X-Eventsite-Delivery"]
    rosa = [b for b in bodies if b["data"]["person"]["given_name"] == "Rosa"]
    assert [b["topic"] for b in rosa] == ["rsvp.created", "rsvp.changed", "rsvp.cancelled"]
    assert [b["data"]["status"] for b in rosa] == ["REGISTERED", "REGISTERED", "CANCELLED"]
    assert rosa[0]["data"]["event"]["id"] == event_id  # the API's attendance shape
    assert "HTTP 200" in organizer.get(DASHBOARD).get_data(as_text=True)


def test_a_tampered_body_fails_verification(make_app, make_event, campaign_id, receiver):
    app = make_app(WEBHOOKS_ALLOW_PRIVATE=True)
    runner = app.test_cli_runner()
    organizer = organizer_on(app)
    secret = secret_on(add_webhook(organizer, receiver.url).get_data(as_text=True))
    receiver.start()
    rsvp(app.test_client(), make_event(campaign_id=campaign_id))
    send_until_done(runner)

    [received] = receiver.received
    header = received.headers["X-Eventsite-Signature"]
    assert header.startswith("sha256=")
    assert signature_matches(secret, received.body, header)
    tampered = received.body.replace(b'"guests":0', b'"guests":9')
    assert tampered != received.body
    assert not signature_matches(secret, tampered, header)
    assert not signature_matches("whsec_someone-elses", received.body, header)


def test_each_webhook_gets_its_own_delivery_and_topics(make_app, make_event, campaign_id):
    app = make_app(WEBHOOKS_ALLOW_PRIVATE=True)
    organizer = organizer_on(app)
    add_webhook(organizer, "http://127.0.0.1:9/a", topics=["rsvp.created"])
    add_webhook(organizer, "http://127.0.0.1:9/b", topics=["event.cancelled"])
    event_id = make_event(campaign_id=campaign_id)
    rsvp(app.test_client(), event_id)
    make_event()  # outside the campaign: no webhook hears of it
    rsvp(app.test_client(), make_event(), email="other@example.org")

    assert [(d.webhook_id, d.topic) for d in deliveries(app)] == [(1, "rsvp.created")]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://0.0.0.0/",
        "ftp://example.org/hook",
        "javascript:alert(1)",
        "http://user:pw@example.org/hook",
        "not a url",
    ],
)
def test_private_and_odd_urls_are_refused(organizer, url):
    response = add_webhook(organizer, url)
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)


def test_loopback_is_allowed_only_by_the_setting(make_app, campaign_id, make_event, receiver):
    allowed = make_app(WEBHOOKS_ALLOW_PRIVATE=True)
    organizer = organizer_on(allowed)
    assert add_webhook(organizer, receiver.url).status_code == 200
    receiver.start()
    rsvp(allowed.test_client(), make_event(campaign_id=campaign_id))

    # The sender checks again: without the setting, nothing goes to loopback.
    strict = make_app()
    result = strict.test_cli_runner().invoke(args=["send-webhooks"])
    assert "failed 1" in result.output
    assert receiver.received == []
    [delivery] = deliveries(strict)
    assert delivery.status == MessageStatus.FAILED and "private" in delivery.last_error


def test_webhook_pages_are_for_the_campaigns_organizers(client, app, runner, campaign_id):
    assert client.get(DASHBOARD).status_code == 302
    with app.app_context():
        db.session.add(Campaign(slug="other-campaign", name="Other"))
        db.session.commit()
    make_organizer(runner, email="other@example.org", campaigns=("other-campaign",))
    log_in(client, email="other@example.org")
    assert client.get(DASHBOARD).status_code == 404
    page = client.get("/organizers/campaigns/other-campaign/dashboard").get_data(as_text=True)
    response = client.post(
        f"/organizers/campaigns/{SLUG}/webhooks",
        data={"url": "https://example.org/", "topics": ["rsvp.created"],
              "csrf_token": csrf_token_from(page)},
    )  # fmt: skip
    assert response.status_code == 404


def test_event_changes_go_out_in_the_apis_event_shape(make_app, make_event, campaign_id, receiver):
    app = make_app(WEBHOOKS_ALLOW_PRIVATE=True)
    runner = app.test_cli_runner()
    organizer = organizer_on(app)
    secret = secret_on(
        add_webhook(organizer, receiver.url, topics=["event.cancelled"]).get_data(as_text=True)
    )
    event_id = make_event(campaign_id=campaign_id, title="Rally for Families")
    edit = organizer.get(f"/organizers/events/{event_id}/edit").get_data(as_text=True)
    organizer.post(
        f"/organizers/events/{event_id}/cancel",
        data={"reason": "Storm", "confirm": "y", "csrf_token": csrf_token_from(edit)},
    )
    receiver.start()
    send_until_done(runner)

    [received] = receiver.received
    assert signature_matches(secret, received.body, received.headers["X-Eventsite-Signature"])
    body = json.loads(received.body)
    assert body["topic"] == "event.cancelled"
    assert body["data"]["id"] == event_id and body["data"]["title"] == "Rally for Families"
    assert "host_email" not in received.body.decode()
