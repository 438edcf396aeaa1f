"""Shared test fixtures: one local SparkSession with a throwaway Hive metastore."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
os.environ.setdefault("KEDRO_DISABLE_TELEMETRY", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")


@pytest.fixture(scope="session")
def spark_home(tmp_path_factory) -> Path:
    """Temp directory holding this test session's warehouse and Derby metastore."""
    return tmp_path_factory.mktemp("spark")


# Test settings over the project's own `local` Spark settings, for test-sized data:
# two cores, one shuffle partition (a task per partition is the cost), no UI, and
# neither adaptive execution nor code generation. On a few rows, compiling each new
# plan to Java and running each shuffle as its own job take most of the time (a
# third of the unit tests' time on 2 cores); the rows are the same either way.
# Project runs inside the tests reuse this session as it is. The cluster test runs
# with `prod`'s settings (adaptive execution, code generation, two partitions) and
# compares its rows with a run made here, and the benchmark test runs `local`'s in
# its own process, so both ways stay tested.
TEST_SPARK = {
    "spark.master": "local[2]",
    # One JVM serves every test: the driver holds the whole session's broadcasts,
    # checkpoints and plans.
    "spark.driver.memory": "4g",
    "spark.app.name": "geodata-tests",
    "spark.sql.shuffle.partitions": "1",
    "spark.default.parallelism": "1",
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}


TEST_JAVA_OPTS = "-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=240m"
"""The tests' rows are few: the JVM's quick first-tier compiler alone is enough for
them, and leaves the cores to the tests (the conflation tests took 69 s instead of
92 s on 2 cores). C1 alone reserves only 48 MB for compiled code, which a session's
queries fill within minutes (the JVM then flushes and recompiles, or stops compiling):
the cache is reserved as with both compilers (conf/local/spark.yml)."""


def spark_test_config(spark_home: Path) -> dict[str, str]:
    """The `local` environment's Spark settings with the test settings and a temp metastore."""
    from geodata import settings
    from geodata.runtime.spark import resolve_spark_config

    loader = settings.CONFIG_LOADER_CLASS(
        conf_source=str(REPO / "conf"), env="local", **settings.CONFIG_LOADER_ARGS
    )
    spark_yml = dict(loader["spark"])
    config = resolve_spark_config(spark_yml, REPO)
    config.update(TEST_SPARK)
    # The `local` JVM options (collector, compiler) with this session's own Derby home.
    java_opts = spark_yml.get("spark.driver.extraJavaOptions", "")
    config.update(
        {
            "spark.sql.warehouse.dir": str(spark_home / "warehouse"),
            "spark.driver.extraJavaOptions": (
                f"{java_opts} {TEST_JAVA_OPTS} -Dderby.system.home={spark_home / 'derby'}".strip()
            ),
            "javax.jdo.option.ConnectionURL": (
                f"jdbc:derby:;databaseName={spark_home / 'metastore_db'};create=true"
            ),
        }
    )
    return config


@pytest.fixture(scope="session")
def spark(spark_home):
    """One local SparkSession with Hive support for the whole test run."""
    from geodata.runtime.spark import build_spark_session

    session = build_spark_session(spark_test_config(spark_home), hive=True)
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


_MARKERS_BY_FIXTURE = {
    "spark": "spark",
    "demo_run": "pipeline",
    "local_run": "pipeline",
    "run_history": "pipeline",
    "pipeline_runs": "pipeline",
    "default_run": "pipeline",
    "project_with_new_source": "pipeline",
    "airflow_home": "airflow",
    "dag_bag": "airflow",
    "spark_cluster": "cluster",
    "s3_server": "cluster",
}


# Session fixtures that are expensive to make: with pytest-xdist (`--dist loadgroup`) every
# test that reads one runs on the same worker, so each is made once. Other tests are
# grouped by module, so a module's fixtures (a project run, clustered records) are made
# once too.
_GROUPS_BY_FIXTURE = {
    "run_history": "history",
    "pipeline_runs": "history",
    "demo_run": "demo",
    "local_run": "local_run",
    "airflow_home": "airflow",
}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items):
    """Mark each test by the real components its fixtures use (see pyproject's markers)."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        for name in sorted({m for f, m in _MARKERS_BY_FIXTURE.items() if f in fixtures}):
            item.add_marker(name)
        group = next((g for f, g in _GROUPS_BY_FIXTURE.items() if f in fixtures), None)
        item.add_marker(pytest.mark.xdist_group(group or item.nodeid.split("::")[0]))


@pytest.fixture()
def report_figure(request):
    """Record a measured figure (e.g. precision) to print in the test run's summary."""

    def record(line: str) -> None:
        # User properties travel with the test's report, also from pytest-xdist workers.
        request.node.user_properties.append(("figure", line))

    return record


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the figures tests measured, so that CI logs show them."""
    reports = [r for key in ("passed", "failed") for r in terminalreporter.stats.get(key, [])]
    figures = [
        value
        for report in reports
        if report.when == "call"
        for name, value in report.user_properties
        if name == "figure"
    ]
    if figures:
        terminalreporter.section("measured figures")
        for line in figures:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def small_raw(tmp_path_factory) -> Path:
    """The small generated region's raw layout (sources, reference data, truth); read-only."""
    from tests.runs import write_small_region

    return write_small_region(tmp_path_factory.mktemp("small_region") / "raw")


@pytest.fixture(scope="session")
def demo_run(spark, tmp_path_factory):
    """The evaluation command's run of `__default__` on the embedded demo region for 2026-11-01.

    The one run of the full demo region in the suite: its tables (database `geodata`,
    date 2026-11-01) and the command's report carry the quality figures. Other tests
    use other dates or databases.
    """
    from tests.runs import run_demo_region

    return run_demo_region(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="session")
def local_run(tmp_path_factory):
    """`kedro run --env local` on the demo region, in its own process (see `tests.runs`).

    What a user sees: the command's output, the run report, the QA report and the
    files `kedro viz` and the notebooks read. Its Spark and metastore are the
    command's own, not the test session's.
    """
    from tests.runs import run_local_command

    return run_local_command(tmp_path_factory.mktemp("local_run"))


@pytest.fixture(scope="session")
def run_history(spark, small_raw, tmp_path_factory):
    """Four runs of the small region in one project copy (see `tests.runs.RunHistory`)."""
    from tests.runs import make_run_history

    history = make_run_history(spark, small_raw, tmp_path_factory.mktemp("history"))
    yield history
    spark.sql(f"DROP DATABASE IF EXISTS {history.database} CASCADE")
