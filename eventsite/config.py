"""Settings read from EVENTSITE_* environment variables, with safe defaults."""

import os
from urllib.parse import urlsplit


class ConfigError(RuntimeError):
    """The environment does not describe a runnable site."""


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given in the plain libpq form."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def settings_from_environment(instance_path: str, environ=os.environ) -> dict:
    """Flask config keys for this deployment, read from the environment."""
    database_url = environ.get("EVENTSITE_DATABASE_URL") or (
        "sqlite:///" + os.path.join(instance_path, "eventsite.sqlite3")
    )
    languages = _languages(environ.get("EVENTSITE_LANGUAGES", "en,es"))
    return {
        "SECRET_KEY": environ.get("EVENTSITE_SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SQLALCHEMY_POOL_SIZE": int(environ.get("EVENTSITE_DATABASE_POOL_SIZE", "5")),
        "SQLALCHEMY_MAX_OVERFLOW": int(environ.get("EVENTSITE_DATABASE_MAX_OVERFLOW", "10")),
        "SITE_NAME": environ.get("EVENTSITE_SITE_NAME", "eventsite"),
        # Every absolute link (emails, feeds, sharing) is built on this, never on the
        # request's Host; required when serving outside debug and tests (see create_app).
        "PUBLIC_URL": environ.get("EVENTSITE_PUBLIC_URL", "").strip().rstrip("/"),
        # Flask answers 400 to a request for any other host; None accepts every host.
        "TRUSTED_HOSTS": _hosts(environ.get("EVENTSITE_ALLOWED_HOSTS", "")),
        "SEARCH_PAGE_SIZE": int(environ.get("EVENTSITE_SEARCH_PAGE_SIZE", "20")),
        # Zip search pages are shared this long (0: never); see caching.py.
        "SEARCH_CACHE_SECONDS": int(environ.get("EVENTSITE_SEARCH_CACHE_SECONDS", "20")),
        "SEARCH_CACHE_SIZE": int(environ.get("EVENTSITE_SEARCH_CACHE_SIZE", "2000")),
        "CACHE_URL": environ.get("EVENTSITE_CACHE_URL", ""),
        "SESSION_COOKIE_SECURE": _flag(environ.get("EVENTSITE_SECURE_COOKIES")),
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": environ.get("EVENTSITE_RATELIMIT_STORAGE_URL", "memory://"),
        "MODERATION": _flag(environ.get("EVENTSITE_MODERATION")),
        "RATELIMIT_EVENT_CREATION": environ.get(
            "EVENTSITE_RATELIMIT_EVENT_CREATION", "10 per hour;30 per day"
        ),
        "RATELIMIT_ENABLED": _flag(environ.get("EVENTSITE_RATELIMIT_ENABLED"), default=True),
        # Geocoding: "nominatim" asks a Nominatim server; "offline" uses zip centroids only.
        "GEOCODER": environ.get("EVENTSITE_GEOCODER", "nominatim").strip().lower(),
        "NOMINATIM_URL": environ.get(
            "EVENTSITE_NOMINATIM_URL", "https://nominatim.openstreetmap.org"
        ).rstrip("/"),
        "GEOCODER_USER_AGENT": environ.get(
            "EVENTSITE_GEOCODER_USER_AGENT", "eventsite/0.1 (grassroots event finder)"
        ),
        "GEOCODER_TIMEOUT": float(environ.get("EVENTSITE_GEOCODER_TIMEOUT", "5")),
        # Nominatim's usage policy allows one request a second.
        "GEOCODER_MIN_DELAY": float(environ.get("EVENTSITE_GEOCODER_MIN_DELAY", "1")),
        "GEOCODE_MAX_ATTEMPTS": int(environ.get("EVENTSITE_GEOCODE_MAX_ATTEMPTS", "5")),
        # Mail: the outbox waits until an SMTP server is configured.
        "SMTP_URL": environ.get("EVENTSITE_SMTP_URL", ""),
        "MAIL_FROM": environ.get("EVENTSITE_MAIL_FROM", "eventsite <no-reply@localhost>"),
        # Where replies go: the organizers' shared address (a host's email stays private).
        "MAIL_REPLY_TO": environ.get("EVENTSITE_MAIL_REPLY_TO", ""),
        "SMTP_TIMEOUT": float(environ.get("EVENTSITE_SMTP_TIMEOUT", "10")),
        "MAIL_RETRY_BASE_SECONDS": float(environ.get("EVENTSITE_MAIL_RETRY_BASE_SECONDS", "60")),
        "MAIL_MAX_ATTEMPTS": int(environ.get("EVENTSITE_MAIL_MAX_ATTEMPTS", "10")),
        # Texts (flask send-texts): twilio://ACCOUNT_SID:AUTH_TOKEN@+15551234567, console://
        # to print them, or empty: texts wait in the outbox. Retries follow MAIL_*.
        "SMS_URL": environ.get("EVENTSITE_SMS_URL", ""),
        "SMS_TIMEOUT": float(environ.get("EVENTSITE_SMS_TIMEOUT", "10")),
        # Webhooks (flask send-webhooks): private and loopback addresses are refused unless
        # allowed (tests, local development); a delivery is retried for WEBHOOK_RETRY_HOURS.
        "WEBHOOKS_ALLOW_PRIVATE": _flag(environ.get("EVENTSITE_WEBHOOKS_ALLOW_PRIVATE")),
        "WEBHOOK_TIMEOUT": float(environ.get("EVENTSITE_WEBHOOK_TIMEOUT", "10")),
        "WEBHOOK_RETRY_BASE_SECONDS": float(
            environ.get("EVENTSITE_WEBHOOK_RETRY_BASE_SECONDS", "30")
        ),
        "WEBHOOK_RETRY_HOURS": float(environ.get("EVENTSITE_WEBHOOK_RETRY_HOURS", "24")),
        # Forgetting (forgetting.py, flask forget-past): attendees' and hosts' details are
        # erased this many days after an event ends, sent emails after OUTBOX_RETENTION_DAYS,
        # and hosts and organizers are warned RETENTION_WARNING_DAYS before.
        "RETENTION_DAYS": int(environ.get("EVENTSITE_RETENTION_DAYS", "30")),
        "OUTBOX_RETENTION_DAYS": int(environ.get("EVENTSITE_OUTBOX_RETENTION_DAYS", "7")),
        "RETENTION_WARNING_DAYS": int(environ.get("EVENTSITE_RETENTION_WARNING_DAYS", "3")),
        "LANGUAGES": languages,
        "BABEL_DEFAULT_LOCALE": languages[0],
        # WTForms' own messages ("Field must be ...") in the page's language.
        "WTF_I18N_ENABLED": True,
        "RATELIMIT_POST": environ.get("EVENTSITE_RATELIMIT_POST", "20 per minute"),
        "RATELIMIT_API": environ.get("EVENTSITE_RATELIMIT_API", "300 per minute"),
        # Searches that do work (location searches, zip searches the page cache misses,
        # feeds and embeds with a place): per IP address.
        "RATELIMIT_SEARCH": environ.get("EVENTSITE_RATELIMIT_SEARCH", "60 per minute"),
        # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
        "PROXY_HOPS": int(environ.get("EVENTSITE_PROXY_HOPS", "0")),
        "MAP_TILE_URL": environ.get("EVENTSITE_MAP_TILE_URL", DEFAULT_MAP_TILE_URL),
        "MAP_ATTRIBUTION": environ.get("EVENTSITE_MAP_ATTRIBUTION", DEFAULT_MAP_ATTRIBUTION),
        "COMPRESS_RESPONSES": _flag(environ.get("EVENTSITE_COMPRESS_RESPONSES"), default=True),
    }


def _languages(value: str) -> list[str]:
    """'en,es' as ['en', 'es']; the first is the default."""
    languages = [code.strip() for code in value.split(",") if code.strip()]
    if not languages:
        raise ConfigError("EVENTSITE_LANGUAGES must name at least one language, like en,es.")
    return languages


def _hosts(value: str) -> list[str] | None:
    """'example.org, .example.org' as a list (a leading dot allows subdomains); empty: None."""
    hosts = [host.strip().lower() for host in value.split(",") if host.strip()]
    return hosts or None


def check_public_url(public_url: str) -> str:
    """public_url when it is an http(s) address with a host and nothing after its path."""
    parts = urlsplit(public_url)
    if parts.scheme in {"http", "https"} and parts.hostname and not (parts.query or parts.fragment):
        return public_url
    raise ConfigError(
        f"EVENTSITE_PUBLIC_URL must be the site's address, like https://events.example.org "
        f"(got {public_url!r}). Every link in emails, feeds and shared pages is built on it."
    )


def engine_options(database_uri: str, pool_size: int, max_overflow: int) -> dict:
    """SQLAlchemy engine options suited to the database in use."""
    # Errors (and so logs) never show the values a statement carried: emails, phones, bodies.
    if database_uri.startswith("sqlite"):
        # Concurrent writers wait for each other instead of failing at once.
        return {"connect_args": {"timeout": 30}, "hide_parameters": True}
    return {
        "hide_parameters": True,
        "pool_size": pool_size,
        "max_overflow": max_overflow,
        "pool_pre_ping": True,
        "pool_recycle": 1800,
    }


# Map tiles: any Leaflet tile URL template; the attribution is HTML shown on the map.
DEFAULT_MAP_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_MAP_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
