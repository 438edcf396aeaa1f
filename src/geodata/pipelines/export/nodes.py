"""Export nodes: shape the conflated data into the output contracts and report on the run."""

from __future__ import annotations

from typing import Any

from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from geodata.conflation.comparisons import ScoringParams
from geodata.params import ExportParams, RunParams
from geodata.schemas import (
    ADDRESS_LINEAGE_SCHEMA,
    CONFLATED_ADDRESSES_SCHEMA,
    QUARANTINE_SCHEMA,
)


def _conform(data: DataFrame, schema: T.StructType, run: RunParams) -> DataFrame:
    """`data` with the run's `execution_dt`, as the columns and types of `schema`, in order."""
    with_dt = data.withColumn("execution_dt", F.lit(run.execution_dt))
    return with_dt.select(*[F.col(f.name).cast(f.dataType) for f in schema.fields])


def build_output_tables(
    addresses: DataFrame,
    lineage: DataFrame,
    normalize_rejected: DataFrame,
    conflate_rejected: DataFrame,
    run: RunParams,
) -> tuple[DataFrame, DataFrame, DataFrame]:
    """The run's rows of `conflated_addresses`, `address_lineage` and `quarantine`.

    Rows in: conflated addresses, their lineage and the records rejected by
    normalize and conflate. Rows out: the same rows with the run's
    `execution_dt`, in the output tables' column order and types.
    """
    quarantine = normalize_rejected.unionByName(conflate_rejected)
    return (
        _conform(addresses, CONFLATED_ADDRESSES_SCHEMA, run),
        _conform(lineage, ADDRESS_LINEAGE_SCHEMA, run),
        _conform(quarantine, QUARANTINE_SCHEMA, run),
    )


def build_csv_export(addresses: DataFrame, run: RunParams, export: ExportParams) -> DataFrame:
    """The run's conflated addresses as CSV-writable rows, or no rows when CSV export is off.

    Rows in: conflated addresses. Rows out: the `conflated_addresses` rows with
    `sources` joined by `;` and `provenance` as JSON (CSV has no arrays or maps);
    none when `export.csv_enabled` is false, so no partition is written.
    """
    conflated = _conform(addresses, CONFLATED_ADDRESSES_SCHEMA, run)
    rows = conflated if export.csv_enabled else conflated.limit(0)
    return rows.withColumn("sources", F.array_join("sources", ";")).withColumn(
        "provenance", F.to_json("provenance")
    )


def _counts(frame: DataFrame, *keys: str) -> dict[str, int]:
    rows = frame.groupBy(*keys).count().collect()  # bounded: one row per key combination
    return {"/".join(str(r[k]) for k in keys): int(r["count"]) for r in rows}


def build_run_report(
    ingested: DataFrame,
    normalized: DataFrame,
    normalize_rejected: DataFrame,
    conflate_rejected: DataFrame,
    scored_pairs: DataFrame,
    conflated: DataFrame,
    lineage: DataFrame,
    run: RunParams,
    export: ExportParams,
    scoring: ScoringParams,
) -> dict[str, Any]:
    """Counts per source and stage, merge statistics, quarantine reasons and row accounting.

    Rows in: each stage's output. Out: a JSON-able dict. Every in-scope record
    (normalized or rejected by normalize) must end in exactly one of lineage or
    quarantine: `accounting.balanced` says whether the counts per source agree.
    """
    quarantine = normalize_rejected.unionByName(conflate_rejected)
    ingested_by_source = _counts(ingested, "source")
    normalized_by_source = _counts(normalized, "source")
    normalize_rejected_by_source = _counts(normalize_rejected, "source")
    lineage_by_source = _counts(lineage, "source")
    quarantine_by_source = _counts(quarantine, "source")
    sources = sorted(set(ingested_by_source) | set(lineage_by_source) | set(quarantine_by_source))
    in_scope = {
        s: normalized_by_source.get(s, 0) + normalize_rejected_by_source.get(s, 0) for s in sources
    }
    accounted = {s: lineage_by_source.get(s, 0) + quarantine_by_source.get(s, 0) for s in sources}
    cluster_sizes = _counts(
        lineage.groupBy("address_id").agg(F.count("*").alias("records")), "records"
    )
    pair_levels = scored_pairs.select(
        F.count("*").alias("candidate_pairs"),
        F.count_if(F.col("match_probability") >= scoring.match_threshold).alias("matched_pairs"),
        F.count_if(F.col("hard_rule").isNotNull()).alias("hard_rule_pairs"),
    ).first()
    return {
        "run": {
            "execution_dt": run.execution_dt.isoformat(),
            "iso_3166_1": run.iso_3166_1,
            "iso_3166_2": run.iso_3166_2,
            "table": export.table,
        },
        "records": {
            "ingested_by_source": ingested_by_source,
            "in_scope_by_source": in_scope,
            "normalized_by_source": normalized_by_source,
            "lineage_by_source": lineage_by_source,
            "quarantine_by_source": quarantine_by_source,
        },
        "quarantine_reasons": _counts(quarantine, "source", "reason"),
        "merges": {
            **pair_levels.asDict(),
            "addresses": conflated.count(),
            "addresses_by_region": _counts(conflated, "iso_3166_2"),
            "cluster_sizes": dict(sorted(cluster_sizes.items(), key=lambda kv: int(kv[0]))),
        },
        "accounting": {
            "in_scope_by_source": in_scope,
            "accounted_by_source": accounted,
            "balanced": in_scope == accounted,
        },
    }
