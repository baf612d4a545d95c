"""/healthz and /ping for load balancers, /language/<code>, /privacy, /favicon.ico,
/robots.txt, /images/ (uploaded pictures, kept in the database) and /share/mastodon."""

import os

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db, limiter
from ..i18n import LANGUAGE_COOKIE, LANGUAGE_COOKIE_MAX_AGE, supported_languages
from ..images import FORMATS, IMMUTABLE, variant_bytes
from ..sharing import mastodon_server, mastodon_share_url
from ..urls import local_path
from . import bp
from .forms import MastodonShareForm

HEX = frozenset("0123456789abcdef")
_PLAIN = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
ONE_DAY_SECONDS = 24 * 3600
# Private pages (management links, organizer tools) have nothing for a search engine.
ROBOTS_TXT = """User-agent: *
Disallow: /host/
Disallow: /rsvps/
Disallow: /organizers/
"""


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """200 when this app server can reach its database, 503 when it cannot."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        # Not a unit of work (a GET commits nothing): this resets the broken connection.
        db.session.rollback()
        return "database unavailable\n", 503, _PLAIN
    return "ok\n", 200, _PLAIN


@bp.get("/ping")
@limiter.exempt
def ping():
    """The app server is up; no database work (the benchmark's ceiling for this stack)."""
    return "pong\n", 200, _PLAIN


@bp.get("/language/<code>")
def choose_language(code: str):
    """Remember a language in a cookie and go back to the page the person was on."""
    # Only a path on this site: a crafted link can't bounce people elsewhere.
    target = local_path(request.args.get("next")) or url_for("events.home")
    response = redirect(target, code=303)
    if code in supported_languages():
        response.set_cookie(
            LANGUAGE_COOKIE,
            code,
            max_age=LANGUAGE_COOKIE_MAX_AGE,
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
            httponly=True,
            samesite="Lax",
        )
    return response


@bp.get("/favicon.ico")
def favicon():
    # Read whole (185 bytes) rather than streamed, so no compressor holds the file open.
    with open(os.path.join(current_app.static_folder, "favicon.ico"), "rb") as file:
        response = Response(file.read(), mimetype="image/vnd.microsoft.icon")
    response.cache_control.public = True
    response.cache_control.max_age = ONE_DAY_SECONDS
    return response


@bp.get("/robots.txt")
def robots_txt():
    return Response(ROBOTS_TXT, mimetype="text/plain")


@bp.get("/privacy")
def privacy():
    """What we collect, who sees it, how long we keep it and how to delete it now."""
    config = current_app.config
    return render_template(
        "site/privacy.html",
        retention_days=config["RETENTION_DAYS"],
        outbox_days=config["OUTBOX_RETENTION_DAYS"],
        warning_days=config["RETENTION_WARNING_DAYS"],
    )


@bp.get("/images/<digest>/<int:width>.<fmt>")
@limiter.exempt
def image(digest: str, width: int, fmt: str):
    """A picture's variant, from the database; its URL changes when the picture does."""
    if fmt not in FORMATS or len(digest) != 64 or not all(c in HEX for c in digest):
        abort(404)
    data = variant_bytes(digest, width, fmt)
    if data is None:
        abort(404)
    return Response(data, mimetype=FORMATS[fmt], headers={"Cache-Control": IMMUTABLE})


@bp.get("/share/mastodon")
def share_on_mastodon():
    """A link to the person's own Mastodon server with the post written. A page, not a
    redirect: the CSP's form-action 'self' stops a form redirected to another site, and a
    redirect would let anyone bounce people to a site of their choosing from our address.
    With JavaScript, share.js goes there straight from the form."""
    form = MastodonShareForm(request.args)
    if not form.validate():
        return render_template("site/share_mastodon.html", form=form, target=None), 400
    target = mastodon_share_url(mastodon_server(form.server.data), form.text.data or "")
    return render_template("site/share_mastodon.html", form=form, target=target)
