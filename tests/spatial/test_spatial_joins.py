"""Grid cells and spatial joins on Spark, with small hand-built geometries."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
import shapely
from pyspark.sql import functions as F

from geodata.spatial import (
    explode_cells,
    nearest_lines,
    point_cell,
    points_in_polygons,
    with_geometry_bounds,
)
from geodata.spatial.geometry import METRES_PER_DEGREE, distances_m, parse_geometries
from geodata.spatial.grid import MIN_CELL_DEG, fitted_cell_deg

CELL = 0.002
LAT0, LON0 = 37.0011, -121.9989  # inside one cell, away from its edges
POINTS_SCHEMA = "pid STRING, lat DOUBLE, lon DOUBLE"


def north(metres: float) -> float:
    """Degrees of latitude for `metres` northwards."""
    return metres / METRES_PER_DEGREE


def square(lon_min: float, lat_min: float, lon_max: float, lat_max: float) -> str:
    """POLYGON WKT of a lon/lat box."""
    return (
        f"POLYGON (({lon_min!r} {lat_min!r}, {lon_max!r} {lat_min!r}, {lon_max!r} {lat_max!r}, "
        f"{lon_min!r} {lat_max!r}, {lon_min!r} {lat_min!r}))"
    )


def line(*points: tuple[float, float]) -> str:
    """LINESTRING WKT from (lat, lon) points."""
    return "LINESTRING (" + ", ".join(f"{lon!r} {lat!r}" for lat, lon in points) + ")"


def grid_index(value: float) -> int:
    return math.floor(value / CELL)


def physical_plan(df) -> str:
    return df._jdf.queryExecution().executedPlan().toString()


def assert_equi_joins_only(df) -> None:
    plan = physical_plan(df)
    assert "CartesianProduct" not in plan
    assert "BroadcastNestedLoopJoin" not in plan
    assert "SortMergeJoin" in plan or "BroadcastHashJoin" in plan or "ShuffledHashJoin" in plan


def as_dict(df, key: str, value: str) -> dict:
    return {row[key]: row[value] for row in df.collect()}


# --- grid cells ---------------------------------------------------------------------


def test_point_cell_packs_row_and_column_and_keeps_nulls(spark):
    coords = [
        (0.001, 0.001),
        (-0.001, 0.001),
        (0.001, -0.001),
        (-0.001, -0.001),
        (37.0011, -121.9989),
    ]
    rows = [(f"p{i}", lat, lon) for i, (lat, lon) in enumerate(coords)] + [("null", None, 1.0)]
    points = spark.createDataFrame(rows, POINTS_SCHEMA)

    cells = as_dict(
        points.select("pid", point_cell(F.col("lat"), F.col("lon"), CELL).alias("cell")),
        "pid",
        "cell",
    )

    expected = {
        f"p{i}": grid_index(lat) * 2**32 + grid_index(lon) + 2**31
        for i, (lat, lon) in enumerate(coords)
    }
    assert {k: v for k, v in cells.items() if k != "null"} == expected
    assert len(set(expected.values())) == len(coords)
    assert cells["null"] is None


def test_point_cell_rejects_bad_cell_size(spark):
    with pytest.raises(ValueError, match="cell_deg"):
        point_cell(F.col("lat"), F.col("lon"), 0.0)


def test_with_geometry_bounds_keeps_columns_and_nulls_invalid_wkt(spark):
    geoms = spark.createDataFrame(
        [("a", 7, line((37.0, -122.0), (37.1, -121.9))), ("b", 8, "oops"), ("c", 9, None)],
        "gid STRING, extra INT, wkt STRING",
    )

    bounded = {row.gid: row for row in with_geometry_bounds(geoms).collect()}

    assert with_geometry_bounds(geoms).columns == [
        "gid",
        "extra",
        "wkt",
        "minx",
        "miny",
        "maxx",
        "maxy",
    ]
    a = bounded["a"]
    assert (a.extra, a.minx, a.miny, a.maxx, a.maxy) == (7, -122.0, 37.0, -121.9, 37.1)
    assert bounded["b"].minx is None and bounded["c"].maxy is None


def test_with_geometry_bounds_can_carry_the_geometry_as_wkb(spark):
    geoms = spark.createDataFrame(
        [("a", line((37.0, -122.0), (37.1, -121.9))), ("b", "oops")], "gid STRING, wkt STRING"
    )

    bounded = with_geometry_bounds(geoms, wkb=True)

    assert dict(bounded.dtypes)["wkt"] == "binary"
    rows = {row.gid: row for row in bounded.collect()}
    assert shapely.from_wkb(bytes(rows["a"].wkt)).equals(
        shapely.from_wkt(line((37.0, -122.0), (37.1, -121.9)))
    )
    assert rows["a"].minx == -122.0
    assert rows["b"].wkt is None and rows["b"].minx is None


def test_explode_cells_one_row_per_touched_cell(spark):
    geoms = spark.createDataFrame(
        [
            ("one", square(-121.9995, 37.0005, -121.9985, 37.0015)),  # inside one cell
            ("six", square(-121.9995, 37.0015, -121.9975, 37.0045)),  # 2 columns by 3 rows
            ("bad", "nonsense"),
        ],
        "gid STRING, wkt STRING",
    )
    bounded = with_geometry_bounds(geoms).localCheckpoint()
    point = spark.createDataFrame([("x", 37.001, -121.999)], POINTS_SCHEMA)
    point_cell_id = point.select(point_cell(F.col("lat"), F.col("lon"), CELL)).first()[0]
    # "one" is ~56 m from every edge of its cell: a 60 m buffer reaches the eight
    # neighbours, 40 m does not.
    exploded = [
        explode_cells(bounded, CELL, buffer_m=buffer).select(
            F.lit(buffer).alias("buffer_m"), "gid", "cell"
        )
        for buffer in (0.0, 40.0, 60.0)
    ]
    rows = exploded[0].unionByName(exploded[1]).unionByName(exploded[2]).collect()

    counts = Counter((row.buffer_m, row.gid) for row in rows)
    # At 60 m "six" gains one column to the west (its other edges are > 60 m inside).
    assert counts == {
        (0.0, "one"): 1,
        (0.0, "six"): 6,
        (40.0, "one"): 1,
        (40.0, "six"): 6,
        (60.0, "one"): 9,
        (60.0, "six"): 9,
    }
    assert {row.cell for row in rows if row.buffer_m == 0.0 and row.gid == "one"} == {point_cell_id}


def squares_of_side(spark, sides: list[float]):
    """One square per side length (degrees), spread west to east, as `gid, wkt` rows."""
    rows = [
        (f"g{i}", square(-122.0 + i * 0.01, 37.0, -122.0 + i * 0.01 + side, 37.0 + side))
        for i, side in enumerate(sides)
    ]
    return spark.createDataFrame(rows, "gid STRING, wkt STRING")


def test_fitted_cell_is_a_power_of_two_below_the_largest_nearest_the_median_side(spark):
    # Median side 0.0003 (a 33 m parcel): log2(0.002 / 0.0003) = 2.7, so three halvings.
    geoms = squares_of_side(spark, [0.0002, 0.0003, 0.0003, 0.0004, 0.01])

    cell = fitted_cell_deg(geoms, 0.002)

    assert cell == 0.002 / 8
    assert 0.0003 / math.sqrt(2) <= cell <= 0.0003 * math.sqrt(2)


def test_fitted_cell_never_exceeds_the_largest_or_falls_below_the_smallest(spark):
    assert fitted_cell_deg(squares_of_side(spark, [0.05, 0.08]), 0.002) == 0.002
    tiny = fitted_cell_deg(squares_of_side(spark, [1e-9, 1e-9]), 0.002)
    assert MIN_CELL_DEG <= tiny < 2 * MIN_CELL_DEG


def test_fitted_cell_is_the_largest_when_no_geometry_has_a_side(spark):
    geoms = spark.createDataFrame(
        [("pt", "POINT (-122 37)"), ("bad", "nonsense"), ("null", None)], "gid STRING, wkt STRING"
    )

    assert fitted_cell_deg(geoms, 0.002) == 0.002


def test_points_in_polygons_finds_the_same_polygons_on_any_cell(parcels, parcel_points):
    found = [
        as_dict(
            points_in_polygons(
                parcel_points, parcels, point_key=["pid"], polygon_id="parcel_id", cell_deg=cell
            ),
            "pid",
            "parcel_id",
        )
        for cell in (CELL, fitted_cell_deg(parcels, CELL), CELL / 16)
    ]

    assert found[0] == found[1] == found[2]
    assert len(found[0]) == 6


# --- points in polygons --------------------------------------------------------------


@pytest.fixture(scope="module")
def parcels(spark):
    return spark.createDataFrame(
        [
            # Straddles the cell edges at lon -122.000 and lat 37.002.
            ("p_edge", square(-122.001, 37.001, -121.999, 37.003)),
            # A big parcel with a small one inside it.
            ("big", square(-121.996, 37.004, -121.990, 37.008)),
            ("small", square(-121.994, 37.005, -121.993, 37.006)),
            # Two identical parcels: the smaller id wins.
            ("twin_b", square(-121.980, 37.010, -121.979, 37.011)),
            ("twin_a", square(-121.980, 37.010, -121.979, 37.011)),
            ("no_wkt", None),
        ],
        "parcel_id STRING, wkt STRING",
    )


@pytest.fixture(scope="module")
def parcel_points(spark):
    return spark.createDataFrame(
        [
            ("west_cell", 37.0015, -122.0005),
            ("east_cell", 37.0025, -121.9995),
            ("on_edge", 37.001, -122.0),
            ("outside", 37.0035, -122.0),
            ("in_small", 37.0055, -121.9935),
            ("in_big_only", 37.0075, -121.9950),
            ("in_twins", 37.0105, -121.9795),
            ("null_lat", None, -122.0005),
            ("null_lon", 37.0015, None),
        ],
        POINTS_SCHEMA,
    )


def test_points_in_polygons(parcels, parcel_points):
    result = points_in_polygons(
        parcel_points, parcels, point_key=["pid"], polygon_id="parcel_id", cell_deg=CELL
    )

    assert result.columns == ["pid", "parcel_id"]
    assert as_dict(result, "pid", "parcel_id") == {
        "west_cell": "p_edge",
        "east_cell": "p_edge",
        "on_edge": "p_edge",
        "in_small": "small",
        "in_big_only": "big",
        "in_twins": "twin_a",
    }


def test_points_in_polygons_renames_the_id_and_keeps_composite_keys(spark, parcels):
    points = spark.createDataFrame(
        [("s1", "1", 37.0015, -122.0005), ("s2", "1", 37.0055, -121.9935)],
        "source STRING, rid STRING, lat DOUBLE, lon DOUBLE",
    )

    result = points_in_polygons(
        points,
        parcels.withColumnRenamed("parcel_id", "pid"),
        point_key=["source", "rid"],
        polygon_id="pid",
        cell_deg=CELL,
    )

    assert sorted(tuple(r) for r in result.collect()) == [
        ("s1", "1", "p_edge"),
        ("s2", "1", "small"),
    ]


def test_points_in_polygons_plan_has_no_cross_join(parcels, parcel_points):
    result = points_in_polygons(
        parcel_points, parcels, point_key=["pid"], polygon_id="parcel_id", cell_deg=CELL
    )

    assert_equi_joins_only(result)


# --- nearest lines -------------------------------------------------------------------


@pytest.fixture(scope="module")
def roads(spark):
    west, east_ = LON0 - 0.0008, LON0 + 0.0008
    return spark.createDataFrame(
        [
            # Two east-west roads 20 m north and 40 m south of LAT0.
            ("north_20", "North St", line((LAT0 + north(20), west), (LAT0 + north(20), east_))),
            ("south_40", "South St", line((LAT0 - north(40), west), (LAT0 - north(40), east_))),
            # A road near the top edge of its cell row (37.002), and one near the west
            # edge of its cell column (-122.000).
            ("edge_row", "Row Rd", line((37.0019, -121.9600), (37.0019, -121.9580))),
            ("edge_col", "Col Rd", line((37.0300, -121.9998), (37.0310, -121.9998))),
            # Duplicate geometry under two ids: the smaller id wins the tie.
            ("dup_b", "Dup B", line((37.0500, -121.9500), (37.0500, -121.9490))),
            ("dup_a", "Dup A", line((37.0500, -121.9500), (37.0500, -121.9490))),
            ("no_wkt", "Nowhere", None),
        ],
        "road_id STRING, name STRING, wkt STRING",
    )


@pytest.fixture(scope="module")
def road_points(spark):
    return spark.createDataFrame(
        [
            ("between", LAT0, LON0),
            ("near_south", LAT0 - north(35), LON0),
            ("across_row_edge", 37.00205, -121.9590),  # next cell row, 16.7 m from edge_row
            ("across_col_edge", 37.0305, -122.00005),  # next cell column, ~22 m from edge_col
            ("dup", 37.0501, -121.9495),
            ("at_70m", 37.0400 + north(70), -121.9700),
            ("at_80m", 37.0400 - north(80), -121.9700),
            ("nothing_near", 37.2, -121.5),
            ("null_lat", None, LON0),
        ],
        POINTS_SCHEMA,
    )


def _nearest(points, roads, **kwargs):
    options = {"radius_m": 75.0, "cell_deg": CELL} | kwargs
    return nearest_lines(
        points, roads, point_key=["pid"], line_id="road_id", line_name="name", **options
    )


def test_nearest_lines(spark, roads, road_points):
    cutoff_road = spark.createDataFrame(
        [("cutoff", "Cutoff Ave", line((37.0400, -121.9710), (37.0400, -121.9690)))],
        "road_id STRING, name STRING, wkt STRING",
    )

    result = _nearest(road_points, roads.unionByName(cutoff_road))
    rows = {row.pid: row for row in result.collect()}

    assert result.columns == ["pid", "road_id", "name", "distance_m"]
    assert set(rows) == {
        "between",
        "near_south",
        "across_row_edge",
        "across_col_edge",
        "dup",
        "at_70m",
    }
    assert (rows["between"].road_id, rows["between"].name) == ("north_20", "North St")
    assert rows["between"].distance_m == pytest.approx(20.0, abs=0.01)
    assert (rows["near_south"].road_id, rows["near_south"].distance_m) == (
        "south_40",
        pytest.approx(5.0, abs=0.01),
    )
    assert rows["across_row_edge"].road_id == "edge_row"
    assert rows["across_row_edge"].distance_m == pytest.approx(
        0.00015 * METRES_PER_DEGREE, rel=1e-6
    )
    assert rows["across_col_edge"].road_id == "edge_col"
    east_west_m = 0.00025 * METRES_PER_DEGREE * math.cos(math.radians(37.0305))
    assert rows["across_col_edge"].distance_m == pytest.approx(east_west_m, rel=1e-6)
    assert (rows["dup"].road_id, rows["dup"].name) == ("dup_a", "Dup A")
    assert rows["at_70m"].road_id == "cutoff"
    assert rows["at_70m"].distance_m == pytest.approx(70.0, abs=0.01)


def test_nearest_lines_edge_cases_really_cross_a_cell_edge():
    # The points of the neighbour-cell cases are in another cell than the whole road.
    assert grid_index(37.00205) != grid_index(37.0019)
    assert grid_index(-122.00005) != grid_index(-121.9998)


def test_nearest_lines_radius_is_inclusive_and_configurable(roads, road_points):
    tight = as_dict(_nearest(road_points, roads, radius_m=19.0), "pid", "road_id")
    wide = as_dict(_nearest(road_points, roads, radius_m=21.0), "pid", "road_id")

    assert "between" not in tight
    assert wide["between"] == "north_20"


def test_nearest_lines_long_road_split_or_whole_gives_the_same_answer(spark):
    # A diagonal road over ~0.06° (30 by 30 cells): indexed by segments at the default
    # threshold and as one bbox when the threshold is raised.
    diagonal = line((37.100, -121.800), (37.130, -121.770), (37.160, -121.770))
    roads = spark.createDataFrame(
        [("diag", "Diagonal Hwy", diagonal)], "road_id STRING, name STRING, wkt STRING"
    )
    lats = np.array([37.1151, 37.1149, 37.1450, 37.1000, 37.1600, 37.1300])
    lons = np.array([-121.7851, -121.7845, -121.7705, -121.7995, -121.7690, -121.7740])
    points = spark.createDataFrame(
        [
            (f"q{i}", float(lat), float(lon))
            for i, (lat, lon) in enumerate(zip(lats, lons, strict=True))
        ],
        POINTS_SCHEMA,
    )
    expected = distances_m(
        lats, lons, parse_geometries(np.array([diagonal] * len(lats), dtype=object))
    )

    split = as_dict(_nearest(points, roads, max_bbox_cells=64), "pid", "distance_m")
    whole = as_dict(_nearest(points, roads, max_bbox_cells=100_000), "pid", "distance_m")

    within = {f"q{i}": d for i, d in enumerate(expected) if d <= 75.0}
    assert len(within) >= 4
    assert split.keys() == whole.keys() == within.keys()
    for pid, distance in within.items():
        assert split[pid] == pytest.approx(distance, abs=1e-6)
        assert whole[pid] == pytest.approx(distance, abs=1e-6)


def test_nearest_lines_measure_multi_part_and_non_line_geometries_too(spark):
    # A multi-line whose second part is the nearer, a collection holding a line, and a
    # polygon "road" the point lies in: each is as far as `distances_m` finds it.
    multi = (
        "MULTILINESTRING ((-121.800 37.100, -121.800 37.101),"
        " (-121.7996 37.1000, -121.7996 37.1010))"
    )
    collection = (
        "GEOMETRYCOLLECTION (POINT (-121.7000 37.2000),"
        " LINESTRING (-121.7003 37.2000, -121.7003 37.2010))"
    )
    square = (
        "POLYGON ((-121.6001 37.2999, -121.5999 37.2999, -121.5999 37.3001,"
        " -121.6001 37.3001, -121.6001 37.2999))"
    )
    roads = spark.createDataFrame(
        [
            ("multi", "Two Part Rd", multi),
            ("mixed", "Mixed Way", collection),
            ("plaza", "Plaza", square),
        ],
        "road_id STRING, name STRING, wkt STRING",
    )
    lats = np.array([37.1005, 37.2005, 37.3000])
    lons = np.array([-121.7993, -121.7001, -121.6000])
    points = spark.createDataFrame(
        [
            (f"p{i}", float(lat), float(lon))
            for i, (lat, lon) in enumerate(zip(lats, lons, strict=True))
        ],
        POINTS_SCHEMA,
    )
    expected = distances_m(
        lats, lons, parse_geometries(np.array([multi, collection, square], dtype=object))
    )

    found = _nearest(points, roads, radius_m=60.0)

    assert as_dict(found, "pid", "road_id") == {"p0": "multi", "p1": "mixed", "p2": "plaza"}
    distances = as_dict(found, "pid", "distance_m")
    for i, distance in enumerate(expected):
        assert distances[f"p{i}"] == pytest.approx(distance, abs=1e-6)
    assert distances["p0"] == pytest.approx(
        0.0003 * METRES_PER_DEGREE * math.cos(math.radians(37.1005)), rel=1e-3
    )
    assert distances["p2"] == 0.0


def test_nearest_lines_measured_natively_are_the_distances_to_the_lines(spark):
    # Lines of 2 to 8 vertices (a ring among them), each alone with its point (pairs 5 km
    # apart, a 1 km radius): measured in Spark segment by segment, each is as far as
    # `distances_m` finds it.
    rng = np.random.default_rng(11)
    lines, lat, lon = [], [], []
    for i in range(120):
        x0, y0 = -122.0 + (i % 12) * 0.05, 37.0 + (i // 12) * 0.05
        path = np.column_stack(
            [
                x0 + np.cumsum(rng.normal(0, 3e-4, 2 + i % 7)),
                y0 + np.cumsum(rng.normal(0, 3e-4, 2 + i % 7)),
            ]
        )
        lines.append(shapely.LineString(path))
        lat.append(y0 + rng.normal(0, 5e-4))
        lon.append(x0 + rng.normal(0, 5e-4))
    lines[-1] = shapely.LinearRing(
        [(lon[-1] - 1e-3, lat[-1]), (lon[-1], lat[-1] + 1e-3), (lon[-1] + 1e-3, lat[-1])]
    )
    roads = spark.createDataFrame(
        [(f"r{i}", "Random Way", geom.wkt) for i, geom in enumerate(lines)],
        "road_id STRING, name STRING, wkt STRING",
    )
    points = spark.createDataFrame(
        [(f"r{i}", float(y), float(x)) for i, (y, x) in enumerate(zip(lat, lon, strict=True))],
        POINTS_SCHEMA,
    )
    expected = distances_m(np.array(lat), np.array(lon), np.array(lines, dtype=object))

    found = _nearest(points, roads, radius_m=1000.0)

    assert as_dict(found, "pid", "road_id") == {f"r{i}": f"r{i}" for i in range(len(lines))}
    distances = as_dict(found, "pid", "distance_m")
    np.testing.assert_allclose(
        [distances[f"r{i}"] for i in range(len(lines))], expected, rtol=1e-9, atol=1e-6
    )


def test_nearest_lines_plan_has_no_cross_join(roads, road_points):
    assert_equi_joins_only(_nearest(road_points, roads))


def test_nearest_lines_rejects_clashing_key(roads, road_points):
    with pytest.raises(ValueError, match="clash"):
        nearest_lines(
            road_points.withColumnRenamed("pid", "road_id"),
            roads,
            point_key=["road_id"],
            line_id="road_id",
            line_name="name",
            radius_m=75.0,
            cell_deg=CELL,
        )
