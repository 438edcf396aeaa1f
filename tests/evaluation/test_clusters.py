"""Pairwise, B-cubed and split/merge counts on small clusterings checked by hand."""

from __future__ import annotations

from itertools import combinations

import pytest

from geodata.evaluation import bcubed_scores, cluster_counts, pairwise_scores

# Five records: truth T1 = {r1, r2, r3}, T2 = {r4, r5};
# output A = {r1, r2}, B = {r3, r4}, C = {r5}.
TRUTH = {"r1": "T1", "r2": "T1", "r3": "T1", "r4": "T2", "r5": "T2"}
OUTPUT = {"r1": "A", "r2": "A", "r3": "B", "r4": "B", "r5": "C"}

ASSIGNED_SCHEMA = "address_id string, truth_address_id string"
LINEAGE_SCHEMA = "source string, source_record_id string, address_id string"
TRUTH_SCHEMA = "source string, source_record_id string, truth_address_id string"


def _frames(spark, output: dict[str, str], truth: dict[str, str]):
    lineage = spark.createDataFrame(
        [("s", r, a) for r, a in sorted(output.items())], LINEAGE_SCHEMA
    )
    labels = spark.createDataFrame([("s", r, t) for r, t in sorted(truth.items())], TRUTH_SCHEMA)
    assigned = spark.createDataFrame(
        [(output[r], truth[r]) for r in sorted(output) if r in truth], ASSIGNED_SCHEMA
    )
    return lineage, labels, assigned


def _reference_pairwise(output: dict[str, str], truth: dict[str, str]) -> tuple[int, int, int]:
    """Predicted, true and correct pairs by enumerating every record pair."""
    predicted = true = correct = 0
    for a, b in combinations(sorted(output), 2):
        same_out, same_truth = output[a] == output[b], truth[a] == truth[b]
        predicted += same_out
        true += same_truth
        correct += same_out and same_truth
    return predicted, true, correct


def _reference_bcubed(output: dict[str, str], truth: dict[str, str]) -> tuple[float, float]:
    """Mean per-record B-cubed precision and recall from the definition."""
    precision = recall = 0.0
    for record in output:
        cluster = {r for r in output if output[r] == output[record]}
        real = {r for r in truth if truth[r] == truth[record]}
        precision += len(cluster & real) / len(cluster)
        recall += len(cluster & real) / len(real)
    return precision / len(output), recall / len(output)


def test_pairwise_counts_pairs_without_enumerating_them(spark):
    lineage, labels, _ = _frames(spark, OUTPUT, TRUTH)
    scores = pairwise_scores(lineage, labels)
    # By hand: predicted (r1,r2), (r3,r4); true: 3 in T1 + 1 in T2; correct: (r1,r2).
    assert (scores.predicted_pairs, scores.true_pairs, scores.correct_pairs) == (2, 4, 1)
    assert (scores.predicted_pairs, scores.true_pairs, scores.correct_pairs) == (
        _reference_pairwise(OUTPUT, TRUTH)
    )
    assert scores.precision == pytest.approx(1 / 2)
    assert scores.recall == pytest.approx(1 / 4)
    assert scores.f1 == pytest.approx(2 * (1 / 2) * (1 / 4) / (1 / 2 + 1 / 4))


def test_pairwise_ignores_unlabelled_and_unknown_records(spark):
    lineage, labels, _ = _frames(spark, {**OUTPUT, "r6": "A"}, TRUTH)
    unlabelled = spark.createDataFrame([("s", "r7", None)], TRUTH_SCHEMA)
    scores = pairwise_scores(lineage, labels.unionByName(unlabelled))
    assert scores.records == 5
    assert (scores.predicted_pairs, scores.true_pairs, scores.correct_pairs) == (2, 4, 1)


def test_bcubed_matches_the_definition(spark):
    _, _, assigned = _frames(spark, OUTPUT, TRUTH)
    scores = bcubed_scores(assigned)
    # By hand: precision (1 + 1 + 1/2 + 1/2 + 1) / 5, recall (2/3 + 2/3 + 1/3 + 1/2 + 1/2) / 5.
    assert scores.records == 5
    assert scores.precision == pytest.approx(4 / 5)
    assert scores.recall == pytest.approx(8 / 15)
    assert (scores.precision, scores.recall) == pytest.approx(_reference_bcubed(OUTPUT, TRUTH))


def test_split_and_merged_counts(spark):
    _, _, assigned = _frames(spark, OUTPUT, TRUTH)
    counts = cluster_counts(assigned)
    # T1 lands in A and B, T2 in B and C; only B holds two truths.
    assert counts.as_dict() == {
        "truth_addresses": 2,
        "output_addresses": 3,
        "split_truth_addresses": 2,
        "merged_output_addresses": 1,
    }


def test_all_singletons(spark):
    output = {r: f"out-{r}" for r in TRUTH}
    lineage, labels, assigned = _frames(spark, output, TRUTH)
    pairwise = pairwise_scores(lineage, labels)
    assert (pairwise.predicted_pairs, pairwise.true_pairs, pairwise.correct_pairs) == (0, 4, 0)
    assert pairwise.precision == 1.0  # nothing predicted, nothing wrong
    assert pairwise.recall == 0.0
    bcubed = bcubed_scores(assigned)
    assert bcubed.precision == pytest.approx(1.0)
    # Recall per record is 1/|truth|: 1/3 for T1's three records, 1/2 for T2's two.
    assert bcubed.recall == pytest.approx((3 * (1 / 3) + 2 * (1 / 2)) / 5)
    counts = cluster_counts(assigned)
    assert (counts.split_truth_addresses, counts.merged_output_addresses) == (2, 0)


def test_perfect_clustering(spark):
    output = {r: f"out-{t}" for r, t in TRUTH.items()}
    lineage, labels, assigned = _frames(spark, output, TRUTH)
    assert pairwise_scores(lineage, labels).f1 == pytest.approx(1.0)
    bcubed = bcubed_scores(assigned)
    assert (bcubed.precision, bcubed.recall) == pytest.approx((1.0, 1.0))
    counts = cluster_counts(assigned)
    assert (counts.split_truth_addresses, counts.merged_output_addresses) == (0, 0)


def test_empty_inputs(spark):
    lineage = spark.createDataFrame([], LINEAGE_SCHEMA)
    labels = spark.createDataFrame([], TRUTH_SCHEMA)
    assigned = spark.createDataFrame([], ASSIGNED_SCHEMA)
    pairwise = pairwise_scores(lineage, labels)
    assert (pairwise.records, pairwise.predicted_pairs, pairwise.true_pairs) == (0, 0, 0)
    assert (pairwise.precision, pairwise.recall) == (1.0, 1.0)
    bcubed = bcubed_scores(assigned)
    assert (bcubed.records, bcubed.precision, bcubed.recall) == (0, 1.0, 1.0)
    assert cluster_counts(assigned).as_dict() == {
        "truth_addresses": 0,
        "output_addresses": 0,
        "split_truth_addresses": 0,
        "merged_output_addresses": 0,
    }
