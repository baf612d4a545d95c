from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ..fields import ChoiceField
from ..validators import ZipCode, strip_whitespace

RADIUS_CHOICES = [
    *(SelectChoice(str(miles), _l("%(num)s miles", num=miles)) for miles in (5, 10, 25, 50, 100)),
    SelectChoice("any", _l("Anywhere")),
]


class SearchForm(FlaskForm):
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
        default="25",
        invalid_message=_l("Choose a distance from the list."),
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
