"""Where a search by the browser's position is centred, named after the nearest zip code."""

import math
from collections import defaultdict
from dataclasses import replace
from functools import cache

from ..geo import ZipPlace, all_zip_places

# Zip codes are filed in one-degree cells, so a position is named from the zips around it
# instead of all 42,000.
_CELL_DEGREES = 1.0


@cache
def _zip_cells() -> dict[tuple[int, int], list[ZipPlace]]:
    cells = defaultdict(list)
    for place in all_zip_places():
        cells[_cell(place.latitude, place.longitude)].append(place)
    return dict(cells)


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude / _CELL_DEGREES), math.floor(longitude / _CELL_DEGREES)


def _ring(centre: tuple[int, int], size: int):
    """The cells exactly `size` steps from centre (the centre itself for 0)."""
    row, column = centre
    for d_row in range(-size, size + 1):
        for d_column in range(-size, size + 1):
            if max(abs(d_row), abs(d_column)) == size:
                yield row + d_row, column + d_column


def place_at(latitude: float, longitude: float) -> ZipPlace:
    """The exact position, with the nearest known zip code's name, state and time zone."""
    # Squared degrees (longitude shrunk by latitude) rank nearby points well enough;
    # only the winner's name is used, never its distance.
    shrink = max(math.cos(math.radians(latitude)), 0.01)

    def closeness(place: ZipPlace) -> float:
        return (place.latitude - latitude) ** 2 + ((place.longitude - longitude) * shrink) ** 2

    cells, centre = _zip_cells(), _cell(latitude, longitude)
    nearest, best = None, math.inf
    for size in range(0, 361):
        # Every zip in ring `size` is at least (size - 1) cells away on one axis: once
        # that is further than the best found, no later ring can hold a nearer one.
        if nearest is not None and ((size - 1) * _CELL_DEGREES * shrink) ** 2 > best:
            break
        for cell in _ring(centre, size):
            for place in cells.get(cell, ()):
                if (distance := closeness(place)) < best:
                    nearest, best = place, distance
    return replace(nearest, latitude=latitude, longitude=longitude)
