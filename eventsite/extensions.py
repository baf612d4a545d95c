"""Flask extensions, created unbound and initialised in the app factory."""

import sqlite3

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
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
login_manager.login_message = "Please log in as an organizer to see that page."
login_manager.session_protection = "strong"
# Storage comes from RATELIMIT_STORAGE_URI: memory:// by default, Redis in production.
limiter = Limiter(get_remote_address, headers_enabled=True)
# gzip/Brotli for pages, CSS and scripts: most visitors arrive on a phone, often on a slow link.
compress = Compress()


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, _connection_record):
    """WAL lets readers run beside a writer; foreign keys are off by default in SQLite."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
