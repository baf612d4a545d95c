"""The OpenAPI 3 description of /api/v1, served at /api/v1/openapi.json."""

from ..attribution import UTM_NAMES
from ..urls import external_url
from .params import (
    DEFAULT_PER_PAGE,
    MAX_COMPARISONS,
    MAX_DISTANCE_MILES,
    MAX_ID,
    MAX_ORGANIZATIONS,
    MAX_PAGE,
    MAX_PER_PAGE,
    NEAREST_REACH,
)
from .params import MAX_TIMESTAMP as MAX_UNIX
from .serializers import ATTENDANCE_STATUS, CONFIRMED, EVENT_TYPES, SMS_OPT_IN_STATUSES


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _string(nullable: bool = False, **extra) -> dict:
    return {"type": "string", **({"nullable": True} if nullable else {}), **extra}


def _integer(nullable: bool = False, **extra) -> dict:
    return {"type": "integer", **({"nullable": True} if nullable else {}), **extra}


_UNIX = _integer(minimum=0, description="Unix seconds")
_URL = _string(format="uri")


def _object(properties: dict, nullable: bool = False, required=None) -> dict:
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(required if required is not None else properties),
    }
    if nullable:
        schema["nullable"] = True
    return schema


ORGANIZATION = _object(
    {
        "id": _integer(
            minimum=0, description="0 is the site itself, for events outside any campaign"
        ),
        "name": _string(),
        "slug": _string(),
        "is_coordinated": {"type": "boolean"},
        "is_independent": {"type": "boolean"},
        "race_type": _string(nullable=True),
        "is_primary_campaign": {"type": "boolean"},
        "state": _string(),
        "district": _string(),
        "candidate_name": _string(),
        "event_feed_url": _URL,
        "event_create_page_url": _URL,
        "created_date": _UNIX,
        "modified_date": _UNIX,
    }
)

TIMESLOT = _object(
    {
        "id": _integer(description="The event's id: one timeslot per event"),
        "start_date": _UNIX,
        "end_date": _UNIX,
        "is_full": {"type": "boolean"},
        "instructions": _string(),
    }
)

LOCATION = _object(
    {
        "venue": _string(),
        "address_lines": {"type": "array", "items": _string(), "minItems": 2, "maxItems": 2},
        "locality": _string(),
        "region": _string(),
        "country": _string(),
        "postal_code": _string(),
        "location": _object({"latitude": {"type": "number"}, "longitude": {"type": "number"}}),
        "congressional_district": _string(nullable=True),
        "state_leg_district": _string(nullable=True),
        "state_senate_district": _string(nullable=True),
    }
)

EVENT = _object(
    {
        "id": _integer(),
        "title": _string(),
        "summary": _string(),
        "description": _string(description="HTML: the host's text, escaped, in paragraphs"),
        "featured_image_url": _string(),
        "high_priority": {"type": "boolean", "nullable": True},
        "event_type": _string(enum=list(EVENT_TYPES)),
        "timezone": _string(description="IANA time zone, e.g. America/New_York"),
        "browser_url": _URL,
        "created_date": _UNIX,
        "modified_date": _UNIX,
        "visibility": _string(enum=["PUBLIC", "PRIVATE"]),
        "address_visibility": _string(enum=["PUBLIC", "PRIVATE"]),
        "accessibility_notes": _string(),
        "is_virtual": {"type": "boolean"},
        "approval_status": _string(),
        "sponsor": _ref("Organization"),
        "location": _ref("Location"),
        "timeslots": {"type": "array", "items": _ref("Timeslot")},
        "event_campaign": _object(
            {"id": _integer(), "slug": _string(), "event_create_page_url": _URL}, nullable=True
        ),
        "contact": {
            "type": "object",
            "nullable": True,
            "description": "Always null: hosts' contact details are never public",
        },
        "tags": {"type": "array", "items": {"type": "object"}},
    }
)

DELETED_EVENT = _object({"id": _integer(), "deleted_date": _UNIX})

_PRIMARY = {"primary": {"type": "boolean"}}
PERSON = _object(
    {
        "id": _integer(),
        "given_name": _string(),
        "family_name": _string(),
        "email_addresses": {
            "type": "array",
            "items": _object({**_PRIMARY, "address": _string()}),
        },
        "phone_numbers": {"type": "array", "items": _object({**_PRIMARY, "number": _string()})},
        "postal_addresses": {
            "type": "array",
            "items": _object({**_PRIMARY, "postal_code": _string()}),
        },
        "sms_opt_in_status": {"type": "string", "enum": list(SMS_OPT_IN_STATUSES)},
        "created_date": _UNIX,
        "modified_date": _UNIX,
    }
)

ATTENDANCE = _object(
    {
        "id": _integer(),
        "created_date": _UNIX,
        "modified_date": _UNIX,
        "person": _ref("Person"),
        "event": _ref("Event"),
        "timeslot": _ref("Timeslot"),
        "sponsor": _ref("Organization"),
        "status": _string(enum=sorted({*ATTENDANCE_STATUS.values(), CONFIRMED})),
        "attended": {"type": "boolean", "nullable": True},
        "guests": _integer(minimum=0, maximum=10),
        "referrer": {
            "type": "object",
            "nullable": True,
            "properties": {
                **{name: {"type": "string", "nullable": True} for name in UTM_NAMES},
                "url": {"type": "string"},
            },
        },
    }
)

# A keyless RSVP's answer: what was sent, and the event as it was; never whether the email
# had RSVPed before (id, dates and status are null; they go to that email).
ATTENDANCE_RECEIPT = _object(
    {
        **ATTENDANCE["properties"],
        "id": {"nullable": True, "enum": [None]},
        "created_date": {"nullable": True, "enum": [None]},
        "modified_date": {"nullable": True, "enum": [None]},
        "person": _object(
            {
                **PERSON["properties"],
                "id": {"nullable": True, "enum": [None]},
                "created_date": {"nullable": True, "enum": [None]},
                "modified_date": {"nullable": True, "enum": [None]},
            }
        ),
        "status": {"nullable": True, "enum": [None]},
    }
)

ERROR = {
    "type": "object",
    "properties": {
        "data": {"nullable": True, "enum": [None]},
        "error": _object(
            {
                "detail": _string(),
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": _string()},
                },
            },
            required=["detail"],
        ),
    },
    "required": ["data", "error"],
}

ATTENDANCE_REQUEST = _object(
    {
        "person": _object(
            {
                "given_name": _string(minLength=1, maxLength=60),
                "family_name": _string(maxLength=59),
                "email_address": _string(format="email", maxLength=254),
                "phone_number": _string(maxLength=40),
                "postal_code": _string(pattern="^[0-9]{5}$"),
                "sms_opt_in_status": {
                    "type": "string",
                    "enum": list(SMS_OPT_IN_STATUSES),
                    "description": "OPT_IN: the person agreed to texts about this event, "
                    "in the words the RSVP form shows (needed for an RSVP by phone alone).",
                },
            },
            required=["given_name", "postal_code"],
        ),
        "timeslots": {
            "type": "array",
            "minItems": 1,
            "maxItems": 1,
            "items": _object({"timeslot_id": _integer(minimum=1, maximum=MAX_ID)}),
            "description": "[{timeslot_id: the event's id}]",
        },
        "referrer": _object(
            {
                **{name: _string(maxLength=100) for name in UTM_NAMES},
                "url": _string(maxLength=2000),
            }
        ),
    }
)


def _paged(item: str) -> dict:
    """A page of a listing: no error key at all (Parsons fails on one, even when null)."""
    return {
        "type": "object",
        "properties": {
            "count": _integer(minimum=0),
            "next": _string(nullable=True, format="uri"),
            "previous": _string(nullable=True, format="uri"),
            "data": {"type": "array", "items": _ref(item)},
        },
        "required": ["count", "next", "previous", "data"],
        "not": {"required": ["error"]},
    }


def _one_attendance(item: str) -> dict:
    return {
        "type": "object",
        "properties": {
            "data": {"type": "array", "items": _ref(item), "minItems": 1, "maxItems": 1}
        },
        "required": ["data"],
        "not": {"required": ["error"]},
    }


def _json(schema: dict, description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


_ERROR_RESPONSES = {
    "400": _json(_ref("Error"), "A parameter or the body is not valid"),
    "404": _json(_ref("Error"), "No such object"),
    "429": _json(
        _ref("Error"),
        "Too many requests from this address",
        {"Retry-After": {"description": "Seconds to wait", "schema": _integer()}},
    ),
}


def _query(name, schema, description, required=False) -> dict:
    parameter = {"name": name, "in": "query", "schema": schema, "description": description}
    if required:
        parameter["required"] = True
    if schema.get("type") == "array":
        parameter.update(style="form", explode=True)
    return parameter


def _path(name, description) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": _integer(minimum=0, maximum=MAX_ID),
        "description": description,
    }


_COMPARISON = _string(pattern="^(gte|gt|lte|lt)_(now|[0-9]{1,11})$")
PAGING = [
    _query(
        "page",
        _integer(minimum=1, maximum=MAX_PAGE),
        f"Page number, from 1; with zipcode, pages reach the nearest {NEAREST_REACH} events",
    ),
    _query(
        "per_page",
        _integer(minimum=1, maximum=MAX_PER_PAGE),
        f"Results per page (default {DEFAULT_PER_PAGE})",
    ),
]
UPDATED_SINCE = _query(
    "updated_since", _integer(minimum=0, maximum=MAX_UNIX), "Only objects modified since (Unix)"
)
ORGANIZATION_IDS = _query(
    "organization_id",
    {"type": "array", "items": _integer(minimum=0, maximum=MAX_ID), "maxItems": MAX_ORGANIZATIONS},
    "Only these organizations' events (repeatable); 0 is events outside any campaign",
)
EVENT_FILTERS = [
    _query("zipcode", _string(pattern="^[0-9]{5}$"), "Sort by distance from this US zip code"),
    _query(
        "max_dist",
        {"type": "number", "exclusiveMinimum": True, "minimum": 0, "maximum": MAX_DISTANCE_MILES},
        "Miles from zipcode (needs zipcode)",
    ),
    _query(
        "timeslot_start",
        {"type": "array", "items": _COMPARISON, "maxItems": MAX_COMPARISONS},
        "Compare the start: gte_<unix>, gt_, lte_, lt_, or gte_now (repeatable)",
    ),
    _query(
        "timeslot_end",
        {"type": "array", "items": _COMPARISON, "maxItems": MAX_COMPARISONS},
        "Compare the end, like timeslot_start (repeatable)",
    ),
    UPDATED_SINCE,
    _query(
        "event_types",
        {"type": "array", "items": _string(enum=list(EVENT_TYPES)), "maxItems": len(EVENT_TYPES)},
        "Only these event types (repeatable)",
    ),
    _query("exclude_full", {"type": "boolean"}, "Leave out events with no seats left"),
    _query(
        "is_virtual",
        {"type": "boolean"},
        "true: events held online (with zipcode, the upcoming ones soonest first, not by "
        "distance); false: in person only",
    ),
    _query("visibility", _string(enum=["PUBLIC", "PRIVATE"]), "Every event here is PUBLIC"),
]


def _operation(summary, parameters, responses, **extra) -> dict:
    return {"summary": summary, "parameters": parameters, "responses": responses, **extra}


def _listing(summary, item, parameters, extra_responses=None, **extra) -> dict:
    responses = {
        "200": _json(_paged(item), "A page of results"),
        **_ERROR_RESPONSES,
        **(extra_responses or {}),
    }
    return {"get": _operation(summary, parameters, responses, **extra)}


def openapi_document() -> dict:
    """The whole description; the server URL is this site's own /api/v1."""
    organization_id = _path("organization_id", "An organization (campaign) id; 0 is the site")
    unauthorised = {"401": _json(_ref("Error"), "No valid API key for this organization")}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "eventsite API",
            "version": "1",
            "description": (
                "Events, campaigns (as organizations) and RSVPs (as attendances) in the "
                "shape of Mobilize America's public API v1. Success bodies never carry an "
                "error key; errors are {data: null, error: {detail}}."
            ),
        },
        "servers": [{"url": external_url("api.openapi").removesuffix("/openapi.json")}],
        "paths": {
            "/events": _listing(
                "Published events, nearest first when a zipcode is given",
                "Event",
                [*EVENT_FILTERS, ORGANIZATION_IDS, *PAGING],
            ),
            "/events/{event_id}": {
                "get": _operation(
                    "One published event",
                    [_path("event_id", "An event id")],
                    {
                        "200": _json(
                            {
                                "type": "object",
                                "properties": {"data": _ref("Event")},
                                "required": ["data"],
                                "not": {"required": ["error"]},
                            },
                            "The event",
                        ),
                        **_ERROR_RESPONSES,
                    },
                )
            },
            "/events/deleted": _listing(
                "Cancelled events", "DeletedEvent", [ORGANIZATION_IDS, UPDATED_SINCE, *PAGING]
            ),
            "/organizations": _listing(
                "Campaigns as organizations, and the site itself as organization 0",
                "Organization",
                [UPDATED_SINCE, *PAGING],
            ),
            "/organizations/{organization_id}/events": _listing(
                "An organization's published events",
                "Event",
                [organization_id, *EVENT_FILTERS, *PAGING],
            ),
            "/organizations/{organization_id}/events/deleted": _listing(
                "An organization's cancelled events",
                "DeletedEvent",
                [organization_id, UPDATED_SINCE, *PAGING],
            ),
            "/organizations/{organization_id}/attendances": _listing(
                "RSVPs to the organization's events, with personal details",
                "Attendance",
                [organization_id, UPDATED_SINCE, *PAGING],
                unauthorised,
                security=[{"bearer": []}],
            ),
            "/organizations/{organization_id}/events/{event_id}/attendances": {
                "post": {
                    "summary": "RSVP to an event (as its web form does: waitlist when full)",
                    "description": (
                        "An email that already has an RSVP to the event changes nothing: "
                        "that address is emailed a link to its RSVP. Without a key the "
                        "answer is the same either way (202, a receipt); with a key for "
                        "the event's campaign it is the attendance (201 new, 200 existing)."
                    ),
                    "parameters": [organization_id, _path("event_id", "The event's id")],
                    "security": [{}, {"bearer": []}],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("AttendanceRequest")}},
                    },
                    "responses": {
                        "200": _json(
                            _one_attendance("Attendance"),
                            "With a key: the email had RSVPed; that RSVP, unchanged",
                        ),
                        "201": _json(
                            _one_attendance("Attendance"),
                            "With a key: the new RSVP, going or waitlisted",
                        ),
                        "202": _json(
                            _one_attendance("AttendanceReceipt"),
                            "Without a key: taken; the person is emailed their status and link",
                        ),
                        **_ERROR_RESPONSES,
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Organization": ORGANIZATION,
                "Timeslot": TIMESLOT,
                "Location": LOCATION,
                "Event": EVENT,
                "DeletedEvent": DELETED_EVENT,
                "Person": PERSON,
                "Attendance": ATTENDANCE,
                "AttendanceReceipt": ATTENDANCE_RECEIPT,
                "AttendanceRequest": ATTENDANCE_REQUEST,
                "Error": ERROR,
            },
        },
    }
