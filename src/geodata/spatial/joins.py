"""Spatial joins on the grid index: each point to the polygon it lies in, or to its nearest line.

Candidates come from an equi-join on the grid cell (no cross join), less those whose
bounding box the point is not in (native Spark); the exact test runs vectorised in
`mapInPandas` with shapely (polygons), or natively over a line's flat coordinates (a
polygon or point part of a road: shapely in `mapInArrow`); the winner per point is a
native aggregation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T
from pyspark.sql.pandas.types import to_arrow_schema

from geodata.checkpoints import checkpointed
from geodata.spatial.geometry import (
    METRES_PER_DEGREE,
    distances_m,
    line_pieces,
    line_vertices,
    parse_geometries,
    points_in_geometries,
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
_SEGMENT = tuple(f"{_PREFIX}{end}" for end in ("a_lon", "a_lat", "b_lon", "b_lat"))
_STEPS = tuple(f"{_PREFIX}{step}" for step in ("ax", "ay", "dx", "dy", "t"))
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


def _line_segments(
    lines: DataFrame, cell_deg: float, buffer_m: float, max_bbox_cells: int
) -> DataFrame:
    """Lines (`_ID`, `_NAME`, WKT `_GEOM`) → one row per segment of each single-line part
    of each piece (its ends in `_SEGMENT`: lon, lat of A then of B) and one row per
    other part (a point, a polygon: WKB in `_GEOM`), each with its bounds.

    A line's distance is the least over its segments and other parts, and a point
    within the radius of a segment is inside that segment's buffered bounds, so
    measuring each on its own loses no hit. A segment's bounds are also tighter than its
    line's, so fewer candidates pass `in_buffered_bounds`; its candidates are measured
    in Spark (`_with_segment_distance`), with no geometry and no Python worker.
    """
    schema = T.StructType(
        [
            T.StructField(_ID, lines.schema[_ID].dataType, True),
            T.StructField(_NAME, lines.schema[_NAME].dataType, True),
            T.StructField(_GEOM, T.BinaryType(), True),
            *(T.StructField(c, T.DoubleType(), True) for c in _SEGMENT),
            *(T.StructField(c, T.DoubleType(), True) for c in BOUNDS_COLUMNS),
        ]
    )

    def cut(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            pieces = line_pieces(parse_geometries(batch[_GEOM]), cell_deg, buffer_m, max_bbox_cells)
            parts, piece = shapely.get_parts(pieces.geometry, return_index=True)
            simple, vertices, counts = line_vertices(parts)
            coords = vertices.reshape(-1, 2)
            line = np.repeat(np.flatnonzero(simple), counts)
            joined = line[1:] == line[:-1]  # consecutive vertices of one line: a segment
            start, end = coords[:-1][joined], coords[1:][joined]
            others = np.flatnonzero(~simple)
            part_of_row = np.concatenate([line[:-1][joined], others])
            ends = np.concatenate([np.hstack([start, end]), np.full((len(others), 4), np.nan)])
            wkb = np.concatenate(
                [np.full(len(start), None, dtype=object), shapely.to_wkb(parts[others])]
            )
            bounds = np.concatenate(
                [
                    np.hstack([np.minimum(start, end), np.maximum(start, end)]),
                    shapely.bounds(parts[others]).reshape(-1, 4),
                ]
            )
            owner = pieces.owner[piece[part_of_row]]
            yield (
                batch[[_ID, _NAME]]
                .iloc[owner]
                .reset_index(drop=True)
                .assign(
                    **{_GEOM: wkb},
                    **{c: ends[:, i] for i, c in enumerate(_SEGMENT)},
                    **{c: bounds[:, i] for i, c in enumerate(BOUNDS_COLUMNS)},
                )
            )

    return lines.mapInPandas(cut, schema)


def _with_segment_distance(candidates: DataFrame, key: Sequence[str]) -> DataFrame:
    """Each candidate's key, line and metres from its point to its segment (`_SEGMENT`).

    Measured natively in the local projection centred on the point (x scaled by
    cos(latitude), as `geometry.local_offsets_m`): the distance to segment AB is the
    distance to A + t·(B - A), t the projection of the point clamped to [0, 1]
    (`geometry.distances_m` measures lines the same way). Each step is its own
    projection: a step used twice is computed once rather than inlined into each use
    (written as one expression, the distance held the cosine thirty times and took
    three times as long as the Python measure it replaced).
    """
    a_lon, a_lat, b_lon, b_lat = (F.col(c) for c in _SEGMENT)
    lat, lon = F.col(_LAT), F.col(_LON)
    east = F.cos(F.radians(lat))
    offsets = candidates.select(
        *key,
        _ID,
        _NAME,
        ((a_lon - lon) * east).alias(_STEPS[0]),
        (a_lat - lat).alias(_STEPS[1]),
        ((b_lon - a_lon) * east).alias(_STEPS[2]),
        (b_lat - a_lat).alias(_STEPS[3]),
    )
    ax, ay, dx, dy, t = (F.col(c) for c in _STEPS)
    length2 = dx * dx + dy * dy
    along = F.when(length2 > 0, -(ax * dx + ay * dy) / length2).otherwise(F.lit(0.0))
    projected = offsets.withColumn(_STEPS[4], F.least(F.greatest(along, F.lit(0.0)), F.lit(1.0)))
    return projected.select(
        *key,
        _ID,
        _NAME,
        (F.hypot(ax + t * dx, ay + t * dy) * F.lit(METRES_PER_DEGREE)).alias(_DIST),
    )


def _within_radius(
    key: Sequence[str], radius_m: float, schema: pa.Schema
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """A `mapInArrow` body: the candidates within `radius_m` of a WKB geometry (a part
    that is not a single line), with their distance."""

    def keep(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            lat = batch.column(_LAT).to_numpy(zero_copy_only=False)
            lon = batch.column(_LON).to_numpy(zero_copy_only=False)
            geoms = batch.column(_GEOM).to_numpy(zero_copy_only=False)
            distance = distances_m(lat, lon, parse_geometries(geoms, wkb=True))
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

    Scaling: a line is indexed by its segments, each costing rows in proportion to its
    buffered bbox area in cells; a line whose whole buffered bbox spans more than
    `max_bbox_cells` is first densified to segments at most one cell long, so a 50 km
    diagonal highway costs rows in proportion to its length (~ length / cell ·
    (1 + 2·radius / cell)) rather than to the square of it.

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
    # Lines are cut in Python once, on every core (a region's roads are often one file,
    # read as one partition), and kept: the segments and the other parts below are
    # two reads of the same cut.
    cut = _line_segments(
        shapes.repartition(shapes.sparkSession.sparkContext.defaultParallelism),
        cell_deg,
        radius_m,
        max_bbox_cells,
    ).transform(checkpointed)
    parts = explode_cells(cut, cell_deg, buffer_m=radius_m)
    key = list(point_key)

    def candidates(kind: DataFrame) -> DataFrame:
        return (
            located.join(kind, on="cell")
            .where(in_buffered_bounds(F.col(_LAT), F.col(_LON), radius_m))
            .drop("cell", *BOUNDS_COLUMNS)
        )

    # Segments (nearly every road) are measured in Spark; other parts (a polygon
    # "road", a point of a collection) in Python. Each side joins only its own parts,
    # so no candidate row goes to Python unless its part needs it.
    segments = parts.where(F.col(_GEOM).isNull()).select(
        _ID, _NAME, *_SEGMENT, "cell", *BOUNDS_COLUMNS
    )
    # Not filtered by the radius before the aggregation: Spark would push the filter
    # into the join, the distance inlined there whole.
    segments_near = _with_segment_distance(candidates(segments), key)
    schema = T.StructType(
        [
            *_key_fields(points, key),
            T.StructField(_ID, lines.schema[line_id].dataType, True),
            T.StructField(_NAME, lines.schema[line_name].dataType, True),
            T.StructField(_DIST, T.DoubleType(), True),
        ]
    )
    others = parts.where(F.col(_GEOM).isNotNull()).select(
        _ID, _NAME, _GEOM, "cell", *BOUNDS_COLUMNS
    )
    others_near = candidates(others).mapInArrow(
        _within_radius(key, radius_m, to_arrow_schema(schema)), schema
    )
    near = segments_near.unionByName(others_near)
    best = (
        near.groupBy(*key)
        .agg(F.min(F.struct(_DIST, _ID, _NAME)).alias(_BEST))
        .where(F.col(f"{_BEST}.{_DIST}") <= radius_m)
    )
    return best.select(
        *key,
        F.col(f"{_BEST}.{_ID}").alias(line_id),
        F.col(f"{_BEST}.{_NAME}").alias(line_name),
        F.col(f"{_BEST}.{_DIST}").alias("distance_m"),
    )
