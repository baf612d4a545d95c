"""An organizer's verbs: moderating events and hosts' changes, making campaigns, ending
sessions; each one unit of work."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from .. import emails, webhooks
from ..event_changes import clear_changes, save_details
from ..event_details import (
    EVENT_DETAIL_FIELDS,
    EventDetails,
    HostingError,
    proposed_values,
)
from ..extensions import db
from ..images import PreparedImage, kept_image
from ..models import Campaign, Event, EventStatus, Organizer, Webhook, WebhookTopic
from ..transactions import unit_of_work
from .queries import review_version


def end_sessions(organizer: Organizer) -> None:
    """Log the organizer out on every device: session cookies issued so far stop working."""
    with unit_of_work():
        organizer.end_sessions()


def password_checked(organizer: Organizer, password: str) -> bool:
    """Whether password is the organizer's; a hash kept the old way is kept anew."""
    with unit_of_work():
        return organizer.check_password(password)


def create_campaign(
    organizer: Organizer, name: str, slug: str, description: str, action_date: date | None
) -> Campaign:
    """A new campaign run by the organizer who made it."""
    campaign = Campaign(name=name, slug=slug, description=description, action_date=action_date)
    campaign.organizers.append(organizer)
    with unit_of_work():
        db.session.add(campaign)
    return campaign


def _check_reviewed(event: Event, reviewed: str) -> None:
    # Read the row again, locked (PostgreSQL), so a host's edit can't land in between.
    db.session.refresh(event, with_for_update=True)
    if reviewed != review_version(event):
        raise HostingError(
            _(
                "The host changed “%(title)s” since you opened this page; review it again.",
                title=event.title,
            )
        )


def approve_event(event: Event, reviewed: str) -> None:
    """List a pending event, as the organizer reviewed it, and tell its host."""
    with unit_of_work():
        _check_reviewed(event, reviewed)
        event.status = EventStatus.PUBLISHED
        event.rejection_reason = ""
        emails.email_event_decided(event, approved=True)
        webhooks.queue_event_delivery(WebhookTopic.EVENT_CHANGED, event)


def reject_event(event: Event, reason: str) -> None:
    """Turn down a pending event with a reason the host is told."""
    with unit_of_work():
        event.status = EventStatus.REJECTED
        event.rejection_reason = reason
        emails.email_event_decided(event, approved=False, reason=reason)
        webhooks.queue_event_delivery(WebhookTopic.EVENT_CHANGED, event)


def approve_changes(event: Event, reviewed: str) -> None:
    """Make a host's waiting changes public, as the organizer reviewed them, and tell the
    host. A new place keeps the wall-clock times the host gave."""
    with unit_of_work():
        _check_reviewed(event, reviewed)
        current = {name: getattr(event, name) for name in EVENT_DETAIL_FIELDS}
        # The shifts' times and capacity were never waiting: they stay as they are.
        current.update(starts_local=None, ends_local=None, capacity=None)
        save_details(event, EventDetails(**{**current, **proposed_values(event)}))
        clear_changes(event)
        event.rejection_reason = ""
        emails.email_changes_decided(event, approved=True)


def reject_changes(event: Event, reason: str) -> None:
    """Turn down a host's waiting changes; the event stays as approved, the host is told."""
    with unit_of_work():
        clear_changes(event)
        event.rejection_reason = reason
        emails.email_changes_decided(event, approved=False, reason=reason)


@dataclass(frozen=True)
class CampaignFace:
    """What an organizer sets on a campaign's look and call to action."""

    image: PreparedImage | None
    remove_image: bool
    tagline: str
    accent_color: str
    hashtag: str
    suggested_post: str
    actions: list[dict]


def update_campaign_face(campaign: Campaign, face: CampaignFace) -> None:
    """Save a campaign's picture, tagline, colour, hashtag, post and action links."""
    with unit_of_work():
        if face.image is not None:
            campaign.image = kept_image(face.image)
        elif face.remove_image:
            campaign.image = None
        campaign.tagline = face.tagline
        campaign.accent_color = face.accent_color
        campaign.hashtag = face.hashtag
        campaign.suggested_post = face.suggested_post
        campaign.actions = face.actions or None


def create_webhook(campaign: Campaign, url: str, topics: list[str]) -> tuple[Webhook, str]:
    """A webhook for the campaign's changes; returns it with its secret, shown only now."""
    secret = webhooks.new_secret()
    webhook = Webhook(campaign_id=campaign.id, url=url, secret=secret, topics=sorted(topics))
    with unit_of_work():
        db.session.add(webhook)
    return webhook, secret


def delete_webhook(webhook: Webhook) -> None:
    """Stop a webhook: its waiting deliveries and log go with it."""
    with unit_of_work():
        db.session.delete(webhook)
