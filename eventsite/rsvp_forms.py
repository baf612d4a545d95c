from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    SearchField,
    SelectMultipleField,
    StringField,
    TelField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from .fields import ChoiceField, SiteForm
from .models import MAX_TIMESLOTS
from .texts import CONSENT_WORDINGS, CURRENT_CONSENT_WORDING
from .validators import MobilePhone, ZipCode, strip_whitespace

GUEST_CHOICES = [SelectChoice(0, _l("Just me"))] + [
    SelectChoice(n, _l("Me + %(num)s", num=n)) for n in range(1, 11)
]


class RsvpDetailsForm(SiteForm):
    """What a person can change about their RSVP from its private link.

    by_phone_only: the person gave no email, so the number and the consent to texts are how
    we reach them (the RSVP form sets it from what was typed; the private page from the RSVP).
    """

    by_phone_only = False

    name = StringField(
        _l("Your name"),
        filters=[strip_whitespace],
        validators=[InputRequired(_l("Tell us your name.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    phone = TelField(
        _l("Mobile number"),
        filters=[strip_whitespace],
        validators=[Length(max=40), MobilePhone()],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    # Unticked by default; its label is the exact wording the RSVP records the version of.
    sms_consent = BooleanField(CONSENT_WORDINGS[CURRENT_CONSENT_WORDING], default=False)
    zip_code = StringField(
        _l("Zip code"),
        filters=[strip_whitespace],
        validators=[InputRequired(_l("Enter your zip code.")), ZipCode()],
        render_kw={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": 10},
    )
    guests = ChoiceField(
        _l("Bringing anyone?"),
        coerce=int,
        choices=GUEST_CHOICES,
        default=0,
        invalid_message=_l("Choose how many guests you bring, from 0 to 10."),
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.phone.errors:
            return False
        if self.sms_consent.data and not self.phone.data:
            self.phone.errors.append(_l("Enter your mobile number to get texts."))
            return False
        if self.by_phone_only and not self.phone.data:
            self.phone.errors.append(_l("Enter your mobile number: it is how we reach you."))
            return False
        if self.by_phone_only and not self.sms_consent.data:
            self.sms_consent.errors.append(
                _l("Tick the box so we can text you your confirmation and link, or give an email.")
            )
            return False
        return valid


class TimeslotChoice(SelectMultipleField):
    """The shifts a person RSVPs to, ticked on the event page (which renders the boxes,
    the event's own; rsvps.chosen_timeslots checks them against the event)."""

    def process_formdata(self, valuelist):
        try:
            self.data = [int(value) for value in valuelist[: MAX_TIMESLOTS + 1]]
        except ValueError:
            self.data = None

    def pre_validate(self, form):
        if self.data is None or len(self.data) > MAX_TIMESLOTS:
            raise ValidationError(_l("Choose the times from the list."))


class RsvpForm(RsvpDetailsForm):
    timeslots = TimeslotChoice(_l("Times"), default=())
    email = EmailField(
        _l("Email"),
        filters=[strip_whitespace],
        validators=[
            Optional(),
            Length(max=254),
            Email(_l("Enter an email address like name@example.com.")),
        ],
        render_kw={"autocomplete": "email"},
    )

    def validate(self, extra_validators=None) -> bool:
        if not self.email.raw_data or not (self.email.raw_data[0] or "").strip():
            self.by_phone_only = True
            phone_typed = self.phone.raw_data and (self.phone.raw_data[0] or "").strip()
            if not phone_typed:
                super().validate(extra_validators)
                self.phone.errors = []
                self.email.errors = [_l("Enter your email or your mobile number, or both.")]
                return False
        return super().validate(extra_validators)


class ForgetMeForm(SiteForm):
    """Delete my information, on an RSVP's private page."""

    confirm = BooleanField(
        _l("Yes, cancel my RSVP and delete my name, email and phone now"),
        validators=[InputRequired(_l("Tick the box to confirm."))],
    )


class ForgetAttendeesForm(SiteForm):
    """A host's request, after the event, to erase its attendee list now."""

    confirm = BooleanField(
        _l("Yes, delete every attendee's name, email and phone now"),
        validators=[InputRequired(_l("Tick the box to confirm."))],
    )


class WalkInForm(SiteForm):
    """A host adds someone who came without an RSVP, at the door."""

    name = StringField(
        _l("Name"),
        filters=[strip_whitespace],
        validators=[InputRequired(_l("Enter their name.")), Length(max=120)],
        render_kw={"autocomplete": "off"},
    )
    email = EmailField(
        _l("Email (optional)"),
        filters=[strip_whitespace],
        validators=[
            Optional(),
            Length(max=254),
            Email(_l("Enter an email address like name@example.com.")),
        ],
        render_kw={"autocomplete": "off"},
    )
    phone = TelField(
        _l("Mobile number (optional)"),
        filters=[strip_whitespace],
        validators=[Length(max=40), MobilePhone()],
        render_kw={"autocomplete": "off", "inputmode": "tel"},
    )


class CheckInSearchForm(SiteForm):
    """The check-in list's name search, sent by GET: nothing to protect with a token."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Search by name"),
        filters=[strip_whitespace],
        validators=[Length(max=120)],
        render_kw={"autocomplete": "off", "autocapitalize": "words"},
    )


class RemindersForm(SiteForm):
    """A host's switch for the reminders attendees get before the event."""

    send_reminders = BooleanField(
        _l("Email attendees a reminder the day before and a few hours before the event")
    )


class AttendanceNoteForm(SiteForm):
    """ "Yes, I was there", with an optional line on how it was."""

    note = StringField(
        _l("How was it? (optional, one line for the host)"),
        filters=[strip_whitespace],
        validators=[Length(max=200, message=_l("Keep it under 200 characters."))],
        render_kw={"maxlength": 200},
    )


class AttendanceForm(SiteForm):
    """ "No, I couldn't make it": the button alone."""


class CoHostForm(SiteForm):
    """The host adds a co-host by email."""

    email = EmailField(
        _l("Co-host's email"),
        filters=[strip_whitespace],
        validators=[
            InputRequired(_l("Enter the co-host's email.")),
            Length(max=254),
            Email(_l("Enter an email address like name@example.com.")),
        ],
        render_kw={"autocomplete": "off"},
    )


class RemoveCoHostForm(SiteForm):
    """The button that removes a co-host."""
