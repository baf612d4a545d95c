"""Flask extensions, created unbound and initialised in the app factory.

Nothing here imports the app, so any module may import an extension without a cycle;
tests build many apps from the same instances.
"""

import sqlite3

import click
from flask import Flask, current_app, request
from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from flask_caching import Cache
from flask_compress import Compress
from flask_limiter import ApplicationLimit, Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

# One naming convention so Alembic names constraints the same way on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
login_manager.login_view = "organizers.login"
login_manager.login_message = _l("Please log in as an organizer to see that page.")
# The flashed message goes into the session cookie: a plain string in the reader's language.
login_manager.localize_callback = str
login_manager.session_protection = "strong"


def _configured_limit(name: str):
    """The limit from the running app's config, read per request (tests build many apps)."""
    return lambda: current_app.config[name]


def _post_limit_exempt() -> bool:
    # Logged-in organizers moderate in bursts and answer for what they do; the SMS
    # provider posts texts from its few addresses for everyone who texts the site.
    return request.method != "POST" or current_user.is_authenticated or request.blueprint == "sms"


# Site-wide, per IP address: every POST (forms and the API's RSVPs) share one budget, and
# every API call another, on top of the tighter limits some views set.
_SITE_LIMITS = [
    ApplicationLimit(
        limit_provider=_configured_limit("RATELIMIT_POST"),
        scope="site-posts",
        exempt_when=_post_limit_exempt,
    ),
    ApplicationLimit(
        limit_provider=_configured_limit("RATELIMIT_API"),
        scope="site-api",
        exempt_when=lambda: request.blueprint != "api",
    ),
]
# Storage comes from RATELIMIT_STORAGE_URI: memory:// by default, Redis in production.
limiter = Limiter(get_remote_address, headers_enabled=True, application_limits=_SITE_LIMITS)


def warn_if_limits_are_per_process(app: Flask) -> None:
    """Say at start-up, once, that memory:// limits are per process: with 4 workers on 2
    servers every client gets 8 times each budget."""
    if app.testing or not app.config.get("RATELIMIT_ENABLED", True):
        return
    if not app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        return
    command = click.get_current_context(silent=True)
    if command is not None and command.info_name != "run":
        return  # a flask CLI command (send-mail from cron...) serves no requests
    app.logger.warning(
        "Rate limits are counted in each process's own memory "
        "(EVENTSITE_RATELIMIT_STORAGE_URL=memory://): every gunicorn worker and every "
        "server gives each client a full budget of POSTs, API calls, searches and new "
        "events. Set EVENTSITE_RATELIMIT_STORAGE_URL=redis://host:6379 in production."
    )


# gzip/Brotli for pages, CSS and scripts: most visitors arrive on a phone, often on a slow link.
compress = Compress()
# Short-lived copies of pages every visitor gets alike (zip searches): see caching.py.
cache = Cache()


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, _connection_record):
    """WAL lets readers run beside a writer; foreign keys are off by default in SQLite;
    secure_delete overwrites erased values with zeros instead of leaving them in free pages."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
