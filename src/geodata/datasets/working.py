"""A run's working data: Spark files read back with the schema they were written with."""

from __future__ import annotations

from kedro_datasets.spark import SparkDataset
from pyspark.sql import DataFrame
from pyspark.sql import types as T


def as_nullable(data_type: T.DataType) -> T.DataType:
    """`data_type` with every field, array element and map value nullable.

    Spark reads files with a nullable schema whatever the writer's said, so a schema
    taken from the written DataFrame is made nullable to read back the same way.
    """
    if isinstance(data_type, T.StructType):
        return T.StructType(
            [T.StructField(f.name, as_nullable(f.dataType), True, f.metadata) for f in data_type]
        )
    if isinstance(data_type, T.ArrayType):
        return T.ArrayType(as_nullable(data_type.elementType), True)
    if isinstance(data_type, T.MapType):
        return T.MapType(data_type.keyType, as_nullable(data_type.valueType), True)
    return data_type


class WorkingDataset(SparkDataset):
    """`spark.SparkDataset` for a run's intermediate data (the `int_`, `prm_`, `fea_` and
    `mo_` patterns); catalog entries take the same arguments.

    Reading Parquet without a schema costs a Spark job that reads a file's footer for
    it. A run reads back nearly every working dataset it writes (about 60 loads in a
    run of the default pipeline), so once a dataset has been saved in this process
    its loads pass the schema it was written with (made nullable, as Spark reads
    files) and start no job. A dataset written by another process (an earlier
    Airflow task) is read as `SparkDataset` reads it. A `schema` in `load_args`
    always wins.
    """

    def save(self, data: DataFrame) -> None:
        """Write `data`, and remember its schema for the loads after it."""
        super().save(data)
        if self._written_schema_usable():
            self._written_schema = as_nullable(data.schema)

    def load(self) -> DataFrame:
        """Read the data, with the schema of this process's save where there was one."""
        written = getattr(self, "_written_schema", None)
        if written is None or self._schema is not None:
            return super().load()
        self._schema = written
        try:
            return super().load()
        finally:
            self._schema = None

    def _exists(self) -> bool:
        if getattr(self, "_written_schema", None) is not None:
            return True  # saved by this process
        return super()._exists()

    def _written_schema_usable(self) -> bool:
        # Parquet and ORC store the schema they were written with; a text format read
        # with options (CSV headers) may not read back as written.
        return self._file_format in ("parquet", "orc") and self._schema is None
