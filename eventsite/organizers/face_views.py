"""An organizer gives a campaign its face (picture, tagline, colour) and its call to
action (hashtag, suggested post, links to petitions and other actions)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..lookups import found_or_404
from ..security import private_page
from . import bp
from .face_forms import CampaignFaceForm, face_form_data
from .operations import CampaignFace, update_campaign_face
from .queries import organizer_campaign


@bp.route("/campaigns/<slug:slug>/face", methods=["GET", "POST"])
@private_page
@login_required
def campaign_face(slug: str):
    campaign = found_or_404(organizer_campaign(current_user, slug))
    if request.method == "GET":
        form = CampaignFaceForm(data=face_form_data(campaign))
    else:
        form = CampaignFaceForm()
        if form.validate():
            face = CampaignFace(
                image=form.image.prepared,
                remove_image=form.remove_image.data,
                tagline=form.tagline.data or "",
                accent_color=form.accent_color.data or "",
                hashtag=form.hashtag.data or "",
                suggested_post=form.suggested_post.data or "",
                actions=form.actions(),
            )
            update_campaign_face(campaign, face)
            flash(_("The campaign page is updated."), "success")
            return redirect(url_for("organizers.campaign_face", slug=campaign.slug), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("organizers/campaign_face.html", form=form, campaign=campaign), status
