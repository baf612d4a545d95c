"""The event form's "how people take part" fields: in person, online or both, the meeting
link (private: only people who RSVPed get it) and "show the address only to people who
RSVP". A mixin of EventForm (event_forms.py)."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from .fields import ChoiceField
from .models import ATTENDANCE_MODE_LABELS, AttendanceMode
from .validators import strip_whitespace

ATTENDANCE_CHOICES = [
    SelectChoice(mode.value, ATTENDANCE_MODE_LABELS[mode]) for mode in AttendanceMode
]
_WEB_LINK = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


class PlaceChoices:
    """Fields and checks EventForm gets: how people join, and who may read the address."""

    attendance_mode = ChoiceField(
        _l("How people take part"),
        choices=ATTENDANCE_CHOICES,
        default=AttendanceMode.IN_PERSON.value,
        invalid_message=_l("Choose in person, online, or both."),
    )
    meeting_link = URLField(
        _l("Meeting link (online events)"),
        filters=[strip_whitespace],
        validators=[Length(max=500)],
        render_kw={"autocomplete": "off", "inputmode": "url"},
    )
    address_private = BooleanField(_l("Show the address only to people who RSVP"))

    @property
    def online(self) -> bool:
        return self.attendance_mode.data in (AttendanceMode.VIRTUAL, AttendanceMode.BOTH)

    def validate_meeting_link(self, field):
        if self.online and not field.data:
            raise ValidationError(_l("Give the link people join with (Zoom, Meet, Jitsi...)."))
        if field.data and not _WEB_LINK.match(field.data):
            raise ValidationError(_l("Enter a link starting with https://"))

    def validate_street_address(self, field):
        # An online-only event has no street; every other needs one.
        if not field.data and self.attendance_mode.data != AttendanceMode.VIRTUAL:
            raise ValidationError(_l("Enter the street address."))

    def place_details(self) -> dict:
        """These fields as EventDetails' values; a link only for an event held online."""
        mode = AttendanceMode(self.attendance_mode.data)
        return {
            "attendance_mode": mode,
            "meeting_link": self.meeting_link.data if self.online else "",
            "address_private": bool(self.address_private.data) and mode != AttendanceMode.VIRTUAL,
        }


def place_form_data(event) -> dict:
    """An event's values for these fields."""
    return {
        "attendance_mode": event.attendance_mode.value,
        "meeting_link": event.meeting_link,
        "address_private": event.address_private,
    }
