"""A run that covers a region and finds nothing for it empties that region's partitions
of the date in all three tables, so the tables and the run report agree."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pandas as pd
import pytest
from pyspark.sql import functions as F
from pyspark.sql import types as T

from geodata.datasets import HivePartitionedTableDataset
from geodata.schemas import OUTPUT_SCHEMAS
from tests.kedro_project import make_project_copy, run_project
from tests.runs import D1, TABLES, use_database

DATABASE = "geodata_emptied"
EARLIER = date(2026, 10, 1)

_FILLER = {
    T.StringType(): "x",
    T.DoubleType(): 0.5,
    T.IntegerType(): 1,
    T.LongType(): 1,
    T.ArrayType(T.StringType(), True): ["x"],
    T.MapType(T.StringType(), T.StringType(), True): {"street": "x"},
}


def _old_row(table: str, run_dt: date) -> dict:
    """A row of `table` in FI-18 for `run_dt`, as an older run left it."""
    row = {f.name: _FILLER.get(f.dataType) for f in OUTPUT_SCHEMAS[table].fields}
    return row | {"execution_dt": run_dt, "iso_3166_1": "FI", "iso_3166_2": "FI-18"}


@pytest.fixture(scope="module")
def emptied(spark, small_raw, tmp_path_factory):
    """Tables holding an older run's FI-18 rows for D1 (and an earlier date), then a run of
    every region for D1 in which the one Finnish source delivered nothing."""
    base = tmp_path_factory.mktemp("emptied")
    raw = base / "raw"
    shutil.copytree(small_raw, raw)
    # No source delivers a Finnish record: the Finnish source's file holds its header
    # only, and the vendor's delivery lost its Finnish rows.
    finnish = raw / "fi_open_data" / "addresses.csv"
    finnish.write_text(finnish.read_text().splitlines()[0] + "\n")
    vendor_path = raw / "vendor_acme" / "addresses.parquet"
    vendor = pd.read_parquet(vendor_path)
    vendor[vendor["ctry"] != "FI"].to_parquet(vendor_path, index=False)
    project = make_project_copy(base / "project", raw_dir=raw)
    use_database(project, DATABASE)
    for table in TABLES:
        rows = [_old_row(table, date.fromisoformat(D1)), _old_row(table, EARLIER)]
        frame = spark.createDataFrame(rows, OUTPUT_SCHEMAS[table])
        HivePartitionedTableDataset(table=f"{DATABASE}.{table}", schema=table).save(frame)
    run_project(
        project,
        params={"run.execution_dt": D1, "export.table": f"{DATABASE}.conflated_addresses"},
    )
    yield project
    spark.sql(f"DROP DATABASE IF EXISTS {DATABASE} CASCADE")


def _regions(spark, table: str, run_dt) -> dict[str, int]:
    rows = (
        spark.table(f"{DATABASE}.{table}")
        .where(F.col("execution_dt") == F.lit(run_dt))
        .groupBy("iso_3166_2")
        .count()
        .collect()
    )
    return {r["iso_3166_2"]: r["count"] for r in rows}


@pytest.mark.parametrize("table", TABLES)
def test_a_region_without_records_is_emptied_for_the_date_only(spark, emptied, table):
    assert "FI-18" not in _regions(spark, table, D1)
    assert _regions(spark, table, EARLIER) == {"FI-18": 1}  # other dates are untouched


def test_the_tables_and_the_run_report_agree(spark, emptied):
    report = json.loads((emptied / "data/08_reporting/run_report.json").read_text())
    by_region = report["merges"]["addresses_by_region"]
    assert set(by_region) == {"US-CA"}
    assert _regions(spark, "conflated_addresses", D1) == by_region
    lineage = sum(_regions(spark, "address_lineage", D1).values())
    assert lineage == sum(report["records"]["lineage_by_source"].values())
