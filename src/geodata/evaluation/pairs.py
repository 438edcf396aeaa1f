"""What the conflate stage compared: candidate pairs per record, score distributions of
true matches and non-matches, and errors by comparison level.

Candidate pairs (`key_l`, `key_r`) and scored pairs (plus `level_<comparison>`,
`match_weight`, `hard_rule`, `match_probability`) are the conflate stage's
working sets; records are keyed as the stage keys them (`record_key`). Only
bounded aggregates (a fixed number of bins or levels) reach the driver.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from geodata.evaluation.fields import PERCENTILE_ACCURACY
from geodata.schemas import record_key

WEIGHT_BIN_BITS = 1.0
"""Width of a match-weight histogram bin, in bits."""

WEIGHT_RANGE = (-30.0, 30.0)
"""Match weights outside are counted in the first or last bin."""


@dataclass(frozen=True)
class CandidatePairStats:
    """How many pairs blocking produced, per record, and how many true pairs it kept."""

    candidate_pairs: int
    records: int
    max_pairs_per_record: int
    p99_pairs_per_record: int
    true_pairs: int
    true_pairs_blocked: int

    @property
    def pairs_per_record(self) -> float:
        """Candidate pairs divided by the run's records (each pair counted once)."""
        return self.candidate_pairs / self.records if self.records else 0.0

    @property
    def blocking_recall(self) -> float:
        """Share of truly matching pairs (among labelled lineage records) that were blocked."""
        return self.true_pairs_blocked / self.true_pairs if self.true_pairs else 1.0

    def as_dict(self) -> dict[str, float]:
        """Counts and ratios, for printing or JSON."""
        return {
            **asdict(self),
            "pairs_per_record": self.pairs_per_record,
            "blocking_recall": self.blocking_recall,
        }


def record_labels(lineage: DataFrame, in_scope: DataFrame) -> DataFrame:
    """`key, address_id, truth_address_id` of every labelled record in the lineage.

    Args:
        lineage: The run's lineage (`source, source_record_id, address_id`).
        in_scope: In-scope truth records (`source, source_record_id, truth_address_id`).

    Returns:
        One row per lineage record that has a true address.
    """
    labelled = in_scope.where(F.col("truth_address_id").isNotNull()).select(
        "source", "source_record_id", "truth_address_id"
    )
    return (
        lineage.select("source", "source_record_id", "address_id")
        .join(labelled, ["source", "source_record_id"])
        .select(record_key().alias("key"), "address_id", "truth_address_id")
    )


def _label_pairs(pairs: DataFrame, labels: DataFrame) -> DataFrame:
    """Pairs whose both records are labelled, with `is_match` and `same_output`."""
    left = labels.select(
        F.col("key").alias("key_l"),
        F.col("address_id").alias("address_l"),
        F.col("truth_address_id").alias("truth_l"),
    )
    right = labels.select(
        F.col("key").alias("key_r"),
        F.col("address_id").alias("address_r"),
        F.col("truth_address_id").alias("truth_r"),
    )
    return (
        pairs.join(left, "key_l")
        .join(right, "key_r")
        .withColumn("is_match", F.col("truth_l") == F.col("truth_r"))
        .withColumn("same_output", F.col("address_l") == F.col("address_r"))
    )


def candidate_pair_stats(
    candidate_pairs: DataFrame, records: int, labels: DataFrame, true_pairs: int
) -> CandidatePairStats:
    """Candidate pairs per record, the busiest records, and the true pairs blocking kept.

    Args:
        candidate_pairs: `key_l, key_r`, one row per pair.
        records: The run's record count (the denominator of pairs per record).
        labels: `record_labels` of the run.
        true_pairs: Truly matching pairs among the labelled lineage records.

    Returns:
        The figures; the 99th percentile is over records in at least one pair.
    """
    ends = candidate_pairs.select(F.col("key_l").alias("key")).unionByName(
        candidate_pairs.select(F.col("key_r").alias("key"))
    )
    degree = ends.groupBy("key").agg(F.count("*").alias("pairs"))
    spread = degree.select(
        F.max("pairs").alias("max"),
        F.percentile_approx("pairs", 0.99, PERCENTILE_ACCURACY).alias("p99"),
    ).first()
    blocked = _label_pairs(candidate_pairs.select("key_l", "key_r"), labels)
    return CandidatePairStats(
        candidate_pairs=candidate_pairs.count(),
        records=records,
        max_pairs_per_record=int(spread["max"] or 0),
        p99_pairs_per_record=int(spread["p99"] or 0),
        true_pairs=true_pairs,
        true_pairs_blocked=blocked.where(F.col("is_match")).count(),
    )


def weight_histogram(scored_pairs: DataFrame, labels: DataFrame) -> list[dict[str, float]]:
    """Counts of true matches and non-matches per match-weight bin (labelled pairs only).

    Args:
        scored_pairs: The conflate stage's scored pairs.
        labels: `record_labels` of the run.

    Returns:
        One entry per non-empty bin, in order: `bin_from` (bits; the first and last
        bins also hold the weights beyond `WEIGHT_RANGE`), `match`, `non_match`.
    """
    low, high = WEIGHT_RANGE
    last_bin = math.floor((high - low) / WEIGHT_BIN_BITS) - 1
    index = F.floor((F.col("match_weight") - F.lit(low)) / F.lit(WEIGHT_BIN_BITS))
    clipped = F.least(F.greatest(index, F.lit(0)), F.lit(last_bin))
    rows = (
        _label_pairs(scored_pairs.select("key_l", "key_r", "match_weight"), labels)
        .groupBy(clipped.alias("bin"))
        .agg(
            F.count_if(F.col("is_match")).alias("match"),
            F.count_if(~F.col("is_match")).alias("non_match"),
        )
        .orderBy("bin")
        .collect()
    )
    return [
        {
            "bin_from": low + r["bin"] * WEIGHT_BIN_BITS,
            "match": int(r["match"]),
            "non_match": int(r["non_match"]),
        }
        for r in rows
    ]


def level_errors(
    scored_pairs: DataFrame,
    labels: DataFrame,
    level_names: dict[str, list[str]] | None = None,
) -> dict[str, list[dict[str, object]]]:
    """Per comparison and level: labelled pairs, and the clustering's errors among them.

    A false positive is a non-matching pair whose records share an output address;
    a false negative is a matching pair whose records do not. Hard rules are
    reported as a comparison `hard_rule` whose levels are the rule names (`none`
    when no rule held).

    Args:
        scored_pairs: The conflate stage's scored pairs.
        labels: `record_labels` of the run.
        level_names: Level names per comparison, in level order (index → name).

    Returns:
        Comparison name → one entry per level seen: `level`, `name`, `match`,
        `non_match`, `false_positive`, `false_negative`.
    """
    comparisons = [c.removeprefix("level_") for c in scored_pairs.columns if c.startswith("level_")]
    labelled = _label_pairs(
        scored_pairs.select(
            "key_l",
            "key_r",
            *[F.col(f"level_{c}").cast("string").alias(c) for c in comparisons],
            F.coalesce("hard_rule", F.lit("none")).alias("hard_rule"),
        ),
        labels,
    ).cache()
    names = level_names or {}
    result: dict[str, list[dict[str, object]]] = {}
    try:
        for comparison in [*comparisons, "hard_rule"]:
            rows = (
                labelled.groupBy(F.col(comparison).alias("level"))
                .agg(
                    F.count_if(F.col("is_match")).alias("match"),
                    F.count_if(~F.col("is_match")).alias("non_match"),
                    F.count_if(~F.col("is_match") & F.col("same_output")).alias("false_positive"),
                    F.count_if(F.col("is_match") & ~F.col("same_output")).alias("false_negative"),
                )
                .orderBy("level")
                .collect()
            )
            known = names.get(comparison, [])
            result[comparison] = [
                {
                    "level": r["level"],
                    "name": _level_name(r["level"], known),
                    "match": int(r["match"]),
                    "non_match": int(r["non_match"]),
                    "false_positive": int(r["false_positive"]),
                    "false_negative": int(r["false_negative"]),
                }
                for r in rows
            ]
    finally:
        labelled.unpersist()
    return result


def _level_name(level: str | None, known: list[str]) -> str:
    if level is not None and level.isdigit() and int(level) < len(known):
        return known[int(level)]
    return str(level)
