"""Adding a source by configuration only, CSV export, and bad input failing early.

Runs the real project (copied to a temp dir) on the small generated region (tests/runs.py).
Uses run date 2026-11-02 and its own output table so it never touches the partitions
other tests check.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pandas as pd
import pytest
from kedro.validation.exceptions import ParameterValidationError
from pyspark.sql import functions as F

from geodata.pipelines.ingest.nodes import SourceColumnError
from tests.kedro_project import make_project_copy, run_project

RUN_DT = "2026-11-02"
TABLE = "geodata_cfg.addresses"
PERMITS = 120

CATALOG_ENTRY = """
city_permits.raw:
  type: spark.SparkDataset
  filepath: data/01_raw/city_permits/permits.csv
  file_format: csv
  load_args:
    header: true
    enforceSchema: false
    schema: PERMIT_NO STRING, ADDR STRING, X STRING, Y STRING, ISSUED STRING
  metadata: {kedro-viz: {layer: raw}}
"""

PARAMETERS_BLOCK = """
  city_permits:
    priority: 2
    geometry_accuracy: entrance
    columns:
      source_record_id: PERMIT_NO
      dt: ISSUED
      full_address: ADDR
      lon: X
      lat: Y
    constants: {country: US, region: US-CA}
"""


def _write_permits(project: Path, raw: Path) -> pd.DataFrame:
    """A permits file for real US addresses (free text, entrance points) + 3 bad rows."""
    truth = pd.read_parquet(raw / "truth/addresses.parquet")
    us = truth[(truth["iso_3166_2"] == "US-CA") & ~truth["phantom"]]
    us = us.sample(PERMITS, random_state=7)
    rng = random.Random(7)
    rows = []
    for i, address in enumerate(us.itertuples(), start=1):
        unit = f" {address.unit}" if isinstance(address.unit, str) else ""
        text = f"{address.house_number} {address.street}{unit}, {address.locality}, CA"
        rows.append(
            {
                "PERMIT_NO": f"P{i:05d}",
                "ADDR": text.title() if i % 2 else text,
                "X": f"{address.lon + rng.uniform(-4e-5, 4e-5):.7f}",
                "Y": f"{address.lat + rng.uniform(-4e-5, 4e-5):.7f}",
                "ISSUED": "2026-10-20",
                "truth_address_id": address.truth_address_id,
            }
        )
    rows += [
        {"PERMIT_NO": "BAD1", "ADDR": "???", "X": "", "Y": "", "ISSUED": "2026-10-20"},
        {"PERMIT_NO": "POINT", "ADDR": "???", "X": "-122.43", "Y": "37.75", "ISSUED": "2026-10-20"},
        {"PERMIT_NO": "BAD2", "ADDR": "1 Main St, Daly City, CA", "X": "0", "Y": "0",
         "ISSUED": "2026-10-20"},
        {"PERMIT_NO": "LATER", "ADDR": "1 Main St, Daly City, CA", "X": "-122.43", "Y": "37.75",
         "ISSUED": "2026-12-01"},
    ]  # fmt: skip
    frame = pd.DataFrame(rows)
    target = project / "data/01_raw/city_permits"
    target.mkdir(parents=True)
    frame.drop(columns="truth_address_id").to_csv(target / "permits.csv", index=False)
    return frame


@pytest.fixture(scope="module")
def project_with_new_source(tmp_path_factory, spark, small_raw):
    """A project copy with a `city_permits` source added by configuration only, already run."""
    project = make_project_copy(tmp_path_factory.mktemp("configured"))
    raw = project / "data/01_raw"
    raw.unlink()  # the copy's raw folder gets a new source: make it a real folder of links
    raw.mkdir()
    for child in small_raw.iterdir():
        (raw / child.name).symlink_to(child, target_is_directory=child.is_dir())
    permits = _write_permits(project, small_raw)
    with (project / "conf/local/catalog_01_raw.yml").open("a") as catalog:
        catalog.write(CATALOG_ENTRY)
    with (project / "conf/local/parameters_sources.yml").open("a") as parameters:
        parameters.write(PARAMETERS_BLOCK)
    run_project(
        project,
        params={
            "run.execution_dt": RUN_DT,
            "run.iso_3166_2": "US-CA",
            "export.table": TABLE,
            "export.csv_enabled": True,
        },
    )
    return project, permits


def test_a_source_added_by_configuration_flows_to_the_output(spark, project_with_new_source):
    project, permits = project_with_new_source
    lineage = spark.table("geodata.address_lineage").where(
        (F.col("execution_dt") == RUN_DT) & (F.col("source") == "city_permits")
    )
    quarantine = spark.table("geodata.quarantine").where(
        (F.col("execution_dt") == RUN_DT) & (F.col("source") == "city_permits")
    )
    linked = {r.source_record_id for r in lineage.collect()}
    rejected = {r.source_record_id: r.reason for r in quarantine.collect()}
    # BAD2's point is a placeholder (0, 0) but its text is an address: conflated on it.
    # POINT's text is none, but its point is: an address with the parts it has. BAD1
    # has neither.
    assert {"BAD2", "POINT"} <= linked and len(linked) == PERMITS + 2
    assert rejected == {"BAD1": "unparseable_address"}  # LATER: a future permit

    conflated = spark.table(TABLE).where(F.col("execution_dt") == RUN_DT)
    with_permits = conflated.where(F.array_contains("sources", "city_permits"))
    # Permits describe addresses other sources know: almost all of them merge.
    merged = with_permits.where(F.col("source_count") >= 2).count()
    assert merged >= 0.97 * with_permits.count()
    assert with_permits.count() >= 0.97 * PERMITS

    # ... and with the right address: the other records of a permit's address are records
    # of the same real address.
    truth = spark.read.parquet(str(project / "data/01_raw/truth/records.parquet"))
    permit_truth = spark.createDataFrame(
        permits.dropna(subset=["truth_address_id"])[["PERMIT_NO", "truth_address_id"]]
    ).withColumnRenamed("PERMIT_NO", "source_record_id")
    all_lineage = spark.table("geodata.address_lineage").where(F.col("execution_dt") == RUN_DT)
    partners = (
        lineage.join(permit_truth, "source_record_id")
        .select("address_id", F.col("truth_address_id").alias("permit_truth"))
        .join(all_lineage.where(F.col("source") != "city_permits"), "address_id")
        .join(truth.select("source", "source_record_id", "truth_address_id").distinct(),
              ["source", "source_record_id"])
    )  # fmt: skip
    assert partners.count() > 0
    assert partners.where(F.col("truth_address_id") != F.col("permit_truth")).count() == 0

    report = json.loads((project / "data/08_reporting/run_report.json").read_text())
    assert report["accounting"]["balanced"] is True
    assert report["records"]["in_scope_by_source"]["city_permits"] == PERMITS + 3


def test_csv_export_writes_the_run_partition_with_a_header(spark, project_with_new_source):
    project, _ = project_with_new_source
    base = project / "data/08_reporting/conflated_addresses_csv"
    partition = base / f"execution_dt={RUN_DT}" / "iso_3166_1=US" / "iso_3166_2=US-CA"
    files = sorted(partition.glob("*.csv"))
    assert files
    frame = pd.concat(pd.read_csv(f, dtype=str) for f in files)
    assert "address_id" in frame.columns and "provenance" in frame.columns
    table_rows = spark.table(TABLE).where(F.col("execution_dt") == RUN_DT).count()
    assert len(frame) == table_rows
    assert frame["address_id"].is_unique


@pytest.fixture()
def plain_project(tmp_path):
    return make_project_copy(tmp_path / "project")


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"run.execution_dt": "2026-11-31"}, "run"),
        ({"run.execution_dt": RUN_DT, "run.iso_3166_2": "US-ZZ"}, "run.iso_3166_2"),
        ({"run.execution_dt": RUN_DT, "export.table": "x; DROP TABLE y"}, "export"),
    ],
)
def test_bad_parameters_fail_before_any_node_runs(plain_project, params, named):
    with pytest.raises(ParameterValidationError, match=named):
        run_project(plain_project, params=params)
    assert not (plain_project / "data/work").exists()  # no stage ran


def test_a_delivery_missing_a_mapped_column_names_source_and_column(plain_project):
    parameters = plain_project / "conf/local/parameters_sources.yml"
    parameters.write_text(parameters.read_text().replace("street: FULLNAME", "street: FULL_NAME"))
    with pytest.raises(SourceColumnError, match=r"'county_gis'.*FULL_NAME"):
        run_project(plain_project, params={"run.execution_dt": RUN_DT})
