"""The words of the emails to people who RSVPed, one writer per kind, and what every
writer shares (host_email_words.py has the hosts').

Each writer takes a Letter: the event and RSVP as they are now (a moved event is told with
its new time) and what the outbox row froze when it was queued (the RSVP's status and
guests then, a reason, a host's own words, a private link). email_writing.py calls them in
the row's language.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from .calendar import calendar_entry, calendar_for
from .dates import format_event_when
from .models import Event, OutboxMessage, Rsvp, RsvpStatus, Timeslot, utcnow
from .urls import external_url, public_domain
from .whereabouts import attendee_place_lines

# Subjects carry titles people typed; rows written at queue time held this many characters.
MAX_SUBJECT_LENGTH = OutboxMessage.__table__.c.subject.type.length


def shortened(text: str, length: int) -> str:
    """text, cut to at most length characters with an ellipsis where it was cut."""
    return text if len(text) <= length else text[: max(length - 1, 0)].rstrip() + "…"


@dataclass(frozen=True)
class WrittenEmail:
    subject: str
    body_text: str
    ics_attachment: str | None = None
    reply_to: str = ""  # empty: replies go to the From address
    # The iTIP method of the calendar file: CANCEL takes the event out of calendars.
    calendar_method: str = "PUBLISH"


@dataclass(frozen=True)
class Letter:
    """What a writer has: the event and RSVP as they are now, and what the row froze."""

    event: Event
    rsvp: Rsvp | None
    token: str | None
    facts: dict

    @property
    def going(self) -> bool:
        """The RSVP was going when the message was queued."""
        return self.facts.get("status") == RsvpStatus.GOING


def event_when(event: Event) -> str:
    return format_event_when(event.starts_at, event.ends_at, event.timezone)


def rsvp_when(letter: "Letter") -> str:
    """When the letter's RSVP is: its shift's times (the event's, without an RSVP)."""
    if letter.rsvp is None:
        return event_when(letter.event)
    slot = letter.rsvp.timeslot
    return format_event_when(slot.starts_at, slot.ends_at, letter.event.timezone)


def event_link(event: Event) -> str:
    return external_url("events.show", event_id=event.id)


def _rsvp_link(token: str) -> str:
    return external_url("events.manage_rsvp", token=token)


def _private_link_lines(token: str, intro: str | None = None) -> list[str]:
    """The private link to the RSVP: what it is for (intro), the link, and to keep it close."""
    return [
        intro or _("Your private link to change or cancel your RSVP:"),
        _rsvp_link(token),
        _("Keep it to yourself: anyone with this link can change your RSVP."),
    ]


def _title_and_when(letter: Letter) -> dict[str, str]:
    """The words of a sentence naming the event (%(title)s) and the RSVP's time (%(when)s)."""
    return {"title": letter.event.title, "when": rsvp_when(letter)}


def when_and_where(letter: Letter, going: bool = True) -> list[str]:
    """When the letter's RSVP is, then where to go or how to join (see attendee_place_lines)."""
    return [rsvp_when(letter), *attendee_place_lines(letter.event, going)]


# Replies. A host's email is private (the host form promises it), and anyone can get an
# attendee email by RSVPing, so attendee emails carry it only where the host chose so at
# the time (a message to attendees, "Replies come to me"): otherwise their replies go to
# EVENTSITE_MAIL_REPLY_TO when it is set, else to From. A host's replies reach a person
# (host_email_words._host_reply_to). Both are worked out when the message is sent.


def _attendee_reply_to() -> str:
    return current_app.config.get("MAIL_REPLY_TO", "")


def _calendar_file(event: Event, timeslot: Timeslot, method: str = "PUBLISH") -> str:
    """The RSVP's shift of the event as an .ics file for someone who RSVPed: with the full
    address and the meeting link, which the event page's file leaves out, and the method an
    email's file carries (CANCEL: phone calendars remove the entry with its UID)."""
    url = event_link(event)
    entry = calendar_entry(event, timeslot, url, public_domain(), utcnow(), attendee=True)
    return calendar_for([entry], method=method).decode()


def _rsvp_status_line(letter: Letter) -> str:
    status, guests = letter.facts["status"], letter.facts["guests"]
    if status == RsvpStatus.GOING:
        if guests:
            return ngettext(
                "You're going, with %(num)d guest.", "You're going, with %(num)d guests.", guests
            )
        return _("You're going.")
    if status == RsvpStatus.WAITLISTED:
        return _(
            "The event is full, so you're on the waitlist. If a spot opens up, you move up "
            "in the order you signed up and we email you."
        )
    return _("Your RSVP is cancelled.")


def greeted_email(name: str | None, subject: str, *lines: str, **email) -> WrittenEmail:
    """Every letter's layout: a greeting (by name, if there is one), a blank line, then
    lines; email is the rest of the WrittenEmail (calendar file, Reply-To, method)."""
    greeting = _("Hi,") if name is None else _("Hi %(name)s,", name=name)
    return WrittenEmail(subject, "\n".join([greeting, "", *lines]), **email)


def _to_attendee(
    letter: Letter, subject: str, *lines: str, calendar=False, method: str = "PUBLISH"
) -> WrittenEmail:
    """An email to the person who RSVPed, with the event's calendar file if asked; replies
    go where the site says attendees write."""
    attachment = _calendar_file(letter.event, letter.rsvp.timeslot, method) if calendar else None
    return greeted_email(
        letter.rsvp.name,
        subject,
        *lines,
        ics_attachment=attachment,
        reply_to=_attendee_reply_to(),
        calendar_method=method,
    )


# --- To people who RSVPed ------------------------------------------------------


def rsvp_confirmation(letter: Letter) -> WrittenEmail:
    """To someone who just RSVPed: where and when, a calendar file, and their private link."""
    event = letter.event
    if letter.going:
        subject = _("You're going: %(title)s", title=event.title)
    else:
        subject = _("You're on the waitlist: %(title)s", title=event.title)
    return _to_attendee(
        letter,
        subject,
        _rsvp_status_line(letter),
        "",
        event.title,
        *when_and_where(letter, letter.going),
        event_link(event),
        "",
        *_private_link_lines(letter.token),
        calendar=letter.going,
    )


def rsvp_link(letter: Letter) -> WrittenEmail:
    """To the address on file, when someone RSVPs again with it: nothing changed, a link."""
    event = letter.event
    come_after_all = None
    if letter.facts["status"] == RsvpStatus.CANCELLED:
        come_after_all = _("Want to come after all? RSVP again with your private link:")
    return _to_attendee(
        letter,
        _("Your RSVP: %(title)s", title=event.title),
        _(
            "Someone, probably you, just RSVPed to “%(title)s” on %(when)s with this email "
            "address. You had already RSVPed, so nothing has changed.",
            **_title_and_when(letter),
        ),
        _rsvp_status_line(letter),
        "",
        *_private_link_lines(letter.token, come_after_all),
        _("Links from earlier emails still work. If this wasn't you, ignore this email."),
        calendar=letter.going,
    )


def rsvp_changed(letter: Letter) -> WrittenEmail:
    """To someone who changed their RSVP from their private link."""
    event = letter.event
    return _to_attendee(
        letter,
        _("RSVP updated: %(title)s", title=event.title),
        _("Your RSVP to “%(title)s” on %(when)s is updated.", **_title_and_when(letter)),
        _rsvp_status_line(letter),
        "",
        *_link_to_change_again(letter),
        event_link(event),
        calendar=letter.going,
    )


def _link_to_change_again(letter: Letter) -> list[str]:
    """The private link again (rows queued before it was repeated carry none)."""
    if not letter.token:
        return [_("To change it again, use the private link from your first email.")]
    return [*_private_link_lines(letter.token), ""]


def rsvp_cancelled(letter: Letter) -> WrittenEmail:
    """To someone who cancelled their RSVP."""
    event = letter.event
    return _to_attendee(
        letter,
        _("RSVP cancelled: %(title)s", title=event.title),
        _(
            "Your RSVP to “%(title)s” on %(when)s is cancelled. Thank you for letting the "
            "host know.",
            **_title_and_when(letter),
        ),
        "",
        _("Changed your mind? RSVP again on the event page:"),
        event_link(event),
    )


def waitlist_promotion(letter: Letter) -> WrittenEmail:
    """To someone moved up from the waitlist, with a further private link."""
    event = letter.event
    return _to_attendee(
        letter,
        _("You're in: %(title)s", title=event.title),
        _(
            "Good news: a spot opened up at “%(title)s” on %(when)s, and it's yours.",
            **_title_and_when(letter),
        ),
        _rsvp_status_line(letter),
        *attendee_place_lines(event),
        "",
        _("Can't make it after all? Please free the spot for someone else with your link:"),
        _rsvp_link(letter.token),
        _("(The link from your first email works too.)"),
        calendar=True,
    )


def event_changed(letter: Letter) -> WrittenEmail:
    """To an attendee, when the host moved the event in time or place."""
    event = letter.event
    return _to_attendee(
        letter,
        _("Changed: %(title)s", title=event.title),
        _("The host changed the time or place of “%(title)s”. It is now:", title=event.title),
        *when_and_where(letter, letter.going),
        "",
        _("Details: %(link)s", link=event_link(event)),
        calendar=letter.going,
    )


def event_cancelled(letter: Letter) -> WrittenEmail:
    """To an attendee of an event that was called off."""
    event, reason = letter.event, letter.facts.get("reason", "")
    if letter.facts.get("timeslot_only"):
        sorry = _(
            "We're sorry: the time you chose for “%(title)s”, %(when)s, has been cancelled.",
            **_title_and_when(letter),
        )
        elsewhere = _(
            "Other times, if any, are on the event page: %(link)s", link=event_link(event)
        )
    else:
        sorry = _(
            "We're sorry: “%(title)s” on %(when)s has been cancelled.", **_title_and_when(letter)
        )
        elsewhere = _("Find other events near you: %(link)s", link=external_url("events.home"))
    return _to_attendee(
        letter,
        _("Cancelled: %(title)s", title=event.title),
        sorry,
        *(["", _("The host says: %(reason)s", reason=reason)] if reason else []),
        "",
        elsewhere,
        # Those who had the event in their calendar get it taken out (same UID).
        calendar=letter.going,
        method="CANCEL",
    )


def host_message(letter: Letter) -> WrittenEmail:
    """A host's own message to one attendee, with a footer saying who sent it and why."""
    event, subject = letter.event, letter.facts["subject"]
    footer = _(
        "%(host)s sent this to people who RSVPed to “%(title)s” on %(site)s.",
        host=event.host_name,
        title=event.title,
        site=current_app.config["SITE_NAME"],
    )
    link = _("Event page: %(link)s", link=event_link(event))
    # The host's subject whole; the title shortened to fit the rest of the line.
    title = shortened(event.title, MAX_SUBJECT_LENGTH - len(subject) - len(" ()"))
    body = "\n".join([letter.facts["body"], "", "—", footer, link])
    # The host chose to take replies (erased hosts have no address left).
    to_host = letter.facts.get("reply_to_host") and event.host_email
    reply_to = event.host_email if to_host else _attendee_reply_to()
    return WrittenEmail(f"{subject} ({title})", body, reply_to=reply_to)
