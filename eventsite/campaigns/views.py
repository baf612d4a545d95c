from flask import Response, abort, current_app, render_template, request

from ..caching import shared_page, shared_value, uncached_search_limit
from ..campaign_face import accent_hex
from ..campaign_face import accent_stylesheet as accent_stylesheet_text
from ..feeds import calendar_feed, embed_page
from ..images import IMMUTABLE
from ..lookups import campaign_by_slug, found_or_404
from ..search_form import SearchForm, search_requested, search_results
from ..templating import allow_framing
from . import bp
from .queries import campaign_totals, soonest_campaign_events


@bp.get("/c/<slug:slug>")
@shared_page
@uncached_search_limit
def show(slug: str):
    campaign = found_or_404(campaign_by_slug(slug))
    page_size = current_app.config["SEARCH_PAGE_SIZE"]
    # Counting a campaign reads all its events: once per SEARCH_CACHE_SECONDS, not per search.
    totals = shared_value(("campaign-totals", campaign.id), lambda: campaign_totals(campaign.id))
    searching = search_requested(request.args)
    form = SearchForm(request.args if searching else None)
    context = {"campaign": campaign, "totals": totals, "form": form}
    if not searching:
        events = soonest_campaign_events(campaign.id, page_size)
        return render_template("campaigns/show.html", soonest=events, **context)
    if not form.validate():
        return render_template("campaigns/show.html", soonest=None, **context), 400
    place = form.place
    found = search_results(form, request.args, page_size, campaign_id=campaign.id)
    return render_template("campaigns/show.html", place=place, found=found, **context)


@bp.get("/c/<slug:slug>/events.ics")
@uncached_search_limit
def calendar_feed_of_campaign(slug: str):
    return calendar_feed(found_or_404(campaign_by_slug(slug)))


@bp.get("/c/<slug:slug>/embed")
@allow_framing
@uncached_search_limit
def embed(slug: str):
    return embed_page(found_or_404(campaign_by_slug(slug)))


@bp.get("/c/<slug:slug>/accent-<colour>.css")
def accent_stylesheet(slug: str, colour: str):
    """The campaign's colour as a stylesheet (the CSP allows no inline style). The colour is
    in the URL, so the answer never changes: cached for a year, no database read."""
    hex6 = accent_hex(colour)
    if hex6 is None or hex6 != colour:
        abort(404)
    return Response(
        accent_stylesheet_text(hex6), mimetype="text/css", headers={"Cache-Control": IMMUTABLE}
    )
