"""Mobilize's attendance body, read into the site's own RSVP form."""

from urllib.parse import parse_qs, urlsplit

from werkzeug.datastructures import MultiDict

from ..attribution import Attribution, attribution_from
from ..converters import MAX_ID
from ..models import MAX_TIMESLOTS
from ..rsvp_forms import RsvpForm
from .errors import ApiError
from .serializers import SMS_OPT_IN_STATUSES

# Mobilize's person fields, and the RSVP form fields they fill.
_PERSON_FIELDS = {
    "given_name": "name",
    "family_name": "name",
    "email_address": "email",
    "phone_number": "phone",
    "postal_code": "zip_code",
    "sms_opt_in_status": "sms_consent",
}


def _timeslot_ids(timeslots) -> list[int]:
    """The timeslot ids of a Mobilize attendance body ([{"timeslot_id": 7}, ...])."""
    if (
        not isinstance(timeslots, list)
        or not 1 <= len(timeslots) <= MAX_TIMESLOTS
        or not all(isinstance(slot, dict) for slot in timeslots)
        or not all(
            type(slot.get("timeslot_id")) is int and 0 < slot["timeslot_id"] <= MAX_ID
            for slot in timeslots
        )
    ):
        raise ApiError(
            400, 'timeslots must be [{"timeslot_id": ...}, ...] with the event\'s timeslot ids.'
        )
    return [slot["timeslot_id"] for slot in timeslots]


def _person(body) -> tuple[dict, list[int]]:
    """The person and timeslot ids of a Mobilize attendance body, once its shape is right."""
    if not isinstance(body, dict):
        raise ApiError(400, "Send a JSON object with person and timeslots.")
    person, timeslots = body.get("person"), body.get("timeslots")
    if not isinstance(person, dict):
        raise ApiError(400, "person must be an object with given_name, email_address...")
    for name in _PERSON_FIELDS:
        if person.get(name) is not None and not isinstance(person[name], str):
            raise ApiError(400, f"person.{name} must be a string.")
    if person.get("sms_opt_in_status") not in (None, *SMS_OPT_IN_STATUSES):
        raise ApiError(400, "person.sms_opt_in_status must be OPT_IN, OPT_OUT or UNSPECIFIED.")
    return person, _timeslot_ids(timeslots)


def rsvp_form_from(body) -> RsvpForm:
    """The web RSVP form filled from Mobilize's attendance body, so the same rules apply
    (rsvps.chosen_timeslots checks the timeslots are the event's and open)."""
    person, timeslot_ids = _person(body)
    name = f"{person.get('given_name') or ''} {person.get('family_name') or ''}".strip()
    formdata = MultiDict(
        [
            ("name", name),
            ("email", person.get("email_address") or ""),
            ("phone", person.get("phone_number") or ""),
            ("zip_code", person.get("postal_code") or ""),
            ("guests", "0"),
            *(("timeslots", str(timeslot_id)) for timeslot_id in timeslot_ids),
            # The checkbox, ticked: the caller attests the person agreed to texts.
            *([("sms_consent", "y")] if person.get("sms_opt_in_status") == "OPT_IN" else []),
        ]
    )
    return RsvpForm(formdata=formdata, meta={"csrf": False})


def referrer_from(body) -> Attribution:
    """Where an RSVP sent through the API came from: Mobilize's referrer object (its UTM
    tags, and a referral code in its url's ref); anything else is left out."""
    referrer = body.get("referrer") if isinstance(body, dict) else None
    if not isinstance(referrer, dict):
        return Attribution()
    url = referrer.get("url")
    ref = parse_qs(urlsplit(url).query).get("ref", [None])[0] if isinstance(url, str) else None
    return attribution_from({**referrer, "ref": ref})


def field_errors(form: RsvpForm) -> dict:
    """The form's errors under Mobilize's names (person.email_address...)."""
    by_form_field = {
        form_field: f"person.{name}" for name, form_field in reversed(_PERSON_FIELDS.items())
    }
    return {
        by_form_field.get(name, name): [str(message) for message in messages]
        for name, messages in form.errors.items()
    }
