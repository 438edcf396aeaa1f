"""HivePartitionedTableDataset against a real (embedded Derby) Hive metastore."""

from datetime import date

import pytest
from kedro.io import DatasetError

from geodata.datasets import HivePartitionedTableDataset, SparkSchemaValidator
from geodata.schemas import ADDRESS_LINEAGE_SCHEMA


def _lineage(spark, rows):
    return spark.createDataFrame(rows, ADDRESS_LINEAGE_SCHEMA)


def test_creates_database_and_table_and_round_trips(clean_hive):
    spark = clean_hive
    dataset = HivePartitionedTableDataset(table="geodata_t1.lineage", schema="address_lineage")
    assert not dataset.exists()
    rows = [("a1", "src", "1", date(2026, 11, 1), "US", "US-CA")]
    dataset.save(_lineage(spark, rows))
    assert dataset.exists()
    loaded = dataset.load()
    assert [tuple(r) for r in loaded.collect()] == rows
    partitions = {r[0] for r in spark.sql("SHOW PARTITIONS geodata_t1.lineage").collect()}
    assert partitions == {"execution_dt=2026-11-01/iso_3166_1=US/iso_3166_2=US-CA"}


def test_rewriting_a_partition_leaves_other_dates_and_regions_untouched(clean_hive):
    spark = clean_hive
    dataset = HivePartitionedTableDataset(table="geodata_t2.lineage", schema="address_lineage")
    nov, dec = date(2026, 11, 1), date(2026, 12, 1)
    dataset.save(
        _lineage(
            spark,
            [
                ("a1", "s", "1", nov, "US", "US-CA"),
                ("f1", "s", "2", nov, "FI", "FI-18"),
                ("a1", "s", "1", dec, "US", "US-CA"),
            ],
        )
    )
    dataset.save(_lineage(spark, [("a9", "s", "9", nov, "US", "US-CA")]))
    dataset.save(_lineage(spark, [("a9", "s", "9", nov, "US", "US-CA")]))
    rows = sorted(tuple(r) for r in dataset.load().collect())
    assert rows == sorted(
        [
            ("a9", "s", "9", nov, "US", "US-CA"),
            ("f1", "s", "2", nov, "FI", "FI-18"),
            ("a1", "s", "1", dec, "US", "US-CA"),
        ]
    )


def test_load_of_a_missing_table_says_which(clean_hive):
    dataset = HivePartitionedTableDataset(table="geodata_t3.nothing", schema="quarantine")
    with pytest.raises(DatasetError, match=r"geodata_t3\.nothing"):
        dataset.load()


def test_a_missing_table_can_load_as_empty_rows_of_its_schema(clean_hive):
    spark = clean_hive
    dataset = HivePartitionedTableDataset(
        table="geodata_t4.lineage", schema="address_lineage", empty_if_missing=True
    )
    empty = dataset.load()
    assert empty.schema == ADDRESS_LINEAGE_SCHEMA
    assert empty.count() == 0
    rows = [("a1", "src", "1", date(2026, 11, 1), "US", "US-CA")]
    dataset.save(_lineage(spark, rows))
    assert [tuple(r) for r in dataset.load().collect()] == rows


@pytest.mark.parametrize("table", ["bad-db.t", "db.t;drop", "db.`t`"])
def test_unsafe_identifiers_are_refused(table):
    with pytest.raises(DatasetError, match="identifier"):
        HivePartitionedTableDataset(table=table, schema="quarantine")


def test_schema_validator_orders_columns_and_names_differences(spark):
    validator = SparkSchemaValidator(schema="address_lineage")
    rows = [("a1", "s", "1", date(2026, 11, 1), "US", "US-CA")]
    frame = _lineage(spark, rows)
    shuffled = frame.select(*reversed(frame.columns))
    assert validator.validate(shuffled).columns == frame.columns
    with pytest.raises(ValueError, match=r"missing=\['address_id'\]"):
        validator.validate(frame.drop("address_id"))
    with pytest.raises(ValueError, match="source_record_id: int"):
        validator.validate(
            frame.withColumn("source_record_id", frame["source_record_id"].cast("int"))
        )
