"""The event form hosts and organizers fill in; cancelling an event; writing to its attendees."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    StringField,
    TelField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from .event_details import EventDetails, only_timeslot
from .event_place_fields import PlaceChoices, place_form_data
from .fields import ChoiceField, SiteForm
from .geo import timezone_at
from .images import UploadedImage, saved_image_id
from .models import KIND_LABELS, EventKind
from .shift_forms import REPEAT_FIELD_NAMES, RepeatFields, capacity_field
from .us_states import STATE_CHOICES, US_STATES, state_choices
from .validators import Honeypot, NearDate, Phone, ZipCode, strip_whitespace

KIND_CHOICES = [SelectChoice(kind.value, KIND_LABELS[kind]) for kind in EventKind]

# Spam listings carry many links; a real description rarely needs more than a few.
MAX_LINKS = 3
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


class FewLinks:
    message = _l("Please include no more than %(num)s links.", num=MAX_LINKS)

    def __call__(self, form, field):
        if len(_LINK.findall(field.data or "")) > MAX_LINKS:
            raise ValidationError(self.message)


# An event with several shifts changes their times and capacity one by one (shift_forms).
TIME_FIELD_NAMES = ("date", "start_time", "end_time", "end_date", "capacity")


class EventForm(PlaceChoices, RepeatFields):
    """Everything a host tells us about an event, in the event's own local time."""

    title = StringField(
        _l("Event title"),
        filters=[strip_whitespace],
        validators=[InputRequired(_l("Give your event a title.")), Length(min=5, max=200)],
    )
    kind = ChoiceField(
        _l("Kind of event"),
        choices=KIND_CHOICES,
        default=EventKind.RALLY.value,
        invalid_message=_l("Choose what kind of event this is."),
    )
    description = TextAreaField(
        _l("Description"),
        filters=[strip_whitespace],
        validators=[
            InputRequired(_l("Tell people what to expect.")),
            Length(
                min=20,
                max=5000,
                message=_l("Write between 20 and 5,000 characters about the event."),
            ),
            FewLinks(),
        ],
        render_kw={"rows": 6},
    )
    date = DateField(
        _l("Date"),
        validators=[InputRequired(_l("Choose the date of the event.")), NearDate()],
    )
    start_time = TimeField(
        _l("Starts at"), validators=[InputRequired(_l("Enter the time the event starts."))]
    )
    end_time = TimeField(
        _l("Ends at"), validators=[InputRequired(_l("Enter the time the event ends."))]
    )
    end_date = DateField(
        _l("End date, if it runs past midnight"), validators=[Optional(), NearDate()]
    )
    venue = StringField(
        _l("Place name (optional)"),
        filters=[strip_whitespace],
        validators=[Length(max=200)],
    )
    street_address = StringField(
        _l("Street address"),
        filters=[strip_whitespace],
        # Required unless the event is online only (PlaceChoices.validate_street_address).
        validators=[Length(max=200)],
        render_kw={"autocomplete": "street-address"},
    )
    city = StringField(
        _l("City"),
        filters=[strip_whitespace],
        validators=[InputRequired(_l("Enter the city.")), Length(max=100)],
        render_kw={"autocomplete": "address-level2"},
    )
    state = ChoiceField(
        _l("State"),
        choices=STATE_CHOICES,
        default="",
        invalid_message=_l("Choose the state."),
    )
    zip_code = StringField(
        _l("Zip code"),
        filters=[strip_whitespace],
        validators=[InputRequired(_l("Enter the zip code.")), ZipCode()],
        render_kw={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": 10},
    )
    capacity = capacity_field()
    accessibility_notes = TextAreaField(
        _l("Accessibility (optional)"),
        filters=[strip_whitespace],
        validators=[Length(max=1000)],
        render_kw={"rows": 3},
    )
    host_name = StringField(
        _l("Your name"),
        filters=[strip_whitespace],
        validators=[InputRequired(_l("Tell attendees who is hosting.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    host_email = EmailField(
        _l("Your email"),
        filters=[strip_whitespace],
        validators=[
            InputRequired(_l("Enter your email so we can send your private link.")),
            Length(max=254),
            Email(_l("Enter an email address like name@example.com.")),
        ],
        render_kw={"autocomplete": "email"},
    )
    host_phone = TelField(
        _l("Your phone (optional)"),
        filters=[strip_whitespace],
        validators=[Length(max=40), Phone()],
        render_kw={"autocomplete": "tel"},
    )
    campaign = ChoiceField(
        _l("Part of a campaign"),
        default="",
        invalid_message=_l("Choose a campaign from the list, or none."),
    )
    # Checked and stripped of its metadata by UploadedImage; saved by the view (saved_image_id).
    image = FileField(
        _l("Picture (optional)"),
        validators=[UploadedImage()],
        render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif"},
    )
    website = StringField(
        _l("Leave this empty"),
        validators=[Honeypot()],
        render_kw={"autocomplete": "off", "tabindex": "-1"},
    )

    def __init__(
        self,
        *args,
        campaigns=(),
        require_future_start: bool = True,
        with_times: bool = True,
        with_repeat: bool = False,
        **kwargs,
    ):
        """require_future_start=False lets an event that is over be edited at its own date;
        with_times=False leaves the times to the shifts' own forms; with_repeat offers a new
        event's repeat."""
        super().__init__(*args, **kwargs)
        for name in (() if with_times else TIME_FIELD_NAMES) + (
            () if with_repeat else REPEAT_FIELD_NAMES
        ):
            del self[name]
        self.dates: tuple = ()
        self.require_future_start = require_future_start
        self.state.choices = state_choices()
        self.campaign.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(campaign.slug, campaign.name) for campaign in campaigns
        ]
        self._campaign_ids = {campaign.slug: campaign.id for campaign in campaigns}

    def validate_zip_code(self, field):
        place = getattr(field, "place", None)
        if place and self.state.data and place.state != self.state.data:
            raise ValidationError(
                _(
                    "Zip code %(zip)s is in %(state)s, not the state chosen above.",
                    zip=place.zip_code,
                    state=US_STATES.get(place.state, place.state),
                )
            )

    def _event_timezone(self) -> str:
        place = getattr(self.zip_code, "place", None)
        if place is None:
            return "America/New_York"
        return timezone_at(place.latitude, place.longitude, place.timezone)

    def local_times(self) -> tuple[datetime, datetime]:
        start = datetime.combine(self.date.data, self.start_time.data)
        end = datetime.combine(self.end_date.data or self.date.data, self.end_time.data)
        return start, end

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if "date" not in self or not (
            self.date.data and self.start_time.data and self.end_time.data
        ):
            return valid
        self.dates = self.event_dates(self.date.data)
        valid = valid and not any(self.errors.get(name) for name in REPEAT_FIELD_NAMES)
        start, end = self.local_times()
        if end <= start:
            self.end_time.errors.append(
                _("The end must be after the start. For an event past midnight, set the end date.")
            )
            valid = False
        elif end - start > timedelta(days=14):
            self.end_date.errors.append(_("Events can last at most two weeks."))
            valid = False
        if self.require_future_start:
            now_there = datetime.now(ZoneInfo(self._event_timezone())).replace(tzinfo=None)
            if start <= now_there:
                self.date.errors.append(_("The event must start in the future."))
                valid = False
        return valid

    def details(self, keeping_image_id: int | None = None) -> EventDetails:
        """What the form says. A new picture is saved now (its own unit of work: an unused
        picture harms nothing); without one the event keeps keeping_image_id."""
        start, end = self.local_times() if "date" in self else (None, None)
        return EventDetails(
            title=self.title.data,
            kind=EventKind(self.kind.data),
            description=self.description.data,
            starts_local=start,
            ends_local=end,
            venue=self.venue.data or "",
            street_address=self.street_address.data,
            city=self.city.data,
            state=self.state.data,
            zip_code=self.zip_code.data,
            capacity=self.capacity.data if "capacity" in self else None,
            accessibility_notes=self.accessibility_notes.data or "",
            host_name=self.host_name.data,
            host_email=self.host_email.data,
            host_phone=self.host_phone.data or "",
            campaign_id=self._campaign_ids.get(self.campaign.data),
            dates=self.dates,
            image_id=saved_image_id(self.image, keeping_image_id),
            **self.place_details(),
        )


def event_form_data(event) -> dict:
    """An existing event as the form's initial values, in its local time."""
    from .dates import local_time

    start, end = (
        local_time(event.starts_at, event.timezone),
        local_time(event.ends_at, event.timezone),
    )
    return {
        "title": event.title,
        "kind": event.kind.value,
        "description": event.description,
        "date": start.date(),
        "start_time": start.time().replace(tzinfo=None),
        "end_time": end.time().replace(tzinfo=None),
        "end_date": end.date() if end.date() != start.date() else None,
        "venue": event.venue,
        "street_address": event.street_address,
        "city": event.city,
        "state": event.state,
        "zip_code": event.zip_code,
        "capacity": slot.capacity if (slot := only_timeslot(event)) else None,
        "accessibility_notes": event.accessibility_notes,
        "host_name": event.host_name,
        "host_email": event.host_email,
        "host_phone": event.host_phone,
        "campaign": event.campaign.slug if event.campaign else "",
        **place_form_data(event),
    }


class CancelEventForm(SiteForm):
    reason = TextAreaField(
        _l("Tell attendees why (optional)"),
        filters=[strip_whitespace],
        validators=[Length(max=1000)],
        render_kw={"rows": 3},
    )
    confirm = BooleanField(
        _l("Yes, cancel this event and email everyone who RSVPed"),
        validators=[InputRequired(_l("Tick the box to confirm."))],
    )


class MessageAttendeesForm(SiteForm):
    subject = StringField(
        _l("Subject"),
        filters=[strip_whitespace],
        validators=[InputRequired(_l("Give your message a subject.")), Length(max=150)],
    )
    body = TextAreaField(
        _l("Message"),
        filters=[strip_whitespace],
        validators=[
            InputRequired(_l("Write your message.")),
            Length(max=5000, message=_l("Keep the message under 5,000 characters.")),
        ],
        render_kw={"rows": 8},
    )
    include_waitlist = BooleanField(_l("Also send to people on the waitlist"))
    # Replies reach a person: the host, who chooses here to show their address.
    reply_to_me = BooleanField(
        _l("Replies come to me (attendees see my email address)"), default=True
    )
