"""The site's base form, and form fields shared by several forms."""

from functools import lru_cache

from babel import support
from flask import g, has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.csrf.core import CSRFTokenField
from wtforms.i18n import messages_path
from wtforms.validators import ValidationError

from .validators import PlainText


@lru_cache(maxsize=16)
def _wtforms_translations(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


def _page_shows_errors() -> None:
    """The page answering this request shows a form's errors: its title starts "Error:"
    (the first thing a screen reader reads) and forms.js moves the focus to them."""
    if has_request_context():
        g.form_failed = True


class SiteForm(FlaskForm):
    """Every form on the site: WTForms' own messages in the reader's language.

    Flask-WTF reads WTForms' catalog from disk on every request that needs it; it never
    changes while the site runs, so each language's is read once.

    Every text field refuses control characters before its own checks (PlainText).
    """

    class Meta:
        def get_translations(self, form):
            return _wtforms_translations(str(get_locale()))

        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, CSRFTokenField):
                multiline = issubclass(field_class, TextAreaField)
                validators = unbound_field.kwargs.get("validators") or ()
                options = {**options, "validators": [PlainText(multiline), *validators]}
            return super().bind_field(form, unbound_field, options)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not valid:
            _page_shows_errors()
        return valid

    def show_error(self, message: str, field: str | None = None) -> None:
        """Show an operation's error beside its field, or above the form (field None)."""
        _page_shows_errors()
        if field is None:
            self.form_errors.append(message)
        else:
            self[field].errors.append(message)


class ChoiceField(SelectField):
    """A select whose wrong or tampered values get a plain message of our own."""

    def __init__(self, *args, invalid_message: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message or _l("Choose an option from the list.")

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None  # reported by pre_validate, next to the field

    def pre_validate(self, form):
        if self.data not in {choice.value for choice in self.choices}:
            raise ValidationError(self.invalid_message)
