"""Absolute links for emails, feeds and the API, inside or outside a request."""

from urllib.parse import urlsplit

from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:
    """An absolute URL: under EVENTSITE_PUBLIC_URL when set, else the request's own host."""
    public_url = current_app.config.get("PUBLIC_URL")
    if public_url:
        # Build only the path here: with SERVER_NAME set, Flask would put its host in an
        # external URL, and the public URL is what people can actually reach.
        public = urlsplit(public_url)
        with current_app.test_request_context(base_url=public_url):
            path = url_for(endpoint, **values)
        return f"{public.scheme}://{public.netloc}{path}"
    return url_for(endpoint, _external=True, **values)  # needs SERVER_NAME outside a request
