"""Routes of /api/v1: read the request, call a query, serialize. Errors are ApiError."""

from flask import jsonify, request

from ..rsvps import RsvpDetails, RsvpError, rsvp_to_event
from ..urls import external_url
from . import bp
from .errors import ApiError, error_response
from .forms import field_errors, referrer_from, rsvp_form_from
from .keys import authorised_key, note_change_made_with
from .openapi import openapi_document
from .params import (
    EVENT_PARAMETERS,
    MAX_ID,
    Paging,
    event_filters,
    paging,
    updated_since,
)
from .queries import (
    Listing,
    campaign_by_id,
    list_attendances,
    list_campaigns,
    list_deleted_events,
    list_events,
    published_event,
)
from .serializers import (
    SITE_ORGANIZATION_ID,
    attendance_object,
    attendance_receipt,
    deleted_event_object,
    event_object,
    organization_object,
)


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error_response(error.status, error.detail, error.fields)


@bp.after_request
def cross_origin_reads(response):
    """Public reads may come from other sites' scripts; keyed answers stay out of caches."""
    if request.headers.get("Authorization"):
        response.headers["Cache-Control"] = "no-store"
    elif request.method == "GET":
        # No cookies or sessions here, so any origin may read what anyone can read.
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _page_url(page: int, parameters: tuple[str, ...]) -> str:
    """This listing's URL at another page, with every filter of this request."""
    carried = {name: request.args.getlist(name) for name in parameters if name in request.args}
    return external_url(request.endpoint, **(request.view_args or {}), **carried, page=page)


def _paged(listing: Listing, pages: Paging, serialize, parameters=("per_page",)):
    """Mobilize's paged body: count, next, previous and data; no error key on success."""
    has_next = pages.offset + len(listing.rows) < listing.count
    return jsonify(
        {
            "count": listing.count,
            "next": _page_url(pages.page + 1, parameters) if has_next else None,
            "previous": _page_url(pages.page - 1, parameters) if pages.page > 1 else None,
            "data": [serialize(row) for row in listing.rows],
        }
    )


def _organization(organization_id: int):
    """The campaign behind an organization id (None for the site's organization 0), or 404."""
    if organization_id == SITE_ORGANIZATION_ID:
        return None
    campaign = campaign_by_id(organization_id) if organization_id <= MAX_ID else None
    if campaign is None:
        raise ApiError(404, "No such organization.")
    return campaign


def _bearer_key() -> str | None:
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    return key.strip() if scheme.lower() == "bearer" else None


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.get("/events")
def events():
    filters = event_filters(request.args)
    pages = paging(request.args, nearest=filters.place is not None)
    listing = list_events(filters, pages)
    return _paged(listing, pages, event_object, EVENT_PARAMETERS)


@bp.get("/events/<int:event_id>")
def event(event_id: int):
    found = published_event(event_id) if event_id <= MAX_ID else None
    if found is None:
        raise ApiError(404, "No such event, or it was cancelled (see /events/deleted).")
    return jsonify({"data": event_object(found)})


@bp.get("/events/deleted")
def deleted_events():
    filters, pages = event_filters(request.args), paging(request.args)
    listing = list_deleted_events(filters.organization_ids, filters.updated_since, pages)
    return _paged(
        listing, pages, deleted_event_object, ("organization_id", "updated_since", "per_page")
    )


@bp.get("/organizations")
def organizations():
    pages = paging(request.args)
    listing = list_campaigns(updated_since(request.args), pages)
    return _paged(listing, pages, organization_object, ("updated_since", "per_page"))


@bp.get("/organizations/<int:organization_id>/events")
def organization_events(organization_id: int):
    _organization(organization_id)
    filters = event_filters(request.args, organization_id=organization_id)
    pages = paging(request.args, nearest=filters.place is not None)
    listing = list_events(filters, pages)
    parameters = tuple(name for name in EVENT_PARAMETERS if name != "organization_id")
    return _paged(listing, pages, event_object, parameters)


@bp.get("/organizations/<int:organization_id>/events/deleted")
def organization_deleted_events(organization_id: int):
    _organization(organization_id)
    since, pages = updated_since(request.args), paging(request.args)
    listing = list_deleted_events([organization_id], since, pages)
    return _paged(listing, pages, deleted_event_object, ("updated_since", "per_page"))


@bp.get("/organizations/<int:organization_id>/attendances")
def attendances(organization_id: int):
    campaign = _organization(organization_id)
    if campaign is None or authorised_key(_bearer_key(), campaign.id) is None:
        raise ApiError(401, "This needs an API key for this organization: Bearer <key>.")
    since, pages = updated_since(request.args), paging(request.args)
    listing = list_attendances(campaign.id, since, pages)
    return _paged(listing, pages, attendance_object, ("updated_since", "per_page"))


@bp.post("/organizations/<int:organization_id>/events/<int:event_id>/attendances")
def create_attendance(organization_id: int, event_id: int):
    """RSVP through the same form rules and seat-taking as the event page's form.

    Anyone may call it, so its answer is a receipt: what was sent and the event as it was,
    the same whether or not the email had RSVPed (the status and private link go to that
    email). A key for the event's campaign, which reads every attendance anyway, gets
    the attendance itself.
    """
    campaign = _organization(organization_id)
    found = published_event(event_id) if event_id <= MAX_ID else None
    if found is None or (found.campaign_id or SITE_ORGANIZATION_ID) != organization_id:
        raise ApiError(404, "No such event for this organization.")
    form = rsvp_form_from(request.get_json(silent=True))
    if not form.validate():
        raise ApiError(400, "Check the person's details.", field_errors(form))
    details = RsvpDetails(
        name=form.name.data,
        email=form.email.data or "",
        phone=form.phone.data or "",
        zip_code=form.zip_code.data,
        guests=form.guests.data,
        sms_consent=form.sms_consent.data,
        attribution=referrer_from(request.get_json(silent=True)),
    )
    api_key = authorised_key(_bearer_key(), campaign.id) if campaign is not None else None
    slots = {slot.id: slot for slot in found.timeslots}
    receipts = [
        attendance_receipt(details, found, slots[i])
        for i in dict.fromkeys(form.timeslots.data)
        if i in slots
    ]
    try:
        outcome = rsvp_to_event(found, details, form.timeslots.data)
    except RsvpError as error:
        raise ApiError(400, str(error)) from error
    if api_key is not None:
        note_change_made_with(api_key)
        attendances = [attendance_object(rsvp) for rsvp in outcome.rsvps]
        return jsonify({"data": attendances}), 201 if outcome.is_new else 200
    return jsonify({"data": receipts}), 202
