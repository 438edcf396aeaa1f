"""A Hive table dataset that overwrites only the partitions a run writes.

kedro-datasets' `SparkHiveDataset` can neither create the database nor
overwrite only some partitions (its `overwrite` replaces the whole table, and
its `upsert` needs a key), so this small class does exactly that.
"""

from __future__ import annotations

import re
from typing import Any

from kedro.io import AbstractDataset, DatasetError
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import types as T

from geodata.schemas import OUTPUT_SCHEMAS, PARTITION_COLUMNS, RunPartitions

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _quote(identifier: str) -> str:
    if not _IDENTIFIER.match(identifier):
        raise DatasetError(f"{identifier!r} is not a valid table or database identifier")
    return f"`{identifier}`"


def _escape(value: str) -> str:
    """A value as the body of a single-quoted Spark SQL string literal."""
    return value.replace("\\", "\\\\").replace("'", "\\'")


class HivePartitionedTableDataset(AbstractDataset[DataFrame | RunPartitions, DataFrame]):
    """A partitioned Parquet table in the Hive metastore.

    On save it creates the database and table when missing (schema from
    `geodata.schemas`) and overwrites only the partitions present in the data
    (dynamic partition overwrite), leaving other dates and regions untouched.
    Saving a `RunPartitions` also drops the table's partitions in the run's scope
    that the rows no longer hold (a region that emptied), after the rows are in.

    Example catalog entry::

        conflated_addresses:
          type: geodata.datasets.HivePartitionedTableDataset
          table: geodata.conflated_addresses
          schema: conflated_addresses

    Args:
        table: `database.table` or `table` (database `default`).
        schema: Logical output name in `geodata.schemas.OUTPUT_SCHEMAS`.
        partition_columns: Defaults to `execution_dt, iso_3166_1, iso_3166_2`.
        empty_if_missing: Load an empty DataFrame with the table's schema when the
            table does not exist yet (e.g. reading earlier runs before the first run).
        metadata: Free-form metadata (e.g. for kedro-viz).
    """

    def __init__(
        self,
        *,
        table: str,
        schema: str,
        partition_columns: list[str] | None = None,
        empty_if_missing: bool = False,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        database, _, name = table.rpartition(".")
        self._database = database or "default"
        self._table = name
        self._qualified = f"{_quote(self._database)}.{_quote(self._table)}"
        if schema not in OUTPUT_SCHEMAS:
            raise DatasetError(f"unknown schema {schema!r}; known: {sorted(OUTPUT_SCHEMAS)}")
        self._schema: T.StructType = OUTPUT_SCHEMAS[schema]
        self._partitions = list(partition_columns or PARTITION_COLUMNS)
        for column in self._partitions:
            _quote(column)
        self._empty_if_missing = empty_if_missing
        self.metadata = metadata

    @property
    def table(self) -> str:
        """The fully qualified table name."""
        return f"{self._database}.{self._table}"

    def _describe(self) -> dict[str, Any]:
        return {"table": self.table, "partition_columns": self._partitions}

    @staticmethod
    def _spark() -> SparkSession:
        return SparkSession.builder.getOrCreate()

    def _exists(self) -> bool:
        return self._spark().catalog.tableExists(f"{self._database}.{self._table}")

    def _load(self) -> DataFrame:
        if not self._exists():
            if self._empty_if_missing:
                return self._spark().createDataFrame([], self._schema)
            raise DatasetError(f"table {self.table} does not exist")
        return self._spark().table(self._qualified)

    def _create_table(self, spark: SparkSession) -> None:
        spark.sql(f"CREATE DATABASE IF NOT EXISTS {_quote(self._database)}")
        columns = ", ".join(
            f"{_quote(f.name)} {f.dataType.simpleString()}" for f in self._schema.fields
        )
        partitions = ", ".join(_quote(c) for c in self._partitions)
        spark.sql(
            f"CREATE TABLE IF NOT EXISTS {self._qualified} ({columns}) "
            f"USING parquet PARTITIONED BY ({partitions})"
        )

    def _partitions_of(self, spark: SparkSession) -> list[dict[str, str]]:
        """The table's partitions as column → value text (one row per partition)."""
        rows = spark.sql(f"SHOW PARTITIONS {self._qualified}").collect()  # bounded: partitions
        return [dict(part.split("=", 1) for part in row[0].split("/")) for row in rows]

    def _drop_emptied(self, spark: SparkSession, written: RunPartitions) -> None:
        """Drop the partitions in `written`'s scope that its rows do not hold."""
        kept = {
            tuple(str(row[c]) for c in self._partitions)
            for row in written.rows.select(*self._partitions).distinct().collect()  # partitions
        }
        for partition in self._partitions_of(spark):
            values = tuple(partition.get(c) for c in self._partitions)
            if written.covers(partition) and values not in kept:
                spec = ", ".join(
                    f"{_quote(c)} = '{_escape(v)}'"
                    for c, v in zip(self._partitions, values, strict=True)
                )
                spark.sql(f"ALTER TABLE {self._qualified} DROP IF EXISTS PARTITION ({spec})")

    def _save(self, data: DataFrame | RunPartitions) -> None:
        spark = self._spark()
        self._create_table(spark)
        rows = data.rows if isinstance(data, RunPartitions) else data
        ordered = rows.select(*self._schema.fieldNames())
        key = "spark.sql.sources.partitionOverwriteMode"
        previous = spark.conf.get(key)
        spark.conf.set(key, "dynamic")
        try:
            ordered.write.insertInto(self._qualified, overwrite=True)
        finally:
            spark.conf.set(key, previous)
        if isinstance(data, RunPartitions):
            self._drop_emptied(spark, data)
