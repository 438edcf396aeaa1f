"""End-user corrections: `fix` and `suppress` records applied to the conflated addresses.

A correction finds its target by location and text, so it works whatever the target's id.
"""

from __future__ import annotations

from functools import reduce

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from geodata.checkpoints import checkpointed
from geodata.conflation.chaining import distance_m
from geodata.schemas import ADDRESS_FIELDS, RECORD_KEY_COLUMNS

CORRECTION_SOURCE = "user_correction"
"""Provenance value of a field set by an end-user `fix`."""

_MATCH_COLUMNS = ("iso_3166_2", "hn_int", "hn_suffix", "unit_id", "street_base", "street_phonetic")
"""Columns a correction and its target address must agree on (street: base or phonetic)."""


def _quarantine_rows(records: DataFrame, reason: str) -> DataFrame:
    """`records` as quarantine rows with `reason`."""
    return records.select(
        *RECORD_KEY_COLUMNS,
        F.lit(reason).alias("reason"),
        "raw",
        "iso_3166_1",
        "iso_3166_2",
    )


def _targets(corrections: DataFrame, addresses: DataFrame, radius_m: float) -> DataFrame:
    """Each correction with its target: the nearest address within `radius_m` with the same
    house number, suffix, unit and street (base name or phonetic key)."""
    targets = addresses.select("address_id", *_MATCH_COLUMNS, "lat", "lon").withColumnsRenamed(
        {c: f"t_{c}" for c in ("street_base", "street_phonetic", "unit_id", "hn_suffix")}
    )
    candidates = (
        F.broadcast(corrections)
        .join(targets, ["iso_3166_2", "hn_int"])
        .where(
            F.col("hn_suffix").eqNullSafe(F.col("t_hn_suffix"))
            & F.col("unit_id").eqNullSafe(F.col("t_unit_id"))
            & (
                (F.col("street_base") == F.col("t_street_base"))
                | (F.col("street_phonetic") == F.col("t_street_phonetic"))
            )
        )
        .withColumn(
            "distance_m", distance_m(F.col("c_lat"), F.col("c_lon"), F.col("lat"), F.col("lon"))
        )
    )
    nearest = Window.partitionBy(*RECORD_KEY_COLUMNS).orderBy("distance_m", "address_id")
    return (
        candidates.where(F.col("distance_m") <= radius_m)
        .withColumn("r", F.row_number().over(nearest))
        .where(F.col("r") == 1)
        .drop("r")
    )


def _fixed(addresses: DataFrame, suppressed: DataFrame, fixes: DataFrame) -> DataFrame:
    """`addresses` less the `suppressed` ones, with the fields their fixes set, provenance
    and sources updated; columns in the order of `addresses`."""
    # The newest fix wins per field; corrections that do not set a field leave it alone.
    fix_values = fixes.groupBy("address_id").agg(
        *[
            F.max_by(
                F.col(f"fix_{f}"),
                F.when(F.col(f"fix_{f}").isNotNull(), F.struct("dt", "source_record_id")),
            ).alias(f"fix_{f}")
            for f in ADDRESS_FIELDS
        ],
        F.array_sort(F.collect_set("source")).alias("fix_sources"),
    )
    kept = addresses.join(suppressed, "address_id", "left_anti")
    fixed = kept.join(F.broadcast(fix_values), "address_id", "left")
    provenance_updates = F.map_from_entries(
        F.filter(
            F.array(
                *[
                    F.struct(
                        F.lit(f).alias("key"),
                        F.when(F.col(f"fix_{f}").isNotNull(), F.lit(CORRECTION_SOURCE)).alias(
                            "value"
                        ),
                    )
                    for f in ADDRESS_FIELDS
                ]
            ),
            lambda e: e["value"].isNotNull(),
        )
    )
    all_sources = F.array_sort(
        F.array_distinct(
            F.concat("sources", F.coalesce("fix_sources", F.array().cast("array<string>")))
        )
    )
    # Nearly every address has no fix: the map and array functions, evaluated row by
    # row outside generated code, run only for the fixed ones.
    unfixed = F.col("fix_sources").isNull()
    return fixed.select(
        *[
            F.coalesce(F.col(f"fix_{f}"), F.col(f)).alias(f) if f in ADDRESS_FIELDS else F.col(f)
            for f in addresses.columns
            if f not in ("provenance", "sources", "source_count")
        ],
        F.when(unfixed, F.col("provenance"))
        .otherwise(
            F.map_zip_with(
                "provenance",
                provenance_updates,
                lambda _, old, new: F.coalesce(new, old),
            )
        )
        .alias("provenance"),
        F.when(unfixed, F.col("sources")).otherwise(all_sources).alias("sources"),
        F.when(unfixed, F.col("source_count"))
        .otherwise(F.size(all_sources).cast("int"))
        .alias("source_count"),
    )


def apply_corrections(
    addresses: DataFrame, lineage: DataFrame, records: DataFrame, radius_m: float
) -> tuple[DataFrame, DataFrame, DataFrame]:
    """Conflated addresses after end users' `fix` and `suppress` corrections.

    A correction's target is the nearest address within `radius_m` with the
    same house number, suffix and unit and the same street (base name or
    phonetic key). The newest fix wins per field.

    Args:
        addresses: Conflated addresses (`address_id`, the address fields, comparison
            keys, `lat`/`lon`, `sources`, `source_count`, `provenance`, ...).
        lineage: Their lineage (`address_id`, record key, region).
        records: Canonical records with their `raw` text, the `fix` and `suppress`
            corrections among them.
        radius_m: How far from the correction's point its target may be.

    Returns:
        (1) The addresses, minus suppressed ones, with fixed fields (provenance
        `user_correction`, the correction's source added to `sources`); (2) the
        lineage of the kept addresses plus one row per applied fix; (3)
        quarantine rows: suppressed addresses' records and the suppress
        corrections (`suppressed_by_user`), and corrections whose target is not
        found (`correction_target_not_found`).
    """
    corrections = records.where(F.col("action").isin("fix", "suppress")).select(
        *RECORD_KEY_COLUMNS,
        "dt",
        "action",
        "raw",
        "iso_3166_1",
        *_MATCH_COLUMNS,
        F.col("lat").alias("c_lat"),
        F.col("lon").alias("c_lon"),
        *[F.col(f"fix_{f}") for f in ADDRESS_FIELDS],
    )
    # Each correction's target feeds all three outputs: found once. Corrections are end
    # users' records, orders of magnitude fewer than addresses: they and what derives
    # from them are broadcast, so the addresses, lineage and records are read where they
    # lie instead of being shuffled to meet a handful of rows.
    matched = _targets(corrections, addresses, radius_m).transform(checkpointed)
    unmatched = corrections.join(
        matched.select(*RECORD_KEY_COLUMNS), list(RECORD_KEY_COLUMNS), "left_anti"
    )
    suppressed = F.broadcast(
        matched.where(F.col("action") == "suppress").select("address_id").distinct()
    )
    fixes = matched.where(F.col("action") == "fix")

    corrected = _fixed(addresses, suppressed, fixes)
    kept_lineage = lineage.join(suppressed, "address_id", "left_anti").unionByName(
        fixes.select("address_id", *RECORD_KEY_COLUMNS, "iso_3166_1", "iso_3166_2").join(
            suppressed, "address_id", "left_anti"
        )
    )
    suppressed_records = records.select(*RECORD_KEY_COLUMNS, "raw").join(
        F.broadcast(lineage.join(suppressed, "address_id")), list(RECORD_KEY_COLUMNS)
    )
    rejected = reduce(
        DataFrame.unionByName,
        [
            _quarantine_rows(suppressed_records, "suppressed_by_user"),
            _quarantine_rows(matched.where(F.col("action") == "suppress"), "suppressed_by_user"),
            # A fix whose address another correction suppressed goes with it.
            _quarantine_rows(fixes.join(suppressed, "address_id"), "suppressed_by_user"),
            _quarantine_rows(unmatched, "correction_target_not_found"),
        ],
    )
    return corrected, kept_lineage, rejected
