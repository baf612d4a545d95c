"""What a shared link shows: share links, social preview text and schema.org data."""

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from flask import Flask
from flask_babel import ngettext

from .campaign_face import action_links, campaign_post, with_hashtag
from .dates import format_day, format_local_date, iso_with_offset
from .models import AttendanceMode, Campaign, Event, EventStatus, Image
from .urls import external_url


@dataclass(frozen=True)
class ShareLinks:
    """Plain links that open each app's share screen: no JavaScript, no third-party script."""

    page_url: str
    # The post as a person would type it: the text, then the link (Mastodon's form sends it).
    message: str
    sms: str
    whatsapp: str
    facebook: str
    x: str
    bluesky: str


def share_links(page_url: str, text: str) -> ShareLinks:
    """Links that share page_url with a line of text by SMS, WhatsApp, Facebook, X and
    Bluesky (Mastodon needs the person's own server: mastodon_share_url)."""
    message = f"{text} {page_url}"
    return ShareLinks(
        page_url=page_url,
        message=message,
        # "?&body=" is the form both iOS and Android Messages read.
        sms="sms:?&body=" + quote(message, safe=""),
        whatsapp="https://wa.me/?" + urlencode({"text": message}),
        facebook="https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": page_url}),
        x="https://x.com/intent/post?" + urlencode({"text": text, "url": page_url}),
        bluesky="https://bsky.app/intent/compose?" + urlencode({"text": message}),
    )


# A Mastodon server's name, as people type it: "mastodon.social", "@me@mas.to" (a handle).
_SERVER_NAME = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\Z")
MAX_SHARE_TEXT = 1000


def mastodon_server(typed: str) -> str | None:
    """The host name in what a person typed (a server, a URL or a handle); None if none."""
    typed = (typed or "").strip().lower()
    if "://" in typed:
        typed = urlsplit(typed).hostname or ""
    typed = typed.rsplit("@", 1)[-1].strip("/")
    return typed if len(typed) <= 253 and _SERVER_NAME.match(typed) else None


def mastodon_share_url(server: str, message: str) -> str:
    """The page on a person's Mastodon server that opens a post with message in it."""
    return f"https://{server}/share?" + urlencode({"text": message[:MAX_SHARE_TEXT]})


def event_summary(event: Event) -> str:
    """'Sat, Jun 14, 2025 · New York, NY': the local date of the event's next shift (and
    how many more there are) and the city, as a preview shows them."""
    parts = [format_local_date(event.next_starts_at, event.timezone)]
    if event.more_times:
        parts.append(ngettext("+%(num)s more time", "+%(num)s more times", event.more_times))
    return " · ".join([*parts, f"{event.city}, {event.state}"])


def campaign_summary(campaign: Campaign) -> str:
    """The campaign's day of action, when it has one."""
    return format_day(campaign.action_date) if campaign.action_date else ""


ATTENDANCE_MODE_URLS = {
    AttendanceMode.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    AttendanceMode.VIRTUAL: "https://schema.org/OnlineEventAttendanceMode",
    AttendanceMode.BOTH: "https://schema.org/MixedEventAttendanceMode",
}


def _structured_place(event: Event) -> dict:
    """The place as the public may read it: a private address is its zip code's area."""
    address = {
        "@type": "PostalAddress",
        "addressLocality": event.city,
        "addressRegion": event.state,
        "postalCode": event.zip_code,
        "addressCountry": "US",
    }
    if event.street_address and not event.address_private:
        address["streetAddress"] = event.street_address
    venue = event.venue if not event.address_private else ""
    return {
        "@type": "Place",
        "name": venue or f"{event.city}, {event.state}",
        "address": address,
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": event.latitude,
            "longitude": event.longitude,
        },
    }


def _structured_location(event: Event) -> dict | list:
    # The meeting link is for people who RSVP: the virtual location names the page instead.
    online = {"@type": "VirtualLocation", "url": event_url(event)}
    if not event.is_in_person:
        return online
    place = _structured_place(event)
    return [place, online] if event.is_virtual else place


def event_structured_data(event: Event, page_url: str) -> dict:
    """schema.org Event, so search engines can list the event with its place and time: the
    time of its next shift, as Google's event results expect of a recurring event (not the
    span from the first shift to the last, which reads as one weeks-long event)."""
    status = (
        "https://schema.org/EventCancelled"
        if event.status == EventStatus.CANCELLED
        else "https://schema.org/EventScheduled"
    )
    return {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.description,
        "url": page_url,
        "startDate": iso_with_offset(event.next_starts_at, event.timezone),
        "endDate": iso_with_offset(event.next_ends_at, event.timezone),
        "eventStatus": status,
        "eventAttendanceMode": ATTENDANCE_MODE_URLS[event.attendance_mode],
        "location": _structured_location(event),
        "organizer": {"@type": "Person", "name": event.host_name},
    }


def event_image(event: Event) -> Image | None:
    """The picture an event's page and previews show: its own, else its campaign's."""
    if event.image is not None:
        return event.image
    return event.campaign.image if event.campaign else None


def event_url(event: Event) -> str:
    return external_url("events.show", event_id=event.id)


def campaign_url(campaign: Campaign) -> str:
    return external_url("campaigns.show", slug=campaign.slug)


def register_sharing(app: Flask) -> None:
    app.jinja_env.globals.update(
        share_links=share_links,
        event_url=event_url,
        campaign_url=campaign_url,
        event_summary=event_summary,
        campaign_summary=campaign_summary,
        campaign_actions=action_links,
        event_image=event_image,
        campaign_post=campaign_post,
        with_hashtag=with_hashtag,
        event_structured_data=lambda event: event_structured_data(event, event_url(event)),
    )
