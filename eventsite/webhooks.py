"""Signed webhooks: a campaign's changes queued for each URL its organizers registered.

Callers queue deliveries inside the transaction that makes the change (the outbox, like
mail.py's); webhook_sending.py sends them later, signed, in order per RSVP and per event.
A receiver's URL must be http(s) and, unless WEBHOOKS_ALLOW_PRIVATE is set (tests, local
development), reach only public addresses: a webhook is never a way into the site's own
network.
"""

import hashlib
import hmac
import ipaddress
import secrets
import socket
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from .extensions import db
from .models import Event, Rsvp, Webhook, WebhookDelivery, WebhookTopic

SIGNATURE_HEADER = "X-Eventsite-Signature"
DELIVERY_HEADER = "X-Eventsite-Delivery"
TOPIC_HEADER = "X-Eventsite-Topic"
URL_MAX_LENGTH = 2000


class WebhookUrlRefused(ValueError):
    """A URL no delivery may go to; the message says why, for the form."""


def new_secret() -> str:
    """A webhook's signing secret, shown to the organizer once."""
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, body: bytes) -> str:
    """The signature header's value: HMAC-SHA256 of the body with the webhook's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(secret: str, body: bytes, header: str) -> bool:
    """What a receiver checks (in constant time): the body is what the site signed."""
    return hmac.compare_digest(signature(secret, body), header or "")


def _refused_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def check_webhook_url(url: str) -> tuple[str, int]:
    """(host, port) a delivery to url may go to, or WebhookUrlRefused saying why not.

    Checked when the webhook is made and again before each delivery (a name can come to
    point elsewhere): every address the host resolves to must be public.
    """
    from flask_babel import gettext as _

    parts = urlsplit(url)
    if len(url) > URL_MAX_LENGTH or parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookUrlRefused(_("Enter a web address starting with https:// or http://."))
    if parts.username or parts.password:
        raise WebhookUrlRefused(_("Leave the user name and password out of the address."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (ValueError, OSError) as error:
        raise WebhookUrlRefused(_("We couldn't find that address's server.")) from error
    allowed = current_app.config["WEBHOOKS_ALLOW_PRIVATE"]
    if not allowed and any(_refused_address(info[4][0]) for info in found):
        raise WebhookUrlRefused(
            _("That address is on a private network: webhooks go to public servers only.")
        )
    return parts.hostname, port


def _webhooks_for(campaign_id: int | None, topic: WebhookTopic) -> list[Webhook]:
    if campaign_id is None:
        return []
    hooks = db.session.scalars(
        select(Webhook).where(Webhook.campaign_id == campaign_id, Webhook.is_active)
    )
    return [hook for hook in hooks if topic.value in hook.topics]


def _queue(topic: WebhookTopic, campaign_id, order_key: str, **about) -> int:
    hooks = _webhooks_for(campaign_id, topic)
    for hook in hooks:
        db.session.add(
            WebhookDelivery(webhook_id=hook.id, topic=topic.value, order_key=order_key, **about)
        )
    return len(hooks)


def queue_rsvp_delivery(topic: WebhookTopic, rsvp: Rsvp) -> int:
    """Queue topic about rsvp to its campaign's webhooks, in the caller's transaction; the
    RSVP's status now is kept, so each delivery tells the change it was queued for."""
    event = rsvp.event or db.session.get(Event, rsvp.event_id)
    return _queue(
        topic,
        event.campaign_id,
        f"rsvp:{rsvp.id}",
        event_id=rsvp.event_id,
        rsvp_id=rsvp.id,
        facts={"status": rsvp.status.value},
    )


def queue_event_delivery(topic: WebhookTopic, event: Event) -> int:
    """Queue topic about event to its campaign's webhooks, in the caller's transaction."""
    return _queue(
        topic,
        event.campaign_id,
        f"event:{event.id}",
        event_id=event.id,
        facts={"status": event.status.value},
    )
