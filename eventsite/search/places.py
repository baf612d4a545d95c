"""Where a search by the browser's position is centred, named after the nearest zip code."""

import math
from dataclasses import dataclass

from ..geo import all_zip_places


@dataclass(frozen=True)
class LocatedPlace:
    """A searcher's position, with the nearest zip code's name so pages can say where it is."""

    zip_code: str
    city: str
    state: str
    latitude: float
    longitude: float
    timezone: str


def place_at(latitude: float, longitude: float) -> LocatedPlace:
    """The exact position, named by the nearest known zip code."""
    # Squared degrees (longitude shrunk by latitude) rank nearby points well enough;
    # only the winner's name is used, never its distance.
    shrink = math.cos(math.radians(latitude))
    nearest = min(
        all_zip_places(),
        key=lambda zp: (zp.latitude - latitude) ** 2 + ((zp.longitude - longitude) * shrink) ** 2,
    )
    return LocatedPlace(
        zip_code=nearest.zip_code,
        city=nearest.city,
        state=nearest.state,
        latitude=latitude,
        longitude=longitude,
        timezone=nearest.timezone,
    )
