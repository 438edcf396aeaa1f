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

from geodata.schemas import OUTPUT_SCHEMAS, PARTITION_COLUMNS

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def quote_identifier(identifier: str) -> str:
    """`identifier` back-quoted for Spark SQL; refuses anything but a plain name."""
    if not _IDENTIFIER.match(identifier):
        raise DatasetError(f"{identifier!r} is not a valid table or database identifier")
    return f"`{identifier}`"


class HivePartitionedTableDataset(AbstractDataset[DataFrame, DataFrame]):
    """A partitioned Parquet table in the Hive metastore.

    On save it creates the database and table when missing (schema from
    `geodata.schemas`) and overwrites only the partitions present in the data
    (dynamic partition overwrite), leaving other dates and regions untouched.
    A run's outputs are published through `PublishedTablesDataset`, which uses this
    class for the tables' creation and reads.

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
        self._qualified = f"{quote_identifier(self._database)}.{quote_identifier(self._table)}"
        if schema not in OUTPUT_SCHEMAS:
            raise DatasetError(f"unknown schema {schema!r}; known: {sorted(OUTPUT_SCHEMAS)}")
        self._schema: T.StructType = OUTPUT_SCHEMAS[schema]
        self._partitions = list(partition_columns or PARTITION_COLUMNS)
        for column in self._partitions:
            quote_identifier(column)
        self._empty_if_missing = empty_if_missing
        self.metadata = metadata

    @property
    def qualified(self) -> str:
        """The table name quoted for Spark SQL."""
        return self._qualified

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

    def create_table(self, spark: SparkSession) -> None:
        """Create the database and the table (from its schema) when missing."""
        spark.sql(f"CREATE DATABASE IF NOT EXISTS {quote_identifier(self._database)}")
        columns = ", ".join(
            f"{quote_identifier(f.name)} {f.dataType.simpleString()}" for f in self._schema.fields
        )
        partitions = ", ".join(quote_identifier(c) for c in self._partitions)
        spark.sql(
            f"CREATE TABLE IF NOT EXISTS {self._qualified} ({columns}) "
            f"USING parquet PARTITIONED BY ({partitions})"
        )

    def _save(self, data: DataFrame) -> None:
        spark = self._spark()
        self.create_table(spark)
        ordered = data.select(*self._schema.fieldNames())
        key = "spark.sql.sources.partitionOverwriteMode"
        previous = spark.conf.get(key)
        spark.conf.set(key, "dynamic")
        try:
            ordered.write.insertInto(self._qualified, overwrite=True)
        finally:
            spark.conf.set(key, previous)
