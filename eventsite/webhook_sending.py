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
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, delete, exists, select, update
from sqlalchemy.orm import aliased

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


def _claim(delivery_id: int) -> int | None:
    """Lease one due delivery for this sender; its attempt number, or None if another has it."""
    now = utcnow()
    with unit_of_work():
        result = db.session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery_id,
                WebhookDelivery.status == MessageStatus.PENDING,
                WebhookDelivery.next_attempt_at <= now,
            )
            .values(attempts=WebhookDelivery.attempts + 1, next_attempt_at=now + _lease())
            .execution_options(synchronize_session=False)
        )
    if result.rowcount != 1:
        return None
    return db.session.scalar(select(WebhookDelivery.attempts).where(WebhookDelivery.id == delivery_id))


def _settle(delivery_id: int, attempt: int, **values) -> None:
    """Record how an attempt went, unless the lease ran out and another sender took over."""
    with unit_of_work():
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


def _written(delivery_id: int):
    """(url, secret, topic, delivery id, body) of a delivery, read in a unit of its own."""
    with unit_of_work():
        delivery = db.session.get(WebhookDelivery, delivery_id)
        body = delivery_body(delivery)
        hook = delivery.webhook
        return hook.url, hook.secret, delivery.topic, delivery.delivery_id, body


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


def _record_failure(delivery_id: int, attempt: int, error: str, code, report) -> None:
    with unit_of_work():
        created_at = db.session.scalar(
            select(WebhookDelivery.created_at).where(WebhookDelivery.id == delivery_id)
        )
    next_try = utcnow() + _retry_delay(attempt)
    give_up_at = created_at + timedelta(hours=current_app.config["WEBHOOK_RETRY_HOURS"])
    if next_try > give_up_at:
        _settle(delivery_id, attempt, status=MessageStatus.FAILED, last_error=error,
                last_status_code=code)  # fmt: skip
        report.failed += 1
    else:
        _settle(delivery_id, attempt, next_attempt_at=next_try, last_error=error,
                last_status_code=code)  # fmt: skip
        report.retrying += 1


def _send_one(delivery_id: int, report: WebhookReport) -> None:
    attempt = _claim(delivery_id)
    if attempt is None:
        return  # another sender has it
    url, secret, topic, delivery_uuid, body = _written(delivery_id)
    if body is None:
        with unit_of_work():
            db.session.execute(delete(WebhookDelivery).where(WebhookDelivery.id == delivery_id))
        report.dropped += 1
        return
    try:
        code = _post(url, secret, topic, delivery_uuid, body)
    except WebhookUrlRefused as error:
        _settle(delivery_id, attempt, status=MessageStatus.FAILED, last_error=str(error))
        report.failed += 1
    except urllib.error.HTTPError as error:
        _record_failure(delivery_id, attempt, f"HTTP {error.code}", error.code, report)
    except (OSError, ValueError) as error:  # down, refused, timed out
        _record_failure(delivery_id, attempt, f"{type(error).__name__}: {error}", None, report)
    else:
        _settle(delivery_id, attempt, status=MessageStatus.SENT, sent_at=utcnow(),
                last_status_code=code, last_error="")  # fmt: skip
        report.sent += 1


def send_pending_webhooks(limit: int = 100) -> WebhookReport:
    """Send up to limit due deliveries; failures are tried again later with backoff."""
    report = WebhookReport()
    for delivery_id in due_delivery_ids(limit):
        _send_one(delivery_id, report)
    return report
