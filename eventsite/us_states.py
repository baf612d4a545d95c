"""The US states and territories a host can choose, named in the reader's language."""

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

US_STATES = {
    "AL": _l("Alabama"),
    "AK": _l("Alaska"),
    "AZ": _l("Arizona"),
    "AR": _l("Arkansas"),
    "CA": _l("California"),
    "CO": _l("Colorado"),
    "CT": _l("Connecticut"),
    "DE": _l("Delaware"),
    "DC": _l("District of Columbia"),
    "FL": _l("Florida"),
    "GA": _l("Georgia"),
    "HI": _l("Hawaii"),
    "ID": _l("Idaho"),
    "IL": _l("Illinois"),
    "IN": _l("Indiana"),
    "IA": _l("Iowa"),
    "KS": _l("Kansas"),
    "KY": _l("Kentucky"),
    "LA": _l("Louisiana"),
    "ME": _l("Maine"),
    "MD": _l("Maryland"),
    "MA": _l("Massachusetts"),
    "MI": _l("Michigan"),
    "MN": _l("Minnesota"),
    "MS": _l("Mississippi"),
    "MO": _l("Missouri"),
    "MT": _l("Montana"),
    "NE": _l("Nebraska"),
    "NV": _l("Nevada"),
    "NH": _l("New Hampshire"),
    "NJ": _l("New Jersey"),
    "NM": _l("New Mexico"),
    "NY": _l("New York"),
    "NC": _l("North Carolina"),
    "ND": _l("North Dakota"),
    "OH": _l("Ohio"),
    "OK": _l("Oklahoma"),
    "OR": _l("Oregon"),
    "PA": _l("Pennsylvania"),
    "RI": _l("Rhode Island"),
    "SC": _l("South Carolina"),
    "SD": _l("South Dakota"),
    "TN": _l("Tennessee"),
    "TX": _l("Texas"),
    "UT": _l("Utah"),
    "VT": _l("Vermont"),
    "VA": _l("Virginia"),
    "WA": _l("Washington"),
    "WV": _l("West Virginia"),
    "WI": _l("Wisconsin"),
    "WY": _l("Wyoming"),
    "PR": _l("Puerto Rico"),
    "GU": _l("Guam"),
    "VI": _l("U.S. Virgin Islands"),
    "AS": _l("American Samoa"),
    "MP": _l("Northern Mariana Islands"),
}

STATE_CHOICES = [SelectChoice("", _l("Choose a state"))] + [
    SelectChoice(code, name) for code, name in US_STATES.items()
]


def _alphabetical(text) -> str:
    # "Míchigan" sorts with "Minnesota", not after "Wyoming".
    return "".join(
        c for c in unicodedata.normalize("NFD", str(text)) if not unicodedata.combining(c)
    )


def state_choices() -> list[SelectChoice]:
    """The states in alphabetical order of their names in the reader's language."""
    return STATE_CHOICES[:1] + sorted(STATE_CHOICES[1:], key=lambda c: _alphabetical(c.label))
