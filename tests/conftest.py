"""Shared test fixtures: one local SparkSession with a throwaway Hive metastore."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
os.environ.setdefault("KEDRO_DISABLE_TELEMETRY", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")


@pytest.fixture(scope="session")
def spark_home(tmp_path_factory) -> Path:
    """Temp directory holding this test session's warehouse and Derby metastore."""
    return tmp_path_factory.mktemp("spark")


@pytest.fixture(scope="session")
def spark(spark_home):
    """One local SparkSession with Hive support for the whole test run."""
    from geodata.runtime.spark import build_spark_session

    session = build_spark_session(
        {
            "spark.master": "local[2]",
            # One JVM serves every test: the driver holds the whole session's
            # broadcasts, checkpoints and plans.
            "spark.driver.memory": "4g",
            "spark.app.name": "geodata-tests",
            "spark.sql.shuffle.partitions": "4",
            "spark.default.parallelism": "4",
            "spark.ui.enabled": "false",
            "spark.sql.warehouse.dir": str(spark_home / "warehouse"),
            "spark.driver.extraJavaOptions": f"-Dderby.system.home={spark_home / 'derby'}",
            "javax.jdo.option.ConnectionURL": (
                f"jdbc:derby:;databaseName={spark_home / 'metastore_db'};create=true"
            ),
        },
        hive=True,
    )
    yield session
    session.stop()


@pytest.fixture()
def clean_hive(spark):
    """Drop every non-default Hive database after the test."""
    yield spark
    for row in spark.sql("SHOW DATABASES").collect():
        name = row[0]
        if name != "default":
            spark.sql(f"DROP DATABASE IF EXISTS `{name}` CASCADE")


@pytest.fixture()
def workdir():
    """A temp directory removed after the test."""
    path = Path(tempfile.mkdtemp(prefix="geodata-test-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


_FIGURES = pytest.StashKey[list[str]]()


@pytest.fixture()
def report_figure(request):
    """Record a measured figure (e.g. precision) to print in the test run's summary."""

    def record(line: str) -> None:
        request.config.stash.setdefault(_FIGURES, []).append(line)

    return record


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the figures tests measured, so that CI logs show them."""
    figures = config.stash.get(_FIGURES, [])
    if figures:
        terminalreporter.section("measured figures")
        for line in figures:
            terminalreporter.write_line(line)
