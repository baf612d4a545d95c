from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    SearchField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..converters import MAX_SLUG_LENGTH, is_slug
from ..fields import SiteForm
from ..lookups import campaign_by_slug
from ..validators import NearDate, strip_whitespace


class LoginForm(SiteForm):
    email = EmailField(
        _l("Email"),
        filters=[strip_whitespace],
        validators=[InputRequired(_l("Enter your email.")), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class CampaignForm(SiteForm):
    name = StringField(
        _l("Name"),
        filters=[strip_whitespace],
        validators=[InputRequired(_l("Name the campaign.")), Length(max=200)],
    )
    slug = StringField(
        _l("Web address"),
        filters=[strip_whitespace, lambda value: value.lower() if value else value],
        validators=[
            InputRequired(_l("Choose a short web address.")),
            Length(min=3, max=MAX_SLUG_LENGTH),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        filters=[strip_whitespace],
        validators=[Length(max=5000)],
        render_kw={"rows": 5},
    )
    action_date = DateField(_l("Day of action (optional)"), validators=[Optional(), NearDate()])

    def validate_slug(self, field):
        if field.errors:
            return  # too short or too long: said already
        if not is_slug(field.data):
            raise ValidationError(
                _("Use lowercase letters, digits and dashes, like families-june-14.")
            )
        if campaign_by_slug(field.data) is not None:
            raise ValidationError(_("%(path)s is taken; choose another.", path=f"/c/{field.data}"))


class RejectForm(SiteForm):
    reason = TextAreaField(
        _l("Reason, sent to the host"),
        filters=[strip_whitespace],
        validators=[InputRequired(_l("Tell the host why.")), Length(max=1000)],
        render_kw={"rows": 3},
    )


class ActionForm(SiteForm):
    """A button that only needs its CSRF token."""


class ApproveForm(SiteForm):
    """Approve what the organizer saw: the version of the event their page showed."""

    reviewed = HiddenField()


class CampaignEventSearchForm(SiteForm):
    """The organizer's campaign page search, sent by GET: nothing to protect with a token."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Find an event by title, city or zip code"),
        filters=[strip_whitespace],
        validators=[Length(max=120)],
        render_kw={"autocomplete": "off"},
    )
