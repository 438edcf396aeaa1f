"""The headline figures per ISO 3166-2 region, and why valid records were quarantined.

Each in-scope record counts in the region of its true address; a record without one (an
invalid record) counts where the run filed it (its quarantine row's region, else its
output address's). Every figure is the overall one's function on the region's records.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from geodata.evaluation.clusters import BCubedScores, bcubed_scores
from geodata.evaluation.fields import FieldAccuracy, GeometryError, field_accuracy, geometry_error
from geodata.evaluation.pairwise import PairwiseScores, pairwise_scores
from geodata.evaluation.quarantine import (
    QuarantineScores,
    RecordCounts,
    quarantine_scores,
    record_counts,
)
from geodata.schemas import RECORD_KEY_COLUMNS

_KEY = list(RECORD_KEY_COLUMNS)


@dataclass(frozen=True)
class RegionFigures:
    """One region's figures (definitions as in docs/quality.md, on its records only)."""

    records: RecordCounts
    pairwise: PairwiseScores
    bcubed: BCubedScores
    fields: FieldAccuracy
    geometry: GeometryError
    quarantine: QuarantineScores
    wrongly_quarantined: dict[str, int]
    """Valid records of real addresses that were quarantined, by quarantine reason."""

    def as_dict(self) -> dict[str, object]:
        """Every figure as plain JSON-able values (the geometry without its percentiles)."""
        geometry = self.geometry.as_dict()
        geometry.pop("percentiles_m")
        return {
            "records": self.records.as_dict(),
            "pairwise": self.pairwise.as_dict(),
            "bcubed": self.bcubed.as_dict(),
            "fields": self.fields.as_dict(),
            "geometry": geometry,
            "quarantine": self.quarantine.as_dict(),
            "wrongly_quarantined": dict(self.wrongly_quarantined),
        }


def record_regions(
    in_scope: DataFrame, truth_addresses: DataFrame, lineage: DataFrame, quarantine: DataFrame
) -> DataFrame:
    """In-scope records with the region each counts in (`iso_3166_2`, null if nowhere).

    Args:
        in_scope: In-scope truth records (`records_in_scope`).
        truth_addresses: Truth addresses (`truth_address_id`, `iso_3166_2`).
        lineage: The run's lineage (key columns, `iso_3166_2`).
        quarantine: The run's quarantine (key columns, `iso_3166_2`).

    Returns:
        `in_scope`'s columns plus `iso_3166_2`, one row per record.
    """
    true_region = truth_addresses.select("truth_address_id", F.col("iso_3166_2").alias("true"))
    filed = (
        quarantine.select(*_KEY, F.col("iso_3166_2").alias("filed"), F.lit(0).alias("order"))
        .unionByName(
            lineage.select(*_KEY, F.col("iso_3166_2").alias("filed"), F.lit(1).alias("order"))
        )
        .where(F.col("source_record_id").isNotNull())
        .groupBy(*_KEY)
        .agg(F.min_by("filed", "order").alias("filed"))
    )
    return (
        in_scope.join(true_region, "truth_address_id", "left")
        .join(filed, _KEY, "left")
        .withColumn("iso_3166_2", F.coalesce("true", "filed"))
        .drop("true", "filed")
    )


def wrongly_quarantined(in_scope: DataFrame, quarantine: DataFrame) -> dict[str, int]:
    """Quarantined records that should not be (valid, real address), by reason.

    Args:
        in_scope: In-scope truth records (`invalid`, `phantom`).
        quarantine: The run's quarantine rows (key columns, `reason`).

    Returns:
        Reason -> distinct records, largest first.
    """
    valid = in_scope.where(~F.col("invalid") & ~F.col("phantom")).select(*_KEY)
    rows = (
        quarantine.select(*_KEY, "reason")
        .join(valid, _KEY)
        .groupBy("reason")
        .agg(F.countDistinct(*_KEY).alias("records"))
        .orderBy(F.desc("records"), "reason")
        .collect()
    )
    return {row["reason"]: int(row["records"]) for row in rows}


def region_figures(
    placed: DataFrame,
    labels: DataFrame,
    lineage: DataFrame,
    quarantine: DataFrame,
    conflated: DataFrame,
    truth_addresses: DataFrame,
) -> dict[str, RegionFigures]:
    """The figures of each region that has in-scope records of true addresses.

    Invalid records the run filed under a region none of the truth is in (an unknown
    region) count in the overall figures only.

    Args:
        placed: In-scope records with their region (`record_regions`).
        labels: Labelled lineage records (`record_labels`: `key, address_id,
            truth_address_id`).
        lineage: The run's lineage (key columns, `address_id`).
        quarantine: The run's quarantine (key columns, `reason`, `iso_3166_2`).
        conflated: The run's output addresses.
        truth_addresses: Truth addresses (`truth_address_id`, `iso_3166_2`, fields).

    Returns:
        Region code -> figures, in code order.
    """
    labelled_regions = placed.where(F.col("truth_address_id").isNotNull())
    codes = sorted(
        row["iso_3166_2"] for row in labelled_regions.select("iso_3166_2").distinct().collect()
    )
    region_of_truth = truth_addresses.select("truth_address_id", "iso_3166_2")
    labelled = labels.join(region_of_truth, "truth_address_id")
    figures = {}
    for code in codes:
        records = placed.where(F.col("iso_3166_2") == code).drop("iso_3166_2")
        keys = records.select(*_KEY)
        # Quarantine rows of the region's records, and those the truth does not know
        # that the run filed under the region.
        known = quarantine.join(keys, _KEY, "left_semi")
        unknown = quarantine.where(F.col("iso_3166_2") == code).join(
            placed.select(*_KEY), _KEY, "left_anti"
        )
        region_quarantine = known.unionByName(unknown)
        assigned = labelled.where(F.col("iso_3166_2") == code).select(
            "address_id", "truth_address_id"
        )
        figures[code] = RegionFigures(
            records=record_counts(records, lineage.join(keys, _KEY, "left_semi"), known),
            pairwise=pairwise_scores(lineage, records),
            bcubed=bcubed_scores(assigned),
            fields=field_accuracy(assigned, conflated, truth_addresses),
            geometry=geometry_error(assigned, conflated, truth_addresses),
            quarantine=quarantine_scores(records, region_quarantine),
            wrongly_quarantined=wrongly_quarantined(records, known),
        )
    return figures
