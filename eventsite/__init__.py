"""eventsite: find grassroots events near you and RSVP."""

import logging
import os
import secrets

import click
from flask import Flask, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from .assets import register_static_files
from .config import ConfigError, check_public_url, engine_options, settings_from_environment
from .extensions import (
    babel,
    compress,
    csrf,
    db,
    limiter,
    login_manager,
    migrate,
    warn_if_limits_are_per_process,
)
from .security import register_security_headers

API_PREFIX = "/api/"
# Where `flask run` serves by default: links in debug and tests without a PUBLIC_URL.
LOCAL_URL = "http://127.0.0.1:5000"
# A database outage page asks to come back after this long.
DATABASE_RETRY_SECONDS = 60
MIGRATIONS_DIRECTORY = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app from the environment, or from test_config in tests."""
    app = Flask(__name__, template_folder="../templates", instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(settings_from_environment(app.instance_path))
    if test_config:
        app.config.update(test_config)
    _require_serving_settings(app)
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS",
        engine_options(
            app.config["SQLALCHEMY_DATABASE_URI"],
            app.config["SQLALCHEMY_POOL_SIZE"],
            app.config["SQLALCHEMY_MAX_OVERFLOW"],
        ),
    )

    register_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_security_headers(app)  # CSP, framing and referrer rules on every response
    register_static_files(app)  # content-hashed URLs, year-long caching, Brotli for assets
    register_commands(app)
    trust_proxy_headers(app)
    return app


def _require_serving_settings(app: Flask) -> None:
    """A site that serves needs its secret key and public URL; debug and tests get local ones.

    `flask --app eventsite COMMAND` (db upgrade, send-mail, --help...) needs neither: the
    commands sign no cookie and build no link, so they run in a fresh shell.
    """
    local = app.debug or app.testing
    if app.config.get("PUBLIC_URL"):
        app.config["PUBLIC_URL"] = check_public_url(app.config["PUBLIC_URL"])
    if not local and _loaded_for_a_command():
        return
    if not app.config.get("SECRET_KEY"):
        if not local:
            raise ConfigError(
                "EVENTSITE_SECRET_KEY is not set. Set it to a long random string, for example "
                "the output of: python -c 'import secrets; print(secrets.token_hex(32))'"
            )
        # A fresh key per process: sessions simply reset when the dev server restarts.
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    if not app.config.get("PUBLIC_URL"):
        if not local:
            raise ConfigError(
                "EVENTSITE_PUBLIC_URL is not set. Set it to the address people use, like "
                "https://events.example.org: links in emails, feeds and shared pages are "
                "built on it, never on the Host header a request sends."
            )
        server_name = app.config.get("SERVER_NAME")
        scheme = app.config["PREFERRED_URL_SCHEME"]
        app.config["PUBLIC_URL"] = f"{scheme}://{server_name}" if server_name else LOCAL_URL


def _loaded_for_a_command() -> bool:
    """True when the flask command line loads the app for any command but `run`."""
    context = click.get_current_context(silent=True)
    return context is not None and context.info_name != "run"


def register_logging(app: Flask) -> None:
    """The app's log and the development server's carry no private link's token."""
    from .logs import redact_private_links_in

    redact_private_links_in(app.logger)
    redact_private_links_in(logging.getLogger("werkzeug"))


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (tables known to Flask-Migrate)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIRECTORY, render_as_batch=True)
    csrf.init_app(app)
    from .i18n import select_locale

    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    warn_if_limits_are_per_process(app)
    login_manager.init_app(app)
    if app.config.get("COMPRESS_RESPONSES", True):
        compress.init_app(app)
    from . import caching

    caching.register(app)


def register_blueprints(app: Flask) -> None:
    from . import api, campaigns, events, organizers, site, sms
    from .converters import CONVERTERS

    app.url_map.converters.update(CONVERTERS)  # <dbid:...>, <slug:...>: before any route

    app.register_blueprint(events.bp)
    app.register_blueprint(campaigns.bp)
    app.register_blueprint(organizers.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # JSON clients hold no session; the API changes nothing a cookie guards
    app.register_blueprint(site.bp)
    app.register_blueprint(sms.bp)
    csrf.exempt(sms.bp)  # the provider posts with its signature, checked in the view


def register_errorhandlers(app: Flask) -> None:
    from .api.errors import error_response, http_error_response

    def render_error(error):
        code = getattr(error, "code", 500) or 500
        if isinstance(error, SecurityError):
            # A Host outside EVENTSITE_ALLOWED_HOSTS: no page (nor link) is built for it.
            return "Unknown host\n", 400, {"Content-Type": "text/plain; charset=utf-8"}
        if request.path.startswith(API_PREFIX):
            return http_error_response(error)
        return render_template("errors/error.html", code=code, error=error), code

    for code in (400, 404, 405, 429, 500):
        app.register_error_handler(code, render_error)

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeoutError)
    def database_unavailable(error):
        # Down, restarting or out of connections: nothing was saved, and it says so.
        app.logger.warning("Database unavailable on %s %s: %s", request.method, request.path, error)
        sent_something = request.method not in ("GET", "HEAD", "OPTIONS")
        if request.path.startswith(API_PREFIX):
            detail = "The database is unavailable; try again in a minute."
            if sent_something:
                detail = "The database is unavailable. Nothing was saved; try again in a minute."
            response = error_response(503, detail)
        else:
            message = _("Please try again in a minute.")
            if sent_something:
                message = _("We couldn't save what you sent. Please try again in a minute.")
            page = render_template("errors/error.html", code=503, message=message)
            response = make_response(page, 503)
        response.headers["Retry-After"] = str(DATABASE_RETRY_SECONDS)
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = _("Your form expired or came from another site. Go back, reload and try again.")
        return render_template("errors/error.html", code=400, message=message), 400


def register_template_helpers(app: Flask) -> None:
    from . import attribution, i18n
    from .templating import register

    register(app)
    i18n.register(app)
    attribution.register(app)


def register_commands(app: Flask) -> None:
    from .cli import bp as cli

    app.register_blueprint(cli)


def trust_proxy_headers(app: Flask) -> None:
    """Behind PROXY_HOPS reverse proxies, take the client's address and scheme from them."""
    hops = app.config.get("PROXY_HOPS", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
