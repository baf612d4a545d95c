"""Mobilize's attendance body, read into the site's own RSVP form."""

from werkzeug.datastructures import MultiDict

from ..converters import MAX_ID
from ..models import MAX_TIMESLOTS
from ..rsvp_forms import RsvpForm
from .errors import ApiError

# Mobilize's person fields, and the RSVP form fields they fill.
_PERSON_FIELDS = {
    "given_name": "name",
    "family_name": "name",
    "email_address": "email",
    "phone_number": "phone",
    "postal_code": "zip_code",
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
        ]
    )
    return RsvpForm(formdata=formdata, meta={"csrf": False})


def field_errors(form: RsvpForm) -> dict:
    """The form's errors under Mobilize's names (person.email_address...)."""
    by_form_field = {
        form_field: f"person.{name}" for name, form_field in reversed(_PERSON_FIELDS.items())
    }
    return {
        by_form_field.get(name, name): [str(message) for message in messages]
        for name, messages in form.errors.items()
    }
