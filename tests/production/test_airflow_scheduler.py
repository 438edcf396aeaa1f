"""geodata's DAGs on a running Airflow, each task in a process of its own, as in production.

An Airflow API server, scheduler (LocalExecutor) and DAG processor run on 127.0.0.1 with
a SQLite metadata DB; the DAG files are rendered by the plain `kedro airflow create` in
project copies; runs are triggered with `airflow dags trigger`, as an operator does, and
followed in the metadata DB. Two regions of one DAG run at once, sharing a Hive
metastore service; a task that waits forever for Spark executors is stopped by its
`execution_timeout` and alerted through the PagerDuty connection (a local HTTP server).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from tests.alerts import recording_alert_server
from tests.kedro_project import make_project_copy
from tests.production.conftest import (
    Metastore,
    free_port,
    port_open,
    python_env,
    running_metastore,
    start_master,
    wait_until,
)
from tests.production.test_concurrent_runs import SPARK_SETTINGS, rows_per_region
from tests.services import Service, start_service

pytestmark = [pytest.mark.airflow, pytest.mark.cluster, pytest.mark.pipeline]

RUN_DT = "2026-11-01"
REGIONS = ("US-CA", "FI-18")
RUN_TIMEOUT_S = 1800
HANG_TIMEOUT_S = 120  # the hanging task's execution_timeout: past a slow Spark start
KEDRO = Path(sys.executable).with_name("kedro")
AIRFLOW = Path(sys.executable).with_name("airflow")


@dataclass
class Airflow:
    """A running Airflow: its home, the environment of its processes and its metadata DB."""

    home: Path
    env: dict[str, str]

    @property
    def dags_folder(self) -> Path:
        return self.home / "dags"

    def cli(self, *args: str, timeout_s: float = 300) -> str:
        result = subprocess.run(
            [str(AIRFLOW), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
        assert result.returncode == 0, f"airflow {args}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def query(self, sql: str, *args: object) -> list[tuple]:
        with sqlite3.connect(self.home / "airflow.db", timeout=30) as db:
            return db.execute(sql, args).fetchall()

    def wait_for_dag(self, dag_id: str, services: list[Service], timeout_s: float = 300) -> None:
        deadline = time.monotonic() + timeout_s
        while not self.query("SELECT 1 FROM dag WHERE dag_id = ?", dag_id):
            _check_alive(services)
            if time.monotonic() > deadline:
                pytest.fail(f"DAG {dag_id} not parsed within {timeout_s}s")
            time.sleep(2)

    def trigger(self, dag_id: str, run_id: str, conf: dict) -> None:
        self.cli("dags", "trigger", dag_id, "--run-id", run_id, "--conf", json.dumps(conf))

    def run_state(self, dag_id: str, run_id: str) -> str | None:
        rows = self.query(
            "SELECT state FROM dag_run WHERE dag_id = ? AND run_id = ?", dag_id, run_id
        )
        return rows[0][0] if rows else None

    def wait_for_runs(
        self, dag_id: str, run_ids: list[str], services: list[Service], timeout_s: float
    ) -> dict[str, str]:
        deadline = time.monotonic() + timeout_s
        while True:
            states = {run_id: self.run_state(dag_id, run_id) for run_id in run_ids}
            if all(state in ("success", "failed") for state in states.values()):
                return states
            _check_alive(services)
            if time.monotonic() > deadline:
                pytest.fail(f"runs of {dag_id} not done within {timeout_s}s: {states}")
            time.sleep(5)

    def task_instances(self, dag_id: str, run_id: str) -> dict[str, dict]:
        rows = self.query(
            "SELECT task_id, state, start_date, end_date FROM task_instance "
            "WHERE dag_id = ? AND run_id = ?",
            dag_id,
            run_id,
        )
        return {
            task_id: {"state": state, "start": _time(start), "end": _time(end)}
            for task_id, state, start, end in rows
        }

    def task_log(self, dag_id: str, run_id: str, task_id: str) -> str:
        folder = self.home / "logs" / f"dag_id={dag_id}" / f"run_id={run_id}"
        return "\n".join(
            path.read_text(errors="replace")
            for path in sorted((folder / f"task_id={task_id}").glob("attempt=*.log"))
        )


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _check_alive(services: list[Service]) -> None:
    for service in services:
        if service.process.poll() is not None:
            pytest.fail(f"{service.name} exited:\n{service.output()}")


@pytest.fixture(scope="module")
def alert_server():
    with recording_alert_server() as server:
        yield server


@pytest.fixture(scope="module")
def metastore(tmp_path_factory, services) -> Metastore:
    return running_metastore(services, tmp_path_factory.mktemp("airflow_metastore"))


@pytest.fixture(scope="module")
def idle_master(tmp_path_factory, services) -> str:
    """A Spark standalone master with no worker: jobs wait forever for executors."""
    return start_master(services, tmp_path_factory.mktemp("idle_master"), python_env(), free_port())


def _render_dags(project: Path, target: Path, *options: str) -> None:
    """The plain `kedro airflow create --env local`, run in the project copy, plus options."""
    result = subprocess.run(
        [str(KEDRO), "airflow", "create", "--env", "local", "--target-dir", str(target), *options],
        cwd=project,
        env=python_env(COLUMNS="200"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def region_project(tmp_path_factory, small_raw, metastore) -> Path:
    """The small region's project copy; its tasks share the metastore service."""
    project = make_project_copy(tmp_path_factory.mktemp("regions") / "project", raw_dir=small_raw)
    (project / "conf/local/spark.yml").write_text(
        SPARK_SETTINGS.format(warehouse=metastore.warehouse, uri=metastore.uri)
    )
    return project


@pytest.fixture(scope="module")
def hanging_project(tmp_path_factory, small_raw, idle_master) -> Path:
    """A project copy whose Spark master never gives executors."""
    project = make_project_copy(tmp_path_factory.mktemp("hanging") / "project", raw_dir=small_raw)
    spark = project / "conf/local/spark.yml"
    settings = yaml.safe_load(spark.read_text())
    spark.write_text(yaml.safe_dump({**settings, "spark.master": idle_master}))
    return project


@pytest.fixture(scope="module")
def airflow(
    tmp_path_factory, services, alert_server, region_project, hanging_project
) -> Iterator[Airflow]:
    """Airflow's API server, scheduler and DAG processor, with the two projects' DAGs."""
    home = tmp_path_factory.mktemp("airflow_home")
    api_port = free_port()
    connection = {
        "conn_type": "pagerduty_events",
        "password": "test-routing-key",
        "host": alert_server.url,
    }
    env = python_env(
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(home / "dags"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__EXECUTOR="LocalExecutor",
        AIRFLOW__CORE__PARALLELISM="3",
        AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="False",
        AIRFLOW__CORE__EXECUTION_API_SERVER_URL=f"http://127.0.0.1:{api_port}/execution/",
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{home / 'airflow.db'}",
        AIRFLOW__API__HOST="127.0.0.1",
        AIRFLOW__API__PORT=str(api_port),
        AIRFLOW__API_AUTH__JWT_SECRET="geodata-test-secret",
        AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC="1",
        AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL="5",
        AIRFLOW_CONN_GEODATA_PAGERDUTY=json.dumps(connection),
        PYTHONUNBUFFERED="1",
    )
    for name in ("GEODATA_PROJECT_PATH", "GEODATA_CONF_SOURCE"):
        env.pop(name, None)  # each DAG names its project (project_path in its file)
    airflow = Airflow(home, env)
    airflow.dags_folder.mkdir()
    # Region runs: a task per stage; the hanging DAG: the ingest pipeline, a short limit.
    _render_dags(
        region_project,
        airflow.dags_folder,
        "--group-by",
        "namespace",
        "--params",
        f"project_path={region_project},retries=0",
    )
    _render_dags(
        hanging_project,
        airflow.dags_folder,
        "--pipelines",
        "ingest",
        "--params",
        f"project_path={hanging_project},retries=0,execution_timeout={HANG_TIMEOUT_S}",
    )
    airflow.cli("db", "migrate")
    started = [
        start_service(name, [str(AIRFLOW), *command], env, home)
        for name, command in (
            ("airflow-api-server", ["api-server", "--port", str(api_port)]),
            ("airflow-scheduler", ["scheduler"]),
            ("airflow-dag-processor", ["dag-processor"]),
        )
    ]
    services.extend(started)
    wait_until(started[0], lambda: port_open(api_port), f"Airflow API server on {api_port}")
    yield airflow
    for service in started:
        service.stop()


def test_two_regions_of_one_dag_run_at_once(airflow, services, region_project, metastore):
    dag_id = "geodata_default_local"
    airflow.wait_for_dag(dag_id, services)
    runs = {region: f"region_{region}" for region in REGIONS}
    for region, run_id in runs.items():
        airflow.trigger(dag_id, run_id, {"iso_3166_2": region, "execution_dt": RUN_DT})
    states = airflow.wait_for_runs(dag_id, list(runs.values()), services, RUN_TIMEOUT_S)
    tasks = {region: airflow.task_instances(dag_id, run_id) for region, run_id in runs.items()}
    for region, run_id in runs.items():
        failed = [t for t, i in tasks[region].items() if i["state"] != "success"]
        logs = [airflow.task_log(dag_id, run_id, task)[-3000:] for task in failed]
        assert states[run_id] == "success", (region, failed, logs)
    # One task per stage and source, each run in a process of its own.
    assert set(tasks["US-CA"]) == {
        "county_gis", "fi_open_data", "open_data", "user_corrections", "vendor_acme",
        "ingest", "normalize", "enrich", "conflate", "export",
    }  # fmt: skip
    # The two DAG runs were in flight together: some of their tasks ran at the same time.
    first, second = (tasks[region].values() for region in REGIONS)
    second = list(second)
    assert any(a["start"] < b["end"] and b["start"] < a["end"] for a in first for b in second), (
        tasks
    )

    # Each run wrote its own region's partitions, and removed its working data on success.
    counts = rows_per_region(metastore, RUN_DT)
    assert set(counts["conflated"]) == set(REGIONS), counts
    for region in REGIONS:
        assert counts["lineage"][region] >= counts["conflated"][region] > 0, counts
        assert counts["orphans"].get(region, 0) == 0, counts
    work = region_project / "data/work" / RUN_DT
    deadline = time.monotonic() + 120  # the DAG processor runs the success callbacks
    while any((work / region).exists() for region in REGIONS) and time.monotonic() < deadline:
        time.sleep(2)
    assert not any((work / region).exists() for region in REGIONS)
    assert not list((region_project / "data/work/locks").glob("*.json"))


def test_a_task_hanging_on_spark_is_stopped_by_its_time_out_and_alerted(
    airflow, services, alert_server
):
    dag_id = "geodata_ingest_local"
    airflow.wait_for_dag(dag_id, services)
    run_id = "hanging"
    airflow.trigger(dag_id, run_id, {"iso_3166_2": "US-CA", "execution_dt": RUN_DT})
    # The first task that fails ends the wait; the others hang and time out the same way.
    deadline = time.monotonic() + 600
    while not (timed_out := [
        (task_id, info) for task_id, info in airflow.task_instances(dag_id, run_id).items()
        if info["state"] == "failed"
    ]):  # fmt: skip
        _check_alive(services)
        assert time.monotonic() < deadline, airflow.task_instances(dag_id, run_id)
        time.sleep(3)
    task_id, info = timed_out[0]
    log = airflow.task_log(dag_id, run_id, task_id)
    # The limit ended the task inside its first Spark write, a job waiting for executors
    # the cluster never gives (Spark logs "Initial job has not accepted any resources").
    assert "AirflowTaskTimeout" in log, log[-3000:]
    assert "readwriter.py" in log and "handle_timeout" in log, log[-3000:]
    assert (info["end"] - info["start"]).total_seconds() >= HANG_TIMEOUT_S

    deadline = time.monotonic() + 120
    while not alert_server.events and time.monotonic() < deadline:
        time.sleep(1)
    alerts = [e["body"] for e in alert_server.events if e["body"]["dedup_key"].startswith(dag_id)]
    assert alerts, alert_server.events
    alert = alerts[0]
    assert alert["dedup_key"] == f"{dag_id}/{run_id}"
    assert alert["routing_key"] == "test-routing-key"
    summary = alert["payload"]["summary"]
    assert f"{dag_id}." in summary and "US-CA" in summary and RUN_DT in summary
    assert "AirflowTaskTimeout" in summary
