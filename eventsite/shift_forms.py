"""Forms for an event's timeslots (shifts): repeating a new event on several dates, and a
host adding shifts (one, or a series repeating like a new event's) or changing one from the
private page."""

from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from .fields import ChoiceField, SiteForm
from .recurrence import MAX_DATES, Repeat, chosen_dates, repeating_dates
from .validators import NearDate, strip_whitespace

REPEAT_CHOICES = [
    SelectChoice(Repeat.ONCE.value, _l("Once")),
    SelectChoice(Repeat.WEEKLY.value, _l("Every week")),
    SelectChoice(Repeat.EVERY_TWO_WEEKS.value, _l("Every two weeks")),
    SelectChoice(Repeat.CHOSEN_DATES.value, _l("On dates I choose")),
]


REPEAT_FIELD_NAMES = ("repeat", "repeat_until", "repeat_dates")


class RepeatFields(SiteForm):
    """A new event's repeat: "every Tuesday at 6 PM until March 1" makes one event with a
    shift on each date (the form's date and times are the first)."""

    repeat = ChoiceField(
        _l("Repeats"),
        choices=REPEAT_CHOICES,
        default=Repeat.ONCE.value,
        invalid_message=_l("Choose how often the event repeats."),
    )
    repeat_until = DateField(_l("Repeats until"), validators=[Optional(), NearDate()])
    repeat_dates = TextAreaField(
        _l("Other dates (YYYY-MM-DD, one a line)"),
        filters=[strip_whitespace],
        validators=[Length(max=1000)],
        render_kw={"rows": 3},
    )

    def event_dates(self, first: date | None) -> tuple[date, ...]:
        """Every date the event happens on; empty when it happens once. Sets an error by
        the field and returns () when the dates don't work."""
        if "repeat" not in self or first is None or self.repeat.errors:
            return ()
        if self.repeat.data not in set(Repeat) or self.repeat.data == Repeat.ONCE:
            return ()
        repeat = Repeat(self.repeat.data)
        if repeat == Repeat.CHOSEN_DATES:
            return self._chosen(first)
        if self.repeat_until.data is None or self.repeat_until.data < first:
            self.repeat_until.errors.append(_("Choose the last date, after the first one."))
            return ()
        return self._within_limit(repeating_dates(first, repeat, self.repeat_until.data, MAX_DATES))

    def _chosen(self, first: date) -> tuple[date, ...]:
        try:
            dates = chosen_dates(first, self.repeat_dates.data or "", MAX_DATES)
        except ValueError as error:
            self.repeat_dates.errors.append(
                _("%(word)s is not a date like 2026-03-01.", word=str(error)[:20])
            )
            return ()
        if dates[0] < first or any(abs(day - date.today()) > NearDate.window for day in dates):
            self.repeat_dates.errors.append(
                _("Choose dates after the first one and within two years of today.")
            )
            return ()
        return self._within_limit(dates, field=self.repeat_dates)

    def _within_limit(self, dates: list[date], field=None) -> tuple[date, ...]:
        if len(dates) > MAX_DATES:
            (field or self.repeat_until).errors.append(
                _("An event can repeat on at most %(num)s dates.", num=MAX_DATES)
            )
            return ()
        return tuple(dates)


def capacity_field() -> IntegerField:
    """A shift's (or a new event's) optional capacity."""
    return IntegerField(
        _l("Capacity (optional)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=100_000, message=_l("Enter a number from 1 to 100,000.")),
        ],
        render_kw={"inputmode": "numeric"},
    )


class CancelTimeslotForm(SiteForm):
    """A host's button to cancel one shift: its token is all it holds."""


class TimeslotForm(SiteForm):
    """One shift of an event, as its host adds or changes it, in the event's local time."""

    date = DateField(
        _l("Date"), validators=[InputRequired(_l("Choose the date of the shift.")), NearDate()]
    )
    start_time = TimeField(
        _l("Starts at"), validators=[InputRequired(_l("Enter the time the shift starts."))]
    )
    end_time = TimeField(
        _l("Ends at"), validators=[InputRequired(_l("Enter the time the shift ends."))]
    )
    capacity = capacity_field()

    def local_times(self) -> tuple[datetime, datetime]:
        """The shift's start and end; an end earlier on the clock is past midnight."""
        start = datetime.combine(self.date.data, self.start_time.data)
        end = datetime.combine(self.date.data, self.end_time.data)
        return start, end if end > start else end + timedelta(days=1)

    def validate_end_time(self, field):
        if self.start_time.data and field.data == self.start_time.data:
            raise ValidationError(_("The end must be after the start."))


class NewTimeslotsForm(TimeslotForm, RepeatFields):
    """A shift a host adds from the private page, once or repeating on later dates like a
    new event (its date and times are the first)."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Every date of the series (() for once), or () with an error by the wrong field.
        self.dates = self.event_dates(self.date.data)
        return valid and not any(self[name].errors for name in REPEAT_FIELD_NAMES)
