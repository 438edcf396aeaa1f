"""The one SparkSession a geodata process uses: Spark settings from `spark.yml`, and the session.

Every entry point (project runs, Airflow tasks, the command-line tools) starts Spark here."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pyspark import SparkContext
from pyspark.sql import SparkSession

logger = logging.getLogger(__name__)

# The metastore connection URL is a Hadoop/Hive property, not a Spark one; Spark
# passes `spark.hadoop.*` through to the Hive client.
_HADOOP_KEYS = ("javax.jdo.option.", "hive.", "datanucleus.")

# Spark settings that name local paths; relative values are taken from the project root
# so that `kedro run` works from any working directory.
_PATH_SETTINGS = ("spark.sql.warehouse.dir", "geodata.derby.home", "geodata.metastore.path")

_STARTING: list[threading.Thread] = []
"""Background start-up threads of this process's session (`wait_for_background_start`)."""


SMALL_RUN_MAX_SOURCE_MB = "geodata.small_run.max_source_mb"
SMALL_RUN_JAVA_OPTIONS = "geodata.small_run.driver_java_options"
COMPILER_DIRECTIVES = "geodata.driver.compiler_directives"


def sizes_small_runs(config: Mapping[str, Any]) -> bool:
    """Whether `spark.yml` gives small runs their own driver options (and so needs their size)."""
    return config.get(SMALL_RUN_MAX_SOURCE_MB) not in (None, "")


def resolve_spark_config(
    config: dict[str, Any], project_path: Path, source_bytes: int | None = None
) -> dict[str, str]:
    """Turn `spark.yml` into Spark properties, making local paths absolute.

    Two project settings are shorthands for the embedded Hive metastore:
    `geodata.derby.home` (Derby's log/system directory) and
    `geodata.metastore.path` (the metastore database directory).

    Two more size the driver JVM to the run: when the run's source files hold at
    most `geodata.small_run.max_source_mb` MB, the driver starts with
    `geodata.small_run.driver_java_options` instead of
    `spark.driver.extraJavaOptions` (in `local`: the JVM's quick compiler only,
    whose compilations a small run repays and a large one does not).

    `geodata.driver.compiler_directives` names a HotSpot compiler directives file
    (JSON; relative to the project root) the driver JVM reads at start-up
    (`-XX:CompilerDirectivesFile`): in `local`, the classes Spark generates for each
    query are left to the quick compiler.

    Args:
        config: The `spark` config of the active environment.
        project_path: The project root that relative paths are resolved against.
        source_bytes: Bytes of the run's source files (every delivery), or None
            when they are not known: then the run is not a small one.

    Returns:
        Spark properties ready for `build_spark_session`.

    Raises:
        ValueError: `geodata.small_run.max_source_mb` is not a number, or
            `geodata.driver.compiler_directives` names no readable JSON file.
    """
    resolved: dict[str, str] = {}
    for key, value in config.items():
        if value is None or value == "":
            continue
        value = str(value)
        if key in _PATH_SETTINGS and "://" not in value and not Path(value).is_absolute():
            value = str((project_path / value).resolve())
        resolved[key] = value
    max_source_mb = resolved.pop(SMALL_RUN_MAX_SOURCE_MB, None)
    small_run_options = resolved.pop(SMALL_RUN_JAVA_OPTIONS, None)
    if max_source_mb is not None:
        try:
            max_source_bytes = float(max_source_mb) * 2**20
        except ValueError:
            raise ValueError(
                f"spark.yml: {SMALL_RUN_MAX_SOURCE_MB} must be a number of MB, "
                f"not {max_source_mb!r}"
            ) from None
        if source_bytes is not None and source_bytes <= max_source_bytes:
            logger.info(
                "Small run (%.1f MB of source files): driver options %r",
                source_bytes / 2**20,
                small_run_options or "",
            )
            resolved["spark.driver.extraJavaOptions"] = small_run_options or ""
    directives = resolved.pop(COMPILER_DIRECTIVES, None)
    if directives:
        path = _directives_file(directives, project_path)
        _add_driver_options(
            resolved, f"-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile={path}"
        )
    derby_home = resolved.pop("geodata.derby.home", None)
    if derby_home:
        _add_driver_options(resolved, f"-Dderby.system.home={derby_home}")
    metastore = resolved.pop("geodata.metastore.path", None)
    if metastore:
        resolved["javax.jdo.option.ConnectionURL"] = (
            f"jdbc:derby:;databaseName={metastore};create=true"
        )
    return resolved


def _add_driver_options(resolved: dict[str, str], options: str) -> None:
    java_opts = resolved.get("spark.driver.extraJavaOptions", "")
    resolved["spark.driver.extraJavaOptions"] = f"{java_opts} {options}".strip()


def _directives_file(value: str, project_path: Path) -> Path:
    """The absolute path of a compiler directives file, checked before the JVM reads it
    (the JVM does not start without it, and says no more than that it could not load it)."""
    path = Path(value) if Path(value).is_absolute() else (project_path / value).resolve()
    try:
        json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise ValueError(
            f"spark.yml: {COMPILER_DIRECTIVES} must name a JSON file of HotSpot compiler "
            f"directives; {str(path)!r}: {err}"
        ) from None
    return path


def build_spark_session(config: Mapping[str, object], *, hive: bool = True) -> SparkSession:
    """The process's SparkSession: the active one as it is, else a new one from `config`.

    A process runs one SparkSession. When one is already active (a test session, the
    tasks of `airflow dags test` run one after another in one process), it is used as
    it is: re-applying a project's `spark.yml` to it would change settings its owner
    chose (shuffle partitions, UI) for everything that runs after.

    Args:
        config: Spark properties (`spark.*`); Hive/metastore properties
            (`javax.jdo.option.*`, `hive.*`) are forwarded as `spark.hadoop.*`.
        hive: Whether to enable Hive support (embedded Derby metastore unless
            `hive.metastore.uris` points at a metastore service).

    Returns:
        The active SparkSession.
    """
    if SparkContext._active_spark_context is not None:
        # A builder without options returns the running session unchanged.
        return SparkSession.builder.getOrCreate()
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")
    # Python workers must run the interpreter that has geodata installed, not
    # whatever `python3` is first on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder
    for key, value in config.items():
        if value is None or value == "":
            continue
        name = f"spark.hadoop.{key}" if key.startswith(_HADOOP_KEYS) else key
        builder = builder.config(name, str(value))
    if hive:
        builder = builder.enableHiveSupport()
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("WARN")
    if hive:
        _connect_metastore_in_background(session)
    if session.sparkContext.master.startswith("local"):
        _start_python_workers_in_background(session)
    return session


def _connect_metastore_in_background(session: SparkSession) -> threading.Thread:
    """Open the session's Hive metastore client in a background thread.

    Spark opens it at the first catalog call, and opening it (Hive's classes, the
    metastore's schema check, Derby's boot for the embedded one) takes seconds of
    one core. A run's first catalog call comes late (the earlier runs' lineage, read
    by conflation), while the stages before it leave a core idle between their
    jobs: opened here, it is ready by then. Failures are left to that first call,
    which reports them.
    """

    def connect() -> None:
        try:
            session.catalog.databaseExists("default")
        except Exception:  # the run's own first catalog call reports it
            logger.debug("metastore not opened in the background", exc_info=True)

    thread = threading.Thread(target=connect, name="geodata-metastore", daemon=True)
    thread.start()
    _STARTING.append(thread)
    return thread


WORKER_MODULES = (
    "geodata.pipelines.normalize.nodes",
    "geodata.spatial.joins",
    "geodata.conflation.comparisons",
    "geodata.conflation.chaining",
    "geodata.conflation.voting",
)
"""Modules whose code runs in the Python workers (parsers, geometry, similarities, the vote)."""


WORKER_START_GROUP = "geodata-python-workers"
"""Spark job group of the job that starts the Python workers (it runs for no node)."""


def _import_worker_modules(batches):
    """`mapInArrow` body that imports `WORKER_MODULES` in the worker and passes rows on."""
    import importlib

    for name in WORKER_MODULES:
        importlib.import_module(name)
    yield from batches


def local_cores(master: str) -> int:
    """Task slots of a local master: `local` 1, `local[4]` 4, `local[*]` every core."""
    match = re.fullmatch(r"local(?:\[(\*|\d+)(?:,\d+)?\])?", master)
    if match is None:
        raise ValueError(f"not a local Spark master: {master!r}")
    slots = match.group(1)
    if slots is None:
        return 1
    return (os.cpu_count() or 1) if slots == "*" else int(slots)


def _start_python_workers_in_background(session: SparkSession) -> threading.Thread:
    """Start the local Python workers, with geodata imported, in a background thread.

    A run's first job with Python in it (normalization's parse) waits for Spark to
    start the Python worker daemon and its workers and for each worker to import
    pyarrow, pandas and geodata's modules: about 2 s on a laptop, a quarter of a small
    region's normalization. Workers are reused between tasks, so a job of one tiny
    task per core, run while the driver loads the catalog and plans the first
    stage, starts them with everything imported. Only for local masters (a cluster
    starts its workers on its executors). Failures are left to the run's own jobs.
    """

    def start() -> None:
        try:
            context = session.sparkContext
            context.setJobGroup(WORKER_START_GROUP, "start the Python workers")
            cores = local_cores(context.master)
            session.range(cores, numPartitions=cores).mapInArrow(
                _import_worker_modules, "id LONG"
            ).write.format("noop").mode("overwrite").save()
        except Exception:  # the run's own first Python job reports it
            logger.debug("Python workers not started in the background", exc_info=True)

    thread = threading.Thread(target=start, name="geodata-python-workers", daemon=True)
    thread.start()
    _STARTING.append(thread)
    return thread


def wait_for_background_start(timeout_s: float = 300.0) -> None:
    """Wait until the session's background start-up work (metastore, workers) is done.

    For measurements that must not share the machine with it, such as the
    benchmark's Parquet floor.
    """
    while _STARTING:
        _STARTING.pop().join(timeout_s)
