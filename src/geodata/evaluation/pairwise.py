"""Pairwise precision and recall of a clustering, computed in Spark.

A pair of records is predicted to match when both have the same `address_id`,
and truly matches when both have the same truth id. Counting pairs per group,
C(n, 2), avoids materialising pairs (Christen, "Data Matching", 2012, ch. 7).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from pyspark.sql import DataFrame
from pyspark.sql import functions as F


@dataclass(frozen=True)
class PairwiseScores:
    """Pair counts and the derived precision, recall and F1."""

    records: int
    predicted_pairs: int
    true_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        """Share of predicted matching pairs that truly match."""
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        """Share of truly matching pairs that were predicted."""
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        """Counts and scores, for printing or JSON."""
        return {**asdict(self), "precision": self.precision, "recall": self.recall, "f1": self.f1}


def _pairs(frame: DataFrame, *keys: str) -> DataFrame:
    counts = frame.groupBy(*keys).agg(F.count("*").alias("n"))
    return counts.select(F.coalesce(F.sum(F.col("n") * (F.col("n") - 1) / 2), F.lit(0)))


def pairwise_scores(lineage: DataFrame, truth: DataFrame) -> PairwiseScores:
    """Pairwise scores of `lineage` (`source`, `source_record_id`, `address_id`).

    Args:
        lineage: Predicted cluster of each record.
        truth: `source`, `source_record_id`, `truth_address_id` (null = no truth).

    Returns:
        The pair counts over records present in both and labelled in `truth`.
    """
    labelled = truth.where(F.col("truth_address_id").isNotNull()).select(
        "source", "source_record_id", "truth_address_id"
    )
    joined = (
        lineage.select("source", "source_record_id", "address_id")
        .join(
            labelled.dropDuplicates(["source", "source_record_id"]), ["source", "source_record_id"]
        )
        .cache()
    )
    try:
        return PairwiseScores(
            records=joined.count(),
            predicted_pairs=int(_pairs(joined, "address_id").first()[0]),
            true_pairs=int(_pairs(joined, "truth_address_id").first()[0]),
            correct_pairs=int(_pairs(joined, "address_id", "truth_address_id").first()[0]),
        )
    finally:
        joined.unpersist()
