"""Unit designators: a unit's own confirmed designator stands, otherwise its building's."""

from __future__ import annotations

import pytest
from pyspark.sql import functions as F

from geodata.conflation.survivorship import building_designators, with_designator

VOTES = "cluster_key string, value string, support double"
BUILDINGS = "cluster_key string, building_key string"


def _designators(spark, votes, buildings) -> dict[str, str]:
    result = building_designators(
        spark.createDataFrame(votes, VOTES), spark.createDataFrame(buildings, BUILDINGS)
    )
    rows = result.collect()
    assert len(rows) == len({r.cluster_key for r in rows}), "one designator per cluster"
    return {r.cluster_key: r.designator for r in rows}


def test_generic_or_single_source_designators_follow_the_building(spark):
    buildings = [(f"u{i}", "100 MAIN ST") for i in range(1, 6)] + [("x1", "7 OAK ST")]
    votes = [
        # Units 1-3: the building's sources say APT.
        ("u1", "APT 1", 0.5),
        ("u1", "APT 1", 0.2),
        ("u2", "APT 2", 0.5),
        ("u2", "# 2", 0.2),
        ("u3", "APT 3", 0.25),
        # Unit 4: only "#": no designator of its own.
        ("u4", "# 4", 0.5),
        # Unit 5: one source says UNIT, against the building.
        ("u5", "UNIT 5", 0.5),
        # Another building with no designator at all.
        ("x1", "# 9", 0.5),
    ]

    found = _designators(spark, votes, buildings)

    assert found == {"u1": "APT", "u2": "APT", "u3": "APT", "u4": "APT", "u5": "APT"}


def test_a_confirmed_designator_stands_in_a_mixed_building(spark):
    buildings = [("s1", "1 MARKET ST"), ("a1", "1 MARKET ST"), ("a2", "1 MARKET ST")]
    votes = [
        ("s1", "STE 100", 0.5),
        ("s1", "STE 100", 0.25),  # two sources agree: a suite among apartments
        ("a1", "APT 2", 0.5),
        ("a1", "APT 2", 0.25),
        ("a2", "APT 3", 0.5),
        ("a2", "UNIT 3", 0.25),  # disagreement: the building decides among these two
    ]

    found = _designators(spark, votes, buildings)

    assert found == {"s1": "STE", "a1": "APT", "a2": "APT"}


@pytest.mark.parametrize(
    ("unit", "designator", "expected"),
    [
        ("# 4", "APT", "APT 4"),
        ("UNIT 4B", "APT", "APT 4B"),
        ("FLAT 2", "FLAT", "FLAT 2"),
        ("A 5", "APT", "A 5"),  # a Finnish staircase and flat, not a designator
        ("BLDG 2 APT 4", "UNIT", "BLDG 2 APT 4"),
        ("# 4", None, "# 4"),
        (None, "APT", None),
    ],
)
def test_with_designator_rewrites_simple_units_only(spark, unit, designator, expected):
    frame = spark.createDataFrame([(unit, designator)], "unit string, designator string")

    (row,) = frame.select(with_designator(F.col("unit"), F.col("designator")).alias("u")).collect()

    assert row.u == expected
