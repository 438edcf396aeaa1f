"""Real production components on 127.0.0.1: a moto S3 server, a Hive metastore service and a
Spark standalone master with one worker, on free ports and temp directories. Each is a
supervised child (tests/services.py): stopped, with what it started, when the session
ends or a test fails, and killed when the test process itself is killed.

The cluster reads raw drops and writes the CSV export with Spark on `file://` paths (the
worker shares the machine): `prod`'s `s3a://` needs hadoop-aws, which no package index
here has. The S3 server serves what reaches S3 through fsspec (tests/production/test_s3.py).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyspark.find_spark_home import _find_spark_home

import geodata
from tests.services import Service, start_service

SPARK_HOME = Path(_find_spark_home())
# The directory that holds the `geodata` package, for the cluster's Python workers.
PACKAGE_ROOT = Path(geodata.__file__).resolve().parents[1]
START_TIMEOUT_S = 180


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def python_env(**extra: str) -> dict[str, str]:
    """This process's environment plus what geodata's child processes need."""
    env = dict(os.environ)
    env.update(
        SPARK_HOME=str(SPARK_HOME),
        SPARK_LOCAL_IP="127.0.0.1",
        PYSPARK_PYTHON=sys.executable,
        PYSPARK_DRIVER_PYTHON=sys.executable,
        PYTHONPATH=os.pathsep.join(filter(None, [str(PACKAGE_ROOT), env.get("PYTHONPATH")])),
        KEDRO_DISABLE_TELEMETRY="1",
        DO_NOT_TRACK="1",
        PYARROW_IGNORE_TIMEZONE="1",
    )
    env.update(extra)
    return env


def wait_until(service: Service, ready, what: str, timeout_s: float = START_TIMEOUT_S) -> None:
    """Poll `ready()` until it is true; fail with the service's output if it exits or times out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            pytest.fail(f"{service.name} exited before {what}:\n{service.output()}")
        if ready():
            return
        time.sleep(0.5)
    pytest.fail(f"{service.name}: no {what} within {timeout_s}s:\n{service.output()}")


def port_open(port: int) -> bool:
    """Whether something accepts connections on 127.0.0.1:`port`."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def services() -> Iterator[list[Service]]:
    """Every service the session started; all are stopped at the end, in reverse order."""
    started: list[Service] = []
    yield started
    for service in reversed(started):
        service.stop()


@dataclass
class S3Server:
    """A moto S3 API: its endpoint and the credentials clients use."""

    endpoint_url: str
    access_key: str = "geodata-test-key"
    secret_key: str = "geodata-test-secret"  # moto accepts any credentials
    region: str = "us-east-1"

    def env(self) -> dict[str, str]:
        """The standard AWS variables a boto3/s3fs client reads its settings from."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_ENDPOINT_URL": self.endpoint_url,
        }

    def storage_options(self) -> dict:
        """The same settings as fsspec/s3fs storage options (catalog `credentials`)."""
        return {
            "key": self.access_key,
            "secret": self.secret_key,
            "client_kwargs": {"endpoint_url": self.endpoint_url, "region_name": self.region},
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
        )


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory, services) -> S3Server:
    """A moto server (real HTTP S3 API) on a free port of 127.0.0.1."""
    workdir = tmp_path_factory.mktemp("moto")
    port = free_port()
    service = start_service(
        "moto",
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        python_env(),
        workdir,
    )
    services.append(service)
    wait_until(service, lambda: port_open(port), f"S3 API on port {port}")
    return S3Server(endpoint_url=f"http://127.0.0.1:{port}")


@dataclass
class SparkCluster:
    """A standalone Spark cluster and the Hive metastore service it shares."""

    master_url: str
    master_ui: str
    metastore_uri: str
    warehouse: Path
    worker_dir: Path

    def applications(self) -> dict:
        with urllib.request.urlopen(f"{self.master_ui}/json/", timeout=10) as response:
            return json.load(response)


def _spark_class(main_class: str, *args: str) -> list[str]:
    return [str(SPARK_HOME / "bin" / "spark-class"), main_class, *args]


def start_metastore(root: Path, warehouse: Path, port: int, env: dict[str, str]) -> Service:
    """A Hive metastore service on 127.0.0.1:`port`, its Derby database under `root`."""
    return start_service(
        "hive-metastore",
        _spark_class(
            "org.apache.hadoop.hive.metastore.HiveMetaStore",
            "-p",
            str(port),
            "--hiveconf",
            "hive.async.log.enabled=false",
            "--hiveconf",
            f"javax.jdo.option.ConnectionURL=jdbc:derby:;databaseName={root / 'metastore_db'};"
            "create=true",
            "--hiveconf",
            "datanucleus.schema.autoCreateAll=true",
            "--hiveconf",
            "hive.metastore.schema.verification=false",
            "--hiveconf",
            f"hive.metastore.warehouse.dir={warehouse}",
        ),
        {**env, "SPARK_DAEMON_JAVA_OPTS": f"-Dderby.system.home={root}"},
        root,
    )


def start_master(services: list[Service], root: Path, env: dict[str, str], ui_port: int) -> str:
    """A Spark standalone master on a free port of 127.0.0.1, once it listens: its URL."""
    port = free_port()
    master = start_service(
        "spark-master",
        _spark_class(
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--webui-port",
            str(ui_port),
        ),
        env,
        root,
    )
    services.append(master)
    wait_until(master, lambda: port_open(port), f"master on port {port}")
    return f"spark://127.0.0.1:{port}"


@dataclass(frozen=True)
class Metastore:
    """A Hive metastore service: its thrift URI and its warehouse directory."""

    uri: str
    warehouse: Path


def running_metastore(services: list[Service], root: Path) -> Metastore:
    """A Hive metastore service (Derby inside its one JVM) under `root`, once it listens."""
    warehouse = root / "warehouse"
    warehouse.mkdir()
    port = free_port()
    service = start_metastore(root, warehouse, port, python_env())
    services.append(service)
    wait_until(service, lambda: port_open(port), f"metastore on {port}")
    return Metastore(f"thrift://127.0.0.1:{port}", warehouse)


@pytest.fixture(scope="session")
def spark_cluster(tmp_path_factory, services) -> SparkCluster:
    """Hive metastore service + standalone master + one worker (2 cores, two 1-core executors).

    The worker's environment carries the interpreter that has geodata, as a cluster's
    node image would.
    """
    root = tmp_path_factory.mktemp("cluster")
    warehouse = root / "warehouse"
    warehouse.mkdir()
    env = python_env()

    metastore_port = free_port()
    metastore = start_metastore(root, warehouse, metastore_port, env)
    services.append(metastore)

    ui_port = free_port()
    master_url = start_master(services, root, env, ui_port)

    worker_dir = root / "work"
    worker = start_service(
        "spark-worker",
        _spark_class(
            "org.apache.spark.deploy.worker.Worker",
            "--host",
            "127.0.0.1",
            "--cores",
            "2",
            "--memory",
            "2g",
            "--webui-port",
            str(free_port()),
            "--work-dir",
            str(worker_dir),
            master_url,
        ),
        env,
        root,
    )
    services.append(worker)
    cluster = SparkCluster(
        master_url=master_url,
        master_ui=f"http://127.0.0.1:{ui_port}",
        metastore_uri=f"thrift://127.0.0.1:{metastore_port}",
        warehouse=warehouse,
        worker_dir=worker_dir,
    )

    def worker_alive() -> bool:
        try:
            return any(w["state"] == "ALIVE" for w in cluster.applications()["workers"])
        except OSError:
            return False

    wait_until(worker, worker_alive, "registration with the master")
    wait_until(metastore, lambda: port_open(metastore_port), f"metastore on {metastore_port}")
    return cluster


RUN_DT = "2026-11-01"
RUN_PARAMS = f"run.execution_dt={RUN_DT},export.csv_enabled=true"
RUN_TIMEOUT_S = 3600


def run_command(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> int:
    """Run `command` to completion as a supervised child; its group is killed on any exit."""
    service = start_service(command[0], command, env, cwd, log=log)
    try:
        return service.process.wait(timeout=RUN_TIMEOUT_S)
    finally:
        service.stop()


def conf_archive(project: Path, target: Path) -> Path:
    """The configuration archive `kedro package` builds: `conf/` without `local/*.yml`."""
    archive = target / "conf-geodata.tar.gz"
    subprocess.run(
        ["tar", "--exclude=local/*.yml", "-czf", str(archive), f"--directory={project}", "conf"],
        check=True,
    )
    return archive


def drop_raw_sources(raw_dir: Path, drops: Path) -> Path:
    """Copy the region's source and reference files (not the truth) to a drop location."""
    shutil.copytree(
        raw_dir,
        drops,
        ignore=lambda folder, names: [n for n in names if n == "truth" or n[0] == "."],
    )
    return drops


@dataclass
class PipelineRuns:
    """The default pipeline on the small region: `local` in the test process (the run history's
    first run), and `prod` on the cluster."""

    local_tables: Path  # a table's folder below it is `<name>/`, as the local run left it
    local_export: Path  # the local run's CSV export folder
    cluster_tables: Path
    cluster_warehouse: Path
    cluster_base: Path
    cluster_export: Path  # the cluster run's CSV export folder


@pytest.fixture(scope="session")
def pipeline_runs(tmp_path_factory, spark_cluster, run_history, small_raw) -> PipelineRuns:
    """The packaged entry point (`python -m geodata`) with `prod` on the cluster, beside the
    same run in `local`.

    `local` is the run history's first run (tests/runs.py): every region of the small
    region on RUN_DT with the CSV export, embedded Spark and metastore, raw files on disk.
    `prod` runs in a subprocess from an empty directory with only the conf archive, against
    the standalone master (executors in their own JVMs) and the metastore service, with
    `prod`'s files dataset (`spark.SparkDataset`): Spark reads the sources from `file://`
    drops and writes the CSV export to a `file://` location, as it would on `s3a://`.
    """
    from tests.kedro_project import REPO

    assert run_history.runs["d1"].params["run.execution_dt"] == RUN_DT
    log_dir = tmp_path_factory.mktemp("run_logs")
    packaged = tmp_path_factory.mktemp("packaged")
    drops = drop_raw_sources(small_raw, packaged / "drops")  # the history's D1 raw files
    export = packaged / "exports"
    archive = conf_archive(REPO, packaged)
    base = packaged / "base"
    env = python_env(
        SPARK_MASTER_URL=spark_cluster.master_url,
        HIVE_METASTORE_URIS=spark_cluster.metastore_uri,
        GEODATA_WAREHOUSE_DIR=str(spark_cluster.warehouse),
        GEODATA_BASE_LOCATION=str(base),
        GEODATA_RAW_LOCATION=drops.as_uri(),
        GEODATA_EXPORT_LOCATION=export.as_uri(),
        # Two partitions over two executors, where the local run has one: the rows
        # must not depend on how the work was partitioned.
        GEODATA_SHUFFLE_PARTITIONS="2",
        GEODATA_SPARK_UI="false",
        GEODATA_DRIVER_MEMORY="2g",
        GEODATA_EXECUTOR_MEMORY="1g",
        GEODATA_EXECUTOR_CORES="1",
    )
    command = [sys.executable, "-m", "geodata", "--env", "prod", "--conf-source", str(archive)]
    status = run_command([*command, "--params", RUN_PARAMS], packaged, env, log_dir / "cluster.log")
    assert status == 0, (log_dir / "cluster.log").read_text()[-6000:]
    return PipelineRuns(
        local_tables=run_history.d1_copy / "warehouse",
        local_export=run_history.export_dir(run_history.d1_copy),
        cluster_tables=spark_cluster.warehouse / "geodata.db",
        cluster_warehouse=spark_cluster.warehouse,
        cluster_base=base,
        cluster_export=export / "conflated_addresses_csv",
    )
