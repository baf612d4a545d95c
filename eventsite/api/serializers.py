"""Our events, campaigns and RSVPs as Mobilize API v1 objects (its field names and enums)."""

from datetime import datetime

from flask import current_app
from markupsafe import escape

from ..attribution import NAMES as ATTRIBUTION_NAMES
from ..attribution import UTM_NAMES
from ..images import preview_image_url
from ..models import Campaign, Event, EventKind, Rsvp, RsvpStatus, Timeslot
from ..sharing import event_image
from ..texts import opted_out
from ..urls import external_url

# Mobilize's event_type enum (its documentation says the list may grow).
EVENT_TYPES = (
    "CANVASS",
    "PHONE_BANK",
    "TEXT_BANK",
    "MEETING",
    "COMMUNITY",
    "FUNDRAISER",
    "MEET_GREET",
    "HOUSE_PARTY",
    "VOTER_REG",
    "TRAINING",
    "FRIEND_TO_FRIEND_OUTREACH",
    "DEBATE_WATCH_PARTY",
    "ADVOCACY_CALL",
    "RALLY",
    "TOWN_HALL",
    "OFFICE_OPENING",
    "BARNSTORM",
    "SOLIDARITY_EVENT",
    "COMMUNITY_CANVASS",
    "SIGNATURE_GATHERING",
    "CARPOOL",
    "WORKSHOP",
    "PETITION",
    "AUTOMATED_PHONE_BANK",
    "LETTER_WRITING",
    "LITERATURE_DROP_OFF",
    "VISIBILITY_EVENT",
    "OTHER",
)

# Mobilize has no protest or march type: both are rallies there; a vigil is solidarity.
EVENT_TYPE_OF_KIND = {
    EventKind.PROTEST: "RALLY",
    EventKind.MARCH: "RALLY",
    EventKind.RALLY: "RALLY",
    EventKind.VIGIL: "SOLIDARITY_EVENT",
    EventKind.TOWN_HALL: "TOWN_HALL",
    EventKind.OTHER: "OTHER",
}

ATTENDANCE_STATUS = {
    RsvpStatus.GOING: "REGISTERED",
    RsvpStatus.WAITLISTED: "WAITLISTED",
    RsvpStatus.CANCELLED: "CANCELLED",
}
# A going RSVP whose person tapped "I'm coming" in a reminder.
CONFIRMED = "CONFIRMED"

# Events outside any campaign are sponsored by the site itself, as organization 0.
SITE_ORGANIZATION_ID = 0
SUMMARY_LENGTH = 200


def kinds_for_event_types(event_types: list[str]) -> list[EventKind]:
    return [kind for kind, event_type in EVENT_TYPE_OF_KIND.items() if event_type in event_types]


def unix(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


def _summary(description: str) -> str:
    first_paragraph = description.strip().split("\n\n")[0].strip()
    if len(first_paragraph) <= SUMMARY_LENGTH:
        return first_paragraph
    return first_paragraph[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _description_html(description: str) -> str:
    """Mobilize's description is HTML that clients insert as is: ours is escaped text in
    paragraphs, so no host can put markup or scripts on a client's site."""
    paragraphs = [part.strip() for part in description.strip().split("\n\n") if part.strip()]
    return "".join(
        "<p>" + "<br>".join(str(escape(line)) for line in part.splitlines()) + "</p>"
        for part in paragraphs
    )


def organization_object(campaign: Campaign | None) -> dict:
    """A campaign as a Mobilize organization; None gives the site's own organization 0."""
    common = {
        "is_coordinated": False,
        "is_independent": True,
        "race_type": None,
        "is_primary_campaign": False,
        "state": "",
        "district": "",
        "candidate_name": "",
    }
    if campaign is None:
        return {
            "id": SITE_ORGANIZATION_ID,
            "name": current_app.config["SITE_NAME"],
            "slug": "",
            **common,
            "event_feed_url": external_url("events.home"),
            "event_create_page_url": external_url("events.new_event"),
            "created_date": 0,
            "modified_date": 0,
        }
    return {
        "id": campaign.id,
        "name": campaign.name,
        "slug": campaign.slug,
        **common,
        "event_feed_url": external_url("campaigns.show", slug=campaign.slug),
        "event_create_page_url": external_url("events.new_event", campaign=campaign.slug),
        "created_date": unix(campaign.created_at),
        "modified_date": unix(campaign.updated_at),
    }


def timeslot_object(timeslot: Timeslot) -> dict:
    """One shift of an event, as Mobilize's Timeslot."""
    return {
        "id": timeslot.id,
        "start_date": unix(timeslot.starts_at),
        "end_date": unix(timeslot.ends_at),
        "is_full": timeslot.is_full,
        "instructions": "",
    }


def _location(event: Event) -> dict:
    """Where the event is as anyone may read it: a private address without its venue and
    street (Mobilize's address_visibility PRIVATE), placed at its zip code's centre."""
    private = event.address_private
    return {
        "venue": "" if private else event.venue,
        "address_lines": ["" if private else event.street_address, ""],
        "locality": event.city,
        "region": event.state,
        "country": "US",
        "postal_code": event.zip_code,
        "location": {"latitude": event.latitude, "longitude": event.longitude},
        "congressional_district": None,
        "state_leg_district": None,
        "state_senate_district": None,
    }


def _event_campaign(campaign: Campaign | None) -> dict | None:
    if campaign is None:
        return None
    return {
        "id": campaign.id,
        "slug": campaign.slug,
        "event_create_page_url": external_url("events.new_event", campaign=campaign.slug),
    }


def _featured_image_url(event: Event) -> str:
    """The absolute link of the event's picture (its own, else its campaign's), or ''."""
    image = event_image(event)
    return preview_image_url(image) if image is not None else ""


def event_object(event: Event) -> dict:
    """An event as Mobilize's Event object; the host's contact details stay private."""
    return {
        "id": event.id,
        "title": event.title,
        "summary": _summary(event.description),
        "description": _description_html(event.description),
        "featured_image_url": _featured_image_url(event),
        "high_priority": None,
        "event_type": EVENT_TYPE_OF_KIND[event.kind],
        "timezone": event.timezone,
        "browser_url": external_url("events.show", event_id=event.id),
        "created_date": unix(event.created_at),
        "modified_date": unix(event.updated_at),
        "visibility": "PUBLIC",
        "address_visibility": "PRIVATE" if event.address_private else "PUBLIC",
        "accessibility_notes": event.accessibility_notes,
        # The meeting link goes only to people who RSVP (never in this object).
        "is_virtual": event.is_virtual,
        "approval_status": "APPROVED",
        "sponsor": organization_object(event.campaign),
        "location": _location(event),
        "timeslots": [timeslot_object(slot) for slot in event.active_timeslots],
        "event_campaign": _event_campaign(event.campaign),
        "contact": None,
        "tags": [],
    }


def deleted_event_object(event: Event) -> dict:
    return {"id": event.id, "deleted_date": unix(event.cancelled_at or event.updated_at)}


def _name_parts(name: str) -> tuple[str, str]:
    given, _, family = name.strip().partition(" ")
    return given, family.strip()


# Mobilize's answer to "may we text this person?"
SMS_OPT_IN_STATUSES = ("OPT_IN", "OPT_OUT", "UNSPECIFIED")


def sms_opt_in_status(rsvp: Rsvp) -> str:
    """OPT_IN: consent kept and no STOP since; OPT_OUT: the number texted STOP; else
    UNSPECIFIED (no number, or the box was not ticked)."""
    if rsvp.phone and opted_out(rsvp.phone):
        return "OPT_OUT"
    return "OPT_IN" if rsvp.texts_allowed else "UNSPECIFIED"


def _person_object(
    name: str,
    email: str,
    phone: str,
    zip_code: str,
    person_id: int | None = None,
    sms_status: str = "UNSPECIFIED",
) -> dict:
    given_name, family_name = _name_parts(name)
    return {
        "id": person_id,
        "given_name": given_name,
        "family_name": family_name,
        "email_addresses": [{"primary": True, "address": email}] if email else [],
        "phone_numbers": [{"primary": True, "number": phone}] if phone else [],
        "postal_addresses": [{"primary": True, "postal_code": zip_code}],
        "sms_opt_in_status": sms_status,
        "created_date": None,
        "modified_date": None,
    }


def attendance_receipt(sent, event: Event, timeslot: Timeslot) -> dict:
    """A keyless RSVP's answer: the person as sent and the event as it was before, with no
    id, dates or status, so it tells nothing about an RSVP the email may already have."""
    return {
        "id": None,
        "created_date": None,
        "modified_date": None,
        "person": _person_object(
            sent.name,
            sent.email,
            sent.phone,
            sent.zip_code,
            sms_status="OPT_IN" if sent.sms_consent else "UNSPECIFIED",
        ),
        "event": event_object(event),
        "timeslot": timeslot_object(timeslot),
        "sponsor": organization_object(event.campaign),
        "status": None,
        "attended": None,
        "guests": sent.guests,
        "referrer": None,
    }


def referrer_object(rsvp: Rsvp) -> dict:
    """Where the RSVP came from, as Mobilize's Referrer: the UTM tags it arrived with and
    the URL of the event page with them (and its referral code, ref) on it."""
    carried = {name: getattr(rsvp, name) for name in ATTRIBUTION_NAMES if getattr(rsvp, name)}
    return {
        **{name: getattr(rsvp, name) or None for name in UTM_NAMES},
        "url": external_url("events.show", event_id=rsvp.event_id, **carried),
    }


def _attendance_status(rsvp: Rsvp) -> str:
    if rsvp.status == RsvpStatus.GOING and rsvp.confirmed_at is not None:
        return CONFIRMED
    return ATTENDANCE_STATUS[rsvp.status]


def attendance_object(rsvp: Rsvp) -> dict:
    """An RSVP as Mobilize's Attendance object, personal details included (keyed access only)."""
    person = _person_object(
        rsvp.name, rsvp.email_address, rsvp.phone, rsvp.zip_code, rsvp.id, sms_opt_in_status(rsvp)
    )
    person["created_date"] = unix(rsvp.created_at)
    person["modified_date"] = unix(rsvp.updated_at)
    event = rsvp.event
    return {
        "id": rsvp.id,
        "created_date": unix(rsvp.created_at),
        "modified_date": unix(rsvp.updated_at),
        "person": person,
        "event": event_object(event),
        "timeslot": timeslot_object(rsvp.timeslot),
        "sponsor": organization_object(event.campaign),
        "status": _attendance_status(rsvp),
        "attended": rsvp.attendance,
        "guests": rsvp.guests,
        "referrer": referrer_object(rsvp),
    }
