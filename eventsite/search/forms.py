from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ..fields import ChoiceField
from ..validators import ZipCode, strip_whitespace

RADIUS_CHOICES = [
    SelectChoice("5", "5 miles"),
    SelectChoice("10", "10 miles"),
    SelectChoice("25", "25 miles"),
    SelectChoice("50", "50 miles"),
    SelectChoice("100", "100 miles"),
    SelectChoice("any", "Anywhere"),
]


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    zip = StringField(
        "Zip code",
        filters=[strip_whitespace],
        validators=[InputRequired("Enter your zip code to find events near you."), ZipCode()],
        render_kw={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": 10},
    )
    radius = ChoiceField(
        "Distance",
        choices=RADIUS_CHOICES,
        default="25",
        invalid_message="Choose a distance from the list.",
    )

    @property
    def radius_miles(self) -> float | None:
        return None if self.radius.data == "any" else float(self.radius.data)


def page_number(args) -> int:
    """The ?page= number of a listing, 1 when missing or nonsense."""
    try:
        return max(1, min(int(args.get("page", "1")), 1000))
    except ValueError:
        return 1
