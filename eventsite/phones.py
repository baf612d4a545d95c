"""Mobile numbers: parsed as people type them (US by default) and kept in E.164."""

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

DEFAULT_REGION = "US"
# Types a text can reach: in the US a number's type can't tell a mobile from a landline.
_TEXTABLE = {
    PhoneNumberType.MOBILE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.UNKNOWN,
}
# The longest text anyone types as a phone number; longer is refused before parsing.
MAX_TYPED_LENGTH = 40


class NotAMobileNumber(ValueError):
    """The text is not a number a text message could reach."""


def mobile_e164(typed: str) -> str:
    """The typed number in E.164 (+12125550100), US when no country code is given; raises
    NotAMobileNumber for text that is no number, an impossible one, or a landline-only type."""
    if not typed or len(typed) > MAX_TYPED_LENGTH:
        raise NotAMobileNumber(typed)
    try:
        number = phonenumbers.parse(typed, DEFAULT_REGION)
    except NumberParseException as error:
        raise NotAMobileNumber(typed) from error
    if not phonenumbers.is_valid_number(number):
        raise NotAMobileNumber(typed)
    if phonenumbers.number_type(number) not in _TEXTABLE:
        raise NotAMobileNumber(typed)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def readable_phone(stored: str) -> str:
    """A stored number as people write it: (212) 555-0100 in the US, +44 ... elsewhere;
    anything that does not parse (typed before numbers were kept in E.164) as it is."""
    if not stored:
        return ""
    try:
        number = phonenumbers.parse(stored, DEFAULT_REGION)
    except NumberParseException:
        return stored
    if number.country_code == 1:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
