"""Array-level geometry for the spatial grid index: parsing, bounds, line pieces, metric distances.

Plain numpy and shapely 2 vectorised calls, no Spark: `geodata.spatial.joins` runs these
inside `mapInPandas`, and they are unit tested on their own.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd
import shapely

METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180
"""Length of one degree of arc on the mean Earth sphere (≈ 111 195 m).

Used for both axes of the local equirectangular projection. It is the sphere of the
haversine formula and of conflate's pair distances, so a road distance here and a pair
distance there are measured alike. The equatorial WGS84 degree lengths (111 320 m of
longitude, 110 574 m of latitude) would mix two scales and put north-south distances
0.56 % off haversine; the sphere is within 0.6 % of the ellipsoid everywhere, which is
well under the 1 % an address-to-road match can tell apart.
"""

MAX_ABS_LAT = 89.0
"""Latitudes are clamped here when converting metres to degrees of longitude
(cos(lat) → 0 at the poles); the index is not meant for polar data."""

BUFFER_MARGIN = 1.01
"""Metre buffers are widened by 1 % when turned into degrees, so floating-point rounding
at a cell edge can only add a candidate cell, never drop one."""

_LINE_TYPE_IDS = (1, 2)  # shapely type ids of LineString and LinearRing


def parse_geometries(values: np.ndarray | pd.Series, *, wkb: bool = False) -> np.ndarray:
    """Shapely geometries for WKT strings (or WKB bytes); null or unparsable values → None.

    Each distinct value is parsed once: a batch of candidate pairs repeats the same
    reference geometry for every point in its cell.

    Args:
        values: WKT strings, or WKB bytes when `wkb` is true; may hold None.
        wkb: Whether `values` are WKB.

    Returns:
        An object array of shapely geometries (None where a value is null or invalid).
    """
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    parse = shapely.from_wkb if wkb else shapely.from_wkt
    parsed = parse(np.asarray(uniques, dtype=object), on_invalid="ignore")
    # pd.factorize codes nulls as -1, which indexes the appended None.
    return np.append(parsed, None)[codes]


def buffer_degrees(
    miny: np.ndarray, maxy: np.ndarray, buffer_m: float
) -> tuple[np.ndarray | float, np.ndarray]:
    """Degrees of latitude and of longitude that cover `buffer_m` metres around a bbox.

    A degree of longitude is shortest at the bbox's most polar latitude (after the
    latitude buffer), so the longitude buffer is sized there and covers the whole bbox.

    Args:
        miny: Southern edges of the bboxes, degrees.
        maxy: Northern edges of the bboxes, degrees.
        buffer_m: Buffer in metres (>= 0).

    Returns:
        `(dlat, dlon)`: the latitude buffer (scalar) and the longitude buffer per bbox.
    """
    dlat = buffer_m * BUFFER_MARGIN / METRES_PER_DEGREE
    polar = np.minimum(np.maximum(np.abs(miny - dlat), np.abs(maxy + dlat)), MAX_ABS_LAT)
    return dlat, dlat / np.cos(np.radians(polar))


def bbox_cell_counts(bounds: np.ndarray, cell_deg: float, buffer_m: float = 0.0) -> np.ndarray:
    """How many grid cells each (buffered) bbox spans; NaN where the bounds are NaN.

    Args:
        bounds: `(n, 4)` array of minx, miny, maxx, maxy in degrees.
        cell_deg: Grid cell size in degrees.
        buffer_m: Buffer in metres added around each bbox.

    Returns:
        A float array of cell counts (grid rows times grid columns).
    """
    minx, miny, maxx, maxy = bounds.T
    dlat, dlon = buffer_degrees(miny, maxy, buffer_m)
    rows = np.floor((maxy + dlat) / cell_deg) - np.floor((miny - dlat) / cell_deg) + 1
    cols = np.floor((maxx + dlon) / cell_deg) - np.floor((minx - dlon) / cell_deg) + 1
    return rows * cols


class LinePieces(NamedTuple):
    """Pieces of line geometries, each indexed on its own; `owner` is the input position."""

    owner: np.ndarray
    geometry: np.ndarray
    bounds: np.ndarray


def line_pieces(
    geoms: np.ndarray, cell_deg: float, buffer_m: float, max_bbox_cells: int
) -> LinePieces:
    """Split the lines whose buffered bbox spans more than `max_bbox_cells` cells into segments.

    A short line stays one piece. A long line (a highway, a diagonal road) is densified
    so that no segment is longer than one cell and then cut into its segments; each
    segment's buffered bbox spans a handful of cells, so the line costs cells in
    proportion to its length instead of its bbox area. The distance from a point to a
    line is the minimum over its pieces, and every segment within `buffer_m` of a point
    has the point inside its own buffered bbox, so nothing within the radius is lost.
    Non-line parts of a split geometry (points, polygons) stay whole pieces.

    Args:
        geoms: Shapely geometries (lon/lat); None and empty ones yield no piece.
        cell_deg: Grid cell size in degrees (also the longest segment).
        buffer_m: Search radius in metres the pieces will be indexed with.
        max_bbox_cells: Largest buffered bbox, in cells, indexed as one piece.

    Returns:
        The pieces: owner position in `geoms`, piece geometry and its `(k, 4)` bounds.
    """
    bounds = shapely.bounds(geoms)
    counts = bbox_cell_counts(bounds, cell_deg, buffer_m)
    has_bounds = ~np.isnan(bounds).any(axis=1)
    whole = np.flatnonzero(has_bounds & (counts <= max_bbox_cells))
    split = np.flatnonzero(has_bounds & (counts > max_bbox_cells))

    parts, part_owner = shapely.get_parts(geoms[split], return_index=True)
    is_line = np.isin(shapely.get_type_id(parts), _LINE_TYPE_IDS)
    dense = shapely.segmentize(parts[is_line], max_segment_length=cell_deg)
    coords, coord_line = shapely.get_coordinates(dense, return_index=True)
    same_line = coord_line[1:] == coord_line[:-1]
    start, end = coords[:-1][same_line], coords[1:][same_line]
    segment_owner = split[part_owner[is_line][coord_line[:-1][same_line]]]
    segments = shapely.linestrings(np.stack([start, end], axis=1))
    segment_bounds = np.column_stack([np.minimum(start, end), np.maximum(start, end)])

    others = parts[~is_line]
    return LinePieces(
        owner=np.concatenate([whole, segment_owner, split[part_owner[~is_line]]]),
        geometry=np.concatenate([geoms[whole], segments, others]),
        bounds=np.concatenate([bounds[whole], segment_bounds, shapely.bounds(others)]),
    )


def local_offsets_m(
    lat0: np.ndarray, lon0: np.ndarray, lat: np.ndarray, lon: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """East and north offsets in metres of (lat, lon) from (lat0, lon0), equirectangular.

    x = Δlon·cos(lat0)·m/deg, y = Δlat·m/deg on the mean sphere. Against the haversine
    distance the error is ~tan(lat0)·Δlat/2 relative: below 0.02 % at the ≤ 500 m
    search radii used here, even at 70° latitude. Longitudes do not wrap at ±180°.

    Args:
        lat0: Origin latitudes, degrees.
        lon0: Origin longitudes, degrees.
        lat: Latitudes, degrees.
        lon: Longitudes, degrees.

    Returns:
        `(x, y)` in metres.
    """
    x = (lon - lon0) * np.cos(np.radians(lat0)) * METRES_PER_DEGREE
    y = (lat - lat0) * METRES_PER_DEGREE
    return x, y


_LINEAR_TYPES = (
    shapely.GeometryType.LINESTRING,
    shapely.GeometryType.LINEARRING,
    shapely.GeometryType.MULTILINESTRING,
)


def _nearest_on_segments(
    lat: np.ndarray,
    lon: np.ndarray,
    vertex_lon: np.ndarray,
    vertex_lat: np.ndarray,
    part: np.ndarray,
    owner: np.ndarray,
) -> np.ndarray:
    """Metres from each point to the segments joining consecutive vertices of one part.

    The distance to a segment AB is the distance to the point of AB nearest the
    origin (the point, after `local_offsets_m`): A + t·(B - A), t the projection
    clamped to [0, 1]. A point's distance is the least over its segments.

    Args:
        lat: Point latitudes, degrees.
        lon: Point longitudes, degrees.
        vertex_lon: Longitudes of every vertex, each part's in order.
        vertex_lat: Latitudes of every vertex.
        part: The part each vertex belongs to (equal for consecutive vertices of one part).
        owner: The point each vertex is measured from.

    Returns:
        One distance per point; NaN for a point without a segment.
    """
    x, y = local_offsets_m(lat[owner], lon[owner], vertex_lat, vertex_lon)
    within = part[1:] == part[:-1]
    ax, ay = x[:-1][within], y[:-1][within]
    dx, dy = x[1:][within] - ax, y[1:][within] - ay
    length2 = dx * dx + dy * dy
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(length2 > 0, -(ax * dx + ay * dy) / length2, 0.0)
    t = np.clip(t, 0.0, 1.0)
    nearest = np.full(len(lat), np.inf)
    np.minimum.at(nearest, owner[:-1][within], np.hypot(ax + t * dx, ay + t * dy))
    # A line with no segment (empty, or a single point) has no distance.
    return np.where(np.isinf(nearest), np.nan, nearest)


def _segment_distances_m(lat: np.ndarray, lon: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """Metres from each point to its (multi)line, over the line's segments, in numpy
    (`_nearest_on_segments`). Multi-part lines are split into their parts first, so no
    segment joins two parts.
    """
    # Only multi-part lines are split: building part geometries costs more than the
    # arithmetic, and most roads are single lines.
    multi = shapely.get_type_id(lines) == shapely.GeometryType.MULTILINESTRING
    parts, part_owner = lines, np.arange(len(lines))
    if multi.any():
        split, split_owner = shapely.get_parts(lines[multi], return_index=True)
        parts = np.concatenate([lines[~multi], split])
        part_owner = np.concatenate([np.flatnonzero(~multi), np.flatnonzero(multi)[split_owner]])
    coords, part_of = shapely.get_coordinates(parts, return_index=True)
    return _nearest_on_segments(lat, lon, coords[:, 0], coords[:, 1], part_of, part_owner[part_of])


def line_vertices(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The flat coordinates of the single lines among `geoms` (cut into segments for the
    native distance of `geodata.spatial.joins`).

    Args:
        geoms: Shapely geometries (lon/lat).

    Returns:
        `(simple, vertices, counts)`: whether each geometry is a LineString or
        LinearRing; those lines' vertices as `lon, lat, ...` in order; the number of
        vertices of each of them.
    """
    simple = np.isin(shapely.get_type_id(geoms), _LINE_TYPE_IDS)
    coords, line = shapely.get_coordinates(geoms[simple], return_index=True)
    counts = np.bincount(line, minlength=int(simple.sum()))
    return simple, coords.reshape(-1), counts


def distances_m(lat: np.ndarray, lon: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    """Metres from each point to its geometry, in a local projection centred on the point.

    Lines (the common case: roads) are measured segment by segment in numpy
    (`_segment_distances_m`); other geometries with shapely, after projecting
    their coordinates.

    Args:
        lat: Point latitudes, degrees.
        lon: Point longitudes, degrees.
        geoms: One shapely geometry (lon/lat) per point; None gives NaN.

    Returns:
        Distances in metres (0 when the point is on or inside the geometry).
    """
    geoms = np.asarray(geoms, dtype=object)
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    result = np.full(len(geoms), np.nan)
    kind = shapely.get_type_id(geoms)
    linear = np.isin(kind, _LINEAR_TYPES)
    if linear.any():
        result[linear] = _segment_distances_m(lat[linear], lon[linear], geoms[linear])
    other = ~linear & (kind >= 0)  # -1: no geometry
    if other.any():
        coords, owner = shapely.get_coordinates(geoms[other], return_index=True)
        x, y = local_offsets_m(lat[other][owner], lon[other][owner], coords[:, 1], coords[:, 0])
        projected = shapely.set_coordinates(geoms[other].copy(), np.column_stack([x, y]))
        result[other] = shapely.distance(projected, shapely.Point(0.0, 0.0))
    return result


def points_in_geometries(lat: np.ndarray, lon: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    """Whether each point lies in or on the boundary of its geometry (None → False).

    A point on a shared parcel edge is in both parcels; the caller's tie-break decides.

    Args:
        lat: Point latitudes, degrees.
        lon: Point longitudes, degrees.
        geoms: One shapely geometry (lon/lat) per point.

    Returns:
        A boolean array.
    """
    return shapely.intersects_xy(geoms, lon, lat)
