"""Conflated-field accuracy and geometry error of output addresses against the truth.

Each output address is compared with the truth address that holds most of its
labelled records (ties: the smallest truth id), so an address that wrongly
merges two truths is still judged against one of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from geodata.schemas import ADDRESS_FIELDS

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG), metres."""

PERCENTILE_ACCURACY = 10_000
"""`percentile_approx` accuracy: relative rank error at most 1/10,000, bounded memory."""


@dataclass(frozen=True)
class FieldAccuracy:
    """Output addresses compared with their majority truth, and correct values per field."""

    addresses: int
    correct: dict[str, int]
    all_correct: int

    def accuracy(self, field: str) -> float:
        """Share of compared addresses whose `field` equals the truth's (1.0 if none)."""
        return self.correct[field] / self.addresses if self.addresses else 1.0

    @property
    def overall(self) -> float:
        """Share of all compared field values that are right (fields weigh equally)."""
        total = self.addresses * len(self.correct)
        return sum(self.correct.values()) / total if total else 1.0

    @property
    def address_exact(self) -> float:
        """Share of compared addresses with every field right."""
        return self.all_correct / self.addresses if self.addresses else 1.0

    def as_dict(self) -> dict[str, object]:
        """Counts and accuracies, for printing or JSON."""
        return {
            "addresses": self.addresses,
            "accuracy": {f: self.accuracy(f) for f in self.correct},
            "overall": self.overall,
            "address_exact": self.address_exact,
            "correct": dict(self.correct),
            "all_correct": self.all_correct,
        }


@dataclass(frozen=True)
class GeometryError:
    """Distance between each output point and its majority truth's point, in metres."""

    addresses: int
    missing: int
    median_m: float | None
    p95_m: float | None
    max_m: float | None
    percentiles_m: list[float] = field(default_factory=list)
    """Error at each whole percentile 0, 1, ..., 100 (for a CDF plot); empty if none."""

    def as_dict(self) -> dict[str, object]:
        """Figures, for printing or JSON."""
        return {
            "addresses": self.addresses,
            "missing": self.missing,
            "median_m": self.median_m,
            "p95_m": self.p95_m,
            "max_m": self.max_m,
            "percentiles_m": list(self.percentiles_m),
        }


def comparable(value: Column) -> Column:
    """A field value as compared: trimmed, inner whitespace collapsed, upper case, '' → null."""
    cleaned = F.upper(F.trim(F.regexp_replace(value.cast("string"), r"\s+", " ")))
    return F.when(cleaned != "", cleaned)


def haversine_m(lat1: Column, lon1: Column, lat2: Column, lon2: Column) -> Column:
    """Great-circle distance in metres between two points given in degrees."""
    dlat = F.radians(lat2 - lat1)
    dlon = F.radians(lon2 - lon1)
    a = F.pow(F.sin(dlat / 2), 2) + F.cos(F.radians(lat1)) * F.cos(F.radians(lat2)) * F.pow(
        F.sin(dlon / 2), 2
    )
    # Rounding can push `a` a hair above 1; `least` would also turn a null into 1.
    bounded = F.when(a > 1, F.lit(1.0)).otherwise(a)
    return F.lit(2 * EARTH_RADIUS_M) * F.asin(F.sqrt(bounded))


def majority_truth(assigned: DataFrame) -> DataFrame:
    """`address_id → truth_address_id` of the truth holding most of the address's records.

    Args:
        assigned: Labelled records (`address_id`, `truth_address_id`), one row per record.

    Returns:
        One row per output address.
    """
    cells = assigned.groupBy("address_id", "truth_address_id").agg(F.count("*").alias("n"))
    rank = Window.partitionBy("address_id").orderBy(F.desc("n"), F.asc("truth_address_id"))
    return (
        cells.withColumn("rank", F.row_number().over(rank))
        .where(F.col("rank") == 1)
        .select("address_id", "truth_address_id")
    )


def _compared(assigned: DataFrame, conflated: DataFrame, truth_addresses: DataFrame) -> DataFrame:
    output = conflated.select(
        "address_id", *[F.col(f).alias(f"out_{f}") for f in (*ADDRESS_FIELDS, "lat", "lon")]
    )
    truth = truth_addresses.select(
        "truth_address_id",
        *[F.col(f).alias(f"true_{f}") for f in (*ADDRESS_FIELDS, "lat", "lon")],
    )
    return majority_truth(assigned).join(output, "address_id").join(truth, "truth_address_id")


def field_accuracy(
    assigned: DataFrame, conflated: DataFrame, truth_addresses: DataFrame
) -> FieldAccuracy:
    """Per-field accuracy of the output addresses that hold labelled records.

    A value is right when it equals the truth's after `comparable` (so case and
    spacing do not count); a missing value is right only when the truth has none
    either (e.g. no unit), and a value where the truth has none is wrong.

    Args:
        assigned: Labelled records (`address_id`, `truth_address_id`).
        conflated: Output addresses (`address_id` and the address fields).
        truth_addresses: Truth addresses (`truth_address_id` and the address fields).

    Returns:
        Correct counts per field over the compared addresses.
    """
    compared = _compared(assigned, conflated, truth_addresses)
    right = {
        f: comparable(F.col(f"out_{f}")).eqNullSafe(comparable(F.col(f"true_{f}")))
        for f in ADDRESS_FIELDS
    }
    every = F.lit(True)
    for condition in right.values():
        every = every & condition
    row = compared.select(
        F.count("*").alias("addresses"),
        *[F.count_if(condition).alias(f) for f, condition in right.items()],
        F.count_if(every).alias("all_correct"),
    ).first()
    return FieldAccuracy(
        addresses=int(row["addresses"]),
        correct={f: int(row[f] or 0) for f in ADDRESS_FIELDS},
        all_correct=int(row["all_correct"] or 0),
    )


def geometry_errors(
    assigned: DataFrame, conflated: DataFrame, truth_addresses: DataFrame
) -> DataFrame:
    """`address_id, error_m`: haversine distance to the majority truth (null if a point is
    missing)."""
    compared = _compared(assigned, conflated, truth_addresses)
    return compared.select(
        "address_id",
        haversine_m(F.col("out_lat"), F.col("out_lon"), F.col("true_lat"), F.col("true_lon")).alias(
            "error_m"
        ),
    )


def geometry_error(
    assigned: DataFrame, conflated: DataFrame, truth_addresses: DataFrame
) -> GeometryError:
    """Median, 95th percentile and maximum point error of the compared output addresses.

    Percentiles are nearest-rank values from `percentile_approx` (the smallest
    error with at least that share of errors at or below it), within a relative
    rank error of 1/`PERCENTILE_ACCURACY`. Addresses where either point is missing
    are counted as `missing` and left out of the figures.
    """
    errors = geometry_errors(assigned, conflated, truth_addresses)
    shares = [p / 100 for p in range(101)]
    row = errors.select(
        F.count("error_m").alias("addresses"),
        F.count_if(F.col("error_m").isNull()).alias("missing"),
        F.percentile_approx("error_m", shares, PERCENTILE_ACCURACY).alias("percentiles"),
        F.max("error_m").alias("max_m"),
    ).first()
    percentiles = list(row["percentiles"] or [])
    return GeometryError(
        addresses=int(row["addresses"]),
        missing=int(row["missing"] or 0),
        median_m=percentiles[50] if percentiles else None,
        p95_m=percentiles[95] if percentiles else None,
        max_m=row["max_m"],
        percentiles_m=percentiles,
    )
