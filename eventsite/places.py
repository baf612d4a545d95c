"""Where a search by the browser's position is centred, named after the nearest zip code."""

import math
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cache

from .geo import EARTH_RADIUS_MILES, ZipPlace, all_zip_places

# Zip codes are filed in one-degree cells, so a position is named from the cells around
# it instead of all 42,000 zips.
_CELL_DEGREES = 1.0
# No zip code names a position further than this from it (at sea, abroad, at a pole): all
# US land but uninhabited St. Matthew Island (Alaska) is nearer a zip code. It also bounds
# the cells read: a few dozen in the states, about a thousand (empty) around a pole.
NAMING_REACH_MILES = 150.0
_REACH_DEGREES = math.degrees(NAMING_REACH_MILES / EARTH_RADIUS_MILES)


@dataclass(frozen=True, slots=True)
class _FiledZip:
    """A zip code with its position as a unit vector: nearest is largest dot product."""

    x: float
    y: float
    z: float
    place: ZipPlace


@dataclass(frozen=True, slots=True)
class NearestZip:
    """The nearest zip code within reach (None beyond it), and the work it took to find."""

    place: ZipPlace | None
    distance_miles: float
    cells_read: int
    zips_compared: int


def _unit_vector(latitude: float, longitude: float) -> tuple[float, float, float]:
    phi, lam = math.radians(latitude), math.radians(longitude)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)


@cache
def _zip_cells() -> dict[tuple[int, int], tuple[_FiledZip, ...]]:
    cells = defaultdict(list)
    for place in all_zip_places():
        filed = _FiledZip(*_unit_vector(place.latitude, place.longitude), place)
        cells[_cell(place.latitude, place.longitude)].append(filed)
    return {cell: tuple(zips) for cell, zips in cells.items()}


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude / _CELL_DEGREES), math.floor(longitude / _CELL_DEGREES)


def _longitude_gap(longitude: float, column: int) -> float:
    """Degrees from a longitude to the nearest edge of a column of cells, across the
    antimeridian too (0 inside it)."""
    west = column * _CELL_DEGREES
    offset = (longitude - west) % 360.0  # east of the column's west edge, 0..360
    if offset <= _CELL_DEGREES:
        return 0.0
    return min(offset - _CELL_DEGREES, 360.0 - offset)


def _nearest_possible(latitude: float, longitude: float, cell: tuple[int, int]) -> float:
    """A lower bound on the angle (radians) from the position to any point in the cell.

    The larger of two bounds: the latitude difference (no path is shorter than its
    north-south part), and the distance to the position's own meridian, from the
    cell's point nearest a pole (where meridians are closest).
    """
    row, column = cell
    south, north = row * _CELL_DEGREES, (row + 1) * _CELL_DEGREES
    latitude_gap = max(south - latitude, latitude - north, 0.0)
    polemost = math.radians(min(max(abs(south), abs(north)), 90.0))
    gap = math.radians(_longitude_gap(longitude, column))
    if gap >= math.pi / 2:
        meridian_gap = math.pi / 2 - polemost  # across the pole at best
    else:
        meridian_gap = math.asin(min(1.0, math.cos(polemost) * math.sin(gap)))
    return max(math.radians(latitude_gap), meridian_gap)


def _cells_within_reach(latitude: float, longitude: float):
    """Every cell that may hold a point within NAMING_REACH_MILES: a box of rows, each as
    wide in longitude as the reach needs at its polemost edge (all 360 near a pole)."""
    first_row = math.floor(max(latitude - _REACH_DEGREES, -90.0) / _CELL_DEGREES)
    last_row = min(
        math.floor(min(latitude + _REACH_DEGREES, 90.0) / _CELL_DEGREES),
        math.ceil(90.0 / _CELL_DEGREES) - 1,  # the row starting at the pole is empty
    )
    columns_around = round(360 / _CELL_DEGREES)
    centre_column = math.floor(longitude / _CELL_DEGREES)
    for row in range(first_row, last_row + 1):
        polemost = max(abs(row * _CELL_DEGREES), abs((row + 1) * _CELL_DEGREES))
        # Any point of this row within reach is at most asin(sin(reach) / cos(polemost))
        # of longitude away (see _nearest_possible); near a pole, any longitude is.
        ratio = math.sin(math.radians(_REACH_DEGREES)) / math.cos(math.radians(polemost))
        if ratio >= 1.0:
            columns = range(columns_around)
        else:
            half = math.ceil(math.degrees(math.asin(ratio)) / _CELL_DEGREES) + 1
            columns = range(centre_column - half, centre_column + half + 1)
        for column in columns:
            # Columns wrap around the antimeridian: -181° is 179°.
            yield row, (column + columns_around // 2) % columns_around - columns_around // 2


def nearest_zip(latitude: float, longitude: float) -> NearestZip:
    """The zip code nearest a position by great-circle distance, within NAMING_REACH_MILES.

    Cells are read nearest first and the search stops at the first cell that cannot
    hold anything nearer than the best zip found.
    """
    cells = _zip_cells()
    reach = NAMING_REACH_MILES / EARTH_RADIUS_MILES
    candidates, cells_read = [], 0
    for cell in _cells_within_reach(latitude, longitude):
        cells_read += 1
        zips = cells.get(cell)
        if zips:
            bound = _nearest_possible(latitude, longitude, cell)
            if bound <= reach:
                candidates.append((bound, cell, zips))
    candidates.sort(key=lambda candidate: candidate[:2])

    x, y, z = _unit_vector(latitude, longitude)
    nearest, best_dot, compared = None, -2.0, 0
    for bound, _, zips in candidates:
        if math.cos(bound) < best_dot:
            break  # this cell, and every later one, is further than the best found
        compared += len(zips)
        for filed in zips:
            dot = filed.x * x + filed.y * y + filed.z * z
            if dot > best_dot:
                nearest, best_dot = filed.place, dot
    distance = EARTH_RADIUS_MILES * math.acos(max(-1.0, min(1.0, best_dot)))
    if nearest is None or distance > NAMING_REACH_MILES:
        return NearestZip(None, math.inf, cells_read, compared)
    return NearestZip(nearest, distance, cells_read, compared)


def place_at(latitude: float, longitude: float) -> ZipPlace | None:
    """The exact position, with the nearest zip code's name, state and time zone; None
    when no zip code is within NAMING_REACH_MILES."""
    nearest = nearest_zip(latitude, longitude).place
    if nearest is None:
        return None
    return replace(nearest, latitude=latitude, longitude=longitude)
