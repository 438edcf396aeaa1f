"""Stable address ids: lineage overlap with the previous run, greedy one-to-one assignment."""

from __future__ import annotations

import hashlib
import random
from datetime import date

import pytest

from geodata.conflation import identity
from geodata.conflation.identity import (
    IdAssignmentConvergenceError,
    changed_ids,
    greedy_assignment,
    previous_run_lineage,
    stable_ids,
    with_content_ids,
    with_ids,
)
from geodata.datasets import HivePartitionedTableDataset
from geodata.schemas import ADDRESS_LINEAGE_SCHEMA

CANDIDATES = "address_id string, previous_id string, overlap long"
LINEAGE = "address_id string, source string, source_record_id string, "
LINEAGE += "iso_3166_1 string, iso_3166_2 string"


def _python_greedy(pairs):
    """The reference: take pairs by (overlap desc, address_id, previous_id), keep free ones."""
    taken_current, taken_previous, kept = set(), set(), set()
    for current, previous, _ in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
        if current not in taken_current and previous not in taken_previous:
            kept.add((current, previous))
            taken_current.add(current)
            taken_previous.add(previous)
    return kept


def _assign(spark, pairs, max_iterations=20):
    frame = spark.createDataFrame(pairs, CANDIDATES)
    return {
        (r.address_id, r.previous_id) for r in greedy_assignment(frame, max_iterations).collect()
    }


def test_a_split_keeps_the_id_on_the_largest_part_and_a_merge_keeps_the_largest_id(spark):
    pairs = [
        ("a", "X", 3),  # X split into a (3 records) and b (1 record)
        ("b", "X", 1),
        ("c", "Y", 2),  # Y and Z merged into c with a tie: the smaller id wins
        ("c", "Z", 2),
    ]
    assert _assign(spark, pairs) == {("a", "X"), ("c", "Y")}


def test_assignment_needing_several_rounds_equals_the_greedy_order(spark):
    pairs = [("a", "X", 5), ("a", "Y", 4), ("b", "Y", 3), ("b", "Z", 2), ("c", "Z", 1)]
    assert _assign(spark, pairs) == {("a", "X"), ("b", "Y"), ("c", "Z")} == _python_greedy(pairs)
    with pytest.raises(IdAssignmentConvergenceError, match="max_iterations"):
        _assign(spark, pairs, max_iterations=2)


def test_assignment_matches_the_sequential_greedy_on_random_graphs(spark):
    rng = random.Random(11)
    pairs = {}
    for _ in range(120):
        pairs[(f"c{rng.randrange(30):02d}", f"p{rng.randrange(30):02d}")] = rng.randint(1, 4)
    rows = [(c, p, w) for (c, p), w in pairs.items()]
    kept = _assign(spark, rows, max_iterations=100)
    assert kept == _python_greedy(rows)
    assert len({c for c, _ in kept}) == len(kept) == len({p for _, p in kept})


def test_previous_run_is_the_latest_earlier_date_of_each_region(spark):
    rows = [
        ("old-ca", "s", "1", date(2026, 9, 1), "US", "US-CA"),
        ("prev-ca", "s", "1", date(2026, 10, 1), "US", "US-CA"),
        ("same-day", "s", "1", date(2026, 11, 1), "US", "US-CA"),
        ("later", "s", "1", date(2026, 12, 1), "US", "US-CA"),
        ("prev-fi", "s", "2", date(2026, 8, 1), "FI", "FI-18"),
    ]
    table = spark.createDataFrame(rows, ADDRESS_LINEAGE_SCHEMA)
    previous = previous_run_lineage(table, date(2026, 11, 1))
    assert sorted(r.address_id for r in previous.collect()) == ["prev-ca", "prev-fi"]


def _run(spark, addresses, lineage, previous_rows):
    previous = spark.createDataFrame(previous_rows, ADDRESS_LINEAGE_SCHEMA)
    ids = stable_ids(
        spark.createDataFrame(addresses, "address_id string, cluster_key string"),
        spark.createDataFrame(lineage, LINEAGE),
        previous_run_lineage(previous, date(2026, 11, 1)),
        max_iterations=10,
    )
    return {r.address_id: r.stable_id for r in ids.collect()}


OCT = date(2026, 10, 1)


def test_a_continuing_address_keeps_its_id_even_when_its_text_changed(spark):
    # Content ids h1, h2 this run; the previous run called the same records "old1".
    ids = _run(
        spark,
        [("h1", "k1"), ("h2", "k2")],
        [
            ("h1", "s", "1", "US", "US-CA"),
            ("h1", "s", "2", "US", "US-CA"),
            ("h2", "s", "3", "US", "US-CA"),
        ],
        [("old1", "s", "1", OCT, "US", "US-CA"), ("old1", "s", "2", OCT, "US", "US-CA")],
    )
    assert ids == {"h1": "old1", "h2": "h2"}


def test_new_ids_never_collide_with_kept_ids(spark):
    # The previous run's "h" (the content id of 10 MAIN ST) split: "h-2" has most of its
    # records and keeps "h"; the other part "h" gets the next free number.
    ids = _run(
        spark,
        [("h", "k1"), ("h-2", "k2"), ("h-3", "k3"), ("g", "k4")],
        [
            ("h", "s", "1", "US", "US-CA"),
            ("h-2", "s", "2", "US", "US-CA"),
            ("h-2", "s", "3", "US", "US-CA"),
            ("h-3", "s", "4", "US", "US-CA"),
            ("g", "s", "5", "US", "US-CA"),
        ],
        [
            ("h", "s", "1", OCT, "US", "US-CA"),
            ("h", "s", "2", OCT, "US", "US-CA"),
            ("h", "s", "3", OCT, "US", "US-CA"),
            ("h-3", "s", "4", OCT, "US", "US-CA"),
            ("h-2", "s", "9", OCT, "US", "US-CA"),  # retired: its record is gone
        ],
    )
    assert ids["h-2"] == "h" and ids["h-3"] == "h-3" and ids["g"] == "g"
    assert ids["h"] == "h-2"  # the smallest number no kept id uses
    assert len(set(ids.values())) == len(ids)


def test_records_must_share_the_region_to_continue_an_address(spark):
    ids = _run(
        spark,
        [("h1", "k1")],
        [("h1", "s", "1", "US", "US-CA")],
        [("old-fi", "s", "1", OCT, "FI", "FI-18")],
    )
    assert ids == {"h1": "h1"}


def _keep_ids(spark, previous_rows):
    """Two addresses of this run (content ids h1, h2; records s:1, s:2) after
    the changed ids (`changed_ids`, `with_ids`) against `previous_rows` of `address_lineage`."""
    addresses = spark.createDataFrame(
        [("h1", "k1", "10"), ("h2", "k2", "12")],
        "address_id string, cluster_key string, house_number string",
    )
    lineage = spark.createDataFrame(
        [("h1", "s", "1", "US", "US-CA"), ("h2", "s", "2", "US", "US-CA")], LINEAGE
    )
    previous = spark.createDataFrame(previous_rows, ADDRESS_LINEAGE_SCHEMA)
    ids = changed_ids(addresses, lineage, previous, date(2026, 11, 1), max_iterations=20)
    kept_addresses, kept_lineage = with_ids(ids, addresses, lineage)
    assert kept_addresses.columns == addresses.columns
    assert kept_lineage.columns == lineage.columns
    return (
        sorted(tuple(r) for r in kept_addresses.collect()),
        sorted(tuple(r) for r in kept_lineage.collect()),
    )


def test_the_first_run_keeps_content_ids(spark):
    kept_addresses, kept_lineage = _keep_ids(spark, [])
    assert kept_addresses == [("h1", "k1", "10"), ("h2", "k2", "12")]
    assert kept_lineage == [("h1", "s", "1", "US", "US-CA"), ("h2", "s", "2", "US", "US-CA")]


@pytest.mark.parametrize("broadcast_limit", [200_000, 0], ids=["broadcast", "shuffled"])
def test_kept_ids_replace_content_ids_in_addresses_and_lineage(spark, monkeypatch, broadcast_limit):
    # Few changed ids are broadcast, many are joined by a shuffle: the same ids either way.
    monkeypatch.setattr(identity, "BROADCAST_CHANGED_IDS", broadcast_limit)
    kept_addresses, kept_lineage = _keep_ids(
        spark,
        [
            ("old1", "s", "1", OCT, "US", "US-CA"),
            ("gone", "s", "9", OCT, "US", "US-CA"),
            ("today", "s", "2", date(2026, 11, 1), "US", "US-CA"),  # not an earlier run
        ],
    )
    assert kept_addresses == [("h2", "k2", "12"), ("old1", "k1", "10")]
    assert kept_lineage == [("h2", "s", "2", "US", "US-CA"), ("old1", "s", "1", "US", "US-CA")]


def test_content_ids_hash_the_canonical_address_and_number_clusters_sharing_one(spark):
    columns = "cluster_key string, iso_3166_1 string, iso_3166_2 string, "
    columns += "house_number string, street string, unit_id string"
    addresses = spark.createDataFrame(
        [
            ("k2", "US", "US-CA", "12", "MISSION ST", None),
            ("k1", "US", "US-CA", "12", "MISSION ST", None),
            ("k3", "US", "US-CA", "12", "MISSION ST", "1"),
            ("k4", "US", "US-NV", "12", "MISSION ST", None),
        ],
        columns,
    )
    ids = {r.cluster_key: r.address_id for r in with_content_ids(addresses).collect()}
    expected = hashlib.sha256(b"US\x1fUS-CA\x1f12\x1fMISSION ST\x1f").hexdigest()[:24]
    assert ids["k1"] == expected
    assert ids["k2"] == expected + "-2"  # same address, later cluster key
    assert len({ids["k1"], ids["k3"], ids["k4"]}) == 3
    assert all(len(i) == 24 for k, i in ids.items() if k != "k2")


def test_reading_the_previous_run_prunes_other_partitions(clean_hive):
    spark = clean_hive
    table = HivePartitionedTableDataset(table="geodata_ids_t.lineage", schema="address_lineage")
    table.save(
        spark.createDataFrame(
            [
                ("a", "s", "1", date(2026, 9, 1), "US", "US-CA"),
                ("b", "s", "1", date(2026, 10, 1), "US", "US-CA"),
                ("c", "s", "1", date(2026, 11, 1), "US", "US-CA"),
            ],
            ADDRESS_LINEAGE_SCHEMA,
        )
    )
    previous = previous_run_lineage(table.load(), date(2026, 11, 1))
    assert [r.address_id for r in previous.collect()] == ["b"]
    plan = previous._jdf.queryExecution().executedPlan().toString()
    assert "dynamicpruning" in plan.lower()
