"""Absolute links for emails, feeds and the API, inside or outside a request."""

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """An absolute URL: under EVENTSITE_PUBLIC_URL when set, else the request's own host."""
    public_url = current_app.config.get("PUBLIC_URL")
    if public_url:
        with current_app.test_request_context(base_url=public_url):
            return url_for(endpoint, _external=True, **values)
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    return url_for(endpoint, _external=True, **values)  # needs SERVER_NAME outside a request
