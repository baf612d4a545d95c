"""The words of the reminders before an event (reminders.py queues them): the day before,
with what the host wrote, the calendar file and two one-tap links; and on the day, with
the address and a map link."""

from urllib.parse import urlencode

from flask_babel import gettext as _

from .email_words import (
    Letter,
    WrittenEmail,
    _title_and_when,
    _to_attendee,
    event_link,
    when_and_where,
)
from .models import Event, EventStatus, Rsvp, RsvpStatus, utcnow
from .urls import external_url


def still_worth_sending(event: Event, rsvp: Rsvp) -> bool:
    """A reminder queued earlier goes only if the RSVP is still going, the event and its
    shift still on and not started, and its host has not turned reminders off since."""
    return (
        rsvp.status == RsvpStatus.GOING
        and event.accepts_rsvps
        and rsvp.timeslot.is_open
        and rsvp.timeslot.starts_at > utcnow()
        and not event.reminders_off
    )


def still_worth_asking(event: Event, rsvp: Rsvp) -> bool:
    """ "Did you make it?" goes only if the RSVP is still going, not checked in since, and
    has no answer yet, and the event is still listed."""
    return (
        rsvp.status == RsvpStatus.GOING
        and event.status == EventStatus.PUBLISHED
        and rsvp.checked_in_at is None
        and rsvp.attended is None
    )


def coming_link(token: str) -> str:
    return external_url("events.one_tap_coming", token=token)


def not_coming_link(token: str) -> str:
    return external_url("events.one_tap_not_coming", token=token)


def map_link(event: Event) -> str:
    """The event's place on OpenStreetMap, which every phone opens; a private address is
    looked up by its words (the event sits at its zip code's centre, see place_event)."""
    if event.address_private:
        return "https://www.openstreetmap.org/search?" + urlencode({"query": event.full_address})
    lat, lng = f"{event.latitude:.5f}", f"{event.longitude:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lng}#map=17/{lat}/{lng}"


def day_before_reminder(letter: Letter) -> WrittenEmail:
    """The day before: when and where, what the host wrote, and one tap to confirm or cancel."""
    event = letter.event
    host_wrote = (
        ["", _("%(host)s wrote:", host=event.host_name), event.description]
        if event.description
        else []
    )
    return _to_attendee(
        letter,
        _("Tomorrow: %(title)s", title=event.title),
        _("A reminder: you're going to “%(title)s” tomorrow.", title=event.title),
        "",
        *when_and_where(letter),
        event_link(event),
        *host_wrote,
        "",
        _("Will you be there? One tap tells the host:"),
        _("I'm coming: %(link)s", link=coming_link(letter.token)),
        _(
            "I can't make it (your spot goes to someone else): %(link)s",
            link=not_coming_link(letter.token),
        ),
        calendar=True,
    )


def _last_message(event: Event) -> list[str]:
    """The host's last message to attendees, if they wrote one, as the day-of reminder
    repeats it (people read the newest email on the day)."""
    if not event.last_message_body:
        return []
    return [
        "",
        _(
            "%(host)s's last message: %(subject)s",
            host=event.host_name,
            subject=event.last_message_subject,
        ),
        event.last_message_body,
    ]


def day_of_reminder(letter: Letter) -> WrittenEmail:
    """A few hours before the start: the address, a map link, the host's last message if
    any, and one tap to cancel."""
    event = letter.event
    return _to_attendee(
        letter,
        _("Today: %(title)s", title=event.title),
        _("See you today at “%(title)s”.", title=event.title),
        "",
        *when_and_where(letter),
        *([_("Map: %(link)s", link=map_link(event))] if event.is_in_person else []),
        _("Details: %(link)s", link=event_link(event)),
        *_last_message(event),
        "",
        _(
            "Can't make it after all? Free your spot for someone else: %(link)s",
            link=not_coming_link(letter.token),
        ),
    )


def attendance_question(letter: Letter) -> WrittenEmail:
    """An hour after the event: did you make it? One tap for yes, one for no."""
    event = letter.event
    return _to_attendee(
        letter,
        _("Did you make it? %(title)s", title=event.title),
        _(
            "“%(title)s” was on %(when)s. Did you make it? One tap tells the host:",
            **_title_and_when(letter),
        ),
        "",
        _("Yes, I was there: %(link)s", link=external_url("events.attended", token=letter.token)),
        _(
            "No, I couldn't make it: %(link)s",
            link=external_url("events.missed", token=letter.token),
        ),
        "",
        _("After a yes, you can tell the host in one line how it was."),
    )
