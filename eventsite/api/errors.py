"""The API's error bodies: {"data": null, "error": {"detail": ...}}, as Mobilize answers."""

from flask import jsonify
from werkzeug.exceptions import HTTPException

# Short, stable messages for the HTTP errors the API raises or Flask raises for it.
_DETAILS = {
    400: "The request was not valid.",
    401: "This needs an API key for this organization: Authorization: Bearer <key>.",
    404: "Not found.",
    405: "This method is not allowed here.",
    429: "Too many requests. Wait before trying again (see Retry-After).",
    500: "Something went wrong on our side.",
}


class ApiError(Exception):
    """A request the API refuses; status and detail go to the client as they are."""

    def __init__(self, status: int, detail: str, fields: dict | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.fields = fields or {}


def error_response(status: int, detail: str, fields: dict | None = None):
    error = {"detail": detail}
    if fields:
        error["fields"] = fields
    response = jsonify({"data": None, "error": error})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def http_error_response(error: HTTPException | Exception):
    """A Flask or Werkzeug error (404, 405, 429...) as the API's JSON error."""
    status = getattr(error, "code", None) or 500
    response = error_response(status, _DETAILS.get(status, _DETAILS[400]))
    if status == 405 and isinstance(error, HTTPException):
        # Keep the Allow header Werkzeug computed for the route.
        for name, value in error.get_headers():
            if name.lower() == "allow":
                response.headers["Allow"] = value
    return response
