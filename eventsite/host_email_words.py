"""The words of the emails to hosts, one writer per kind (see email_words.py)."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from .dates import format_event_when
from .email_words import Letter, WrittenEmail, event_link, event_when, greeted_email
from .extensions import db
from .models import Event, Organizer
from .urls import external_url


def _host_reply_to(event: Event) -> str:
    """Where a host's replies go: a person, never the From address (see email_words.py):
    EVENTSITE_MAIL_REPLY_TO, else the event's organizers as they are when it is sent."""
    configured = current_app.config.get("MAIL_REPLY_TO", "")
    if configured:
        return configured
    if event.campaign_id is not None:
        organizers = event.campaign.organizers
    else:  # the site's own team moderates events outside any campaign
        organizers = db.session.scalars(select(Organizer).order_by(Organizer.id)).all()
    return ", ".join(organizer.email for organizer in organizers if organizer.is_active)


def hosted_when(event: Event) -> str:
    """When the event is, as its hosts read it: its next time and how many more follow,
    not the span from the first shift to the last."""
    slot = event.next_timeslot
    if slot is None:
        return event_when(event)
    when = format_event_when(slot.starts_at, slot.ends_at, event.timezone)
    if not event.more_times:
        return when
    return ngettext(
        "%(when)s and %(num)s more time",
        "%(when)s and %(num)s more times",
        event.more_times,
        when=when,
    )


def _to_host(letter: Letter, subject: str, *lines: str, reply_to: str = "") -> WrittenEmail:
    """An email to the event's host, greeted by name."""
    return greeted_email(letter.event.host_name, subject, *lines, reply_to=reply_to)


def host_confirmation(letter: Letter) -> WrittenEmail:
    """To a host who just listed an event: the private link to manage it."""
    event = letter.event
    if letter.facts.get("pending"):
        state = _("It is waiting for an organizer's approval; we'll email you when it's listed.")
    else:
        state = _("It is listed now: %(link)s", link=event_link(event))
    placement_message = letter.facts.get("placement_message", "")
    return _to_host(
        letter,
        _("Your event: %(title)s", title=event.title),
        _(
            "Thank you for hosting “%(title)s” on %(when)s.",
            title=event.title,
            when=hosted_when(event),
        ),
        state,
        "",
        _("Your private link to edit or cancel the event, see who's coming and write to them:"),
        external_url("events.manage_hosted_event", token=letter.token),
        _("Keep it safe: anyone with this link can manage your event."),
        *(["", placement_message] if placement_message else []),
        reply_to=_host_reply_to(event),
    )


def event_approved(letter: Letter) -> WrittenEmail:
    """To a host whose pending event an organizer approved."""
    event = letter.event
    return _to_host(
        letter,
        _("Your event is listed: %(title)s", title=event.title),
        _("Good news: “%(title)s” is approved and listed now:", title=event.title),
        event_link(event),
        reply_to=_host_reply_to(event),
    )


def event_rejected(letter: Letter) -> WrittenEmail:
    """To a host whose pending event an organizer turned down, with their reason."""
    event = letter.event
    reply_to = _host_reply_to(event)
    return _to_host(
        letter,
        _("Your event was not approved: %(title)s", title=event.title),
        _("An organizer did not approve “%(title)s”.", title=event.title),
        "",
        _("Their reason: %(reason)s", reason=letter.facts["reason"]),
        # The organizers read the replies.
        *(
            ["", _("Think this is a mistake? Reply to this email to reach the organizers.")]
            if reply_to
            else []
        ),
        reply_to=reply_to,
    )


def changes_approved(letter: Letter) -> WrittenEmail:
    """To a host whose changes to a listed event an organizer approved."""
    return _to_host(
        letter,
        _("Your changes are approved: %(title)s", title=letter.event.title),
        _("An organizer approved your changes; your event page shows them now:"),
        event_link(letter.event),
    )


def changes_rejected(letter: Letter) -> WrittenEmail:
    """To a host whose changes an organizer turned down: the event stays as it was."""
    event = letter.event
    return _to_host(
        letter,
        _("Your changes were not approved: %(title)s", title=event.title),
        _(
            "An organizer did not approve your changes to “%(title)s”. Your event stays "
            "listed as it was before.",
            title=event.title,
        ),
        "",
        _("Their reason: %(reason)s", reason=letter.facts["reason"]),
        "",
        event_link(event),
    )


def co_host_invitation(letter: Letter) -> WrittenEmail:
    """To a co-host: who added them, and their own private link to manage the event;
    replies reach the host, who chose them."""
    event = letter.event
    return greeted_email(
        None,  # the host named no one: a co-host is an email address
        _("You're a co-host: %(title)s", title=event.title),
        _(
            "%(host)s added you as a co-host of “%(title)s” on %(when)s.",
            host=event.host_name,
            title=event.title,
            when=hosted_when(event),
        ),
        event_link(event),
        "",
        _(
            "Your own private link to edit the event, see who's coming, check people in "
            "and write to them:"
        ),
        external_url("events.manage_hosted_event", token=letter.token),
        _("Keep it safe: anyone with this link can manage the event. The host can remove you."),
        reply_to=event.host_email,
    )
