"""Running the DAGs on a real Airflow (`dag.test()`, SQLite metadata DB).

Tasks run in this process, as `airflow dags test` runs them, so they share the test
session's SparkSession and Hive metastore. The project copy they run in is named by
`GEODATA_PROJECT_PATH`; the working directory is elsewhere.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pyspark.sql import functions as F

from geodata.evaluation import read_truth, records_in_scope
from geodata.hooks import PUBLISH_NODE
from geodata.orchestration import task_of_node
from tests.kedro_project import REPO, make_project_copy
from tests.orchestration.conftest import DAGS_FOLDER
from tests.test_end_to_end import EVENT_SOURCES

RUN_DT = "2026-11-05"
REGION = "US-CA"
LOGICAL_DATE = datetime.fromisoformat(RUN_DT).replace(tzinfo=UTC)


def _task_instances(run) -> dict:
    return {ti.task_id: ti for ti in run.get_task_instances()}


def geodata_tasks(dag) -> dict:
    """The DAG's geodata tasks (Kedro nodes) by task id."""
    return {task.task_id: task for task in dag.tasks if hasattr(task, "node_names")}


def _partition(spark, table: str, region: str | None = None):
    frame = spark.table(table).where(F.col("execution_dt") == F.lit(RUN_DT).cast("date"))
    return frame.where(F.col("iso_3166_2") == region) if region else frame


@pytest.fixture(scope="module")
def default_run(dag_bag, spark, airflow_project, tmp_path_factory, monkeypatch_module):
    """The generated `local` DAG of the default pipeline, run for the demo region."""
    monkeypatch_module.chdir(tmp_path_factory.mktemp("elsewhere"))
    monkeypatch_module.setenv("GEODATA_PROJECT_PATH", str(airflow_project))
    dag = dag_bag.get_dag("geodata_default_local")
    return dag.test(logical_date=LOGICAL_DATE, run_conf={"iso_3166_2": REGION})


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_local_dag_runs_the_pipeline_end_to_end(default_run, dag_bag, spark, airflow_project):
    assert default_run.state == "success"
    instances = _task_instances(default_run)
    assert set(instances) == set(dag_bag.get_dag("geodata_default_local").task_ids)
    assert {ti.state for ti in instances.values()} == {"success"}
    # Every task has read what it needed: the DAG run's working data is gone, its model kept.
    assert not (airflow_project / "data/work" / RUN_DT / REGION).exists()
    assert (airflow_project / "data/06_models" / RUN_DT / REGION / "conflate").is_dir()

    # The run wrote its own partition: this date and region, nothing for other regions.
    conflated = _partition(spark, "geodata.conflated_addresses")
    assert {r.iso_3166_2 for r in conflated.select("iso_3166_2").distinct().collect()} == {REGION}
    lineage = _partition(spark, "geodata.address_lineage", REGION)
    assert conflated.count() == lineage.select("address_id").distinct().count() > 0

    # The run's report: this date and region, every in-scope record accounted for, and
    # the tables hold exactly what it accounted.
    report = json.loads((airflow_project / "data/08_reporting/run_report.json").read_text())
    run_keys = ("execution_dt", "iso_3166_1", "iso_3166_2")
    assert [report["run"][key] for key in run_keys] == [RUN_DT, "", REGION]
    assert report["accounting"]["balanced"] is True
    quarantine = _partition(spark, "geodata.quarantine")
    counted = lineage.select("source").unionByName(quarantine.select("source"))
    actual = {r.source: r["count"] for r in counted.groupBy("source").count().collect()}
    accounted = {s: n for s, n in report["accounting"]["accounted_by_source"].items() if n}
    assert actual == accounted

    # About one output row per real address of the region (pairwise F1 is ~0.99).
    raw = airflow_project / "data/01_raw"
    truth = records_in_scope(read_truth(spark, raw), RUN_DT, EVENT_SOURCES, regions={REGION})
    addresses = truth.where(~F.col("invalid")).select("truth_address_id").distinct().count()
    assert abs(conflated.count() - addresses) <= 0.02 * addresses


DRILL_DAG = """
from geodata.orchestration import make_airflow_dag

dag, tasks = make_airflow_dag("ingest", "local", "geodata_failure_drill", project_path={path!r})
"""
BROKEN_SOURCE = "county_gis"


@pytest.fixture()
def failing_project(tmp_path):
    """A project copy whose `county_gis` delivery is missing and whose retries wait 1 s."""
    project = make_project_copy(tmp_path / "project")
    catalog = project / "conf/local/catalog_01_raw.yml"
    delivery = f"${{globals:raw_dir}}/{BROKEN_SOURCE}/addresses.csv"
    assert delivery in catalog.read_text()
    catalog.write_text(catalog.read_text().replace(delivery, "data/01_raw/missing_delivery/"))
    (project / "conf/local/airflow.yml").write_text(
        (REPO / "conf/local/airflow.yml").read_text() + "  retry_delay: 1\n"
    )
    dag_file = DAGS_FOLDER / "geodata_failure_drill.py"
    dag_file.write_text(DRILL_DAG.format(path=str(project)))
    yield project
    dag_file.unlink()


def test_failing_task_is_retried_and_the_failure_alert_is_delivered(
    failing_project, alert_server, spark, monkeypatch, project_env, airflow_home
):
    from geodata.orchestration import make_airflow_dag

    connection = {
        "conn_type": "pagerduty_events",
        "password": "drill-key",
        "host": alert_server.url,
    }
    monkeypatch.setenv("AIRFLOW_CONN_GEODATA_PAGERDUTY", json.dumps(connection))
    dag, _ = make_airflow_dag(
        "ingest", "local", "geodata_failure_drill", project_path=str(failing_project)
    )
    failing = BROKEN_SOURCE  # the source's task (a task per stage and source)
    run = dag.test(
        logical_date=LOGICAL_DATE,
        run_conf={"iso_3166_2": REGION},
        # Only the broken source's task runs; the other tasks are marked done.
        mark_success_pattern=rf"(?!{failing.replace('.', '[.]')}$).*",
    )

    assert run.state == "failed"
    instances = _task_instances(run)
    assert instances[failing].state == "failed"
    assert instances[failing].try_number == 3  # retries: 2 in airflow.yml
    assert instances["ingest"].state == "upstream_failed"

    # One alert, after the last try, posted by the PagerDuty provider's events client.
    [posted] = alert_server.events
    assert posted["path"] == "/v2/enqueue"
    assert posted["user_agent"].startswith("python-pagerduty/")
    event = posted["body"]
    assert event["routing_key"] == "drill-key"
    assert event["event_action"] == "trigger"
    assert event["dedup_key"] == f"geodata_failure_drill/{run.run_id}"
    summary = event["payload"]["summary"]
    for part in ("geodata_failure_drill", failing, run.run_id, REGION, RUN_DT):
        assert part in summary
    assert event["payload"]["severity"] == "error"
    details = event["payload"]["custom_details"]
    assert (details["dag_id"], details["task_id"], details["run_id"]) == (
        "geodata_failure_drill",
        failing,
        run.run_id,
    )
    assert (details["try_number"], details["max_tries"]) == (3, 2)
    assert (details["execution_dt"], details["iso_3166_2"]) == (RUN_DT, REGION)
    assert "missing_delivery" in details["error"]


@pytest.mark.parametrize(
    ("conf", "day", "parameter", "alerting"),
    [
        ({"iso_3166_2": "US-ZZ"}, 6, "run.iso_3166_2", True),
        ({"execution_dt": "2026-02-30"}, 7, "run.execution_dt", False),
    ],
)
def test_bad_run_params_fail_the_first_tasks_before_any_spark_work(
    dag_bag, tmp_path, alert_server, monkeypatch, conf, day, parameter, alerting
):
    project = make_project_copy(tmp_path / "project")
    monkeypatch.setenv("GEODATA_PROJECT_PATH", str(project))
    if alerting:
        monkeypatch.setenv("GEODATA_PAGERDUTY_ROUTING_KEY", "params-key")
        monkeypatch.setenv("GEODATA_PAGERDUTY_URL", alert_server.url)
    dag = dag_bag.get_dag("geodata_default_local")
    run = dag.test(logical_date=LOGICAL_DATE.replace(day=day), run_conf=conf)

    assert run.state == "failed"
    instances = _task_instances(run)
    roots = {task.task_id for task in dag.tasks if not task.upstream_task_ids}
    for task_id, ti in instances.items():
        if task_id in roots:
            assert (ti.state, ti.try_number) == ("failed", 1), task_id  # not retried
        else:
            assert ti.state == "upstream_failed", task_id
    assert not (project / "data" / "work").exists()  # no stage ran

    if alerting:
        assert len(alert_server.events) == len(roots)
        for posted in alert_server.events:
            assert parameter in posted["body"]["payload"]["custom_details"]["error"]
            assert "US-ZZ" in posted["body"]["payload"]["summary"]
    else:  # no alert configuration: a warning, the run itself unaffected
        assert alert_server.events == []


def test_example_dag_runs_create_index_after_the_tables_are_published(dag_bag, project_env):
    dag = dag_bag.get_dag("example_geodata_with_index")
    run = dag.test(
        logical_date=LOGICAL_DATE.replace(day=8),
        run_conf={"iso_3166_2": REGION},
        # The geodata tasks are marked done (the pipeline itself runs in the test above).
        mark_success_pattern=r"(?!create_index$).*",
    )
    assert run.state == "success"
    instances = _task_instances(run)
    index = instances["create_index"]
    assert index.state == "success"
    # After the tables are published (by the export task), so after the conflation task.
    publish = instances[task_of_node(geodata_tasks(dag), PUBLISH_NODE).task_id]
    assert publish.task_id == "export"
    assert publish.end_date <= index.start_date
    assert instances["conflate"].end_date <= publish.start_date
