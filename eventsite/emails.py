"""Every email the site sends, one function each: its words, its links, its calendar file.

Each function queues its message in the caller's transaction (see mail.queue_email),
so an email exists exactly when the change that caused it is saved.
"""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from .calendar import calendar_entry, calendar_for
from .dates import format_event_when
from .extensions import db
from .mail import MAX_SUBJECT_LENGTH, queue_email, shortened
from .models import Event, EventStatus, Organizer, Rsvp, RsvpStatus, utcnow
from .urls import external_url, public_domain


def _when(event: Event) -> str:
    return format_event_when(event.starts_at, event.ends_at, event.timezone)


def _event_link(event: Event) -> str:
    return external_url("events.show", event_id=event.id)


def _rsvp_link(token: str) -> str:
    return external_url("events.manage_rsvp", token=token)


def _site_name() -> str:
    return current_app.config["SITE_NAME"]


# Replies. A host's email is private (the host form promises it), and anyone can get an
# attendee email by RSVPing, so attendee emails never carry it: their replies go to
# EVENTSITE_MAIL_REPLY_TO when it is set, else to From. A host's replies reach a person:
# EVENTSITE_MAIL_REPLY_TO, else the organizers who moderate the event.


def _attendee_reply_to() -> str:
    return current_app.config.get("MAIL_REPLY_TO", "")


def _host_reply_to(event: Event) -> str:
    configured = current_app.config.get("MAIL_REPLY_TO", "")
    if configured:
        return configured
    if event.campaign_id is not None:
        organizers = event.campaign.organizers
    else:  # the site's own team moderates events outside any campaign
        organizers = db.session.scalars(select(Organizer).order_by(Organizer.id)).all()
    return ", ".join(organizer.email for organizer in organizers if organizer.is_active)


def _calendar_file(event: Event) -> str:
    """The event as an .ics file, the same one the event page offers."""
    url = _event_link(event)
    return calendar_for([calendar_entry(event, url, public_domain(), utcnow())]).decode()


def _rsvp_status_line(rsvp: Rsvp) -> str:
    if rsvp.status == RsvpStatus.GOING:
        if rsvp.guests:
            return ngettext(
                "You're going, with %(num)d guest.",
                "You're going, with %(num)d guests.",
                rsvp.guests,
            )
        return _("You're going.")
    if rsvp.status == RsvpStatus.WAITLISTED:
        return _(
            "The event is full, so you're on the waitlist. If a spot opens up, you move up "
            "in the order you signed up and we email you."
        )
    return _("Your RSVP is cancelled.")


def _lines(*lines: str) -> str:
    return "\n".join(lines)


def _to_host(event: Event, subject: str, *lines: str, reply_to: str = "") -> None:
    """Queue an email to the event's host: a greeting, a blank line, then lines."""
    body = _lines(_("Hi %(name)s,", name=event.host_name), "", *lines)
    queue_email(event.host_email, subject, body, reply_to=reply_to)


def _to_attendee(rsvp: Rsvp, subject: str, *lines: str, calendar: bool = False) -> None:
    """Queue an email to the person who RSVPed, with the event's calendar file if asked:
    a greeting, a blank line, then lines; replies go where the site says attendees write."""
    body = _lines(_("Hi %(name)s,", name=rsvp.name), "", *lines)
    attachment = _calendar_file(rsvp.event) if calendar else None
    queue_email(rsvp.email, subject, body, attachment, reply_to=_attendee_reply_to())


def email_host_confirmation(event: Event, token: str, placement_message: str = "") -> None:
    """To a host who just listed an event: the private link to manage it."""
    if event.status == EventStatus.PENDING:
        state = _("It is waiting for an organizer's approval; we'll email you when it's listed.")
    else:
        state = _("It is listed now: %(link)s", link=_event_link(event))
    _to_host(
        event,
        _("Your event: %(title)s", title=event.title),
        _("Thank you for hosting “%(title)s” on %(when)s.", title=event.title, when=_when(event)),
        state,
        "",
        _("Your private link to edit or cancel the event, see who's coming and write to them:"),
        external_url("events.manage_hosted_event", token=token),
        _("Keep it safe: anyone with this link can manage your event."),
        *(["", placement_message] if placement_message else []),
        reply_to=_host_reply_to(event),
    )


def email_rsvp_confirmation(rsvp: Rsvp, token: str) -> None:
    """To someone who just RSVPed: where and when, a calendar file, and their private link."""
    event = rsvp.event
    going = rsvp.status == RsvpStatus.GOING
    if going:
        subject = _("You're going: %(title)s", title=event.title)
    else:
        subject = _("You're on the waitlist: %(title)s", title=event.title)
    _to_attendee(
        rsvp,
        subject,
        _rsvp_status_line(rsvp),
        "",
        event.title,
        _when(event),
        event.full_address,
        _event_link(event),
        "",
        _("Your private link to change or cancel your RSVP:"),
        _rsvp_link(token),
        _("Keep it to yourself: anyone with this link can change your RSVP."),
        calendar=going,
    )


def email_rsvp_link(rsvp: Rsvp, token: str) -> None:
    """To the address on file, when someone RSVPs again with it: nothing changed, here's a link."""
    event = rsvp.event
    if rsvp.status == RsvpStatus.CANCELLED:
        link_line = _("Want to come after all? RSVP again with your private link:")
    else:
        link_line = _("Your private link to change or cancel your RSVP:")
    _to_attendee(
        rsvp,
        _("Your RSVP: %(title)s", title=event.title),
        _(
            "Someone, probably you, just RSVPed to “%(title)s” on %(when)s with this email "
            "address. You had already RSVPed, so nothing has changed.",
            title=event.title,
            when=_when(event),
        ),
        _rsvp_status_line(rsvp),
        "",
        link_line,
        _rsvp_link(token),
        _("Keep it to yourself: anyone with this link can change your RSVP."),
        _("Links from earlier emails still work. If this wasn't you, ignore this email."),
        calendar=rsvp.status == RsvpStatus.GOING,
    )


def email_rsvp_changed(rsvp: Rsvp) -> None:
    """To someone who changed their RSVP from their private link."""
    event = rsvp.event
    _to_attendee(
        rsvp,
        _("RSVP updated: %(title)s", title=event.title),
        _("Your RSVP to “%(title)s” on %(when)s is updated.", title=event.title, when=_when(event)),
        _rsvp_status_line(rsvp),
        "",
        _("To change it again, use the private link from your first email."),
        _event_link(event),
        calendar=rsvp.status == RsvpStatus.GOING,
    )


def email_rsvp_cancelled(rsvp: Rsvp) -> None:
    """To someone who cancelled their RSVP."""
    event = rsvp.event
    _to_attendee(
        rsvp,
        _("RSVP cancelled: %(title)s", title=event.title),
        _(
            "Your RSVP to “%(title)s” on %(when)s is cancelled. Thank you for letting the "
            "host know.",
            title=event.title,
            when=_when(event),
        ),
        "",
        _("Changed your mind? RSVP again on the event page:"),
        _event_link(event),
    )


def email_waitlist_promotion(rsvp: Rsvp, token: str) -> None:
    """To someone moved up from the waitlist; token is a further private link's."""
    event = rsvp.event
    _to_attendee(
        rsvp,
        _("You're in: %(title)s", title=event.title),
        _(
            "Good news: a spot opened up at “%(title)s” on %(when)s, and it's yours.",
            title=event.title,
            when=_when(event),
        ),
        _rsvp_status_line(rsvp),
        event.full_address,
        "",
        _("Can't make it after all? Please free the spot for someone else with your link:"),
        _rsvp_link(token),
        _("(The link from your first email works too.)"),
        calendar=True,
    )


def email_event_changed(event: Event, rsvp: Rsvp) -> None:
    """To an attendee, when the host moved the event in time or place."""
    _to_attendee(
        rsvp,
        _("Changed: %(title)s", title=event.title),
        _("The host changed the time or place of “%(title)s”. It is now:", title=event.title),
        _when(event),
        event.full_address,
        "",
        _("Details: %(link)s", link=_event_link(event)),
        calendar=rsvp.status == RsvpStatus.GOING,
    )


def email_event_cancelled(event: Event, rsvp: Rsvp, reason: str = "") -> None:
    """To an attendee of an event that was called off."""
    _to_attendee(
        rsvp,
        _("Cancelled: %(title)s", title=event.title),
        _(
            "We're sorry: “%(title)s” on %(when)s has been cancelled.",
            title=event.title,
            when=_when(event),
        ),
        *(["", _("The host says: %(reason)s", reason=reason)] if reason else []),
        "",
        _("Find other events near you: %(link)s", link=external_url("events.home")),
    )


def email_host_message(event: Event, rsvp: Rsvp, subject: str, body: str) -> None:
    """A host's own message to one attendee, with a footer saying who sent it and why."""
    footer = _(
        "%(host)s sent this to people who RSVPed to “%(title)s” on %(site)s.",
        host=event.host_name,
        title=event.title,
        site=_site_name(),
    )
    text = _lines(body, "", "—", footer, _("Event page: %(link)s", link=_event_link(event)))
    # The host's subject whole; the title shortened to fit the rest of the line.
    title = shortened(event.title, MAX_SUBJECT_LENGTH - len(subject) - len(" ()"))
    queue_email(rsvp.email, f"{subject} ({title})", text, reply_to=_attendee_reply_to())


def email_event_decided(event: Event, *, approved: bool, reason: str = "") -> None:
    """To a host whose pending event an organizer approved, or turned down with a reason."""
    reply_to = _host_reply_to(event)
    if approved:
        _to_host(
            event,
            _("Your event is listed: %(title)s", title=event.title),
            _("Good news: “%(title)s” is approved and listed now:", title=event.title),
            _event_link(event),
            reply_to=reply_to,
        )
        return
    _to_host(
        event,
        _("Your event was not approved: %(title)s", title=event.title),
        _("An organizer did not approve “%(title)s”.", title=event.title),
        "",
        _("Their reason: %(reason)s", reason=reason),
        # The organizers read the replies.
        *(
            ["", _("Think this is a mistake? Reply to this email to reach the organizers.")]
            if reply_to
            else []
        ),
        reply_to=reply_to,
    )


def email_changes_decided(event: Event, *, approved: bool, reason: str = "") -> None:
    """To a host whose changes to a listed event an organizer approved, or turned down with
    a reason (the event stays listed as it was)."""
    if approved:
        _to_host(
            event,
            _("Your changes are approved: %(title)s", title=event.title),
            _("An organizer approved your changes; your event page shows them now:"),
            _event_link(event),
        )
        return
    _to_host(
        event,
        _("Your changes were not approved: %(title)s", title=event.title),
        _(
            "An organizer did not approve your changes to “%(title)s”. Your event stays "
            "listed as it was before.",
            title=event.title,
        ),
        "",
        _("Their reason: %(reason)s", reason=reason),
        "",
        _event_link(event),
    )
