from flask import current_app, render_template, request

from ..caching import shared_page, uncached_search_limit
from ..search_form import SearchForm, search_requested, search_results
from . import bp


@bp.get("/")
@shared_page
def home():
    return render_template("events/home.html", form=SearchForm(formdata=None))


@bp.get("/events")
@shared_page
@uncached_search_limit
def results():
    if not search_requested(request.args):
        form = SearchForm(formdata=None)
        return render_template("events/results.html", form=form, results=None)
    form = SearchForm(request.args)
    if not form.validate():
        return render_template("events/results.html", form=form, results=None), 400

    place = form.place
    found = search_results(form, request.args, current_app.config["SEARCH_PAGE_SIZE"])
    return render_template(
        "events/results.html",
        form=form,
        place=place,
        results=found.results,
        total=found.total,
        total_capped=found.total_capped,
        page=found.page,
        pages=found.pages,
        searched_radius=found.searched_radius_miles,
        widened=found.widened,
    )
