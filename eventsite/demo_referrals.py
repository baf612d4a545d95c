"""Demo data for the campaign dashboard: RSVPs over the last two days from newsletters,
social posts and friends' invite links, some checked in, and a webhook with its log."""

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from .extensions import db
from .models import (
    Campaign,
    Event,
    MessageStatus,
    Rsvp,
    RsvpStatus,
    Timeslot,
    Webhook,
    WebhookDelivery,
    WebhookTopic,
    hash_token,
    new_referral_code,
    new_token,
)
from .transactions import unit_of_work
from .webhooks import new_secret

DASHBOARD_RSVPS = 400
# Where a demo RSVP came from: (utm_source, utm_medium), weighted as a day of action's are.
SOURCES = [("newsletter", "email")] * 4 + [("facebook", "social")] * 3 + [("sms", "sms")] * 2
SOURCES += [(None, None)] * 3
REFERRERS = ["Ana Garcia", "Marcus Johnson", "Priya Nguyen"]
# A CRM that does not exist: make run's sender logs its tries in the delivery log.
DEMO_WEBHOOK_URL = "https://crm.example.org/hooks/eventsite"


def _rsvp(event: Event, number: int, name: str, when: datetime, rng: random.Random, **tags):
    source, medium = rng.choice(SOURCES)
    return Rsvp(
        event_id=event.id,
        timeslot_id=event.timeslots[0].id,
        name=name,
        email=f"supporter{number}@example.org",
        zip_code=event.zip_code,
        guests=rng.choice([0, 0, 0, 1, 2]),
        status=RsvpStatus.GOING,
        token_hash=hash_token(new_token()),
        created_at=when,
        updated_at=when,
        utm_source=tags.get("utm_source", source),
        utm_medium=tags.get("utm_medium", medium),
        utm_campaign="day-of-action" if source else None,
        ref=tags.get("ref"),
        referral_code=new_referral_code(),
    )


def load_referrals_demo(now: datetime, seed: int = 18) -> None:
    """RSVPs to the demo campaign's events with sources and referrals, and a webhook."""
    rng = random.Random(seed)
    campaign = db.session.scalar(select(Campaign).order_by(Campaign.id))
    with unit_of_work():
        events = db.session.scalars(
            # Open to all, so the demo's RSVPs never overfill an event.
            select(Event)
            .where(
                Event.campaign_id == campaign.id,
                ~Event.timeslots.any(Timeslot.capacity.is_not(None)),
            )
            .order_by(Event.id)
            .limit(60)
        ).all()
        referrers = [
            _rsvp(events[n], n, name, now - timedelta(hours=47), rng)
            for n, name in enumerate(REFERRERS)
        ]
        db.session.add_all(referrers)
        rsvps = []
        for number in range(len(REFERRERS), DASHBOARD_RSVPS):
            when = now - timedelta(minutes=rng.randrange(47 * 60))
            ref = rng.choice(referrers).referral_code if rng.random() < 0.2 else None
            rsvp = _rsvp(rng.choice(events), number, f"Supporter {number}", when, rng, ref=ref)
            if rng.random() < 0.15:
                rsvp.checked_in_at = when + timedelta(minutes=30)
            rsvps.append(rsvp)
        db.session.add_all(rsvps)
        db.session.flush()
        for rsvp in [*referrers, *rsvps]:
            db.session.get(Timeslot, rsvp.timeslot_id).seats_taken += rsvp.seats
        _add_webhook(campaign, rsvps[-5:], now)


def _add_webhook(campaign: Campaign, rsvps: list[Rsvp], now: datetime) -> None:
    webhook = Webhook(campaign_id=campaign.id, url=DEMO_WEBHOOK_URL, secret=new_secret(),
                      topics=[topic.value for topic in WebhookTopic])  # fmt: skip
    db.session.add(webhook)
    db.session.flush()
    for minutes_ago, rsvp in enumerate(rsvps):
        sent = minutes_ago < 3
        db.session.add(
            WebhookDelivery(
                webhook_id=webhook.id,
                topic=WebhookTopic.RSVP_CREATED.value,
                event_id=rsvp.event_id,
                rsvp_id=rsvp.id,
                order_key=f"rsvp:{rsvp.id}",
                facts={"status": rsvp.status.value},
                status=MessageStatus.SENT if sent else MessageStatus.PENDING,
                attempts=1 if sent else 2,
                last_attempt_at=now - timedelta(minutes=minutes_ago),
                last_status_code=200 if sent else 503,
                last_error="" if sent else "HTTP 503",
                sent_at=now - timedelta(minutes=minutes_ago) if sent else None,
                next_attempt_at=now + timedelta(minutes=1),
            )
        )
