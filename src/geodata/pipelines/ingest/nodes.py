"""Ingest nodes: map a source's columns to canonical fields and validate its latest delivery."""

from __future__ import annotations

from functools import reduce

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from geodata.params import RunParams, SourceParams
from geodata.schemas import MAPPED_SCHEMA

_COORDINATE_FIELDS = ("lon", "lat")

REJECT_REASONS = (
    "invalid_delivery_date",
    "missing_record_id",
    "duplicate_record_id",
    "missing_coordinates",
    "invalid_coordinates",
    "null_island",
    "invalid_action",
)
"""Reason codes this stage gives to quarantined records."""


class SourceColumnError(ValueError):
    """A source's delivery lacks a column its `columns:` block maps."""


def _mapped_value(source: SourceParams, field: str) -> Column:
    if field in source.columns:
        value = F.col(f"`{source.columns[field]}`")
    elif field in source.constants:
        value = F.lit(source.constants[field])
    else:
        return F.lit(None).cast(MAPPED_SCHEMA[field].dataType)
    if field in _COORDINATE_FIELDS:
        return value.cast("string").try_cast("double")
    if field == "dt":
        return F.try_to_date(value.cast("string"))
    return F.nullif(F.trim(value.cast("string")), F.lit(""))


def map_source_records(
    raw: DataFrame, source: SourceParams, run: RunParams, *, source_name: str
) -> DataFrame:
    """Records of the source's latest delivery on or before `run.execution_dt`, canonically named.

    Rows in: every row of every delivery in `raw`. Rows out: each row of the
    chosen delivery (all rows when the source has no `dt` column; for a
    `kind: corrections` source every correction dated on or before the run
    date) plus rows whose date cannot be read, with the canonical columns of `MAPPED_SCHEMA`
    and `reject_reason` (null for valid records). Duplicate record ids keep one
    row (the smallest raw text) and reject the others.

    Raises:
        SourceColumnError: A mapped column is missing from the delivery.
    """
    missing = sorted(col for col in source.columns.values() if col not in raw.columns)
    if missing:
        raise SourceColumnError(
            f"source {source_name!r}: column(s) {missing} mapped in parameters "
            f"sources.{source_name}.columns are missing from its data "
            f"(columns present: {sorted(raw.columns)})"
        )
    fixed = {
        "source": F.lit(source_name),
        "geometry_accuracy": F.lit(source.geometry_accuracy),
        "priority": F.lit(source.priority),
        "raw": F.to_json(F.struct(*[F.col(f"`{c}`") for c in raw.columns])),
    }
    mapped = raw.select(
        *[
            fixed.get(field.name, _mapped_value(source, field.name))
            .cast(field.dataType)
            .alias(field.name)
            for field in MAPPED_SCHEMA.fields
        ]
    )
    delivered = _latest_delivery(mapped, source, run)
    return _with_reject_reason(delivered, source)


def _latest_delivery(mapped: DataFrame, source: SourceParams, run: RunParams) -> DataFrame:
    if "dt" not in source.columns:
        return mapped
    run_dt = F.lit(run.execution_dt)
    unreadable = mapped.where(F.col("dt").isNull())
    if source.kind == "corrections":
        # Corrections are events, not snapshots: every one made by the run date counts.
        return mapped.where(F.col("dt") <= run_dt).unionByName(unreadable)
    latest = (
        mapped.where(F.col("dt") <= run_dt)
        .agg(F.max("dt").alias("delivery_dt"))
        .where(F.col("delivery_dt").isNotNull())
    )
    chosen = mapped.join(F.broadcast(latest), mapped["dt"] == latest["delivery_dt"]).drop(
        "delivery_dt"
    )
    return chosen.unionByName(unreadable)


def _with_reject_reason(records: DataFrame, source: SourceParams) -> DataFrame:
    lon, lat = F.col("lon"), F.col("lat")
    duplicate_rank = F.row_number().over(
        Window.partitionBy("source", "source_record_id").orderBy(F.col("raw").asc_nulls_last())
    )
    checks: list[tuple[Column, str]] = [
        (F.col("dt").isNull() & F.lit("dt" in source.columns), "invalid_delivery_date"),
        (F.col("source_record_id").isNull(), "missing_record_id"),
        (duplicate_rank > 1, "duplicate_record_id"),
        (lon.isNull() | lat.isNull() | F.isnan(lon) | F.isnan(lat), "missing_coordinates"),
        ((F.abs(lat) > 90) | (F.abs(lon) > 180), "invalid_coordinates"),
        ((F.abs(lat) < 1e-6) & (F.abs(lon) < 1e-6), "null_island"),
    ]
    if source.kind == "corrections":
        action = F.lower(F.col("action"))
        checks.append((~action.isin("add", "fix", "suppress") | action.isNull(), "invalid_action"))
    reason = reduce(
        lambda acc, check: acc.when(check[0], F.lit(check[1])),
        checks[1:],
        F.when(checks[0][0], F.lit(checks[0][1])),
    )
    result = records.withColumn("reject_reason", reason)
    if source.kind == "corrections":
        result = result.withColumn("action", F.lower(F.col("action")))
    return result


def combine_sources(*sources: DataFrame) -> DataFrame:
    """All sources' mapped records in one DataFrame (rows in = rows out)."""
    return reduce(DataFrame.unionByName, sources)
