"""The default pipeline on a real Spark standalone cluster gives the same tables as `local`.

Executors run in their own JVMs on a worker; tables go through a Hive metastore
service; the driver is the installed package's entry point with the `prod`
environment and the `kedro package` conf archive (see conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from tests.production.conftest import RUN_DT

TABLE_KEYS = {
    "conflated_addresses": ["address_id"],
    "address_lineage": ["source", "source_record_id"],
    "quarantine": ["source", "source_record_id", "reason"],
}


def _table(tables: Path, name: str) -> pa.Table:
    """A Hive table's rows, read from its Parquet files (partition columns as strings).

    Publication leaves each partition in the folder it was staged in,
    `_runs/<scope>/<attempt>/<col>=<value>/...`, and removes every folder no partition
    points to: the table's files are the ones below it, `_runs` included.
    """
    partitioning = ds.partitioning(
        pa.schema([(c, pa.string()) for c in ("execution_dt", "iso_3166_1", "iso_3166_2")]),
        flavor="hive",
    )
    dataset = ds.dataset(
        tables / name,
        format="parquet",
        partitioning=partitioning,
        ignore_prefixes=[".", "_SUCCESS"],
    )
    return dataset.to_table()


@pytest.mark.parametrize("name", sorted(TABLE_KEYS))
def test_cluster_run_writes_the_same_rows_as_the_local_run(pipeline_runs, name):
    local = _table(pipeline_runs.local_tables, name)
    cluster = _table(pipeline_runs.cluster_tables, name)
    assert local.num_rows > 0
    assert set(local["execution_dt"].to_pylist()) == {RUN_DT}
    # Keys first, then every other flat column, so that ties sort alike in both runs.
    flat = [f.name for f in local.schema if not pa.types.is_nested(f.type)]
    keys = TABLE_KEYS[name] + [c for c in flat if c not in TABLE_KEYS[name]]
    order = [(key, "ascending") for key in keys]
    local, cluster = local.sort_by(order), cluster.sort_by(order)
    assert cluster.schema == local.schema
    if "address_id" in local.column_names:
        assert cluster["address_id"].to_pylist() == local["address_id"].to_pylist()
    assert cluster.to_pylist() == local.to_pylist()


def test_cluster_run_used_executors_on_the_worker(pipeline_runs, spark_cluster):
    state = spark_cluster.applications()
    apps = [a for a in state["completedapps"] + state["activeapps"] if a["name"] == "geodata"]
    assert apps, state
    # The worker starts each executor in its own JVM, with a directory per executor.
    executor_logs = list(spark_cluster.worker_dir.glob("app-*/*/stderr"))
    assert len(executor_logs) >= 2
    # The tables live in the metastore service's warehouse, not the driver's directory.
    assert (spark_cluster.warehouse / "geodata.db" / "conflated_addresses").is_dir()
    assert not (pipeline_runs.cluster_base.parent / "metastore_db").exists()
