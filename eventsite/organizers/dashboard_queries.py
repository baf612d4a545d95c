"""The campaign dashboard's figures, each one aggregate query over an index.

Every count over RSVPs reads one of rsvps' indexes that starts with event_id (joined to
the campaign's events) and holds the columns it groups by, so the table itself is not
read: ix_rsvps_event_id_status_created_at for sign-ups per hour, ..._checked_in_at for
arrivals, ..._utm_source for one count per event and source (which gives the figures per
event, state, kind and source), and the partial ix_rsvps_ref_event_id for referrers.
tests/test_dashboard_plans.py checks the plans on both databases.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    Event,
    EventStatus,
    MessageStatus,
    OutboxMessage,
    Rsvp,
    Webhook,
    WebhookDelivery,
    utcnow,
)

HOURS_SHOWN = 48
TOP = 10


@dataclass
class CampaignFigures:
    hours: list[datetime]
    rsvps_per_hour: list[int]
    check_ins_per_hour: list[int]
    per_state: list[tuple[str, int]]
    per_kind: list[tuple[str, int]]
    top_events: list[tuple[int, str, int]]
    top_sources: list[tuple[str, int]]
    top_referrers: list[tuple[str, str, int]]
    pending_events: int
    emails: dict = field(default_factory=dict)
    deliveries: dict = field(default_factory=dict)


def _hour(column):
    """The UTC hour a time falls in, in SQL: a datetime on PostgreSQL, text on SQLite."""
    if db.engine.dialect.name == "postgresql":
        return func.date_trunc("hour", func.timezone("UTC", column))
    return func.strftime("%Y-%m-%d %H:00:00", column)


def _as_hour(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC)


def hours_window(action_date, now: datetime) -> tuple[datetime, datetime]:
    """The HOURS_SHOWN hours up to now, or up to the end of a campaign day that is past."""
    end = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    if action_date is not None:
        day_after = datetime(action_date.year, action_date.month, action_date.day, tzinfo=UTC)
        end = min(end, day_after + timedelta(days=2))
    return end - timedelta(hours=HOURS_SHOWN), end


def per_hour_statement(campaign_id: int, column, start: datetime, end: datetime):
    hour = _hour(column)
    return (
        select(hour, func.count())
        .select_from(Rsvp)
        .join(Event, Event.id == Rsvp.event_id)
        .where(Event.campaign_id == campaign_id, column >= start, column < end)
        .group_by(hour)
    )


def per_event_and_source_statement(campaign_id: int):
    """Counts per event and source: one scan gives the figures per event, state, kind and
    source."""
    return (
        select(Rsvp.event_id, Rsvp.utm_source, func.count())
        .join(Event, Event.id == Rsvp.event_id)
        .where(Event.campaign_id == campaign_id)
        .group_by(Rsvp.event_id, Rsvp.utm_source)
    )


def rsvps_per_event(campaign_id: int) -> dict[int, int]:
    """How many RSVPs (rows, any status) each of the campaign's events has."""
    counts = Counter()
    for event_id, _source, count in db.session.execute(per_event_and_source_statement(campaign_id)):
        counts[event_id] += count
    return dict(counts)


def referrers_statement(campaign_id: int):
    """The referral codes most RSVPs came by, most first (read from the partial index of
    RSVPs with a code)."""
    return (
        select(Rsvp.ref, func.count().label("rsvps"))
        .join(Event, Event.id == Rsvp.event_id)
        .where(Event.campaign_id == campaign_id, Rsvp.ref.is_not(None))
        .group_by(Rsvp.ref)
        .order_by(func.count().desc(), Rsvp.ref)
        .limit(TOP)
    )


def _per_hour(campaign_id, column, hours, start, end) -> list[int]:
    counts = {
        _as_hour(hour): count
        for hour, count in db.session.execute(per_hour_statement(campaign_id, column, start, end))
    }
    return [counts.get(hour, 0) for hour in hours]


def _referrers(campaign_id: int) -> list[tuple[str, str, int]]:
    counts = db.session.execute(referrers_statement(campaign_id)).all()
    names = dict(
        db.session.execute(
            select(Rsvp.referral_code, Rsvp.name).where(
                Rsvp.referral_code.in_([code for code, _ in counts])
            )
        ).all()
    )
    return [(code, names.get(code, ""), count) for code, count in counts]


def _by_status(statement) -> dict:
    return {status.value: count for status, count in db.session.execute(statement)}


def _waiting(campaign_id: int) -> tuple[dict, dict]:
    unsent = (MessageStatus.PENDING, MessageStatus.FAILED)
    emails = _by_status(
        select(OutboxMessage.status, func.count())
        .join(Event, Event.id == OutboxMessage.event_id)
        .where(Event.campaign_id == campaign_id, OutboxMessage.status.in_(unsent))
        .group_by(OutboxMessage.status)
    )
    deliveries = _by_status(
        select(WebhookDelivery.status, func.count())
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(Webhook.campaign_id == campaign_id, WebhookDelivery.status.in_(unsent))
        .group_by(WebhookDelivery.status)
    )
    return emails, deliveries


def _per_event(campaign_id: int):
    events = db.session.execute(
        select(Event.id, Event.title, Event.state, Event.kind, Event.status).where(
            Event.campaign_id == campaign_id
        )
    ).all()
    counts, sources = Counter(), Counter()
    for event_id, source, count in db.session.execute(per_event_and_source_statement(campaign_id)):
        counts[event_id] += count
        sources[source or ""] += count
    states, kinds = Counter(), Counter()
    for event in events:
        states[event.state] += counts.get(event.id, 0)
        kinds[event.kind.value] += counts.get(event.id, 0)
    top = sorted(events, key=lambda e: (-counts.get(e.id, 0), e.id))[:TOP]
    pending = sum(event.status == EventStatus.PENDING for event in events)
    return (
        sorted(states.items(), key=lambda item: (-item[1], item[0])),
        sorted(kinds.items(), key=lambda item: (-item[1], item[0])),
        [(event.id, event.title, counts.get(event.id, 0)) for event in top],
        sorted(sources.items(), key=lambda item: (-item[1], item[0]))[:TOP],
        pending,
    )


def campaign_figures(campaign_id: int, action_date=None) -> CampaignFigures:
    """Everything the campaign's dashboard shows, in a handful of aggregate queries."""
    start, end = hours_window(action_date, utcnow())
    hours = [start + timedelta(hours=n) for n in range(HOURS_SHOWN)]
    per_state, per_kind, top_events, top_sources, pending = _per_event(campaign_id)
    emails, deliveries = _waiting(campaign_id)
    return CampaignFigures(
        hours=hours,
        rsvps_per_hour=_per_hour(campaign_id, Rsvp.created_at, hours, start, end),
        check_ins_per_hour=_per_hour(campaign_id, Rsvp.checked_in_at, hours, start, end),
        per_state=per_state,
        per_kind=per_kind,
        top_events=top_events,
        top_sources=top_sources,
        top_referrers=_referrers(campaign_id),
        pending_events=pending,
        emails=emails,
        deliveries=deliveries,
    )


DELIVERIES_SHOWN = 20


def campaign_webhooks(campaign_id: int) -> list[Webhook]:
    return list(
        db.session.scalars(
            select(Webhook).where(Webhook.campaign_id == campaign_id).order_by(Webhook.id)
        )
    )


def recent_deliveries(campaign_id: int, limit: int = DELIVERIES_SHOWN) -> list[WebhookDelivery]:
    """The delivery log: the campaign's latest webhook deliveries and how each went."""
    return list(
        db.session.scalars(
            select(WebhookDelivery)
            .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .where(Webhook.campaign_id == campaign_id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )


def campaign_webhook(campaign_id: int, webhook_id: int) -> Webhook | None:
    webhook = db.session.get(Webhook, webhook_id)
    return webhook if webhook is not None and webhook.campaign_id == campaign_id else None
