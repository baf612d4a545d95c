from flask import abort, current_app, render_template, request

from ..search.caching import shared_page
from ..search.forms import SearchForm, page_number
from ..search.queries import search_page
from . import bp
from .queries import campaign_by_slug, campaign_totals, soonest_campaign_events


@bp.get("/c/<slug:slug>")
@shared_page
def show(slug: str):
    campaign = campaign_by_slug(slug)
    if campaign is None:
        abort(404)
    page_size = current_app.config["SEARCH_PAGE_SIZE"]
    totals = campaign_totals(campaign.id)
    searching = any(key in request.args for key in ("zip", "lat", "lng"))
    form = SearchForm(request.args if searching else None)
    context = {"campaign": campaign, "totals": totals, "form": form}
    if not searching:
        events = soonest_campaign_events(campaign.id, page_size)
        return render_template("campaigns/show.html", soonest=events, **context)
    if not form.validate():
        return render_template("campaigns/show.html", soonest=None, **context), 400
    place = form.place
    found = search_page(
        place.latitude,
        place.longitude,
        radius_miles=form.radius_miles,
        page=page_number(request.args),
        page_size=page_size,
        campaign_id=campaign.id,
    )
    return render_template("campaigns/show.html", place=place, found=found, **context)
