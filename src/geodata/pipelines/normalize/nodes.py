"""Normalize nodes: parse and canonicalize every ingested record, split valid from rejected."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from geodata.address import NormalizedAddress, normalize_address
from geodata.params import RunParams
from geodata.schemas import (
    ADDRESS_FIELDS,
    CANONICAL_SCHEMA,
    TEXT_FIELDS,
    UNKNOWN_COUNTRY,
    UNKNOWN_REGION,
)

# Every parsed field except the verdict, typed as in the canonical record.
_PARSED_FIELDS = tuple(
    (f.name, CANONICAL_SCHEMA[f.name].dataType)
    for f in dataclasses.fields(NormalizedAddress)
    if f.name != "reject_reason"
)
_INPUT_TEXT = TEXT_FIELDS


def _text(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _normalize_batch(batch: pd.DataFrame) -> pd.DataFrame:
    """Canonical fields for one Arrow batch of mapped records (vectorised over the batch)."""
    columns = {name: [] for name, _ in _PARSED_FIELDS}
    fixes = {f"fix_{name}": [] for name in ADDRESS_FIELDS}
    reasons = []
    for row in batch[list(_INPUT_TEXT) + [f"fix_{n}" for n in ADDRESS_FIELDS]].itertuples(
        index=False
    ):
        values = {name: _text(getattr(row, name)) for name in _INPUT_TEXT}
        parsed = normalize_address(**values)
        for name, _ in _PARSED_FIELDS:
            columns[name].append(getattr(parsed, name))
        reasons.append(parsed.reject_reason)
        given = {name: _text(getattr(row, f"fix_{name}")) for name in ADDRESS_FIELDS}
        if any(given.values()):
            # Fix values are canonicalized in the context of the target address so
            # that, e.g., a new unit "4" becomes "# 4" exactly as a source's would.
            fixed = normalize_address(
                house_number=given["house_number"] or parsed.house_number,
                street=given["street"] or parsed.street,
                unit=given["unit"] or parsed.unit,
                locality=given["locality"] or parsed.locality,
                region=parsed.iso_3166_2,
                postcode=given["postcode"] or parsed.postcode,
                country=parsed.iso_3166_1,
                full_address=None,
            )
            for name in ADDRESS_FIELDS:
                fixes[f"fix_{name}"].append(getattr(fixed, name) if given[name] else None)
        else:
            for name in ADDRESS_FIELDS:
                fixes[f"fix_{name}"].append(None)
    out = batch.drop(columns=[*_INPUT_TEXT, *fixes]).copy()
    for name, values in {**columns, **fixes}.items():
        out[name] = values
    out["hn_int"] = pd.array(columns["hn_int"], dtype="Int64")
    out["normalize_reason"] = reasons
    return out


def normalize_records(records: DataFrame, run: RunParams) -> tuple[DataFrame, DataFrame]:
    """Canonical address records of the run's scope, and the records rejected so far.

    Rows in: every ingested record (with the ingest `reject_reason`). Rows out:
    each record in the run's country/region scope goes to exactly one output:
    valid ones to the first (`CANONICAL_SCHEMA`), rejected ones (ingest or
    normalization reason) to the second as quarantine rows. Rejected records
    whose region cannot be determined are kept under region `ZZ-ZZ`.
    """
    passthrough = [f for f in records.schema.fields if f.name not in _INPUT_TEXT]
    passthrough = [f for f in passthrough if not f.name.startswith("fix_")]
    out_schema = T.StructType(
        [
            *passthrough,
            *[T.StructField(n, t, True) for n, t in _PARSED_FIELDS],
            *[T.StructField(f"fix_{n}", T.StringType(), True) for n in ADDRESS_FIELDS],
            T.StructField("normalize_reason", T.StringType(), True),
        ]
    )

    def normalize_batches(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            yield _normalize_batch(batch)

    normalized = records.mapInPandas(normalize_batches, out_schema)
    reason = F.coalesce(F.col("reject_reason"), F.col("normalize_reason"))
    if run.country_filter:
        normalized = normalized.where(
            F.col("iso_3166_1").isNull() | (F.col("iso_3166_1") == run.country_filter)
        )
    if run.iso_3166_2:
        normalized = normalized.where(
            F.col("iso_3166_2").isNull() | (F.col("iso_3166_2") == run.iso_3166_2)
        )
    normalized = normalized.withColumn("reason", reason)
    valid = normalized.where(F.col("reason").isNull()).select(
        *[F.col(f.name).cast(f.dataType) for f in CANONICAL_SCHEMA.fields]
    )
    rejected = normalized.where(F.col("reason").isNotNull()).select(
        "source",
        "source_record_id",
        "reason",
        "raw",
        F.coalesce("iso_3166_1", F.lit(UNKNOWN_COUNTRY)).alias("iso_3166_1"),
        F.when(F.col("iso_3166_1").isNull(), F.lit(UNKNOWN_REGION))
        .otherwise(F.coalesce("iso_3166_2", F.concat(F.col("iso_3166_1"), F.lit("-ZZ"))))
        .alias("iso_3166_2"),
    )
    return valid, rejected
