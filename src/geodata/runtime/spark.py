"""The one SparkSession a geodata process uses: Spark settings from `spark.yml`, and the session.

Every entry point (project runs, Airflow tasks, the command-line tools) starts Spark here."""

from __future__ import annotations

import logging
import os
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


def resolve_spark_config(config: dict[str, Any], project_path: Path) -> dict[str, str]:
    """Turn `spark.yml` into Spark properties, making local paths absolute.

    Two project settings are shorthands for the embedded Hive metastore:
    `geodata.derby.home` (Derby's log/system directory) and
    `geodata.metastore.path` (the metastore database directory).

    Args:
        config: The `spark` config of the active environment.
        project_path: The project root that relative paths are resolved against.

    Returns:
        Spark properties ready for `build_spark_session`.
    """
    resolved: dict[str, str] = {}
    for key, value in config.items():
        if value is None or value == "":
            continue
        value = str(value)
        if key in _PATH_SETTINGS and "://" not in value and not Path(value).is_absolute():
            value = str((project_path / value).resolve())
        resolved[key] = value
    derby_home = resolved.pop("geodata.derby.home", None)
    if derby_home:
        java_opts = resolved.get("spark.driver.extraJavaOptions", "")
        resolved["spark.driver.extraJavaOptions"] = (
            f"{java_opts} -Dderby.system.home={derby_home}".strip()
        )
    metastore = resolved.pop("geodata.metastore.path", None)
    if metastore:
        resolved["javax.jdo.option.ConnectionURL"] = (
            f"jdbc:derby:;databaseName={metastore};create=true"
        )
    return resolved


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
    return thread
