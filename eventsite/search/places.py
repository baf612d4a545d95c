"""Where a search by the browser's position is centred, named after the nearest zip code."""

import math
from dataclasses import replace

from ..geo import ZipPlace, all_zip_places


def place_at(latitude: float, longitude: float) -> ZipPlace:
    """The exact position, with the nearest known zip code's name, state and time zone."""
    # Squared degrees (longitude shrunk by latitude) rank nearby points well enough;
    # only the winner's name is used, never its distance.
    shrink = math.cos(math.radians(latitude))
    nearest = min(
        all_zip_places(),
        key=lambda zp: (zp.latitude - latitude) ** 2 + ((zp.longitude - longitude) * shrink) ** 2,
    )
    return replace(nearest, latitude=latitude, longitude=longitude)
