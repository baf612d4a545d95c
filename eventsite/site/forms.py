"""The small form that shares a page on the person's own Mastodon server."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from ..fields import SiteForm
from ..sharing import MAX_SHARE_TEXT, mastodon_server
from ..validators import strip_whitespace


class MastodonShareForm(SiteForm):
    """A GET form (nothing changes on this site), so no CSRF token."""

    class Meta:
        csrf = False

    server = StringField(
        _l("Your Mastodon server"),
        filters=[strip_whitespace],
        validators=[
            InputRequired(_l("Enter your Mastodon server, like mastodon.social.")),
            Length(max=300),
        ],
        render_kw={
            "placeholder": "mastodon.social",
            "autocomplete": "off",
            "inputmode": "url",
            "autocapitalize": "none",
            "spellcheck": "false",
        },
    )
    text = HiddenField(validators=[Length(max=MAX_SHARE_TEXT)])

    def validate_server(self, field):
        if mastodon_server(field.data) is None:
            raise ValidationError(_l("Enter a server name like mastodon.social."))
