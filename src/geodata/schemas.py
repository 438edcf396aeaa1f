"""The one place that knows the shape of geodata's records and output tables.

Nodes select these columns, the Hive dataset creates tables from them, the
catalog validators enforce them and the tests compare against them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

GEOMETRY_ACCURACY_RANK: dict[str, int] = {
    "rooftop": 1,
    "entrance": 2,
    "parcel": 3,
    "interpolated": 4,
    "postal": 5,
    "unknown": 6,
}
"""Lower is more precise; used by survivorship and distance scaling."""

CANONICAL_FIELDS: tuple[str, ...] = (
    "source_record_id",
    "dt",
    "house_number",
    "street",
    "unit",
    "locality",
    "region",
    "postcode",
    "country",
    "lon",
    "lat",
    "full_address",
)
"""Fields a source may map in its `columns:` block (besides correction fields)."""

TEXT_FIELDS: tuple[str, ...] = tuple(
    f for f in CANONICAL_FIELDS if f not in ("source_record_id", "dt", "lon", "lat")
)
"""The canonical fields that hold address text (normalization parses them)."""

ADDRESS_FIELDS: tuple[str, ...] = ("house_number", "street", "unit", "locality", "postcode")
"""The address fields survivorship chooses and a user `fix` may set."""

CORRECTION_FIELDS: tuple[str, ...] = ("action", *(f"fix_{f}" for f in ADDRESS_FIELDS))
"""Extra fields a `kind: corrections` source maps."""

RECORD_KEY_COLUMNS: tuple[str, ...] = ("source", "source_record_id")
"""A record's unique key within a run; enrichments, lineage and quarantine join on it."""


def record_key() -> Column:
    """`RECORD_KEY_COLUMNS` as one string column, the record key of conflate's pair tables."""
    return F.concat_ws("\u001f", *[F.col(c) for c in RECORD_KEY_COLUMNS])


PARTITION_COLUMNS: tuple[str, ...] = ("execution_dt", "iso_3166_1", "iso_3166_2")


@dataclass(frozen=True)
class RunTables:
    """A run's rows of the output tables, and the partitions the run answers for.

    `tables` maps an output schema name (`conflated_addresses`, ...) to its rows.
    `scope` maps each partition column to the value the run covers, or None for
    every value (e.g. `{"execution_dt": "2026-11-01", "iso_3166_1": None,
    "iso_3166_2": None}` for a run of every region). Publishing replaces the
    partitions in the rows and empties the tables' other partitions in scope: a
    region the run covers and found nothing for is emptied, not left with an older
    run's rows (`geodata.datasets.PublishedTablesDataset`). `files` maps a file
    dataset published with the tables (`conflated_addresses_csv`, `run_report`) to
    what it saves.
    """

    tables: Mapping[str, DataFrame]
    scope: Mapping[str, str | None]
    files: Mapping[str, Any] = field(default_factory=dict)

    def covers(self, partition: Mapping[str, str]) -> bool:
        """Whether a partition (column → value as text) lies in this run's scope."""
        return all(v is None or partition.get(k) == v for k, v in self.scope.items())


UNKNOWN_COUNTRY = "ZZ"
UNKNOWN_REGION = "ZZ-ZZ"
"""Partition values for quarantined records whose region cannot be determined
(ISO 3166 reserves `ZZ` for user-assigned "unknown")."""

MAPPED_SCHEMA = T.StructType(
    [
        T.StructField("source", T.StringType(), False),
        T.StructField("source_record_id", T.StringType(), True),
        T.StructField("dt", T.DateType(), True),
        T.StructField("house_number", T.StringType(), True),
        T.StructField("street", T.StringType(), True),
        T.StructField("unit", T.StringType(), True),
        T.StructField("locality", T.StringType(), True),
        T.StructField("region", T.StringType(), True),
        T.StructField("postcode", T.StringType(), True),
        T.StructField("country", T.StringType(), True),
        T.StructField("full_address", T.StringType(), True),
        T.StructField("lon", T.DoubleType(), True),
        T.StructField("lat", T.DoubleType(), True),
        T.StructField("action", T.StringType(), True),
        T.StructField("fix_house_number", T.StringType(), True),
        T.StructField("fix_street", T.StringType(), True),
        T.StructField("fix_unit", T.StringType(), True),
        T.StructField("fix_locality", T.StringType(), True),
        T.StructField("fix_postcode", T.StringType(), True),
        T.StructField("geometry_accuracy", T.StringType(), False),
        T.StructField("priority", T.IntegerType(), False),
        T.StructField("raw", T.StringType(), True),
    ]
)
"""A source record after column mapping: canonical names, still raw values."""

CANONICAL_SCHEMA = T.StructType(
    [
        T.StructField("source", T.StringType(), False),
        T.StructField("source_record_id", T.StringType(), False),
        T.StructField("dt", T.DateType(), True),
        T.StructField("house_number", T.StringType(), True),
        T.StructField("street", T.StringType(), True),
        T.StructField("unit", T.StringType(), True),
        T.StructField("locality", T.StringType(), True),
        T.StructField("postcode", T.StringType(), True),
        T.StructField("iso_3166_1", T.StringType(), True),
        T.StructField("iso_3166_2", T.StringType(), True),
        T.StructField("lat", T.DoubleType(), True),
        T.StructField("lon", T.DoubleType(), True),
        T.StructField("geometry_accuracy", T.StringType(), False),
        T.StructField("priority", T.IntegerType(), False),
        # Derived comparison keys.
        T.StructField("hn_int", T.LongType(), True),
        T.StructField("hn_suffix", T.StringType(), True),
        T.StructField("street_base", T.StringType(), True),
        T.StructField("street_type", T.StringType(), True),
        T.StructField("street_dir", T.StringType(), True),
        T.StructField("street_phonetic", T.StringType(), True),
        T.StructField("unit_id", T.StringType(), True),
        # Correction payload (null for ordinary sources).
        T.StructField("action", T.StringType(), True),
        T.StructField("fix_house_number", T.StringType(), True),
        T.StructField("fix_street", T.StringType(), True),
        T.StructField("fix_unit", T.StringType(), True),
        T.StructField("fix_locality", T.StringType(), True),
        T.StructField("fix_postcode", T.StringType(), True),
        T.StructField("raw", T.StringType(), True),
    ]
)
"""The canonical address record produced by `normalize` (ARCHITECTURE.md)."""


def _partitioned_last(schema: T.StructType) -> T.StructType:
    """The schema with the partition columns moved to the end, in partition order."""
    data = [f for f in schema.fields if f.name not in PARTITION_COLUMNS]
    return T.StructType(data + [schema[name] for name in PARTITION_COLUMNS])


CONFLATED_ADDRESSES_SCHEMA = _partitioned_last(
    T.StructType(
        [
            T.StructField("address_id", T.StringType(), False),
            T.StructField("house_number", T.StringType(), True),
            T.StructField("street", T.StringType(), True),
            T.StructField("unit", T.StringType(), True),
            T.StructField("locality", T.StringType(), True),
            T.StructField("postcode", T.StringType(), True),
            T.StructField("iso_3166_1", T.StringType(), False),
            T.StructField("iso_3166_2", T.StringType(), False),
            T.StructField("lat", T.DoubleType(), True),
            T.StructField("lon", T.DoubleType(), True),
            T.StructField("geometry_accuracy", T.StringType(), True),
            T.StructField("parcel_id", T.StringType(), True),
            T.StructField("building_id", T.StringType(), True),
            T.StructField("road_id", T.StringType(), True),
            T.StructField("source_count", T.IntegerType(), False),
            T.StructField("sources", T.ArrayType(T.StringType(), True), False),
            T.StructField("provenance", T.MapType(T.StringType(), T.StringType(), True), False),
            T.StructField("confidence", T.DoubleType(), False),
            T.StructField("execution_dt", T.DateType(), False),
        ]
    )
)

ADDRESS_LINEAGE_SCHEMA = _partitioned_last(
    T.StructType(
        [
            T.StructField("address_id", T.StringType(), False),
            T.StructField("source", T.StringType(), False),
            T.StructField("source_record_id", T.StringType(), False),
            T.StructField("iso_3166_1", T.StringType(), False),
            T.StructField("iso_3166_2", T.StringType(), False),
            T.StructField("execution_dt", T.DateType(), False),
        ]
    )
)

QUARANTINE_SCHEMA = _partitioned_last(
    T.StructType(
        [
            T.StructField("source", T.StringType(), False),
            T.StructField("source_record_id", T.StringType(), True),
            T.StructField("reason", T.StringType(), False),
            T.StructField("raw", T.StringType(), True),
            T.StructField("iso_3166_1", T.StringType(), False),
            T.StructField("iso_3166_2", T.StringType(), False),
            T.StructField("execution_dt", T.DateType(), False),
        ]
    )
)

OUTPUT_SCHEMAS: dict[str, T.StructType] = {
    "conflated_addresses": CONFLATED_ADDRESSES_SCHEMA,
    "address_lineage": ADDRESS_LINEAGE_SCHEMA,
    "quarantine": QUARANTINE_SCHEMA,
}
"""Output tables by logical name; each schema lists its columns in table order, partition
columns last."""
