"""Two `kedro run --env local` for different regions at the same time, in one project copy.

`local`'s embedded Derby metastore can be open in one JVM at a time: a second run that
reaches the metastore while the first holds it fails (Derby XSDB6, "Another instance
of Derby may have already booted the database"). So runs that overlap in time share a
Hive metastore service, as they would anywhere tables are shared; here it is one on
127.0.0.1, and the project copy's `local` Spark settings point at it. Everything else
is as a user runs it: the small generated region, the default run date, the CLI.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.kedro_project import make_project_copy
from tests.production.conftest import Metastore, python_env, running_metastore
from tests.services import Service, start_service

pytestmark = [pytest.mark.cluster, pytest.mark.pipeline]

RUN_DT = "2026-11-01"  # the default run date: the runs give only their region
REGIONS = ("US-CA", "FI-18")
RUN_TIMEOUT_S = 1800

# The copy's `local` Spark settings: the shared metastore, and test-sized Spark for two
# runs on a small machine (the JVM's quick compiler only, as `local` starts a small run:
# a task's run is too short to repay the optimising one).
SPARK_SETTINGS = """\
spark.master: local[1]
spark.app.name: geodata
spark.ui.enabled: false
spark.ui.showConsoleProgress: false
spark.driver.memory: 2g
spark.driver.extraJavaOptions: >-
  -XX:+UseParallelGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=240m
spark.sql.shuffle.partitions: 1
spark.default.parallelism: 1
spark.sql.adaptive.enabled: false
spark.sql.codegen.wholeStage: false
spark.sql.codegen.factoryMode: NO_CODEGEN
spark.sql.warehouse.dir: {warehouse}
hive.metastore.uris: {uri}
"""

# Rows per region of the run date in each output table, read through the metastore.
_COUNT_ROWS = """
import json, sys
from pyspark.sql import SparkSession, functions as F
uri, warehouse, run_dt = sys.argv[1:4]
spark = (
    SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
    .config("spark.hadoop.hive.metastore.uris", uri).config("spark.sql.warehouse.dir", warehouse)
    .enableHiveSupport().getOrCreate()
)
def of_date(table):
    frame = spark.table(f"geodata.{table}")
    return frame.where(F.col("execution_dt") == F.lit(run_dt).cast("date"))
conflated, lineage = of_date("conflated_addresses"), of_date("address_lineage")
counts = {
    "conflated": conflated.groupBy("iso_3166_2").count().collect(),
    "lineage": lineage.groupBy("iso_3166_2").count().collect(),
    "quarantine": of_date("quarantine").groupBy("iso_3166_2").count().collect(),
    # lineage rows whose address is not in the conflated table of its region
    "orphans": lineage.join(conflated, ["iso_3166_2", "address_id"], "left_anti")
    .groupBy("iso_3166_2").count().collect(),
}
print(json.dumps({name: {r[0]: r[1] for r in rows} for name, rows in counts.items()}))
"""


@pytest.fixture(scope="module")
def metastore(tmp_path_factory, services) -> Metastore:
    """A Hive metastore service for concurrent clients."""
    return running_metastore(services, tmp_path_factory.mktemp("shared_metastore"))


def rows_per_region(metastore: Metastore, run_dt: str) -> dict[str, dict[str, int]]:
    """Rows of `run_dt` per region in each output table, and lineage rows without address."""
    counted = subprocess.run(
        [sys.executable, "-c", _COUNT_ROWS, metastore.uri, str(metastore.warehouse), run_dt],
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(counted.stdout.strip().splitlines()[-1])


def _kedro_run(params: str) -> list[str]:
    return [sys.executable, "-m", "kedro", "run", "--env", "local", "--params", params]


def _run_env() -> dict[str, str]:
    return python_env(PYTHONUNBUFFERED="1", COLUMNS="200")  # unwrapped log lines


def _wait_for(path: Path, runs: list[Service], timeout_s: float = 600) -> None:
    deadline = time.monotonic() + timeout_s
    while not path.exists():
        for run in runs:
            if run.process.poll() is not None:
                pytest.fail(f"{run.name} ended before {path.name} appeared:\n{run.output()}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {path} within {timeout_s}s")
        time.sleep(0.5)


def test_two_regions_run_at_once_and_an_overlapping_run_is_refused(metastore, small_raw, tmp_path):
    project = make_project_copy(tmp_path / "project", raw_dir=small_raw)
    (project / "conf/local/spark.yml").write_text(
        SPARK_SETTINGS.format(warehouse=metastore.warehouse, uri=metastore.uri)
    )
    work, locks = project / "data/work" / RUN_DT, project / "data/work/locks"
    runs = [
        start_service(region, _kedro_run(f"run.iso_3166_2={region}"), _run_env(), project)
        for region in REGIONS
    ]
    try:
        # A run for the whole country, while the US-CA run holds its lock.
        _wait_for(locks / f"{RUN_DT}__US-CA.json", runs)
        holder = json.loads((locks / f"{RUN_DT}__US-CA.json").read_text())
        refused = subprocess.run(
            _kedro_run("run.iso_3166_1=US"),
            cwd=project,
            env=_run_env(),
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        # Both runs' working folders exist side by side while they run.
        seen_together = False
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while any(run.process.poll() is None for run in runs) and time.monotonic() < deadline:
            present = {p.name for p in work.iterdir()} if work.exists() else set()
            seen_together |= set(REGIONS) <= present
            time.sleep(1)
        codes = [run.process.wait(timeout=60) for run in runs]
    finally:
        for run in runs:
            run.stop()

    for run, code in zip(runs, codes, strict=True):
        assert code == 0, f"run {run.name} failed:\n{run.output()}"
    assert seen_together

    output = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert "RunConflictError" in output
    assert f"the run of {RUN_DT} for US-CA (pid {holder['pid']}" in output
    assert f"on host {socket.gethostname()}" in output
    assert holder["started_at"] in output
    assert "Completed node" not in output  # refused before its first node

    # Each successful run removed its working data after its last hook, and its lock.
    assert not work.exists() or not any(work.iterdir())
    assert list(locks.glob("*.json")) == []
    for run in runs:
        log = run.log.read_text()
        assert log.index("QA report written") < log.index("Working data removed")

    counts = rows_per_region(metastore, RUN_DT)
    for region in REGIONS:
        assert counts["conflated"].get(region, 0) > 0, counts
        assert counts["lineage"].get(region, 0) >= counts["conflated"][region], counts
        assert counts["orphans"].get(region, 0) == 0, counts
    assert set(counts["conflated"]) == set(REGIONS)
    assert sum(counts["quarantine"].values()) > 0, counts
