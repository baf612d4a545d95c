"""Where things are: zip code centroids, distances and time zones, all offline."""

import math
import re
from dataclasses import dataclass
from functools import cache

import zipcodes
from flask_babel import gettext as _

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
    for record in zipcodes.list_all():
        latitude, longitude = float(record["lat"]), float(record["long"])
        if latitude == 0 and longitude == 0:  # military mail zips have no place on a map
            continue
        places[record["zip_code"]] = ZipPlace(
            zip_code=record["zip_code"],
            city=record["city"].title(),
            state=record["state"],
            latitude=latitude,
            longitude=longitude,
            timezone=record["timezone"] or "America/New_York",
        )
    return places


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
    return place


def all_zip_places() -> list[ZipPlace]:
    return list(_zip_places().values())


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


def place_address(street_address: str, city: str, state: str, zip_code: str) -> EventPlacement:
    """Coordinates and time zone for an event's address; never raises for a known zip.

    With the offline geocoder this is the zip centroid. The configured online
    geocoder (see geocode_address) refines it where it can.
    """
    from .models import GeocodeStatus

    place = lookup_zip(zip_code)
    return EventPlacement(
        latitude=place.latitude,
        longitude=place.longitude,
        timezone=timezone_at(place.latitude, place.longitude, place.timezone),
        status=GeocodeStatus.ZIP_ONLY.value,
    )
