"""Cluster-level scores: B-cubed precision/recall, split truths and merged outputs.

Every input is one row per record with its predicted cluster (`address_id`) and
its true cluster (`truth_address_id`). All figures come from counts per
(cluster, truth) cell, so no record pair is ever materialised.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from pyspark.sql import DataFrame
from pyspark.sql import functions as F


@dataclass(frozen=True)
class BCubedScores:
    """B-cubed precision and recall (Bagga & Baldwin, 1998), averaged over records.

    For a record r in predicted cluster C(r) and true cluster T(r):
    precision(r) = |C(r) ∩ T(r)| / |C(r)|, recall(r) = |C(r) ∩ T(r)| / |T(r)|.
    With no records both are 1.0 (nothing was wrongly merged or split).
    """

    records: int
    precision_sum: float
    recall_sum: float

    @property
    def precision(self) -> float:
        """Mean per-record share of its output address's records that share its truth."""
        return self.precision_sum / self.records if self.records else 1.0

    @property
    def recall(self) -> float:
        """Mean per-record share of its truth's records that share its output address."""
        return self.recall_sum / self.records if self.records else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of B-cubed precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        """Scores, for printing or JSON."""
        return {
            "records": self.records,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True)
class ClusterCounts:
    """How many truths were split and how many outputs merge different truths."""

    truth_addresses: int
    output_addresses: int
    split_truth_addresses: int
    merged_output_addresses: int

    def as_dict(self) -> dict[str, int]:
        """Counts, for printing or JSON."""
        return asdict(self)


def _cells(assigned: DataFrame) -> DataFrame:
    """(address_id, truth_address_id, n) with the cluster and truth sizes alongside."""
    cells = assigned.groupBy("address_id", "truth_address_id").agg(F.count("*").alias("n"))
    cluster_size = cells.groupBy("address_id").agg(F.sum("n").alias("n_cluster"))
    truth_size = cells.groupBy("truth_address_id").agg(F.sum("n").alias("n_truth"))
    return cells.join(cluster_size, "address_id").join(truth_size, "truth_address_id")


def bcubed_scores(assigned: DataFrame) -> BCubedScores:
    """B-cubed scores of `assigned` (`address_id`, `truth_address_id`, one row per record).

    Summing the per-record precision over the n records of a (cluster, truth)
    cell gives n * n / |cluster|, so the sums are taken over cells.

    Args:
        assigned: Labelled records with their output address.

    Returns:
        Record count and the summed per-record precision and recall.
    """
    row = (
        _cells(assigned)
        .select(
            F.coalesce(F.sum("n"), F.lit(0)).alias("records"),
            F.coalesce(F.sum(F.col("n") * F.col("n") / F.col("n_cluster")), F.lit(0.0)).alias(
                "precision_sum"
            ),
            F.coalesce(F.sum(F.col("n") * F.col("n") / F.col("n_truth")), F.lit(0.0)).alias(
                "recall_sum"
            ),
        )
        .first()
    )
    return BCubedScores(int(row["records"]), float(row["precision_sum"]), float(row["recall_sum"]))


def cluster_counts(assigned: DataFrame) -> ClusterCounts:
    """Truth addresses split over more than one output address, and outputs merging truths.

    Args:
        assigned: Labelled records (`address_id`, `truth_address_id`), one row per record.

    Returns:
        The distinct truth and output addresses among the records, the truths whose
        records land in more than one output address, and the output addresses
        holding records of more than one truth.
    """
    pairs = assigned.select("address_id", "truth_address_id").distinct()
    outputs_per_truth = pairs.groupBy("truth_address_id").agg(F.count("*").alias("k"))
    truths_per_output = pairs.groupBy("address_id").agg(F.count("*").alias("k"))
    truth = outputs_per_truth.select(
        F.count("*").alias("all"), F.count_if(F.col("k") > 1).alias("split")
    ).first()
    output = truths_per_output.select(
        F.count("*").alias("all"), F.count_if(F.col("k") > 1).alias("merged")
    ).first()
    return ClusterCounts(
        truth_addresses=int(truth["all"]),
        output_addresses=int(output["all"]),
        split_truth_addresses=int(truth["split"] or 0),
        merged_output_addresses=int(output["merged"] or 0),
    )
