"""Where an event is, as each reader may read it: the public sees the zip code's area of a
private address and never the meeting link; people who RSVPed get both (their RSVP page,
emails and calendar file)."""

from flask_babel import gettext as _

from .models import Event


def join_online_line(event: Event) -> str:
    """The meeting link, for an attendee's eyes only."""
    return _("Join online: %(link)s", link=event.meeting_link)


def attendee_place_lines(event: Event, going: bool = True) -> list[str]:
    """Where to go and how to join, as an email to someone who RSVPed says it; someone on
    the waitlist holds no spot yet, so gets what the public reads until moved up."""
    if not going:
        return [event.public_address] if event.is_in_person else [_("Online")]
    lines = [event.full_address] if event.is_in_person else [_("Online")]
    if event.is_virtual and event.meeting_link:
        lines.append(join_online_line(event))
    return lines


def calendar_location(event: Event, attendee: bool) -> str:
    """A calendar entry's LOCATION: the full address for an attendee, else the public one;
    an online-only event is "Online" (its link goes in an attendee's description)."""
    if not event.is_in_person:
        return event.meeting_link if attendee and event.meeting_link else _("Online")
    return event.full_address if attendee else event.public_address
