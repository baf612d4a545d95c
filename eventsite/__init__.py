"""eventsite: find grassroots events near you and RSVP."""

import os
import secrets

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import ConfigError, engine_options, settings_from_environment
from .extensions import babel, compress, csrf, db, limiter, login_manager, migrate

API_PREFIX = "/api/"
MIGRATIONS_DIRECTORY = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app from the environment, or from test_config in tests."""
    app = Flask(__name__, template_folder="../templates", instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(settings_from_environment(app.instance_path))
    if test_config:
        app.config.update(test_config)
    _require_secret_key(app)
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS",
        engine_options(
            app.config["SQLALCHEMY_DATABASE_URI"],
            app.config["SQLALCHEMY_POOL_SIZE"],
            app.config["SQLALCHEMY_MAX_OVERFLOW"],
        ),
    )

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    trust_proxy_headers(app)
    return app


def _require_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if app.debug or app.testing:
        # A fresh key per process: sessions simply reset when the dev server restarts.
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        return
    raise ConfigError(
        "EVENTSITE_SECRET_KEY is not set. Set it to a long random string, for example "
        "the output of: python -c 'import secrets; print(secrets.token_hex(32))'"
    )


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (tables known to Flask-Migrate)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIRECTORY, render_as_batch=True)
    csrf.init_app(app)
    from .i18n import select_locale

    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    if app.config.get("COMPRESS_RESPONSES", True):
        compress.init_app(app)
    from .search import caching

    caching.register(app)


def register_blueprints(app: Flask) -> None:
    from . import api, campaigns, events, feeds, health, hosts, organizers, rsvps, search
    from .converters import CONVERTERS

    app.url_map.converters.update(CONVERTERS)  # <dbid:...>, <slug:...>: before any route

    app.register_blueprint(search.bp)
    app.register_blueprint(events.bp)
    app.register_blueprint(rsvps.bp)
    app.register_blueprint(hosts.bp)
    app.register_blueprint(campaigns.bp)
    app.register_blueprint(organizers.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # JSON clients hold no session; the API changes nothing a cookie guards
    app.register_blueprint(feeds.bp)

    from . import i18n

    app.register_blueprint(i18n.bp)
    app.register_blueprint(health.bp)


def register_errorhandlers(app: Flask) -> None:
    from .api.errors import http_error_response

    def render_error(error):
        code = getattr(error, "code", 500) or 500
        if request.path.startswith(API_PREFIX):
            return http_error_response(error)
        return render_template("errors/error.html", code=code, error=error), code

    for code in (400, 404, 405, 429, 500):
        app.register_error_handler(code, render_error)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = _("Your form expired or came from another site. Go back, reload and try again.")
        return render_template("errors/error.html", code=400, message=message), 400


def register_template_helpers(app: Flask) -> None:
    from . import i18n
    from .templating import register

    register(app)
    i18n.register(app)


def register_commands(app: Flask) -> None:
    from .cli import bp as cli

    app.register_blueprint(cli)


def trust_proxy_headers(app: Flask) -> None:
    """Behind PROXY_HOPS reverse proxies, take the client's address and scheme from them."""
    hops = app.config.get("PROXY_HOPS", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
