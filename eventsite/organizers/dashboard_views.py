"""A campaign's dashboard for its organizers: figures and charts, webhooks and their log."""

from flask import flash, redirect, render_template, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..lookups import found_or_404
from ..models import KIND_LABELS, EventKind
from ..security import private_page
from . import bp
from .charts import Chart, draw
from .dashboard_queries import (
    CampaignFigures,
    campaign_figures,
    campaign_webhook,
    campaign_webhooks,
    recent_deliveries,
)
from .forms import ActionForm, WebhookForm
from .operations import create_webhook, delete_webhook
from .queries import organizer_campaign


def _charts(figures: CampaignFigures) -> list[Chart]:
    hours = [format_datetime(hour, "MMM d HH:mm") for hour in figures.hours]
    rsvps, check_ins = _("RSVPs"), _("Check-ins")
    sources = [(source or _("(none)"), count) for source, count in figures.top_sources]
    referrers = [(name or code, count) for code, name, count in figures.top_referrers]
    kinds = [(str(KIND_LABELS[EventKind(kind)]), count) for kind, count in figures.per_kind]

    def bars(key, title, description, pairs, *, horizontal=True):
        labels = [str(label) for label, _count in pairs]
        series = [(rsvps, [count for _label, count in pairs])]
        return draw(Chart(key, title, description, labels, series), horizontal=horizontal)

    per_hour = Chart(
        "per-hour",
        _("RSVPs and check-ins per hour"),
        _("New RSVPs and check-ins at the door in each hour of the last two days (UTC)."),
        hours,
        [(rsvps, figures.rsvps_per_hour), (check_ins, figures.check_ins_per_hour)],
    )
    top_events = [(title, count) for _id, title, count in figures.top_events]
    return [
        draw(per_hour),
        bars("per-state", _("RSVPs per state"),
             _("RSVPs to the campaign's events in each state."), figures.per_state),
        bars("per-kind", _("RSVPs per kind of event"), _("RSVPs to each kind of event."), kinds),
        bars("top-events", _("Top events"), _("The events with the most RSVPs."), top_events),
        bars("top-sources", _("Top sources"),
             _("RSVPs by the utm_source of the link people came by."), sources),
        bars("top-referrers", _("Top referrers"),
             _("RSVPs by whose invite link people came by."), referrers),
    ]  # fmt: skip


def _page(campaign, form=None, status=200):
    figures = campaign_figures(campaign.id, campaign.action_date)
    page = render_template(
        "organizers/campaign_dashboard.html",
        campaign=campaign,
        figures=figures,
        charts=_charts(figures),
        webhooks=campaign_webhooks(campaign.id),
        deliveries=recent_deliveries(campaign.id),
        form=form or WebhookForm(formdata=None),
        action_form=ActionForm(),
    )
    return page, status


@bp.get("/campaigns/<slug:slug>/dashboard")
@private_page
@login_required
def campaign_dashboard(slug: str):
    return _page(found_or_404(organizer_campaign(current_user, slug)))


@bp.post("/campaigns/<slug:slug>/webhooks")
@private_page
@login_required
def add_webhook(slug: str):
    campaign = found_or_404(organizer_campaign(current_user, slug))
    form = WebhookForm()
    if not form.validate():
        return _page(campaign, form, 400)
    webhook, secret = create_webhook(campaign, form.url.data, form.topics.data)
    # The only time the secret is shown: the page is private and never kept.
    return render_template(
        "organizers/webhook_created.html", campaign=campaign, webhook=webhook, secret=secret
    )


@bp.post("/campaigns/<slug:slug>/webhooks/<dbid:webhook_id>/delete")
@private_page
@login_required
def remove_webhook(slug: str, webhook_id: int):
    campaign = found_or_404(organizer_campaign(current_user, slug))
    webhook = found_or_404(campaign_webhook(campaign.id, webhook_id))
    if ActionForm().validate():
        delete_webhook(webhook)
        flash(_("The webhook is deleted."), "success")
    return redirect(url_for("organizers.campaign_dashboard", slug=slug), code=303)
