"""Array-level geometry of the spatial index, without Spark."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from geodata.spatial.geometry import (
    METRES_PER_DEGREE,
    bbox_cell_counts,
    buffer_degrees,
    distances_m,
    line_pieces,
    line_vertices,
    local_offsets_m,
    parse_geometries,
    points_in_geometries,
)

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1, lon1, lat2, lon2):
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = phi2 - phi1, np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))


def destination(lat, lon, bearing_deg, distance_m):
    """Great-circle destination point on the sphere (independent of the projection)."""
    phi1, lmb1, theta = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    delta = distance_m / EARTH_RADIUS_M
    phi2 = math.asin(
        math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta)
    )
    lmb2 = lmb1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi1),
        math.cos(delta) - math.sin(phi1) * math.sin(phi2),
    )
    return math.degrees(phi2), math.degrees(lmb2)


def wkts(*values):
    return np.array(values, dtype=object)


def test_parse_geometries_nulls_and_invalid_are_none_and_repeats_parse_once():
    geoms = parse_geometries(wkts("POINT (1 2)", None, "not wkt", "", "POINT (1 2)"))

    assert geoms[0] == shapely.Point(1, 2)
    assert geoms[1] is None and geoms[2] is None and geoms[3] is None
    assert geoms[4] is geoms[0]


def test_parse_geometries_reads_wkb():
    blobs = shapely.to_wkb(np.array([shapely.LineString([(0, 0), (1, 1)]), None]))

    geoms = parse_geometries(blobs, wkb=True)

    assert geoms[0].equals(shapely.LineString([(0, 0), (1, 1)]))
    assert geoms[1] is None


@pytest.mark.parametrize("lat0", [0.0, 30.0, 45.0, 60.0, 70.0, -52.0])
@pytest.mark.parametrize("bearing", [0, 37, 90, 135, 200, 270, 333])
def test_projection_within_half_a_percent_of_haversine_at_500_m(lat0, bearing):
    lon0 = -122.4
    lat, lon = destination(lat0, lon0, bearing, 500.0)

    x, y = local_offsets_m(np.array([lat0]), np.array([lon0]), np.array([lat]), np.array([lon]))

    projected = float(np.hypot(x, y)[0])
    true = float(haversine_m(lat0, lon0, lat, lon))
    assert true == pytest.approx(500.0, rel=1e-9)
    assert projected == pytest.approx(true, rel=0.005)
    # In practice far better than the 0.5 % budget.
    assert projected == pytest.approx(true, rel=5e-4)


def test_buffer_degrees_widen_longitude_towards_the_pole():
    dlat, dlon = buffer_degrees(np.array([0.0, 59.0]), np.array([0.0, 60.0]), 100.0)

    assert dlat == pytest.approx(100.0 / METRES_PER_DEGREE, rel=0.02)
    assert dlon[0] == pytest.approx(dlat, rel=1e-6)
    # Sized at the polar edge of the (buffered) bbox: cos(60°) = 0.5.
    assert dlon[1] == pytest.approx(2 * dlat, rel=1e-3)
    assert dlon[1] > dlat / math.cos(math.radians(60.0))


def test_bbox_cell_counts():
    bounds = np.array(
        [
            [0.0005, 0.0005, 0.0015, 0.0015],  # inside one 0.002° cell
            [0.0015, 0.0015, 0.0025, 0.0045],  # 2 columns by 3 rows
            [np.nan, np.nan, np.nan, np.nan],
        ]
    )

    counts = bbox_cell_counts(bounds, 0.002)

    assert counts[:2].tolist() == [1, 6]
    assert np.isnan(counts[2])
    # The first bbox is 0.0005° (~56 m) from each cell edge: a 40 m buffer stays in the
    # cell, a 60 m one reaches all eight neighbours.
    assert bbox_cell_counts(bounds[:1], 0.002, 40.0).tolist() == [1]
    assert bbox_cell_counts(bounds[:1], 0.002, 60.0).tolist() == [9]


def test_line_pieces_keep_short_lines_whole():
    geoms = parse_geometries(wkts("LINESTRING (0.0001 0.0001, 0.0012 0.0003)", None))

    pieces = line_pieces(geoms, 0.002, 75.0, 64)

    assert pieces.owner.tolist() == [0]
    assert pieces.geometry[0] is geoms[0]
    assert pieces.bounds.tolist() == [[0.0001, 0.0001, 0.0012, 0.0003]]


def test_line_pieces_split_long_lines_into_short_segments_covering_the_line():
    line = shapely.LineString([(-122.0, 37.0), (-121.9, 37.1), (-121.9, 37.3)])
    geoms = np.array([line], dtype=object)

    pieces = line_pieces(geoms, 0.002, 75.0, 64)

    assert set(pieces.owner.tolist()) == {0}
    # Cost grows with length (0.34° / 0.002° ≈ 170 segments), not with bbox area.
    assert 150 <= len(pieces.owner) <= 200
    assert sum(shapely.length(pieces.geometry)) == pytest.approx(line.length, rel=1e-12)
    assert shapely.hausdorff_distance(shapely.union_all(pieces.geometry), line) < 1e-12
    spans = np.maximum(
        pieces.bounds[:, 2] - pieces.bounds[:, 0], pieces.bounds[:, 3] - pieces.bounds[:, 1]
    )
    assert spans.max() <= 0.002 + 1e-12
    np.testing.assert_array_equal(pieces.bounds, shapely.bounds(pieces.geometry))


def test_line_pieces_do_not_bridge_the_parts_of_a_multilinestring():
    multi = shapely.MultiLineString([[(0.0, 0.0), (0.02, 0.0)], [(0.5, 0.5), (0.5, 0.53)]])

    pieces = line_pieces(np.array([multi], dtype=object), 0.002, 75.0, 64)

    assert sum(shapely.length(pieces.geometry)) == pytest.approx(multi.length)
    assert shapely.hausdorff_distance(shapely.union_all(pieces.geometry), multi) < 1e-12


def test_distances_m_point_to_line():
    lat = np.array([37.0 + 30 / METRES_PER_DEGREE, 37.0, 37.0])
    lon = np.array([-122.0, -122.0, -122.0])
    road = "LINESTRING (-122.001 37, -121.999 37)"

    distances = distances_m(lat, lon, parse_geometries(wkts(road, road, None)))

    assert distances[0] == pytest.approx(30.0, rel=1e-9)
    assert distances[1] == 0.0
    assert np.isnan(distances[2])


def test_distances_m_east_west_shrink_with_latitude():
    # 0.001° of longitude is half as many metres at 60° as at the equator.
    lat = np.array([0.0, 60.0])
    lon = np.array([0.0, 0.0])
    geoms = parse_geometries(
        wkts("LINESTRING (0.001 -1, 0.001 1)", "LINESTRING (0.001 59, 0.001 61)")
    )

    distances = distances_m(lat, lon, geoms)

    assert distances[0] == pytest.approx(0.001 * METRES_PER_DEGREE)
    assert distances[1] == pytest.approx(0.0005 * METRES_PER_DEGREE, rel=1e-9)


def test_distances_m_to_lines_agree_with_shapely_in_the_local_projection():
    # Random lines, multi-lines and a polygon: the segment arithmetic for lines gives
    # shapely's own distance in the point's local projection.
    rng = np.random.default_rng(3)
    geoms, lat, lon = [], [], []
    for i in range(300):
        x0, y0 = -122.4 + rng.random() * 0.01, 37.7 + rng.random() * 0.01
        path = np.column_stack(
            [x0 + np.cumsum(rng.normal(0, 3e-4, 6)), y0 + np.cumsum(rng.normal(0, 3e-4, 6))]
        )
        geoms.append(
            shapely.LineString(path)
            if i % 3
            else shapely.MultiLineString([path[:3], path[3:] + 0.002])
        )
        lat.append(y0 + rng.normal(0, 5e-4))
        lon.append(x0 + rng.normal(0, 5e-4))
    geoms.append(shapely.box(-122.401, 37.699, -122.399, 37.701))
    lat.append(37.7)
    lon.append(-122.4)
    geoms, lat, lon = np.array(geoms, dtype=object), np.array(lat), np.array(lon)

    coords, owner = shapely.get_coordinates(geoms, return_index=True)
    x, y = local_offsets_m(lat[owner], lon[owner], coords[:, 1], coords[:, 0])
    projected = shapely.set_coordinates(geoms.copy(), np.column_stack([x, y]))
    expected = shapely.distance(projected, shapely.Point(0.0, 0.0))

    distances = distances_m(lat, lon, geoms)

    np.testing.assert_allclose(distances, expected, rtol=1e-9, atol=1e-9)
    assert distances[-1] == 0.0  # inside the polygon


def test_distances_m_never_bridge_the_parts_of_a_multilinestring():
    # The point lies on the gap between the two parts: 100 m from each part's end.
    step = 100 / METRES_PER_DEGREE
    multi = shapely.MultiLineString(
        [[(-step * 3, 0.0), (-step, 0.0)], [(step, 0.0), (step * 3, 0.0)]]
    )
    empty = shapely.from_wkt("LINESTRING EMPTY")

    distances = distances_m(
        np.array([0.0, 0.0]), np.array([0.0, 0.0]), np.array([multi, empty], dtype=object)
    )

    assert distances[0] == pytest.approx(100.0, rel=1e-9)
    assert np.isnan(distances[1])


def test_line_vertices_leave_out_other_geometries():
    geoms = np.array(
        [
            shapely.box(0.0, 0.0, 1.0, 1.0),
            shapely.LineString([(0.0, 0.0), (0.001, 0.0)]),
            shapely.MultiLineString([[(0.0, 0.0), (0.0, 0.001)]]),
            shapely.Point(0.0, 0.0),
        ],
        dtype=object,
    )

    simple, vertices, counts = line_vertices(geoms)

    assert simple.tolist() == [False, True, False, False]
    assert vertices.tolist() == [0.0, 0.0, 0.001, 0.0]
    assert counts.tolist() == [2]


def test_points_in_geometries_inside_outside_boundary_and_null():
    square = "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))"
    geoms = parse_geometries(wkts(square, square, square, square, None))

    inside = points_in_geometries(
        np.array([0.5, 1.5, 0.0, 0.5, 0.5]), np.array([0.5, 0.5, 0.5, 1.0, 0.5]), geoms
    )

    assert inside.tolist() == [True, False, True, True, False]
