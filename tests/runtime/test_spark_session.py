"""The process's SparkSession: its metastore client is opened before the run needs it."""

from __future__ import annotations

import logging

import pytest

from geodata.runtime.spark import _connect_metastore_in_background


@pytest.mark.spark
def test_the_metastore_opened_in_the_background_serves_the_run(clean_hive):
    spark = clean_hive
    thread = _connect_metastore_in_background(spark)
    thread.join(timeout=120)

    assert not thread.is_alive()
    spark.sql("CREATE DATABASE IF NOT EXISTS warmed")
    assert spark.catalog.databaseExists("warmed")


class _UnreachableCatalog:
    def databaseExists(self, name: str) -> bool:  # noqa: N802 - Spark's method name
        raise ConnectionError("metastore at thrift://metastore:9083 does not answer")


class _SessionWithoutMetastore:
    catalog = _UnreachableCatalog()


def test_a_metastore_that_does_not_open_is_left_to_the_runs_first_catalog_call(caplog):
    with caplog.at_level(logging.DEBUG, logger="geodata.runtime.spark"):
        thread = _connect_metastore_in_background(_SessionWithoutMetastore())
        thread.join(timeout=10)

    assert not thread.is_alive()
    failure = next(r for r in caplog.records if r.name == "geodata.runtime.spark")
    assert failure.levelno == logging.DEBUG
    assert "does not answer" in str(failure.exc_info[1])


@pytest.mark.spark
def test_python_workers_are_started_in_the_background_with_geodata_imported(spark):
    import sys

    import pyarrow as pa

    from geodata.runtime.spark import (
        WORKER_MODULES,
        WORKER_START_GROUP,
        _import_worker_modules,
        _start_python_workers_in_background,
        local_cores,
        wait_for_background_start,
    )

    _start_python_workers_in_background(spark)
    wait_for_background_start(timeout_s=120)
    # One task per core, so every worker the session runs at once was started; done.
    # (The latest such job: Spark keeps the details of its recent jobs and stages only.)
    tracker = spark.sparkContext.statusTracker()
    job = tracker.getJobInfo(max(tracker.getJobIdsForGroup(WORKER_START_GROUP)))
    assert job.status == "SUCCEEDED"
    [stage] = [tracker.getStageInfo(stage) for stage in job.stageIds]
    assert stage.numTasks == local_cores(spark.sparkContext.master)
    # What each of its tasks runs in a worker: the imports, the rows passed on unchanged.
    batch = pa.RecordBatch.from_pydict({"id": [0, 1]})
    assert list(_import_worker_modules(iter([batch]))) == [batch]
    assert all(name in sys.modules for name in WORKER_MODULES)


@pytest.mark.parametrize(
    ("master", "cores"), [("local", 1), ("local[3]", 3), ("local[2,4]", 2), ("local[*]", None)]
)
def test_local_cores_are_the_task_slots_of_a_local_master(master, cores):
    import os

    from geodata.runtime.spark import local_cores

    assert local_cores(master) == (cores or os.cpu_count())


def test_a_cluster_master_has_no_local_cores():
    from geodata.runtime.spark import local_cores

    with pytest.raises(ValueError, match=r"not a local Spark master: 'spark://127\.0\.0\.1:7077'"):
        local_cores("spark://127.0.0.1:7077")
