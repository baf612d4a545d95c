"""The host's co-hosts (/host/<token>/co-hosts): add by email, remove. Only the host's
own link may; a co-host's link opens every other host page (queries.find_event_by_manage_token)."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _

from ..event_details import HostingError
from ..extensions import limiter
from ..lookups import found_or_404
from ..rsvp_forms import CoHostForm, RemoveCoHostForm
from ..security import private_page
from . import bp
from .co_hosts import add_co_host, remove_co_host
from .host_views import manage_page
from .queries import find_event_by_manage_token, is_the_host


def _hosts_event(token: str):
    """The event of the host's own link; 403 for a co-host's."""
    event = found_or_404(find_event_by_manage_token(token))
    if not is_the_host(event, token):
        abort(403)
    return event


def _back(token: str):
    return redirect(url_for("events.manage_hosted_event", token=token) + "#co-hosts", code=303)


@bp.post("/host/<token>/co-hosts")
@limiter.limit("20 per hour", methods=["POST"])
@private_page
def add_co_host_to_event(token: str):
    event = _hosts_event(token)
    form = CoHostForm()
    if form.validate():
        try:
            co_host = add_co_host(event, form.email.data)
        except HostingError as error:
            form.show_error(str(error), error.field)
        else:
            flash(
                _(
                    "%(email)s is a co-host now: we emailed them their own link.",
                    email=co_host.email,
                ),
                "success",
            )
            return _back(token)
    return manage_page(event, token, co_host_form=form), 400


@bp.post("/host/<token>/co-hosts/<int:co_host_id>/remove")
@private_page
def remove_co_host_from_event(token: str, co_host_id: int):
    event = _hosts_event(token)
    if RemoveCoHostForm().validate() and remove_co_host(event, co_host_id):
        flash(_("The co-host is removed: their link no longer works."), "success")
    return _back(token)
