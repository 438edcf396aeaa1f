"""Quarantine precision and recall, and the row accounting of a run against the truth.

A record should be quarantined when the truth marks it `invalid` or when its
true address is a `phantom` (an address that does not exist, which the output
must not contain, e.g. one end users suppressed).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from geodata.schemas import RECORD_KEY_COLUMNS

_KEY = list(RECORD_KEY_COLUMNS)


@dataclass(frozen=True)
class QuarantineScores:
    """Counts over in-scope truth records: quarantined, expected to be, and both."""

    quarantined: int
    expected: int
    correct: int
    unlabelled_quarantined: int

    @property
    def precision(self) -> float:
        """Share of quarantined records that should be (1.0 when none were)."""
        return self.correct / self.quarantined if self.quarantined else 1.0

    @property
    def recall(self) -> float:
        """Share of records that should be quarantined that were (1.0 when none should)."""
        return self.correct / self.expected if self.expected else 1.0

    def as_dict(self) -> dict[str, float]:
        """Counts and scores, for printing or JSON."""
        return {**asdict(self), "precision": self.precision, "recall": self.recall}


@dataclass(frozen=True)
class RecordCounts:
    """Where the in-scope truth records ended up."""

    in_scope: int
    in_lineage: int
    in_quarantine: int
    in_neither: int
    labelled_in_lineage: int
    unlabelled_in_lineage: int

    def as_dict(self) -> dict[str, int]:
        """Counts, for printing or JSON."""
        return asdict(self)


def _should_be_quarantined() -> F.Column:
    return F.col("invalid") | F.col("phantom")


def quarantine_scores(in_scope: DataFrame, quarantine: DataFrame) -> QuarantineScores:
    """Precision and recall of the quarantine against the truth's invalid and phantom records.

    Args:
        in_scope: In-scope truth records (`source, source_record_id, invalid, phantom`).
        quarantine: The run's quarantine rows (`source, source_record_id`); a record
            id that repeats (duplicate ids) counts once.

    Returns:
        Counts over distinct records; quarantined records the truth does not know are
        counted apart (`unlabelled_quarantined`) and left out of precision.
    """
    quarantined = quarantine.select(*_KEY).where(F.col("source_record_id").isNotNull()).distinct()
    truth = in_scope.select(*_KEY, _should_be_quarantined().alias("expected"))
    joined = quarantined.withColumn("quarantined", F.lit(True)).join(truth, _KEY, "full")
    row = joined.select(
        F.count_if(F.col("quarantined") & F.col("expected").isNotNull()).alias("quarantined"),
        F.count_if(F.col("expected")).alias("expected"),
        F.count_if(F.col("quarantined") & F.col("expected")).alias("correct"),
        F.count_if(F.col("quarantined") & F.col("expected").isNull()).alias("unlabelled"),
    ).first()
    return QuarantineScores(
        quarantined=int(row["quarantined"] or 0),
        expected=int(row["expected"] or 0),
        correct=int(row["correct"] or 0),
        unlabelled_quarantined=int(row["unlabelled"] or 0),
    )


def record_counts(in_scope: DataFrame, lineage: DataFrame, quarantine: DataFrame) -> RecordCounts:
    """Where each in-scope truth record went: lineage, quarantine or (wrongly) neither.

    Args:
        in_scope: In-scope truth records (`source, source_record_id, truth_address_id`).
        lineage: The run's lineage (`source, source_record_id`).
        quarantine: The run's quarantine (`source, source_record_id`).

    Returns:
        Counts of distinct records.
    """
    in_lineage = lineage.select(*_KEY).distinct().withColumn("lineage", F.lit(True))
    in_quarantine = quarantine.select(*_KEY).distinct().withColumn("quarantine", F.lit(True))
    truth = in_scope.select(*_KEY, "truth_address_id").withColumn("truth", F.lit(True))
    joined = truth.join(in_lineage, _KEY, "full").join(in_quarantine, _KEY, "left")
    row = joined.select(
        F.count_if(F.col("truth")).alias("in_scope"),
        F.count_if(F.col("truth") & F.col("lineage")).alias("in_lineage"),
        F.count_if(F.col("truth") & F.col("quarantine")).alias("in_quarantine"),
        F.count_if(F.col("truth") & F.col("lineage").isNull() & F.col("quarantine").isNull()).alias(
            "in_neither"
        ),
        F.count_if(F.col("lineage") & F.col("truth_address_id").isNotNull()).alias("labelled"),
        F.count_if(F.col("lineage") & F.col("truth_address_id").isNull()).alias("unlabelled"),
    ).first()
    return RecordCounts(
        in_scope=int(row["in_scope"] or 0),
        in_lineage=int(row["in_lineage"] or 0),
        in_quarantine=int(row["in_quarantine"] or 0),
        in_neither=int(row["in_neither"] or 0),
        labelled_in_lineage=int(row["labelled"] or 0),
        unlabelled_in_lineage=int(row["unlabelled"] or 0),
    )
