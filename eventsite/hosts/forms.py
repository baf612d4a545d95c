import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
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
    NumberRange,
    Optional,
    ValidationError,
)

from ..fields import ChoiceField
from ..geo import timezone_at
from ..hosting import EventDetails
from ..models import EventKind
from ..validators import Phone, ZipCode, strip_whitespace

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico",
    "GU": "Guam", "VI": "U.S. Virgin Islands", "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}  # fmt: skip

STATE_CHOICES = [SelectChoice("", "Choose a state")] + [
    SelectChoice(code, name) for code, name in sorted(US_STATES.items(), key=lambda kv: kv[1])
]
KIND_CHOICES = [SelectChoice(kind.value, kind.label) for kind in EventKind]

# Spam listings carry many links; a real description rarely needs more than a few.
MAX_LINKS = 3
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


class FewLinks:
    message = f"Please include no more than {MAX_LINKS} links."

    def __call__(self, form, field):
        if len(_LINK.findall(field.data or "")) > MAX_LINKS:
            raise ValidationError(self.message)


class EventForm(FlaskForm):
    """Everything a host tells us about an event, in the event's own local time."""

    title = StringField(
        "Event title",
        filters=[strip_whitespace],
        validators=[InputRequired("Give your event a title."), Length(min=5, max=200)],
    )
    kind = ChoiceField(
        "Kind of event",
        choices=KIND_CHOICES,
        default=EventKind.RALLY.value,
        invalid_message="Choose what kind of event this is.",
    )
    description = TextAreaField(
        "Description",
        filters=[strip_whitespace],
        validators=[
            InputRequired("Tell people what to expect."),
            Length(
                min=20, max=5000, message="Write between 20 and 5,000 characters about the event."
            ),
            FewLinks(),
        ],
        render_kw={"rows": 6},
    )
    date = DateField(
        "Date",
        validators=[InputRequired("Choose the date of the event.")],
    )
    start_time = TimeField(
        "Starts at", validators=[InputRequired("Enter the time the event starts.")]
    )
    end_time = TimeField("Ends at", validators=[InputRequired("Enter the time the event ends.")])
    end_date = DateField("End date, if it runs past midnight", validators=[Optional()])
    venue = StringField(
        "Place name (optional)",
        filters=[strip_whitespace],
        validators=[Length(max=200)],
    )
    street_address = StringField(
        "Street address",
        filters=[strip_whitespace],
        validators=[InputRequired("Enter the street address."), Length(max=200)],
        render_kw={"autocomplete": "street-address"},
    )
    city = StringField(
        "City",
        filters=[strip_whitespace],
        validators=[InputRequired("Enter the city."), Length(max=100)],
        render_kw={"autocomplete": "address-level2"},
    )
    state = ChoiceField(
        "State",
        choices=STATE_CHOICES,
        default="",
        invalid_message="Choose the state.",
    )
    zip_code = StringField(
        "Zip code",
        filters=[strip_whitespace],
        validators=[InputRequired("Enter the zip code."), ZipCode()],
        render_kw={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": 10},
    )
    capacity = IntegerField(
        "Capacity (optional)",
        validators=[
            Optional(),
            NumberRange(min=1, max=100_000, message="Enter a number from 1 to 100,000."),
        ],
        render_kw={"inputmode": "numeric"},
    )
    accessibility_notes = TextAreaField(
        "Accessibility (optional)",
        filters=[strip_whitespace],
        validators=[Length(max=1000)],
        render_kw={"rows": 3},
    )
    host_name = StringField(
        "Your name",
        filters=[strip_whitespace],
        validators=[InputRequired("Tell attendees who is hosting."), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    host_email = EmailField(
        "Your email",
        filters=[strip_whitespace],
        validators=[
            InputRequired("Enter your email so we can send your private link."),
            Length(max=254),
            Email("Enter an email address like name@example.com."),
        ],
        render_kw={"autocomplete": "email"},
    )
    host_phone = TelField(
        "Your phone (optional)",
        filters=[strip_whitespace],
        validators=[Length(max=40), Phone()],
        render_kw={"autocomplete": "tel"},
    )
    campaign = ChoiceField(
        "Part of a campaign",
        default="",
        invalid_message="Choose a campaign from the list, or none.",
    )
    # A honeypot: hidden from people, filled in by form-spamming bots.
    website = StringField("Leave this empty", render_kw={"autocomplete": "off", "tabindex": "-1"})

    def __init__(self, *args, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign.choices = [SelectChoice("", "None")] + [
            SelectChoice(campaign.slug, campaign.name) for campaign in campaigns
        ]
        self._campaign_ids = {campaign.slug: campaign.id for campaign in campaigns}

    @property
    def is_spam(self) -> bool:
        return bool(self.website.data)

    def validate_zip_code(self, field):
        place = getattr(field, "place", None)
        if place and self.state.data and place.state != self.state.data:
            raise ValidationError(
                f"Zip code {place.zip_code} is in {US_STATES.get(place.state, place.state)}, "
                "not the state chosen above."
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
        if not (self.date.data and self.start_time.data and self.end_time.data):
            return valid
        start, end = self.local_times()
        if end <= start:
            self.end_time.errors.append(
                "The end must be after the start. For an event past midnight, set the end date."
            )
            valid = False
        elif end - start > timedelta(days=14):
            self.end_date.errors.append("Events can last at most two weeks.")
            valid = False
        if self.check_start_in_future:
            now_there = datetime.now(ZoneInfo(self._event_timezone())).replace(tzinfo=None)
            if start <= now_there:
                self.date.errors.append("The event must start in the future.")
                valid = False
        return valid

    # Editing an event that already started must not be blocked by this rule.
    check_start_in_future = True

    def details(self) -> EventDetails:
        start, end = self.local_times()
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
            capacity=self.capacity.data,
            accessibility_notes=self.accessibility_notes.data or "",
            host_name=self.host_name.data,
            host_email=self.host_email.data,
            host_phone=self.host_phone.data or "",
            campaign_id=self._campaign_ids.get(self.campaign.data),
        )


def event_form_data(event) -> dict:
    """An existing event as the form's initial values, in its local time."""
    from ..dates import local_time

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
        "capacity": event.capacity,
        "accessibility_notes": event.accessibility_notes,
        "host_name": event.host_name,
        "host_email": event.host_email,
        "host_phone": event.host_phone,
        "campaign": event.campaign.slug if event.campaign else "",
    }


class CancelEventForm(FlaskForm):
    reason = TextAreaField(
        "Tell attendees why (optional)",
        filters=[strip_whitespace],
        validators=[Length(max=1000)],
        render_kw={"rows": 3},
    )
    confirm = BooleanField(
        "Yes, cancel this event and email everyone who RSVPed",
        validators=[InputRequired("Tick the box to confirm.")],
    )


class MessageAttendeesForm(FlaskForm):
    subject = StringField(
        "Subject",
        filters=[strip_whitespace],
        validators=[InputRequired("Give your message a subject."), Length(max=150)],
    )
    body = TextAreaField(
        "Message",
        filters=[strip_whitespace],
        validators=[
            InputRequired("Write your message."),
            Length(max=5000, message="Keep the message under 5,000 characters."),
        ],
        render_kw={"rows": 8},
    )
    include_waitlist = BooleanField("Also send to people on the waitlist")
