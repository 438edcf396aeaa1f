"""Survivorship: the best-supported value per field, the point, confidence and lineage;
unit designators: a unit's own confirmed designator stands, otherwise its building's."""

from __future__ import annotations

from datetime import date

import pytest
from pyspark.sql import functions as F

from geodata.conflation.aliases import ALIAS_COLUMNS
from geodata.conflation.neighbours import NEIGHBOURS_PROVENANCE
from geodata.conflation.survivorship import best_values, building_designators, with_designator
from tests.conflation.records import CLUSTERING, METRE, enriched_frame, enriched_record

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


CLUSTERS = "key string, cluster_key string, min_edge_probability double"
PAIRS = "key_l string, key_r string, match_probability double"
ALIASES = ", ".join(f"{c} string" for c in ALIAS_COLUMNS)


def _survive(spark, rows, clusters, pairs=(), aliases=(), half_life_days=365.0):
    """Addresses by cluster and lineage as a set, for records `rows` in `clusters`."""
    key = "{}\u001f{}".format
    addresses, lineage = best_values(
        enriched_frame(spark, rows),
        spark.createDataFrame([(key(*k.split(":")), c, p) for k, c, p in clusters], CLUSTERS),
        spark.createDataFrame(
            [(key(*left.split(":")), key(*right.split(":")), p) for left, right, p in pairs],
            PAIRS,
        ),
        spark.createDataFrame(list(aliases), ALIASES),
        # rooftop 1.0, parcel 0.9, interpolated 0.8
        accuracy_weight=CLUSTERING.accuracy_weight,
        recency_half_life_days=half_life_days,
    )
    by_cluster = {r.cluster_key: r for r in addresses.collect()}
    ids = {c: r.address_id for c, r in by_cluster.items()}
    lineage_rows = {(r.address_id, r.source, r.source_record_id) for r in lineage.collect()}
    return by_cluster, lineage_rows, ids


def test_values_with_most_support_win_and_the_most_accurate_point_is_taken(spark):
    rows = [
        enriched_record("a", "1", "12", "MISSION ST"),  # rooftop, priority 1: support 0.5
        enriched_record("b", "1", "12", "MISSION ST", lat=37.75 + 12 * METRE, postcode="94103"),
        enriched_record("c", "1", "12", "MISSOIN ST", lat=37.75 - 25 * METRE, postcode=None),
        enriched_record("a", "2", "14", "MISSION ST", lat=37.75 + 20 * METRE),
    ]
    clusters = [("a:1", "k1", 0.9), ("b:1", "k1", 0.9), ("c:1", "k1", 0.9), ("a:2", "k2", 1.0)]
    pairs = [("a:1", "b:1", 0.95), ("a:1", "c:1", 0.9), ("a:2", "b:1", 0.2)]

    addresses, lineage, ids = _survive(spark, rows, clusters, pairs)

    mission = addresses["k1"]
    # MISSION ST: 0.5 (a) + 0.3 (b, parcel 0.9 / 3) against 0.2 (c, interpolated 0.8 / 4).
    assert (mission.house_number, mission.street, mission.postcode) == ("12", "MISSION ST", "94110")
    assert mission.provenance["street"] == "a" and mission.provenance["postcode"] == "a"
    assert (mission.lat, mission.geometry_accuracy, mission.provenance["geometry"]) == (
        37.75,
        "rooftop",
        "a",
    )
    assert mission.sources == ["a", "b", "c"] and mission.source_count == 3
    # The weakest edge inside (0.9) x no merge with k2 (1 - 0.2).
    assert mission.confidence == pytest.approx(0.9 * 0.8)
    assert addresses["k2"].confidence == pytest.approx(0.8)
    assert lineage == {
        (ids["k1"], "a", "1"),
        (ids["k1"], "b", "1"),
        (ids["k1"], "c", "1"),
        (ids["k2"], "a", "2"),
    }


def test_an_old_record_counts_less(spark):
    rows = [
        enriched_record("a", "1", "12", "MISSION ST", dt=date(2024, 10, 1)),  # 0.5 x 0.5 x 0.5
        enriched_record("b", "1", "12", "MISSION ST", postcode="94103"),  # 0.3
    ]
    clusters = [("a:1", "k1", 0.9), ("b:1", "k1", 0.9)]

    addresses, _, _ = _survive(spark, rows, clusters)
    assert addresses["k1"].postcode == "94103"
    assert addresses["k1"].provenance["postcode"] == "b"

    addresses, _, _ = _survive(spark, rows, clusters, half_life_days=100_000.0)
    assert addresses["k1"].postcode == "94110"


def test_aliased_names_vote_for_the_name_most_records_use(spark):
    rows = [
        enriched_record("a", "1", "100", "ARMY ST"),
        enriched_record("b", "1", "100", "CESAR CHAVEZ ST"),
        enriched_record("b", "2", "102", "CESAR CHAVEZ ST", lat=37.75 + 40 * METRE),
        enriched_record("c", "2", "102", "CESAR CHAVEZ ST", lat=37.75 + 40 * METRE),
    ]
    clusters = [("a:1", "k1", 0.9), ("b:1", "k1", 0.9), ("b:2", "k2", 0.9), ("c:2", "k2", 0.9)]
    aliases = [
        ("US-CA", "street", "ARMY ST", "CESAR CHAVEZ ST"),
        ("US-CA", "street", "CESAR CHAVEZ ST", "ARMY ST"),
    ]

    without, _, _ = _survive(spark, rows, clusters)
    assert without["k1"].street == "ARMY ST"  # 0.5 (a) against 0.3 (b)

    renamed, _, _ = _survive(spark, rows, clusters, aliases=aliases)
    assert renamed["k1"].street == "CESAR CHAVEZ ST"
    assert renamed["k1"].provenance["street"] == "a"


def test_a_unit_without_its_own_designator_takes_its_buildings(spark):
    rows = [
        enriched_record("a", "1", "12", "MISSION ST", unit="APT 1"),
        enriched_record("b", "1", "12", "MISSION ST", unit="APT 1"),
        enriched_record("a", "2", "12", "MISSION ST", unit="# 2"),
    ]
    clusters = [("a:1", "u1", 1.0), ("b:1", "u1", 1.0), ("a:2", "u2", 1.0)]

    addresses, _, _ = _survive(spark, rows, clusters)

    assert (addresses["u1"].unit, addresses["u2"].unit) == ("APT 1", "APT 2")


def test_a_postcode_no_source_gives_comes_from_its_building_marked_as_such(spark):
    rows = [
        enriched_record("a", "1", "12", "MISSION ST", unit="APT 1"),
        enriched_record("b", "2", "12", "MISSION ST", unit="APT 2", postcode=None),
    ]
    clusters = [("a:1", "u1", 1.0), ("b:2", "u2", 1.0)]

    addresses, _, _ = _survive(spark, rows, clusters)

    flat = addresses["u2"]
    assert flat.postcode == addresses["u1"].postcode == "94110"
    assert flat.provenance["postcode"] == NEIGHBOURS_PROVENANCE
    assert flat.provenance["street"] == "b" and addresses["u1"].provenance["postcode"] == "a"
    assert flat.sources == ["b"], "a value from the neighbours adds no source"
