"""HivePartitionedTableDataset against a real (embedded Derby) Hive metastore."""

from datetime import date

import pytest
from kedro.io import DatasetError

from geodata.datasets import HivePartitionedTableDataset, SparkSchemaValidator
from geodata.schemas import ADDRESS_LINEAGE_SCHEMA, RunPartitions


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


NOV, DEC = date(2026, 11, 1), date(2026, 12, 1)
HISTORY = [
    ("a1", "s", "1", NOV, "US", "US-CA"),
    ("n1", "s", "3", NOV, "US", "US-NY"),
    ("f1", "s", "2", NOV, "FI", "FI-18"),
    ("f1", "s", "2", DEC, "FI", "FI-18"),
]


def _scope(country=None, region=None):
    return {"execution_dt": "2026-11-01", "iso_3166_1": country, "iso_3166_2": region}


@pytest.mark.parametrize(
    ("scope", "emptied"),
    [
        # A run of every region: the date's regions without rows are emptied.
        (_scope(), {"US-NY", "FI-18"}),
        # A country's run empties only that country's regions of the date.
        (_scope("US"), {"US-NY"}),
        # A region's run touches only its region.
        (_scope("US", "US-CA"), set()),
    ],
)
def test_a_run_empties_the_partitions_in_its_scope_it_has_no_rows_for(clean_hive, scope, emptied):
    spark = clean_hive
    dataset = HivePartitionedTableDataset(table="geodata_t6.lineage", schema="address_lineage")
    dataset.save(_lineage(spark, HISTORY))
    new = ("a9", "s", "9", NOV, "US", "US-CA")
    dataset.save(RunPartitions(_lineage(spark, [new]), scope))
    rows = sorted(tuple(r) for r in dataset.load().collect())
    kept = [r for r in HISTORY if r[3] == DEC or (r[5] not in emptied and r[5] != "US-CA")]
    assert rows == sorted([new, *kept])
    # Emptied partitions are gone from the metastore too, not left as empty folders.
    partitions = {r[0] for r in spark.sql("SHOW PARTITIONS geodata_t6.lineage").collect()}
    assert not any(
        "execution_dt=2026-11-01/iso_3166_1=" in p and p.endswith(f"={region}")
        for p in partitions
        for region in emptied
    )


def test_a_run_with_no_rows_at_all_empties_its_whole_scope(clean_hive):
    spark = clean_hive
    dataset = HivePartitionedTableDataset(table="geodata_t7.lineage", schema="address_lineage")
    dataset.save(_lineage(spark, HISTORY))
    dataset.save(RunPartitions(_lineage(spark, []), _scope("FI")))
    rows = sorted(tuple(r) for r in dataset.load().collect())
    assert rows == sorted(r for r in HISTORY if not (r[3] == NOV and r[4] == "FI"))


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
