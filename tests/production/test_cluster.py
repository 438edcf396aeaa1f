"""The default pipeline on a real Spark standalone cluster gives the same tables and CSV export
as `local`.

Executors run in their own JVMs on a worker; tables go through a Hive metastore
service; the driver is the installed package's entry point with the `prod`
environment and the `kedro package` conf archive; Spark reads the raw drops and
writes the CSV export, on `file://` paths where production has `s3a://` (see
conftest.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from tests.production.conftest import RUN_DT

# How Spark's own writer names a task's file (ObjectStoreDataset's are `part-<token>-00000`).
SPARK_FILE_NAME = re.compile(r"part-\d{5}-[0-9a-f-]{36}\.c\d{3}\.csv")
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


def _partition_values(path: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in path.split("/") if "=" in part)


def _csv_rows(root: Path) -> pd.DataFrame:
    """A CSV file set's rows (hidden files aside), with the partition values of each path."""
    frames = []
    for path in sorted(root.rglob("*.csv")):
        if path.name.startswith((".", "_")):
            continue
        frame = pd.read_csv(path)
        for column, value in _partition_values(path.relative_to(root).as_posix()).items():
            frame[column] = value
        frames.append(frame)
    return pd.concat(frames, ignore_index=True).sort_values("address_id", ignore_index=True)


def test_cluster_csv_export_written_by_spark_has_the_local_runs_rows(pipeline_runs):
    export = pipeline_runs.cluster_export
    files = [p for p in export.rglob("*.csv") if not p.name.startswith(".")]
    assert files and all(SPARK_FILE_NAME.fullmatch(p.name) for p in files)
    dates = {_partition_values(p.relative_to(export).as_posix())["execution_dt"] for p in files}
    assert dates == {RUN_DT}
    assert not (export.parent / "_runs").exists()  # published: nothing staged is left
    exported, local = _csv_rows(export), _csv_rows(pipeline_runs.local_export)
    assert set(exported["iso_3166_2"]) == set(local["iso_3166_2"])
    assert exported["address_id"].tolist() == local["address_id"].tolist()
    pd.testing.assert_frame_equal(exported[local.columns], local, check_dtype=False)
