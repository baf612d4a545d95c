"""The webhook sender (flask send-webhooks): each due delivery written, signed and POSTed.

A delivery is claimed with one conditional UPDATE (pending, due, not leased), as mail.py
claims an email, so two senders never send it twice. A delivery waits while an earlier
one to the same webhook about the same RSVP or event is pending: receivers get each
RSVP's changes in order. A receiver that is down or answers other than 2xx is tried
again with backoff until WEBHOOK_RETRY_HOURS after the change; then the delivery fails.
"""

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, exists, select, update
from sqlalchemy.orm import aliased, joinedload

from .api.serializers import ATTENDANCE_STATUS, attendance_object, event_object, unix
from .extensions import db
from .models import Event, MessageStatus, Rsvp, RsvpStatus, WebhookDelivery, utcnow
from .transactions import unit_of_work
from .webhooks import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TOPIC_HEADER,
    WebhookUrlRefused,
    check_webhook_url,
    signature,
)

log = logging.getLogger(__name__)

# The longest wait between two tries of one delivery.
MAX_RETRY_DELAY = timedelta(hours=1)
USER_AGENT = "eventsite-webhooks/1"


@dataclass
class WebhookReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    dropped: int = 0  # about an RSVP or event that is gone (erased): deleted unsent


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new address to send to (it could point inward)."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def due_delivery_ids(limit: int) -> list[int]:
    """Deliveries to send now, oldest first, each behind no pending earlier one of its order."""
    earlier = aliased(WebhookDelivery)
    waiting_behind = exists().where(
        and_(
            earlier.webhook_id == WebhookDelivery.webhook_id,
            earlier.order_key == WebhookDelivery.order_key,
            earlier.id < WebhookDelivery.id,
            earlier.status == MessageStatus.PENDING,
        )
    )
    with unit_of_work():
        ids = db.session.scalars(
            select(WebhookDelivery.id)
            .where(
                WebhookDelivery.status == MessageStatus.PENDING,
                WebhookDelivery.next_attempt_at <= utcnow(),
                ~waiting_behind,
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(limit)
        ).all()
    return list(ids)


def _lease() -> timedelta:
    return timedelta(seconds=max(60.0, 4 * current_app.config["WEBHOOK_TIMEOUT"]))


def _claim(delivery_ids: list[int]) -> dict[int, int]:
    """Lease due deliveries for this sender, in one statement: {id: attempt number} of those
    no other sender has."""
    now = utcnow()
    # Its own transaction, committed before the slow POSTs, so other senders see the lease.
    with unit_of_work():
        claimed = db.session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id.in_(delivery_ids),
                WebhookDelivery.status == MessageStatus.PENDING,
                WebhookDelivery.next_attempt_at <= now,
            )
            .values(attempts=WebhookDelivery.attempts + 1, next_attempt_at=now + _lease())
            .returning(WebhookDelivery.id, WebhookDelivery.attempts)
            .execution_options(synchronize_session=False)
        ).all()
    return dict(claimed)


def _settle(outcomes: list[tuple[int, int, dict]]) -> None:
    """Record how each attempt went, in one transaction, unless its lease ran out and
    another sender took it over (its attempt number moved on)."""
    with unit_of_work():
        for delivery_id, attempt, values in outcomes:
            db.session.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.id == delivery_id,
                    WebhookDelivery.attempts == attempt,
                    WebhookDelivery.status == MessageStatus.PENDING,
                )
                .values(last_attempt_at=utcnow(), **values)
                .execution_options(synchronize_session=False)
            )


def delivery_body(delivery: WebhookDelivery) -> bytes | None:
    """The JSON a delivery carries, written now in the API's shapes, with the status the
    RSVP had when the change was queued; None when what it is about is gone."""
    event = db.session.get(Event, delivery.event_id) if delivery.event_id else None
    rsvp = db.session.get(Rsvp, delivery.rsvp_id) if delivery.rsvp_id else None
    if event is None or (delivery.rsvp_id and rsvp is None):
        return None
    facts = delivery.facts or {}
    if rsvp is not None:
        data = attendance_object(rsvp)
        if "status" in facts:
            data["status"] = ATTENDANCE_STATUS[RsvpStatus(facts["status"])]
    else:
        data = event_object(event)
    body = {
        "id": delivery.delivery_id,
        "topic": delivery.topic,
        "created_date": unix(delivery.created_at),
        "data": data,
    }
    return json.dumps(body, separators=(",", ":"), sort_keys=True).encode()


@dataclass
class _Outgoing:
    id: int
    url: str
    secret: str
    topic: str
    delivery_id: str
    created_at: datetime
    body: bytes | None  # None: what it is about is gone


def _written(delivery_ids: list[int]) -> list[_Outgoing]:
    """The claimed deliveries written now, read in a unit of their own (no transaction
    stays open while receivers are slow)."""
    with unit_of_work():
        rows = db.session.scalars(
            select(WebhookDelivery)
            .options(joinedload(WebhookDelivery.webhook))
            .where(WebhookDelivery.id.in_(delivery_ids))
            .order_by(WebhookDelivery.id)
        ).all()
        return [
            _Outgoing(
                row.id,
                row.webhook.url,
                row.webhook.secret,
                row.topic,
                row.delivery_id,
                row.created_at,
                delivery_body(row),
            )  # fmt: skip
            for row in rows
        ]


def _post(url: str, secret: str, topic: str, delivery_uuid: str, body: bytes) -> int:
    """POST the signed body; the receiver's HTTP status (an error for a refused answer)."""
    check_webhook_url(url)  # again: the name may point elsewhere since it was checked
    request = urllib.request.Request(  # noqa: S310 (http(s) only: check_webhook_url)
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: signature(secret, body),
            DELIVERY_HEADER: delivery_uuid,
            TOPIC_HEADER: topic,
        },
    )
    timeout = current_app.config["WEBHOOK_TIMEOUT"]
    with _opener.open(request, timeout=timeout) as response:
        return response.status


def _retry_delay(attempt: int) -> timedelta:
    base = current_app.config["WEBHOOK_RETRY_BASE_SECONDS"]
    return min(timedelta(seconds=base * 2 ** min(attempt - 1, 20)), MAX_RETRY_DELAY)


def _failure(outgoing: _Outgoing, attempt: int, error: str, code, report) -> dict:
    """What a failed attempt leaves: a later try, or, a day after the change, failed."""
    next_try = utcnow() + _retry_delay(attempt)
    give_up_at = outgoing.created_at + timedelta(hours=current_app.config["WEBHOOK_RETRY_HOURS"])
    values = {"last_error": error, "last_status_code": code}
    if next_try > give_up_at:
        report.failed += 1
        return {**values, "status": MessageStatus.FAILED}
    report.retrying += 1
    return {**values, "next_attempt_at": next_try}


def _attempt(outgoing: _Outgoing, attempt: int, report: WebhookReport) -> dict:
    """POST one delivery; the values its row takes after this attempt."""
    try:
        code = _post(outgoing.url, outgoing.secret, outgoing.topic, outgoing.delivery_id,
                     outgoing.body)  # fmt: skip
    except WebhookUrlRefused as error:
        report.failed += 1
        return {"status": MessageStatus.FAILED, "last_error": str(error)}
    except urllib.error.HTTPError as error:
        return _failure(outgoing, attempt, f"HTTP {error.code}", error.code, report)
    except (OSError, ValueError) as error:  # down, refused, timed out
        return _failure(outgoing, attempt, f"{type(error).__name__}: {error}", None, report)
    report.sent += 1
    return {"status": MessageStatus.SENT, "sent_at": utcnow(), "last_status_code": code,
            "last_error": ""}  # fmt: skip


def send_pending_webhooks(limit: int = 100) -> WebhookReport:
    """Send up to limit due deliveries; failures are tried again later with backoff.

    One statement leases the batch and one transaction records how it went: a sender that
    dies between a POST and the record sends that delivery again after the lease, with the
    same delivery id, which receivers use to drop the repeat.
    """
    report = WebhookReport()
    due = due_delivery_ids(limit)
    claimed = _claim(due) if due else {}
    if not claimed:
        return report
    outcomes, gone = [], []
    for outgoing in _written(list(claimed)):
        if outgoing.body is None:
            gone.append(outgoing.id)
            continue
        attempt = claimed[outgoing.id]
        outcomes.append((outgoing.id, attempt, _attempt(outgoing, attempt, report)))
    _settle(outcomes)
    if gone:
        with unit_of_work():
            db.session.execute(delete(WebhookDelivery).where(WebhookDelivery.id.in_(gone)))
        report.dropped += len(gone)
    return report
