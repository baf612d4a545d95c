"""The form an organizer gives a campaign its face and its call to action with."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length

from ..campaign_face import MAX_ACTIONS, Hashtag, ReadableAccent, WebLink
from ..fields import SiteForm
from ..images import UploadedImage
from ..models import Campaign
from ..validators import strip_whitespace


class CampaignFaceForm(SiteForm):
    image = FileField(
        _l("Picture (optional)"),
        validators=[UploadedImage()],
        render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif"},
    )
    remove_image = BooleanField(_l("Remove the picture"))
    tagline = StringField(_l("Tagline"), filters=[strip_whitespace], validators=[Length(max=140)])
    accent_color = StringField(
        _l("Accent colour"),
        filters=[strip_whitespace],
        validators=[Length(max=7), ReadableAccent()],
        render_kw={"placeholder": "#1a5e8a", "autocomplete": "off", "spellcheck": "false"},
    )
    hashtag = StringField(
        _l("Hashtag"), filters=[strip_whitespace], validators=[Length(max=51), Hashtag()]
    )
    suggested_post = TextAreaField(
        _l("Suggested post"),
        filters=[strip_whitespace],
        validators=[Length(max=280, message=_l("Keep the post under 280 characters."))],
        render_kw={"rows": 3},
    )

    def action_pairs(self):
        """(label field, link field) for each action slot."""
        return [(self[f"action_label_{n}"], self[f"action_url_{n}"]) for n in _SLOTS]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for label, url in self.action_pairs():
            if url.data and not label.data and not label.errors:
                self.show_error(_("Name this action, like “Sign the petition”."), label.name)
                valid = False
            if label.data and not url.data and not url.errors:
                self.show_error(_("Add the link for this action."), url.name)
                valid = False
        return valid

    def actions(self) -> list[dict]:
        return [
            {"label": label.data, "url": url.data}
            for label, url in self.action_pairs()
            if label.data and url.data
        ]


_SLOTS = range(1, MAX_ACTIONS + 1)
for _n in _SLOTS:
    setattr(
        CampaignFaceForm,
        f"action_label_{_n}",
        StringField(
            _l("Action %(num)s: what to do", num=_n),
            filters=[strip_whitespace],
            validators=[Length(max=80)],
        ),
    )
    setattr(
        CampaignFaceForm,
        f"action_url_{_n}",
        StringField(
            _l("Action %(num)s: link", num=_n),
            filters=[strip_whitespace],
            validators=[Length(max=500), WebLink()],
            render_kw={"type": "url", "inputmode": "url", "placeholder": "https://"},
        ),
    )


def face_form_data(campaign: Campaign) -> dict:
    """A campaign's current face and actions as the form's initial values."""
    data = {
        "tagline": campaign.tagline,
        "accent_color": campaign.accent_color,
        "hashtag": f"#{campaign.hashtag}" if campaign.hashtag else "",
        "suggested_post": campaign.suggested_post,
    }
    for n, action in zip(_SLOTS, campaign.actions or [], strict=False):
        data[f"action_label_{n}"] = action.get("label", "")
        data[f"action_url_{n}"] = action.get("url", "")
    return data
