import math
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from .fields import ChoiceField, SiteForm
from .geo import ZipCodeError, lookup_zip
from .nearby import SearchPage, search_page_or_last
from .places import NAMING_REACH_MILES, place_at
from .validators import ZipCode, strip_whitespace

LATITUDE_MESSAGE = _l(
    "We couldn't read your location (latitude must be a number from -90 to 90). "
    "Enter your zip code instead."
)
LONGITUDE_MESSAGE = _l(
    "We couldn't read your location (longitude must be a number from -180 to 180). "
    "Enter your zip code instead."
)
FAR_AWAY_MESSAGE = _l(
    "Your location is more than %(miles)s miles from every US zip code, so we can't "
    "search from it. Enter your zip code instead.",
    miles=int(NAMING_REACH_MILES),
)


class Coordinate:
    """A latitude or longitude: a finite number within its range."""

    def __init__(self, lowest: float, highest: float, message):
        self.lowest, self.highest, self.message = lowest, highest, message

    def __call__(self, form, field):
        try:
            value = float(field.data or "")
        except ValueError:
            raise ValidationError(self.message) from None
        if not (math.isfinite(value) and self.lowest <= value <= self.highest):
            raise ValidationError(self.message)


RADIUS_CHOICES = [
    *(SelectChoice(str(miles), _l("%(num)s miles", num=miles)) for miles in (5, 10, 25, 50, 100)),
    SelectChoice("any", _l("Anywhere")),
]
DEFAULT_RADIUS = "25"
# A query string with any of these asks for a search; without, a page shows its default list.
SEARCH_PARAMETERS = ("zip", "lat", "lng")


class SearchForm(SiteForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    zip = StringField(
        _l("Zip code"),
        filters=[strip_whitespace],
        validators=[InputRequired(_l("Enter your zip code to find events near you.")), ZipCode()],
        render_kw={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": 10},
    )
    radius = ChoiceField(
        _l("Distance"),
        choices=RADIUS_CHOICES,
        default=DEFAULT_RADIUS,
        invalid_message=_l("Choose a distance from the list."),
    )

    # Set by "Use my location" (locate.js) instead of a zip code; never shown as inputs.
    lat = StringField(filters=[strip_whitespace])
    lng = StringField(filters=[strip_whitespace])

    @property
    def radius_miles(self) -> float | None:
        return None if self.radius.data == "any" else float(self.radius.data)

    @property
    def searching_by_location(self) -> bool:
        return bool(self.lat.data or self.lng.data)

    @property
    def place(self):
        """Where to search from: the browser's position, or the zip code's."""
        return self.located_place if self.searching_by_location else self.zip.place

    @property
    def location_errors(self) -> list[str]:
        return [*self.lat.errors, *self.lng.errors]

    def validate(self, extra_validators=None) -> bool:
        if self.searching_by_location:
            # The position stands in for the zip code; it is filled in with the nearest one.
            self.zip.validators = []
            self.lat.validators = [Coordinate(-90, 90, LATITUDE_MESSAGE)]
            self.lng.validators = [Coordinate(-180, 180, LONGITUDE_MESSAGE)]
        if not super().validate(extra_validators):
            return False
        if self.searching_by_location:
            self.located_place = place_at(float(self.lat.data), float(self.lng.data))
            if self.located_place is None:
                self.lat.errors.append(FAR_AWAY_MESSAGE)
                return False
            self.zip.data = self.located_place.zip_code
        return True


def search_results(form: SearchForm, args, page_size: int, **options) -> SearchPage:
    """The page of nearest events a validated search form asks for (?page= from args)."""
    place = form.place
    return search_page_or_last(
        place.latitude,
        place.longitude,
        radius_miles=form.radius_miles,
        page=page_number(args),
        page_size=page_size,
        **options,
    )


def page_number(args, name: str = "page") -> int:
    """The ?page= (or other named) number of a listing, 1 when missing or nonsense."""
    try:
        return max(1, min(int(args.get(name, "1")), 1000))
    except ValueError:
        return 1


def search_requested(args) -> bool:
    """True when a query string asks for a search, by zip code or by position."""
    return any(name in args for name in SEARCH_PARAMETERS)


@dataclass(frozen=True, slots=True)
class ZipSearch:
    """What a zip search page shows: the page cache's key."""

    zip_code: str
    radius: str
    page: int


_RADIUS_VALUES = frozenset(choice.value for choice in RADIUS_CHOICES)


def zip_search_from(args) -> ZipSearch | None:
    """The zip search a query string asks for, read as SearchForm reads it (each field's
    first value, whitespace stripped), without building the form; None for a search by
    position or input SearchForm refuses.
    """
    if strip_whitespace(args.get("lat") or "") or strip_whitespace(args.get("lng") or ""):
        return None
    try:
        place = lookup_zip(strip_whitespace(args.get("zip") or ""))
    except ZipCodeError:
        return None
    radius = args.get("radius", DEFAULT_RADIUS)
    if radius not in _RADIUS_VALUES:
        return None
    return ZipSearch(place.zip_code, radius, page_number(args))
