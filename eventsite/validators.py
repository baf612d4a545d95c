"""WTForms validators shared by the search, RSVP and hosting forms."""

import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from .geo import ZipCodeError, lookup_zip

_PHONE_CHARACTERS = re.compile(r"^[0-9+().\-\s]*$")


class ZipCode:
    """A US zip code we can place; stores the 5-digit form back on the field."""

    def __call__(self, form, field):
        try:
            place = lookup_zip(field.data)
        except ZipCodeError as error:
            raise ValidationError(str(error)) from error
        field.data = place.zip_code
        field.place = place


class Phone:
    """A phone number with 10 to 15 digits, in whatever punctuation people type."""

    message = _l("Enter a phone number with area code, like 555-123-4567.")

    def __call__(self, form, field):
        value = (field.data or "").strip()
        field.data = value
        if not value:
            return
        digits = re.sub(r"\D", "", value)
        if not _PHONE_CHARACTERS.match(value) or not 10 <= len(digits) <= 15:
            raise ValidationError(self.message)


def strip_whitespace(value):
    return value.strip() if isinstance(value, str) else value
