"""WTForms validators shared by the search, RSVP and hosting forms."""

import re
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms.validators import StopValidation, ValidationError

from .geo import ZipCodeError, lookup_zip
from .phones import NotAMobileNumber, mobile_e164

_PHONE_CHARACTERS = re.compile(r"^[0-9+().\-\s]*$")
# Control characters (C0, DEL, C1) and lone surrogates: nobody types them, PostgreSQL
# refuses NUL outright, and no database stores a lone surrogate (only JSON can carry one).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Multi-line text keeps its tabs and line breaks (browsers send CR LF).
_CONTROL_CHARACTERS_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class PlainText:
    """Text without control characters; every text field of every form gets this first."""

    message = _l("This contains invisible control characters. Type it again without them.")

    def __init__(self, multiline: bool = False):
        self.pattern = _CONTROL_CHARACTERS_BUT_LINES if multiline else _CONTROL_CHARACTERS

    def __call__(self, form, field):
        if isinstance(field.data, str) and self.pattern.search(field.data):
            # Stop here: the field's other checks (a database lookup...) never see it.
            raise StopValidation(self.message)


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


class MobilePhone:
    """A mobile number (US unless it starts with +), stored back on the field in E.164."""

    message = _l("Enter a mobile number that can get texts, like (212) 555-0100.")

    def __call__(self, form, field):
        value = (field.data or "").strip()
        field.data = value
        if not value:
            return
        try:
            field.data = mobile_e164(value)
        except NotAMobileNumber as error:
            raise ValidationError(self.message) from error


class NearDate:
    """A date within two years of today: further is a typo, and year 9999 breaks calendars."""

    window = timedelta(days=2 * 365)
    message = _l("Choose a date within two years of today.")

    def __call__(self, form, field):
        if field.data is not None and abs(field.data - date.today()) > self.window:
            raise ValidationError(self.message)


class Honeypot:
    """A field hidden from people that form-filling bots fill in: it must stay empty.

    A filled one fails like any other field, so a person whose browser filled it sees
    the field, this message and the form as they typed it, and a bot gets a 400.
    """

    message = _l("Leave this field empty: it is here to catch automated spam.")

    def __call__(self, form, field):
        if field.data:
            raise ValidationError(self.message)


def strip_whitespace(value):
    return value.strip() if isinstance(value, str) else value
