"""Spatial joins on the grid index: each point to the polygon it lies in, or to its nearest line.

Candidates come from an equi-join on the grid cell (no cross join), less those whose
bounding box the point is not in (native Spark); the exact test runs vectorised in
`mapInPandas` with shapely (polygons) or numpy over lines' flat coordinates
(`mapInArrow`); the winner per point is a native aggregation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T
from pyspark.sql.pandas.types import to_arrow_schema

from geodata.spatial.geometry import (
    distances_m,
    line_pieces,
    line_vertices,
    parse_geometries,
    points_in_geometries,
    polyline_distances_m,
)
from geodata.spatial.grid import (
    BOUNDS_COLUMNS,
    explode_cells,
    in_buffered_bounds,
    point_cell,
    with_geometry_bounds,
)

# Working columns; a prefix no caller's key column is expected to use.
_PREFIX = "_sj_"
_LAT, _LON = f"{_PREFIX}lat", f"{_PREFIX}lon"
_ID, _NAME, _GEOM = f"{_PREFIX}id", f"{_PREFIX}name", f"{_PREFIX}geom"
_VERTICES = f"{_PREFIX}vertices"
_AREA, _DIST, _BEST = f"{_PREFIX}area", f"{_PREFIX}distance", f"{_PREFIX}best"

DEFAULT_MAX_BBOX_CELLS = 64
"""Lines whose buffered bbox spans more cells than this are indexed segment by segment."""


def _check_columns(df: DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what} lacks columns {missing}")


def _check_outputs(point_key: Sequence[str], outputs: Sequence[str]) -> None:
    if not point_key:
        raise ValueError("point_key must name at least one column")
    clash = [c for c in point_key if c.startswith(_PREFIX) or c == "cell" or c in outputs]
    if clash:
        raise ValueError(f"point_key columns {clash} clash with output or working columns")


def _located_points(
    points: DataFrame, point_key: Sequence[str], lat_col: str, lon_col: str, cell_deg: float
) -> DataFrame:
    """Points with both coordinates (not null, not NaN): key, lat, lon and grid cell."""
    _check_columns(points, [*point_key, lat_col, lon_col], "points")
    lat, lon = F.col(lat_col).cast("double"), F.col(lon_col).cast("double")
    located = lat.isNotNull() & lon.isNotNull() & ~F.isnan(lat) & ~F.isnan(lon)
    return points.where(located).select(
        *point_key, lat.alias(_LAT), lon.alias(_LON), point_cell(lat, lon, cell_deg).alias("cell")
    )


def _key_fields(points: DataFrame, point_key: Sequence[str]) -> list[T.StructField]:
    return [T.StructField(c, points.schema[c].dataType, True) for c in point_key]


def points_in_polygons(
    points: DataFrame,
    polygons: DataFrame,
    *,
    point_key: list[str],
    polygon_id: str,
    cell_deg: float,
    wkt_col: str = "wkt",
    lat_col: str = "lat",
    lon_col: str = "lon",
) -> DataFrame:
    """The polygon each point lies in (a point on a boundary counts as in).

    Each polygon is exploded to the cells its bbox touches and equi-joined with the
    points' cells; `shapely.intersects_xy` keeps the true hits. A point in several
    polygons gets the smallest one by area (in square degrees, which ranks polygons
    around one point as square metres would), ties to the smallest id. Points with null
    coordinates and polygons with a null id or WKT take no part.

    Args:
        points: Rows with the `point_key` columns and `lat_col`/`lon_col` (degrees).
        polygons: Rows with `polygon_id` and `wkt_col` (POLYGON/MULTIPOLYGON, lon/lat).
        point_key: Columns identifying a point; results are one row per distinct key.
        polygon_id: Polygon id column; the output column has the same name.
        cell_deg: Grid cell size in degrees.
        wkt_col: Polygon WKT column.
        lat_col: Point latitude column.
        lon_col: Point longitude column.

    Returns:
        One row per point key in some polygon: `point_key` columns + `polygon_id`.
    """
    _check_outputs(point_key, [polygon_id])
    _check_columns(polygons, [polygon_id, wkt_col], "polygons")
    located = _located_points(points, point_key, lat_col, lon_col, cell_deg)
    shapes = polygons.where(F.col(polygon_id).isNotNull() & F.col(wkt_col).isNotNull()).select(
        F.col(polygon_id).alias(_ID), F.col(wkt_col).alias(_GEOM)
    )
    polygon_cells = explode_cells(with_geometry_bounds(shapes, _GEOM, wkb=True), cell_deg).select(
        _ID, _GEOM, "cell", *BOUNDS_COLUMNS
    )
    candidates = (
        located.join(polygon_cells, on="cell")
        .where(in_buffered_bounds(F.col(_LAT), F.col(_LON)))
        .drop("cell", *BOUNDS_COLUMNS)
    )

    key = list(point_key)
    schema = T.StructType(
        [
            *_key_fields(points, key),
            T.StructField(_ID, polygons.schema[polygon_id].dataType, True),
            T.StructField(_AREA, T.DoubleType(), True),
        ]
    )

    def keep_covering(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            geoms = parse_geometries(batch[_GEOM], wkb=True)
            inside = points_in_geometries(
                batch[_LAT].to_numpy(dtype=float), batch[_LON].to_numpy(dtype=float), geoms
            )
            hits = batch.loc[inside, [*key, _ID]]
            yield hits.assign(**{_AREA: shapely.area(geoms[inside])})

    hits = candidates.mapInPandas(keep_covering, schema)
    best = hits.groupBy(*key).agg(F.min(F.struct(_AREA, _ID)).alias(_BEST))
    return best.select(*key, F.col(f"{_BEST}.{_ID}").alias(polygon_id))


def _line_piece_bounds(
    lines: DataFrame, cell_deg: float, buffer_m: float, max_bbox_cells: int
) -> DataFrame:
    """Lines (`_ID`, `_NAME`, WKT `_GEOM`) → one row per single part of each piece, with
    its bounds: a LineString or LinearRing as flat coordinates (`_VERTICES`, `lon, lat,
    ...`), any other part (a point, a polygon) as WKB `_GEOM`.

    A piece's distance is the least over its parts, and a point within the radius of a
    part is inside that part's buffered bounds, so measuring parts loses no hit; as
    flat coordinates, the candidates of a part are measured without building a
    geometry per candidate row (`polyline_distances_m`).
    """
    schema = T.StructType(
        [
            T.StructField(_ID, lines.schema[_ID].dataType, True),
            T.StructField(_NAME, lines.schema[_NAME].dataType, True),
            T.StructField(_GEOM, T.BinaryType(), True),
            T.StructField(_VERTICES, T.ArrayType(T.DoubleType(), False), True),
            *(T.StructField(c, T.DoubleType(), True) for c in BOUNDS_COLUMNS),
        ]
    )

    def cut(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            pieces = line_pieces(parse_geometries(batch[_GEOM]), cell_deg, buffer_m, max_bbox_cells)
            parts, piece = shapely.get_parts(pieces.geometry, return_index=True)
            simple, vertices, counts = line_vertices(parts)
            flat = np.full(len(parts), None, dtype=object)
            # One array per line (a list assigned through a mask would become a 2-d array
            # when the lines have equal lengths).
            if simple.any():
                ends = np.cumsum(2 * counts)[:-1]
                for row, line in zip(np.flatnonzero(simple), np.split(vertices, ends), strict=True):
                    flat[row] = line
            wkb = np.full(len(parts), None, dtype=object)
            wkb[~simple] = shapely.to_wkb(parts[~simple])
            owners = batch[[_ID, _NAME]].iloc[pieces.owner[piece]].reset_index(drop=True)
            bounds = shapely.bounds(parts)
            yield owners.assign(
                **{_GEOM: wkb, _VERTICES: flat},
                **{c: bounds[:, i] for i, c in enumerate(BOUNDS_COLUMNS)},
            )

    return lines.mapInPandas(cut, schema)


def _within_radius(
    key: Sequence[str], radius_m: float, schema: pa.Schema
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """A `mapInArrow` body: the candidates within `radius_m`, with their distance."""

    def keep(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            lat = batch.column(_LAT).to_numpy(zero_copy_only=False)
            lon = batch.column(_LON).to_numpy(zero_copy_only=False)
            distance = np.full(batch.num_rows, np.nan)
            lines = batch.column(_VERTICES)
            simple = pc.is_valid(lines).to_numpy(zero_copy_only=False)
            if simple.any():
                lines = pc.filter(lines, simple)
                distance[simple] = polyline_distances_m(
                    lat[simple],
                    lon[simple],
                    pc.list_flatten(lines).to_numpy(zero_copy_only=False),
                    pc.list_value_length(lines).to_numpy(zero_copy_only=False) // 2,
                )
            other = pc.is_valid(batch.column(_GEOM)).to_numpy(zero_copy_only=False)
            if other.any():
                geoms = pc.filter(batch.column(_GEOM), other).to_numpy(zero_copy_only=False)
                distance[other] = distances_m(
                    lat[other], lon[other], parse_geometries(geoms, wkb=True)
                )
            near = distance <= radius_m  # NaN (unparsable geometry) is never near
            columns = [batch.column(c).filter(pa.array(near)) for c in (*key, _ID, _NAME)]
            yield pa.RecordBatch.from_arrays([*columns, pa.array(distance[near])], schema=schema)

    return keep


def nearest_lines(
    points: DataFrame,
    lines: DataFrame,
    *,
    point_key: list[str],
    line_id: str,
    line_name: str,
    radius_m: float,
    cell_deg: float,
    max_bbox_cells: int = DEFAULT_MAX_BBOX_CELLS,
    wkt_col: str = "wkt",
    lat_col: str = "lat",
    lon_col: str = "lon",
) -> DataFrame:
    """The nearest line within `radius_m` metres of each point.

    Each line's bbox, grown by the radius, is exploded to grid cells and equi-joined
    with the points' cells, so a line just across a cell edge is still a candidate.
    Distances are exact point-to-geometry distances in a local equirectangular
    projection centred on the point (see `geometry.local_offsets_m`). Nearest wins,
    ties to the smallest id, then the smallest name.

    Scaling: a line costs rows in proportion to its buffered bbox area in cells, up to
    `max_bbox_cells`; beyond that it is indexed by its segments (densified to at most
    one cell long), so a 50 km diagonal highway costs rows in proportion to its length
    (~ length / cell · (1 + 2·radius / cell)) rather than to the square of it.

    Args:
        points: Rows with the `point_key` columns and `lat_col`/`lon_col` (degrees).
        lines: Rows with `line_id`, `line_name` and `wkt_col` (LINESTRING etc., lon/lat).
        point_key: Columns identifying a point; results are one row per distinct key.
        line_id: Line id column; the output column has the same name.
        line_name: Line name column; the output column has the same name.
        radius_m: Search radius in metres (inclusive).
        cell_deg: Grid cell size in degrees.
        max_bbox_cells: Largest buffered bbox (in cells) indexed as one piece.
        wkt_col: Line WKT column.
        lat_col: Point latitude column.
        lon_col: Point longitude column.

    Returns:
        One row per point key with a line within the radius: `point_key` columns,
        `line_id`, `line_name` and `distance_m` (double, metres).
    """
    if radius_m < 0:
        raise ValueError(f"radius_m={radius_m!r} must be >= 0")
    if max_bbox_cells < 1:
        raise ValueError(f"max_bbox_cells={max_bbox_cells!r} must be >= 1")
    _check_outputs(point_key, [line_id, line_name, "distance_m"])
    _check_columns(lines, [line_id, line_name, wkt_col], "lines")
    located = _located_points(points, point_key, lat_col, lon_col, cell_deg)
    shapes = lines.where(F.col(line_id).isNotNull() & F.col(wkt_col).isNotNull()).select(
        F.col(line_id).alias(_ID), F.col(line_name).alias(_NAME), F.col(wkt_col).alias(_GEOM)
    )
    pieces = _line_piece_bounds(shapes, cell_deg, radius_m, max_bbox_cells)
    line_cells = explode_cells(pieces, cell_deg, buffer_m=radius_m).select(
        _ID, _NAME, _GEOM, _VERTICES, "cell", *BOUNDS_COLUMNS
    )
    candidates = (
        located.join(line_cells, on="cell")
        .where(in_buffered_bounds(F.col(_LAT), F.col(_LON), radius_m))
        .drop("cell", *BOUNDS_COLUMNS)
    )

    key = list(point_key)
    schema = T.StructType(
        [
            *_key_fields(points, key),
            T.StructField(_ID, lines.schema[line_id].dataType, True),
            T.StructField(_NAME, lines.schema[line_name].dataType, True),
            T.StructField(_DIST, T.DoubleType(), True),
        ]
    )

    near = candidates.mapInArrow(_within_radius(key, radius_m, to_arrow_schema(schema)), schema)
    best = near.groupBy(*key).agg(F.min(F.struct(_DIST, _ID, _NAME)).alias(_BEST))
    return best.select(
        *key,
        F.col(f"{_BEST}.{_ID}").alias(line_id),
        F.col(f"{_BEST}.{_NAME}").alias(line_name),
        F.col(f"{_BEST}.{_DIST}").alias("distance_m"),
    )
