from flask import current_app, render_template, request

from ..nearby import search_page
from . import bp
from .caching import shared_page
from .forms import SearchForm, page_number


@bp.get("/")
def home():
    return render_template("search/home.html", form=SearchForm(formdata=None))


@bp.get("/events")
@shared_page
def results():
    form = SearchForm(request.args)
    if not request.args or not form.validate():
        status = 400 if request.args else 200
        return render_template("search/results.html", form=form, results=None), status

    place = form.place
    found = search_page(
        place.latitude,
        place.longitude,
        radius_miles=form.radius_miles,
        page=page_number(request.args),
        page_size=current_app.config["SEARCH_PAGE_SIZE"],
    )
    return render_template(
        "search/results.html",
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
