"""Catalog validator that holds Spark DataFrames to a declared output schema."""

from __future__ import annotations

from pyspark.sql import DataFrame

from geodata.schemas import OUTPUT_SCHEMAS


class SparkSchemaValidator:
    """Checks a DataFrame has exactly the columns and types of an output schema.

    Used as a Kedro catalog `validator:`; runs no Spark job (it reads the
    plan's schema only) and returns the columns in table order.

    Args:
        schema: Logical output name, a key of `geodata.schemas.OUTPUT_SCHEMAS`.
    """

    def __init__(self, schema: str) -> None:
        if schema not in OUTPUT_SCHEMAS:
            raise ValueError(f"unknown output schema {schema!r}; known: {sorted(OUTPUT_SCHEMAS)}")
        self._name = schema
        self._schema = OUTPUT_SCHEMAS[schema]

    def validate(self, data: DataFrame) -> DataFrame:
        """Return `data` in table column order, or raise naming what differs."""
        expected = {f.name: f.dataType for f in self._schema.fields}
        actual = {f.name: f.dataType for f in data.schema.fields}
        missing = sorted(set(expected) - set(actual))
        extra = sorted(set(actual) - set(expected))
        wrong = sorted(
            f"{name}: {actual[name].simpleString()} != {expected[name].simpleString()}"
            for name in set(expected) & set(actual)
            if actual[name] != expected[name]
        )
        if missing or extra or wrong:
            raise ValueError(
                f"{self._name} does not match its schema: missing={missing} extra={extra} "
                f"wrong types={wrong}"
            )
        return data.select(*self._schema.fieldNames())
