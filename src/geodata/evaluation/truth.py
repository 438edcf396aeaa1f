"""The labelled-set (truth) format, and which truth records a run reads.

A labelled set is a raw folder in the project's layout plus two Parquet files:
`truth/records.parquet` (`source, source_record_id, dt, truth_address_id,
invalid`) and `truth/addresses.parquet` (`truth_address_id, house_number,
street, unit, locality, postcode, iso_3166_1, iso_3166_2, lat, lon, ...,
phantom`). See docs/quality.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

TRUTH_RECORDS_PATH = "truth/records.parquet"
TRUTH_ADDRESSES_PATH = "truth/addresses.parquet"

TRUTH_RECORD_COLUMNS = ("source", "source_record_id", "dt", "truth_address_id", "invalid")
TRUTH_ADDRESS_COLUMNS = (
    "truth_address_id",
    "house_number",
    "street",
    "unit",
    "locality",
    "postcode",
    "iso_3166_1",
    "iso_3166_2",
    "lat",
    "lon",
)
"""Columns the evaluation needs; `phantom` is optional (false when absent)."""


@dataclass(frozen=True)
class Truth:
    """A labelled set's two tables, typed and with the optional columns filled."""

    records: DataFrame
    addresses: DataFrame


def _require(frame: DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s) {missing}; it has {frame.columns}")


def prepare_truth(records: DataFrame, addresses: DataFrame) -> Truth:
    """Check and type the truth tables (ids as strings, `dt` as date, `phantom` filled).

    Args:
        records: One row per source record and delivery.
        addresses: One row per true (or phantom) address.

    Returns:
        The two tables with exactly the columns the evaluation uses.

    Raises:
        ValueError: A required column is missing (the message names it).
    """
    _require(records, TRUTH_RECORD_COLUMNS, "truth records")
    _require(addresses, TRUTH_ADDRESS_COLUMNS, "truth addresses")
    phantom = F.col("phantom") if "phantom" in addresses.columns else F.lit(False)
    typed_records = records.select(
        F.col("source").cast("string").alias("source"),
        F.col("source_record_id").cast("string").alias("source_record_id"),
        F.col("dt").cast("date").alias("dt"),
        F.col("truth_address_id").cast("string").alias("truth_address_id"),
        F.coalesce(F.col("invalid").cast("boolean"), F.lit(False)).alias("invalid"),
    )
    typed_addresses = addresses.select(
        F.col("truth_address_id").cast("string").alias("truth_address_id"),
        *[F.col(c).cast("string").alias(c) for c in TRUTH_ADDRESS_COLUMNS[1:8]],
        F.col("lat").cast("double").alias("lat"),
        F.col("lon").cast("double").alias("lon"),
        F.coalesce(phantom.cast("boolean"), F.lit(False)).alias("phantom"),
    )
    return Truth(typed_records, typed_addresses)


def read_truth(spark: SparkSession, raw_dir: Path | str) -> Truth:
    """Read the labelled set's truth files under `raw_dir` with Spark."""
    raw = str(raw_dir).rstrip("/")
    return prepare_truth(
        spark.read.parquet(f"{raw}/{TRUTH_RECORDS_PATH}"),
        spark.read.parquet(f"{raw}/{TRUTH_ADDRESSES_PATH}"),
    )


def latest_delivery_date(raw_dir: Path | str) -> str:
    """The latest `dt` of any truth record, ISO: the run date that reads every last delivery.

    Read with pyarrow (one column), so a run's parameters can be set before Spark starts.
    """
    dates = pq.read_table(Path(raw_dir) / TRUTH_RECORDS_PATH, columns=["dt"])["dt"]
    # Records of undated sources have no `dt`; ISO date strings cast like dates.
    return pc.max(pc.cast(dates, "date32")).as_py().isoformat()


def records_in_scope(
    truth: Truth,
    execution_dt: date | str,
    event_sources: Iterable[str] = (),
    regions: Iterable[str] | None = None,
) -> DataFrame:
    """Truth rows of the records a run for `execution_dt` reads.

    Each source's latest delivery with `dt <= execution_dt`; a source without any
    dated record is one delivery valid for every date; an event source (user
    corrections) contributes every record dated on or before the run date. With
    `regions`, only records whose true address is in one of them, plus invalid
    records (which have no true address to place them).

    Args:
        truth: The labelled set.
        execution_dt: The run date.
        event_sources: Sources whose records are events (`kind: corrections`).
        regions: ISO 3166-2 codes a run was limited to; None for all.

    Returns:
        `source, source_record_id, truth_address_id, invalid, phantom`, one row per
        record (the first truth row if a record repeats within its delivery).
    """
    cutoff = F.lit(str(execution_dt)).cast("date")
    events = list(event_sources)
    records = truth.records
    per_source = records.groupBy("source").agg(
        F.count("dt").alias("dated"),
        F.max(F.when(F.col("dt") <= cutoff, F.col("dt"))).alias("latest_dt"),
    )
    chosen = records.join(per_source, "source").where(
        (F.col("dated") == 0)
        | (F.col("source").isin(events) & (F.col("dt") <= cutoff))
        | (~F.col("source").isin(events) & (F.col("dt") == F.col("latest_dt")))
    )
    addresses = truth.addresses.select("truth_address_id", "iso_3166_2", "phantom")
    labelled = chosen.join(addresses, "truth_address_id", "left")
    if regions is not None:
        labelled = labelled.where(F.col("iso_3166_2").isin(list(regions)) | F.col("invalid"))
    return labelled.dropDuplicates(["source", "source_record_id"]).select(
        "source",
        "source_record_id",
        "truth_address_id",
        "invalid",
        F.coalesce("phantom", F.lit(False)).alias("phantom"),
    )
