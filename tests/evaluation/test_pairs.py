"""Candidate pairs per record, score histograms and errors by level on hand-built pairs."""

from __future__ import annotations

import pytest

from geodata.evaluation import (
    candidate_pair_stats,
    level_errors,
    record_labels,
    weight_histogram,
)
from geodata.evaluation.pairs import WEIGHT_RANGE
from geodata.schemas import record_key

# Truth T1 = {r1, r2, r3}, T2 = {r4, r5}; output A = {r1, r2}, B = {r3, r4}, C = {r5};
# r6 was compared but is in no output (e.g. quarantined later) and has no truth.
TRUTH = {"r1": "T1", "r2": "T1", "r3": "T1", "r4": "T2", "r5": "T2"}
OUTPUT = {"r1": "A", "r2": "A", "r3": "B", "r4": "B", "r5": "C"}
# (left, right, match_weight, street level, hard rule)
PAIRS = [
    ("r1", "r2", 10.4, 0, None),
    ("r1", "r3", -2.5, 1, "different_unit"),
    ("r3", "r4", 3.0, 0, None),
    ("r4", "r5", 45.0, 1, None),
    ("r2", "r6", 0.0, 2, None),
]


@pytest.fixture()
def frames(spark):
    keys = {
        r.source_record_id: r.key
        for r in spark.createDataFrame(
            [("s", f"r{i}") for i in range(1, 7)], "source string, source_record_id string"
        )
        .select("source_record_id", record_key().alias("key"))
        .collect()
    }
    lineage = spark.createDataFrame(
        [("s", r, a) for r, a in OUTPUT.items()],
        "source string, source_record_id string, address_id string",
    )
    truth = spark.createDataFrame(
        [("s", r, t) for r, t in TRUTH.items()],
        "source string, source_record_id string, truth_address_id string",
    )
    scored = spark.createDataFrame(
        [(keys[left], keys[right], w, level, rule) for left, right, w, level, rule in PAIRS],
        "key_l string, key_r string, match_weight double, level_street int, hard_rule string",
    )
    return record_labels(lineage, truth), scored


def test_candidate_pairs_per_record_and_blocking_recall(frames):
    labels, scored = frames
    stats = candidate_pair_stats(scored.select("key_l", "key_r"), 6, labels, true_pairs=4)
    assert stats.candidate_pairs == 5
    assert stats.pairs_per_record == pytest.approx(5 / 6)
    # r1..r4 are in two pairs each, r5 and r6 in one.
    assert (stats.max_pairs_per_record, stats.p99_pairs_per_record) == (2, 2)
    # True pairs blocked: (r1, r2), (r1, r3), (r4, r5) of T1's three and T2's one.
    assert stats.true_pairs_blocked == 3
    assert stats.blocking_recall == pytest.approx(3 / 4)


def test_weight_histogram_bins_matches_and_non_matches(frames):
    labels, scored = frames
    histogram = weight_histogram(scored, labels)
    low, high = WEIGHT_RANGE
    # 1-bit bins from -30; 45 bits is beyond the range and lands in the last bin;
    # (r2, r6) has an unlabelled record and is left out.
    assert histogram == [
        {"bin_from": -3.0, "match": 1, "non_match": 0},
        {"bin_from": 3.0, "match": 0, "non_match": 1},
        {"bin_from": 10.0, "match": 1, "non_match": 0},
        {"bin_from": high - 1, "match": 1, "non_match": 0},
    ]
    assert low == -high


def test_level_errors_count_false_positives_and_negatives(frames):
    labels, scored = frames
    errors = level_errors(scored, labels, {"street": ["exact", "typo", "different"]})
    # Same output: (r1,r2), (r3,r4). Matches: (r1,r2), (r1,r3), (r4,r5).
    assert errors["street"] == [
        {
            "level": "0",
            "name": "exact",
            "match": 1,
            "non_match": 1,
            "false_positive": 1,
            "false_negative": 0,
        },
        {
            "level": "1",
            "name": "typo",
            "match": 2,
            "non_match": 0,
            "false_positive": 0,
            "false_negative": 2,
        },
    ]
    assert errors["hard_rule"] == [
        {
            "level": "different_unit",
            "name": "different_unit",
            "match": 1,
            "non_match": 0,
            "false_positive": 0,
            "false_negative": 1,
        },
        {
            "level": "none",
            "name": "none",
            "match": 2,
            "non_match": 1,
            "false_positive": 1,
            "false_negative": 1,
        },
    ]


def test_pairs_on_empty_inputs(spark, frames):
    labels, scored = frames
    empty = scored.limit(0)
    stats = candidate_pair_stats(empty.select("key_l", "key_r"), 0, labels, true_pairs=0)
    assert (stats.candidate_pairs, stats.max_pairs_per_record, stats.pairs_per_record) == (0, 0, 0)
    assert stats.blocking_recall == 1.0
    assert weight_histogram(empty, labels) == []
    assert level_errors(empty, labels) == {"street": [], "hard_rule": []}
