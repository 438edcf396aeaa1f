"""The `prod` environment: its catalog resolves from environment variables (raw drops and the
CSV export through Spark on `s3a://`, or the fsspec fallback), missing ones are all named at
start-up, and an unreachable cluster or metastore fails fast with its URL."""

from __future__ import annotations

import subprocess
import sys

import pytest
from kedro.framework.project import configure_project, settings
from kedro.io import DataCatalog
from kedro_datasets.spark import SparkDataset

from geodata.datasets import (
    DeliveryDataset,
    HivePartitionedTableDataset,
    ObjectStoreDataset,
    PublishedTablesDataset,
)
from geodata.runtime.environment import (
    MissingEnvironmentError,
    UnreachableServiceError,
    check_services_reachable,
)
from tests.kedro_project import REPO
from tests.production.conftest import free_port, python_env

REQUIRED = [
    "GEODATA_BASE_LOCATION",
    "GEODATA_EXPORT_LOCATION",
    "GEODATA_RAW_LOCATION",
    "GEODATA_WAREHOUSE_DIR",
    "HIVE_METASTORE_URIS",
    "SPARK_MASTER_URL",
]
PROD_VARIABLES = {
    "SPARK_MASTER_URL": "spark://spark-master.internal:7077",
    "HIVE_METASTORE_URIS": "thrift://metastore.internal:9083",
    "GEODATA_WAREHOUSE_DIR": "s3a://acme-lake/warehouse",
    "GEODATA_BASE_LOCATION": "s3a://acme-lake/geodata",
    "GEODATA_RAW_LOCATION": "s3a://acme-drops/addresses",
    "GEODATA_EXPORT_LOCATION": "s3a://acme-exports/geodata",
}


def _loader(env: str = "prod"):
    configure_project("geodata")
    return settings.CONFIG_LOADER_CLASS(
        conf_source=str(REPO / "conf"), env=env, **settings.CONFIG_LOADER_ARGS
    )


@pytest.fixture()
def prod_variables(monkeypatch):
    for name, value in PROD_VARIABLES.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GEODATA_SHUFFLE_PARTITIONS", "2000")
    return PROD_VARIABLES


def test_prod_catalog_and_spark_settings_resolve_from_the_variables(prod_variables):
    loader = _loader()
    spark = loader["spark"]
    assert spark["spark.master"] == "spark://spark-master.internal:7077"
    assert spark["hive.metastore.uris"] == "thrift://metastore.internal:9083"
    assert spark["spark.sql.warehouse.dir"] == "s3a://acme-lake/warehouse"
    assert spark["spark.sql.shuffle.partitions"] == "2000"
    assert "geodata.metastore.path" not in spark  # no embedded Derby in prod

    catalog = DataCatalog.from_config(loader["catalog"])
    raw = catalog["county_gis.raw"]
    assert isinstance(raw, DeliveryDataset)  # each delivery's own columns are checked
    # Raw drops and the CSV export are Spark's, on s3a:// (hadoop-aws on the cluster).
    assert type(raw.reader) is SparkDataset
    assert raw.reader._describe()["filepath"] == (
        "s3a://acme-drops/addresses/county_gis/addresses.csv"
    )
    assert type(catalog["enrich.raw_roads"]) is SparkDataset
    export = catalog["conflated_addresses_csv"]
    assert type(export) is SparkDataset
    assert export._describe()["filepath"] == "s3a://acme-exports/geodata/conflated_addresses_csv"
    assert isinstance(catalog["address_lineage"], HivePartitionedTableDataset)
    published = catalog["published_tables"]
    assert isinstance(published, PublishedTablesDataset)
    # Spark's CSV export moves through Hadoop (as Spark wrote it), the JSON report through fsspec.
    assert published._describe()["files"] == {
        "conflated_addresses_csv": "hadoop",
        "run_report": "fsspec",
    }
    assert catalog["address_lineage"].table == "geodata.address_lineage"
    intermediate = catalog["normalize.int_addresses"]
    # working data is keyed by the run (its date, and `all` regions by default)
    assert intermediate._describe()["filepath"].startswith(
        "s3a://acme-lake/geodata/work/2026-11-01/all/02_intermediate"
    )


def test_the_fsspec_fallback_reads_and_writes_the_same_paths(prod_variables, monkeypatch):
    """A cluster without the s3a connector switches one variable; paths and arguments stay."""
    monkeypatch.setenv("GEODATA_FILES_DATASET", "geodata.datasets.ObjectStoreDataset")
    catalog = DataCatalog.from_config(_loader()["catalog"])
    raw = catalog["county_gis.raw"]
    assert isinstance(raw.reader, ObjectStoreDataset)
    assert raw.reader._describe()["filepath"] == (
        "s3a://acme-drops/addresses/county_gis/addresses.csv"
    )
    export = catalog["conflated_addresses_csv"]
    assert isinstance(export, ObjectStoreDataset)
    assert export._describe()["filepath"] == "s3a://acme-exports/geodata/conflated_addresses_csv"
    assert catalog["published_tables"]._describe()["files"] == {
        "conflated_addresses_csv": "fsspec",
        "run_report": "fsspec",
    }


def test_local_differs_from_prod_only_in_its_environment_settings(prod_variables):
    local, prod = _loader("local")["catalog"], _loader("prod")["catalog"]
    assert set(local) == set(prod)
    assert local["county_gis.raw"]["load_args"] == prod["county_gis.raw"]["load_args"]
    assert local["county_gis.raw"]["reader"] == "spark.SparkDataset"


def test_missing_variables_are_all_named_at_start_up(monkeypatch):
    for name in REQUIRED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SPARK_MASTER_URL", "spark://spark-master.internal:7077")
    with pytest.raises(MissingEnvironmentError) as error:
        _loader()
    message = str(error.value)
    assert "'prod'" in message
    for name in REQUIRED:
        assert (name in message) == (name != "SPARK_MASTER_URL"), name


def test_unreachable_master_and_metastore_fail_naming_url_and_variable(prod_variables, monkeypatch):
    port = free_port()  # nothing listens there
    monkeypatch.setenv("SPARK_MASTER_URL", f"spark://127.0.0.1:{port}")
    spark = _loader()["spark"]
    with pytest.raises(UnreachableServiceError) as error:
        check_services_reachable(spark, timeout_s=2)
    assert f"spark://127.0.0.1:{port}" in str(error.value)
    assert "SPARK_MASTER_URL" in str(error.value)

    monkeypatch.setenv("HIVE_METASTORE_URIS", f"thrift://127.0.0.1:{port}")
    metastore_only = {"hive.metastore.uris": _loader()["spark"]["hive.metastore.uris"]}
    with pytest.raises(UnreachableServiceError, match=r"Hive metastore .*HIVE_METASTORE_URIS"):
        check_services_reachable(metastore_only, timeout_s=2)


def _entry_point(tmp_path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geodata", "--env", "prod", "--conf-source", str(REPO / "conf")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_entry_point_without_variables_names_them_all(tmp_path):
    env = {k: v for k, v in python_env().items() if k not in REQUIRED}
    result = _entry_point(tmp_path, env)
    assert result.returncode != 0
    output = " ".join((result.stdout + result.stderr).split())
    for name in REQUIRED:
        assert name in output, output[-3000:]


def test_entry_point_with_unreachable_cluster_fails_with_its_url(tmp_path):
    port = free_port()
    env = python_env(**PROD_VARIABLES)
    env["SPARK_MASTER_URL"] = f"spark://127.0.0.1:{port}"
    result = _entry_point(tmp_path, env)
    assert result.returncode != 0
    output = " ".join((result.stdout + result.stderr).split())
    assert "UnreachableServiceError" in output, output[-3000:]
    assert f"spark://127.0.0.1:{port}" in output
    assert "SPARK_MASTER_URL" in output
