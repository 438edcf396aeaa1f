"""Conflated-field accuracy and geometry error on hand-built outputs."""

from __future__ import annotations

import math

import pytest
from pyspark.sql import functions as F

from geodata.evaluation import field_accuracy, geometry_error, haversine_m, majority_truth
from geodata.evaluation.fields import EARTH_RADIUS_M

FIELDS = "house_number string, street string, unit string, locality string, postcode string"
CONFLATED_SCHEMA = f"address_id string, {FIELDS}, lat double, lon double"
TRUTH_SCHEMA = f"truth_address_id string, {FIELDS}, lat double, lon double"
ASSIGNED_SCHEMA = "address_id string, truth_address_id string"

# A holds two records of T1; B one of T1 and one of T2 (tie → T1, the smaller id);
# C one of T2 and two of T3 (majority T3).
ASSIGNED = [("A", "T1"), ("A", "T1"), ("B", "T2"), ("B", "T1"), ("C", "T2"), ("C", "T3")]
ASSIGNED += [("C", "T3")]

TRUTH = [
    ("T1", "12", "MAIN ST", None, "SPRINGFIELD", "90001", 10.0, 20.0),
    ("T2", "14", "MAIN ST", "APT 2", "SPRINGFIELD", "90001", 10.0, 20.0),
    ("T3", "7", "OAK AVE", None, "SPRINGFIELD", "90002", 0.0, 0.0),
]
CONFLATED = [
    # Same as T1 but for case and spacing: all right.
    ("A", "12", "main  st ", None, "Springfield", "90001", 10.0, 20.0),
    # Judged against T1: unit where the truth has none (wrong), empty postcode (missing: wrong).
    ("B", "12", "MAIN ST", "APT 2", "SPRINGFIELD", "", 10.001, 20.0),
    # Judged against T3: wrong house number; its point is 0.01 degrees north.
    ("C", "9", "OAK AVE", "", "SPRINGFIELD", "90002", 0.01, 0.0),
]


def _frames(spark):
    return (
        spark.createDataFrame(ASSIGNED, ASSIGNED_SCHEMA),
        spark.createDataFrame(CONFLATED, CONFLATED_SCHEMA),
        spark.createDataFrame(TRUTH, TRUTH_SCHEMA),
    )


def test_majority_truth_breaks_ties_by_smallest_id(spark):
    assigned, _, _ = _frames(spark)
    rows = {r.address_id: r.truth_address_id for r in majority_truth(assigned).collect()}
    assert rows == {"A": "T1", "B": "T1", "C": "T3"}


def test_field_accuracy_per_field_with_null_handling(spark):
    accuracy = field_accuracy(*_frames(spark))
    assert accuracy.addresses == 3
    # house_number: A, B right, C wrong. street: all right. unit: A (null/null) and C
    # ('' is null, truth null) right, B wrong. locality: all right. postcode: A, C right.
    assert accuracy.correct == {
        "house_number": 2,
        "street": 3,
        "unit": 2,
        "locality": 3,
        "postcode": 2,
    }
    assert accuracy.accuracy("street") == 1.0
    assert accuracy.accuracy("unit") == pytest.approx(2 / 3)
    assert accuracy.overall == pytest.approx(12 / 15)
    assert accuracy.all_correct == 1  # only A
    assert accuracy.address_exact == pytest.approx(1 / 3)


def test_field_accuracy_skips_addresses_without_labelled_records(spark):
    assigned, conflated, truth = _frames(spark)
    extra = spark.createDataFrame([("D", "1", "X ST", None, "Y", "1", 0.0, 0.0)], CONFLATED_SCHEMA)
    assert field_accuracy(assigned, conflated.unionByName(extra), truth).addresses == 3


def test_haversine_along_a_meridian_is_radius_times_angle(spark):
    points = [F.lit(v) for v in (0.0, 0.0, 0.01, 0.0)]
    row = spark.range(1).select(haversine_m(*points).alias("d")).first()
    assert row.d == pytest.approx(EARTH_RADIUS_M * math.radians(0.01))


def test_geometry_error_median_and_p95(spark):
    error = geometry_error(*_frames(spark))
    # A: 0 m; B: 0.001 degrees of latitude; C: 0.01 degrees of latitude.
    metre_per_degree = EARTH_RADIUS_M * math.radians(1)
    assert error.addresses == 3
    assert error.missing == 0
    assert error.median_m == pytest.approx(0.001 * metre_per_degree)
    # Nearest rank: the smallest error with at least 95 % of errors at or below it.
    assert error.p95_m == pytest.approx(0.01 * metre_per_degree)
    assert error.max_m == pytest.approx(0.01 * metre_per_degree)


def test_geometry_error_counts_missing_points_apart(spark):
    assigned, conflated, truth = _frames(spark)
    no_point = conflated.where("address_id = 'A'").selectExpr(
        "address_id",
        "house_number",
        "street",
        "unit",
        "locality",
        "postcode",
        "CAST(NULL AS double) AS lat",
        "CAST(NULL AS double) AS lon",
    )
    error = geometry_error(
        assigned, conflated.where("address_id <> 'A'").unionByName(no_point), truth
    )
    assert (error.addresses, error.missing) == (2, 1)


def test_empty_outputs(spark):
    empty_assigned = spark.createDataFrame([], ASSIGNED_SCHEMA)
    _, conflated, truth = _frames(spark)
    accuracy = field_accuracy(empty_assigned, conflated, truth)
    assert (accuracy.addresses, accuracy.overall, accuracy.accuracy("street")) == (0, 1.0, 1.0)
    error = geometry_error(empty_assigned, conflated, truth)
    assert (error.addresses, error.median_m, error.p95_m) == (0, None, None)
