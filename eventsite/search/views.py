from flask import current_app, render_template, request

from . import bp
from .forms import SearchForm
from .queries import count_events_near, nearest_events


def _page_number() -> int:
    try:
        return max(1, min(int(request.args.get("page", "1")), 1000))
    except ValueError:
        return 1


@bp.get("/")
def home():
    return render_template("search/home.html", form=SearchForm(formdata=None))


@bp.get("/events")
def results():
    form = SearchForm(request.args)
    if not request.args or not form.validate():
        status = 400 if request.args else 200
        return render_template("search/results.html", form=form, results=None), status

    place = form.place
    page_size = current_app.config["SEARCH_PAGE_SIZE"]
    page = _page_number()
    radius = form.radius_miles
    total = count_events_near(place.latitude, place.longitude, radius_miles=radius)
    searched_radius, widened = radius, False
    if total == 0 and radius is not None:
        # Nothing within reach: say so, and show the nearest events further out.
        radius, widened = None, True
        total = count_events_near(place.latitude, place.longitude)
    found = nearest_events(
        place.latitude,
        place.longitude,
        radius_miles=radius,
        limit=page_size,
        offset=(page - 1) * page_size,
    )
    return render_template(
        "search/results.html",
        form=form,
        place=place,
        results=found,
        total=total,
        page=page,
        pages=max(1, -(-total // page_size)),
        searched_radius=searched_radius,
        widened=widened,
    )
