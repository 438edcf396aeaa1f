"""The grid cell index: a point's cell as a native Spark expression, and geometries
exploded to every cell their (buffered) bounding box touches, so spatial joins are equi-joins.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import pandas as pd
import shapely
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from geodata.spatial.geometry import BUFFER_MARGIN, MAX_ABS_LAT, METRES_PER_DEGREE

BOUNDS_COLUMNS = ("minx", "miny", "maxx", "maxy")
"""Bounding-box columns added by `with_geometry_bounds` (degrees, lon/lat)."""

MIN_CELL_DEG = 1e-6
"""Smallest supported cell (~0.1 m): keeps the packed row and column inside one long."""

# A cell is packed as row·2^32 + (column + 2^31). Columns (longitude) stay within
# ±180/1e-6 < 2^31 and rows·2^32 within ±90/1e-6·2^32 < 2^63, so distinct cells never
# collide for cell sizes >= MIN_CELL_DEG.
_ROW_STRIDE = 1 << 32
_COLUMN_OFFSET = 1 << 31


def _check_cell_deg(cell_deg: float) -> None:
    if not MIN_CELL_DEG <= cell_deg <= 90:
        raise ValueError(f"cell_deg={cell_deg!r} must be between {MIN_CELL_DEG} and 90 degrees")


def _pack_cell(row: Column, column: Column) -> Column:
    return row * F.lit(_ROW_STRIDE) + (column + F.lit(_COLUMN_OFFSET))


def point_cell(lat: Column, lon: Column, cell_deg: float) -> Column:
    """The grid cell (a long) that contains a point; null when lat or lon is null.

    Args:
        lat: Latitude column, degrees.
        lon: Longitude column, degrees.
        cell_deg: Cell size in degrees (the same in latitude and longitude).

    Returns:
        A long column: `floor(lat / cell_deg)` and `floor(lon / cell_deg)` packed together.
    """
    _check_cell_deg(cell_deg)
    size = F.lit(float(cell_deg))
    return _pack_cell(F.floor(lat / size), F.floor(lon / size))


def with_geometry_bounds(geoms: DataFrame, wkt_col: str = "wkt", *, wkb: bool = False) -> DataFrame:
    """Every row of `geoms` plus its geometry's bounding box.

    One vectorised pass (`mapInPandas`, shapely) over the table. Null, empty or invalid
    WKT gives null bounds; `explode_cells` drops such rows.

    Args:
        geoms: Any DataFrame with a WKT column (lon/lat).
        wkt_col: Name of the WKT column.
        wkb: Replace the WKT column by the geometry's WKB (null for invalid WKT): a
            worker reads WKB tens of times faster, so rows repeated per grid cell
            carry it rather than the text.

    Returns:
        `geoms` with `minx`, `miny`, `maxx`, `maxy` (double) appended.
    """
    if wkt_col not in geoms.columns:
        raise ValueError(f"geoms has no WKT column {wkt_col!r}")
    clash = set(BOUNDS_COLUMNS) & set(geoms.columns)
    if clash:
        raise ValueError(f"geoms already has bounds columns {sorted(clash)}")
    fields = [
        T.StructField(f.name, T.BinaryType(), True) if wkb and f.name == wkt_col else f
        for f in geoms.schema.fields
    ]
    schema = T.StructType(
        [*fields, *(T.StructField(c, T.DoubleType(), True) for c in BOUNDS_COLUMNS)]
    )

    def add_bounds(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            parsed = shapely.from_wkt(batch[wkt_col].to_numpy(dtype=object), on_invalid="ignore")
            bounds = shapely.bounds(parsed)
            if wkb:
                batch = batch.assign(**{wkt_col: shapely.to_wkb(parsed)})
            yield batch.assign(**{c: bounds[:, i] for i, c in enumerate(BOUNDS_COLUMNS)})

    return geoms.mapInPandas(add_bounds, schema)


def fitted_cell_deg(geoms: DataFrame, largest_deg: float, wkt_col: str = "wkt") -> float:
    """A grid cell about the size of the geometries' typical bounding box, for `explode_cells`.

    A point is a candidate of every geometry in its cell, so a cell much larger than the
    geometries makes dozens of candidates per point (a 220 m cell over 30 m parcels:
    about 60), while a much smaller one repeats every geometry over many cells. A cell
    near the median bbox side (the longer one) keeps both near their least: a few cells
    per geometry and a few candidates per point. The cell is `largest_deg / 2^k` with the
    power of two nearest the median, so a run's choice does not drift with small changes
    in the data; results never depend on it, only the work does.

    One Spark job over the geometries (their WKT parsed once, see `with_geometry_bounds`).

    Args:
        geoms: Rows with a WKT column (lon/lat).
        largest_deg: The largest cell to return; also the answer when no geometry has
            a bbox with a positive side.
        wkt_col: Name of the WKT column.

    Returns:
        The cell size in degrees, between `MIN_CELL_DEG` and `largest_deg`.
    """
    _check_cell_deg(largest_deg)
    bounded = with_geometry_bounds(geoms.select(wkt_col), wkt_col)
    side = F.greatest(F.col("maxx") - F.col("minx"), F.col("maxy") - F.col("miny"))
    median = (
        bounded.where(side > 0)
        .agg(F.percentile_approx(side, 0.5, 1000).alias("median"))
        .first()["median"]
    )
    if median is None:
        return largest_deg
    halvings = max(0, round(math.log2(largest_deg / median)))
    halvings = min(halvings, math.floor(math.log2(largest_deg / MIN_CELL_DEG)))
    return largest_deg / 2**halvings


def explode_cells(
    geoms_with_bounds: DataFrame, cell_deg: float, buffer_m: float = 0.0
) -> DataFrame:
    """One row per grid cell touched by each row's bounding box, grown by `buffer_m` metres.

    Native Spark: `sequence` over the cell rows and columns of the bbox, exploded. A
    point within `buffer_m` of a geometry always falls in one of its cells, because the
    point's cell is computed with the same `floor(coordinate / cell_deg)` and the buffer
    is converted to degrees at the bbox's most polar latitude (plus a 1 % margin).

    Scaling: a bbox spanning w by h cells yields w·h rows (plus the buffer on each side),
    so a geometry costs rows in proportion to its bbox area in cells. Small parcels and
    buildings touch 1-4 cells; a large polygon (a park, a campus) touches many and is
    still found from every cell, only with more rows. Long lines should be cut into
    pieces first (see `geodata.spatial.geometry.line_pieces`, used by `nearest_lines`),
    which makes their cost proportional to length instead of bbox area. Rows with null
    or NaN bounds are dropped. Longitudes do not wrap at ±180°.

    Args:
        geoms_with_bounds: Rows with `minx`, `miny`, `maxx`, `maxy` (degrees).
        cell_deg: Cell size in degrees, as given to `point_cell`.
        buffer_m: Metres to grow each bbox by (the search radius of a distance search).

    Returns:
        The input rows, repeated once per touched cell, with a long `cell` column.
    """
    _check_cell_deg(cell_deg)
    size = F.lit(float(cell_deg))
    minx, miny, maxx, maxy = _buffered_bounds(buffer_m)
    has_bounds = F.lit(True)
    for bound in (F.col(c) for c in BOUNDS_COLUMNS):
        has_bounds = has_bounds & bound.isNotNull() & ~F.isnan(bound)
    return (
        geoms_with_bounds.where(has_bounds)
        .withColumn("_cell_row", F.explode(F.sequence(F.floor(miny / size), F.floor(maxy / size))))
        .withColumn("_cell_col", F.explode(F.sequence(F.floor(minx / size), F.floor(maxx / size))))
        .withColumn("cell", _pack_cell(F.col("_cell_row"), F.col("_cell_col")))
        .drop("_cell_row", "_cell_col")
    )


def _buffered_bounds(buffer_m: float) -> tuple[Column, Column, Column, Column]:
    """The row's bbox (`BOUNDS_COLUMNS`) grown by `buffer_m` metres: minx, miny, maxx, maxy.

    Mirrors `geometry.buffer_degrees` in Spark expressions: the longitude buffer is
    sized at the bbox's most polar latitude, plus a 1 % margin.
    """
    if buffer_m < 0:
        raise ValueError(f"buffer_m={buffer_m!r} must be >= 0")
    minx, miny, maxx, maxy = (F.col(c) for c in BOUNDS_COLUMNS)
    dlat = F.lit(buffer_m * BUFFER_MARGIN / METRES_PER_DEGREE)
    polar = F.least(F.greatest(F.abs(miny - dlat), F.abs(maxy + dlat)), F.lit(MAX_ABS_LAT))
    dlon = dlat / F.cos(F.radians(polar))
    return minx - dlon, miny - dlat, maxx + dlon, maxy + dlat


def in_buffered_bounds(lat: Column, lon: Column, buffer_m: float = 0.0) -> Column:
    """Whether a point lies in the row's bbox grown by `buffer_m` metres (edges included).

    A point inside a geometry, or within `buffer_m` of it, always does, so this
    native test can drop candidate pairs before any exact (Python) geometry test
    without losing a hit: on a grid cell of a city block, a point shares its cell
    with dozens of buildings but lies in the bbox of one or two.

    Args:
        lat: Point latitude, degrees.
        lon: Point longitude, degrees.
        buffer_m: Metres to grow the bbox by (the search radius of a distance search).
    """
    minx, miny, maxx, maxy = _buffered_bounds(buffer_m)
    return lon.between(minx, maxx) & lat.between(miny, maxy)
