"""Where things are: zip code centroids, distances, time zones, and the geopy geocoder.

Zip codes, distances and time zones are offline. Street addresses go to the
configured geocoder (Nominatim through geopy) once each, cached in the database;
whatever goes wrong there, an event is still placed at its zip centroid.
"""

import logging
import math
import re
import zoneinfo
from dataclasses import dataclass, replace
from functools import cache
from urllib.parse import urlsplit

import zipcodes
from flask import current_app
from flask_babel import gettext as _
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from sqlalchemy import select

log = logging.getLogger(__name__)

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LATITUDE = 69.05

_ZIP_PATTERN = re.compile(r"^\s*(\d{5})(?:-?\d{4})?\s*$")


@dataclass(frozen=True, slots=True)
class ZipPlace:
    zip_code: str
    city: str
    state: str
    latitude: float
    longitude: float
    timezone: str


class ZipCodeError(ValueError):
    """A zip code we cannot place; the message is fit to show the person who typed it."""


@cache
def _zip_places() -> dict[str, ZipPlace]:
    """Every US zip code with a known position, loaded once from the zipcodes package."""
    places = {}
    known_zones = zoneinfo.available_timezones()
    for record in zipcodes.list_all():
        latitude, longitude = float(record["lat"]), float(record["long"])
        if latitude == 0 and longitude == 0:  # military mail zips have no place on a map
            continue
        zone = record["timezone"]
        if zone not in known_zones:  # a few records carry a town name or nothing ("Napakiak")
            zone = ""  # found from the coordinates when first needed (see _with_timezone)
        places[record["zip_code"]] = ZipPlace(
            zip_code=record["zip_code"],
            city=record["city"].title(),
            state=record["state"],
            latitude=latitude,
            longitude=longitude,
            timezone=zone,
        )
    return places


def _with_timezone(place: ZipPlace) -> ZipPlace:
    """The place with a real IANA zone; loading the time-zone map only for the few that need it."""
    if place.timezone:
        return place
    resolved = replace(place, timezone=timezone_at(place.latitude, place.longitude))
    _zip_places()[place.zip_code] = resolved
    return resolved


def warm_zip_data() -> None:
    """Load zip data now rather than on the first search."""
    _zip_places()


def normalise_zip(text: str | None) -> str:
    """The 5-digit zip in what a person typed ("10001", " 10001-1234 "), or ZipCodeError."""
    match = _ZIP_PATTERN.match(text or "")
    if not match:
        raise ZipCodeError(_("Enter a 5-digit US zip code, like 10001."))
    return match.group(1)


def lookup_zip(text: str | None) -> ZipPlace:
    """The place for a zip code a person typed, or ZipCodeError with a message for them."""
    zip_code = normalise_zip(text)
    place = _zip_places().get(zip_code)
    if place is None:
        raise ZipCodeError(
            _("We couldn't find zip code %(zip)s. Check it and try again.", zip=zip_code)
        )
    return _with_timezone(place)


def all_zip_places() -> list[ZipPlace]:
    return [_with_timezone(place) for place in list(_zip_places().values())]


def distance_miles(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance by the haversine formula."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lng2 - lng1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True, slots=True)
class BoundingBox:
    min_latitude: float
    max_latitude: float
    min_longitude: float
    max_longitude: float


def bounding_box(latitude: float, longitude: float, radius_miles: float) -> BoundingBox:
    """A latitude/longitude box that holds every point within radius_miles of the centre."""
    dlat = radius_miles / MILES_PER_DEGREE_LATITUDE
    min_lat, max_lat = max(latitude - dlat, -90.0), min(latitude + dlat, 90.0)
    # Longitude degrees shrink toward the poles; use the widest latitude in the box.
    widest = max(abs(min_lat), abs(max_lat))
    if widest >= 89.9:
        return BoundingBox(min_lat, max_lat, -180.0, 180.0)
    dlng = radius_miles / (MILES_PER_DEGREE_LATITUDE * math.cos(math.radians(widest)))
    if dlng >= 180:
        return BoundingBox(min_lat, max_lat, -180.0, 180.0)
    # US events never straddle the antimeridian except far Alaska; clamp rather than wrap.
    return BoundingBox(
        min_lat, max_lat, max(longitude - dlng, -180.0), min(longitude + dlng, 180.0)
    )


@cache
def _timezone_finder():
    from timezonefinder import TimezoneFinder

    return TimezoneFinder(in_memory=True)


def timezone_at(latitude: float, longitude: float, fallback: str = "America/New_York") -> str:
    """The IANA time zone at a point, offline; fallback for points at sea."""
    return _timezone_finder().timezone_at(lat=latitude, lng=longitude) or fallback


@dataclass(frozen=True, slots=True)
class EventPlacement:
    """Where an event goes on the map, and how sure we are of it."""

    latitude: float
    longitude: float
    timezone: str
    status: str  # a models.GeocodeStatus value
    message: str = ""  # for the host, when the street address could not be placed


# A geocoder's match farther than this from the zip code's centre is more likely a
# different street of the same name than the host's address.
PLAUSIBLE_DISTANCE_MILES = 30.0
MAX_CACHE_KEY_LENGTH = 400
# OpenStreetMap files the territories under their own country codes, not "us".
NOMINATIM_COUNTRY_CODES = ["us", "pr", "gu", "vi", "as", "mp"]


def address_query(street_address: str, city: str, state: str, zip_code: str) -> str:
    """The one-line address we ask the geocoder about."""
    return f"{street_address}, {city}, {state} {zip_code}, USA"


def address_cache_key(query: str) -> str:
    """The same address typed with other spacing or capitals shares one cache entry."""
    key = re.sub(r"\s*,\s*", ", ", query.strip())
    key = re.sub(r"\s+", " ", key).casefold()
    return key[:MAX_CACHE_KEY_LENGTH]


@cache
def _nominatim(url: str, user_agent: str, timeout: float, min_delay: float) -> RateLimiter:
    """One rate-limited geocoder per server and settings, shared by the process's threads."""
    parts = urlsplit(url)
    geolocator = Nominatim(
        user_agent=user_agent,
        domain=parts.netloc + parts.path.rstrip("/"),
        scheme=parts.scheme or "https",
        timeout=timeout,
    )
    # No retries and no swallowing: a failure must be told apart from "no match".
    return RateLimiter(
        geolocator.geocode, min_delay_seconds=min_delay, max_retries=0, swallow_exceptions=False
    )


def _ask_nominatim(query: str) -> tuple[float, float] | None:
    """The geocoder's best match for a query, or None; geopy errors when it can't answer."""
    config = current_app.config
    geocode = _nominatim(
        config["NOMINATIM_URL"],
        config["GEOCODER_USER_AGENT"],
        config["GEOCODER_TIMEOUT"],
        config["GEOCODER_MIN_DELAY"],
    )
    location = geocode(query, exactly_one=True, country_codes=NOMINATIM_COUNTRY_CODES)
    if location is None:
        return None
    return location.latitude, location.longitude


def _remember_answer(key: str, point: tuple[float, float] | None, provider: str) -> None:
    """Cache an answer; when two requests asked at once, the first one saved stays."""
    from .extensions import db
    from .models import GeocodedAddress

    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    latitude, longitude = point if point else (None, None)
    db.session.execute(
        insert(GeocodedAddress)
        .values(query=key, latitude=latitude, longitude=longitude, provider=provider)
        .on_conflict_do_nothing(index_elements=["query"])
    )


def geocode_address(query: str, *, ask_again_if_no_match: bool = False):
    """Coordinates for an address, from the cache or the geocoder; None for no match.

    Raises geopy's errors when the geocoder is down, slow or rate-limiting; those are
    not cached, so the next try asks again. A cached "no match" is asked again only
    when ask_again_if_no_match (the retry command), since map data improves.
    """
    from .extensions import db
    from .models import GeocodedAddress, utcnow

    key = address_cache_key(query)
    cached = db.session.scalar(select(GeocodedAddress).where(GeocodedAddress.query == key))
    if cached is not None and (cached.latitude is not None or not ask_again_if_no_match):
        if cached.latitude is None:
            return None
        return cached.latitude, cached.longitude
    point = _ask_nominatim(query)
    if cached is None:
        _remember_answer(key, point, "nominatim")
    else:
        cached.latitude, cached.longitude = point if point else (None, None)
        cached.created_at = utcnow()
    return point


def _pending_message(zip_code: str) -> str:
    return _(
        "Your event is saved and listed near zip code %(zip)s. We couldn't find the exact "
        "street address on the map just now; we'll keep trying and move the pin there once "
        "we do. You don't need to do anything.",
        zip=zip_code,
    )


def _flagged_message(street_address: str, zip_code: str) -> str:
    return _(
        "Your event is saved and listed near zip code %(zip)s. The map service placed "
        "“%(street)s” more than %(miles)d miles from that zip code, so we show your event "
        "at the zip code instead. Please check the street address and zip code.",
        zip=zip_code,
        street=street_address,
        miles=int(PLAUSIBLE_DISTANCE_MILES),
    )


def _geocoded_or_none(query: str, zip_code: str, ask_again_if_no_match: bool):
    """The geocoder's point for query, or None when it has none or cannot answer now."""
    try:
        return geocode_address(query, ask_again_if_no_match=ask_again_if_no_match)
    except GeopyError as error:  # down, timed out, 429, or an unusable answer
        log.warning("geocoder could not answer for zip %s: %r", zip_code, error)
    except Exception:  # never let geocoding break saving an event
        log.exception("geocoding failed for zip %s", zip_code)
    return None


def zip_centre_placement(zip_code: str) -> EventPlacement:
    """An event placed at its zip code's centre without asking the geocoder: for an address
    shown only to attendees (no map or distance may tell its street) and online events."""
    from .models import GeocodeStatus

    place = lookup_zip(zip_code)
    zone = timezone_at(place.latitude, place.longitude, place.timezone)
    return EventPlacement(place.latitude, place.longitude, zone, GeocodeStatus.ZIP_ONLY.value)


def place_address(
    street_address: str,
    city: str,
    state: str,
    zip_code: str,
    *,
    ask_again_if_no_match: bool = False,
) -> EventPlacement:
    """Coordinates and time zone for an event's address; never raises for a known zip.

    With the offline geocoder this is the zip centroid. With Nominatim it is the
    street address when found near the zip code, else the centroid, marked for a
    retry (geocoder down, slow, rate-limiting or no match) or flagged (match too far).
    """
    from .models import GeocodeStatus

    place = lookup_zip(zip_code)
    zone = timezone_at(place.latitude, place.longitude, place.timezone)

    def at_zip_centroid(status: GeocodeStatus, message: str = "") -> EventPlacement:
        return EventPlacement(place.latitude, place.longitude, zone, status.value, message)

    if current_app.config.get("GEOCODER", "offline") == "offline":
        return at_zip_centroid(GeocodeStatus.ZIP_ONLY)
    query = address_query(street_address, city, state, place.zip_code)
    point = _geocoded_or_none(query, place.zip_code, ask_again_if_no_match)
    if point is None:
        return at_zip_centroid(GeocodeStatus.ZIP_PENDING, _pending_message(place.zip_code))
    latitude, longitude = point
    if distance_miles(latitude, longitude, place.latitude, place.longitude) > (
        PLAUSIBLE_DISTANCE_MILES
    ):
        message = _flagged_message(street_address, place.zip_code)
        return at_zip_centroid(GeocodeStatus.ZIP_FLAGGED, message)
    return EventPlacement(
        latitude, longitude, timezone_at(latitude, longitude, zone), GeocodeStatus.ADDRESS.value
    )
