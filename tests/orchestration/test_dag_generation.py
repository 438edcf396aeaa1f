"""The DAG files `kedro airflow create` renders from the project template, and the example DAG.

Parsed by a real Airflow `DagBag`; compared with the Kedro pipelines and `airflow.yml`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from airflow.dag_processing.dagbag import DagBag
from airflow.serialization.decoders import decode_timetable
from airflow.serialization.encoders import encode_timetable
from airflow.timetables.base import TimeRestriction
from kedro.framework.project import settings
from kedro.io import DataCatalog, MemoryDataset

from geodata.hooks import PUBLISH_NODE
from geodata.orchestration import RemoveWorkingData, make_airflow_dag
from geodata.orchestration.alerts import alert_pagerduty, log_retry
from geodata.orchestration.config import (
    DagConfig,
    dag_id_for,
    in_memory_crossings,
    pipeline_dag_config,
)
from geodata.orchestration.dag import group_pipeline_nodes, task_of_node
from geodata.orchestration.runtime import run_params_for
from geodata.pipeline_registry import register_pipelines
from geodata.runtime.sources import read_declared_sources
from tests.kedro_project import make_project_copy
from tests.orchestration.conftest import DAGS_FOLDER, ENVS, PROD_VARIABLES, generate_dags


@pytest.fixture(scope="module")
def env_config(airflow_project, monkeypatch_module):
    """Per environment: its config loader and registered pipelines."""
    for name, value in PROD_VARIABLES.items():
        monkeypatch_module.setenv(name, value)
    loaded = {}
    for env in ENVS:
        loader = settings.CONFIG_LOADER_CLASS(
            conf_source=str(airflow_project / "conf"), env=env, **settings.CONFIG_LOADER_ARGS
        )
        loaded[env] = (loader, register_pipelines(read_declared_sources(loader)))
    return loaded


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_plain_kedro_airflow_create_renders_the_project_dag(airflow_project, dag_bag, env_config):
    """The command a kedro-airflow user types first, with no other flag, in the project."""
    kedro = Path(sys.executable).with_name("kedro")
    result = subprocess.run(
        [str(kedro), "airflow", "create", "--env", "local"],
        cwd=airflow_project,
        env={**os.environ, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rendered = airflow_project / "airflow_dags" / "geodata_dag.py"
    # The same file as the project's template renders for the DagBag of these tests ...
    assert rendered.read_text() == (DAGS_FOLDER / "geodata_dag.py").read_text()
    # ... and Airflow loads it: the default pipeline, run date from the logical date.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GEODATA_PROJECT_PATH", str(airflow_project))
        bag = DagBag(dag_folder=str(rendered.parent))
    assert bag.import_errors == {}
    assert bag.dag_ids == ["geodata_default_local"]
    _, pipelines = env_config["local"]
    dag = bag.get_dag("geodata_default_local")
    # A task per stage and source (the nodes of a stage hand data on in memory).
    assert set(dag.task_ids) == {node.name.split(".")[0] for node in pipelines["__default__"].nodes}
    assert {type(task).__name__ for task in dag.tasks} == {"KedroNodesOperator"}


def test_a_mistake_in_airflow_yml_fails_generation_naming_it(airflow_project, tmp_path):
    project = make_project_copy(tmp_path / "project")
    config = project / "conf/local/airflow.yml"
    config.write_text(config.read_text() + "  group_by: stage\n")
    with pytest.raises(
        AssertionError,
        match=r"DAG of pipeline '__default__': group_by='stage': "
        r"Input should be 'none' or 'namespace'",
    ):
        generate_dags(project, "local", tmp_path / "dags")
    assert not list((tmp_path / "dags").glob("*.py"))


def test_every_dag_loads_without_import_errors_and_ids_are_unique(dag_bag, env_config):
    assert dag_bag.import_errors == {}
    expected = {
        dag_id_for(pipeline, env)
        for env, (_, pipelines) in env_config.items()
        for pipeline in pipelines
    }
    assert len(expected) == sum(len(pipelines) for _, pipelines in env_config.values())
    assert set(dag_bag.dag_ids) == expected | {"example_geodata_with_index"}


def _grouped(loader, pipelines, name):
    config = DagConfig(**pipeline_dag_config(dict(loader["airflow"]), name))
    return config.group_by, group_pipeline_nodes(pipelines[name], config.group_by)


@pytest.mark.parametrize("env", ENVS)
def test_task_graph_equals_the_pipeline_node_dependencies(dag_bag, env_config, env):
    loader, pipelines = env_config[env]
    for name, pipeline in pipelines.items():
        dag = dag_bag.get_dag(dag_id_for(name, env))
        group_by, groups = _grouped(loader, pipelines, name)
        # A task per namespace (stage or source) in every environment.
        assert group_by == "namespace"
        tasks = {task.task_id: task for task in dag.tasks}
        assert set(tasks) == {group.name for group in groups}, name
        # Every node runs in exactly one task...
        ran = [node for task in dag.tasks for node in task.node_names]
        assert sorted(ran) == sorted(node.name for node in pipeline.nodes), name
        task_of = {node: task.task_id for task in dag.tasks for node in task.node_names}
        # ... and a task waits for exactly the tasks that run its nodes' parents.
        for task in dag.tasks:
            parents = {
                task_of[parent.name]
                for node in pipeline.nodes
                if node.name in task.node_names
                for parent in pipeline.node_dependencies[node]
            } - {task.task_id}
            assert set(task.upstream_task_ids) == parents, (name, task.task_id)
            assert (task.pipeline_name, task.env) == (name, env)
        if group_by == "none":
            assert all(task.node_names == [task.task_id] for task in dag.tasks)
        else:
            if name == "__default__":  # a task per stage and source, not per node
                assert len(dag.tasks) < len(pipeline.nodes) / 2
            for task in dag.tasks:
                assert {node.split(".")[0] for node in task.node_names} == {task.task_id}


@pytest.mark.parametrize("env", ENVS)
def test_dag_settings_and_callbacks_are_as_configured(dag_bag, env_config, env):
    loader, pipelines = env_config[env]
    for name in pipelines:
        config = DagConfig(**pipeline_dag_config(dict(loader["airflow"]), name))
        dag = dag_bag.get_dag(dag_id_for(name, env))
        assert name.strip("_") in dag.dag_id and env in dag.dag_id
        assert dag.schedule == config.schedule
        assert dag.start_date == datetime(2026, 1, 1, tzinfo=UTC)
        assert dag.catchup is config.catchup
        assert dag.max_active_runs == config.max_active_runs > 1
        assert dag.dagrun_timeout == timedelta(seconds=config.dagrun_timeout)
        assert config.execution_timeout < config.dagrun_timeout
        assert set(dag.tags) == set(config.tags)
        assert {key: dag.params[key] for key in ("iso_3166_1", "iso_3166_2")} == (
            config.params.model_dump()
        )
        for task in dag.tasks:
            assert task.owner == config.owner
            assert task.pool == config.pool
            assert task.retries == config.retries == 2
            assert task.retry_delay == timedelta(seconds=config.retry_delay)
            assert task.execution_timeout == timedelta(seconds=config.execution_timeout)
            assert task.on_failure_callback == [alert_pagerduty]
            assert task.on_retry_callback == [log_retry]
    # The environments differ where their airflow.yml says so.
    assert dag_bag.get_dag("geodata_default_local").schedule is None
    assert dag_bag.get_dag("geodata_default_prod").schedule == "@daily"
    assert dag_bag.get_dag("geodata_default_prod").tasks[0].pool == "geodata_spark"


def test_make_airflow_dag_builds_the_rendered_dag(dag_bag, project_env):
    built, tasks = make_airflow_dag("__default__", "local", "geodata_default_local_in_code")
    rendered = dag_bag.get_dag("geodata_default_local")
    assert set(tasks) == set(rendered.task_ids)

    def shape(dag):
        return {
            task.task_id: (
                set(task.upstream_task_ids),
                task.node_names,
                task.owner,
                task.pool,
                task.retries,
                task.retry_delay,
                task.execution_timeout,
                task.on_failure_callback,
                task.on_retry_callback,
            )
            for task in dag.tasks
        }

    assert shape(built) == shape(rendered)

    def settings_of(dag):
        return (dag.schedule, dag.start_date, dag.catchup, dag.max_active_runs, dag.dagrun_timeout)

    assert settings_of(built) == settings_of(rendered)
    assert dict(built.params) == dict(rendered.params)
    # Both remove a successful DAG run's working data, in the tasks' environment.
    for dag in (built, rendered):
        assert isinstance(dag.on_success_callback, RemoveWorkingData)
        assert dag.on_success_callback.env == "local"


def test_make_airflow_dag_takes_overrides_and_region_params(project_env):
    dag, _ = make_airflow_dag(
        "conflate",
        "local",
        "my_conflate",
        dag_kwargs={"schedule": "@weekly", "default_args": {"retries": 5}},
        params={"iso_3166_2": "US-CA", "team": "search"},
    )
    assert dag.schedule == "@weekly"
    assert {task.retries for task in dag.tasks} == {5}
    assert dag.params["iso_3166_2"] == "US-CA"
    assert dag.params["team"] == "search"


def test_make_airflow_dag_groups_nodes_into_tasks(project_env, env_config):
    _, pipelines = env_config["local"]
    dag, tasks = make_airflow_dag("__default__", "local", "grouped", group_by="namespace")
    nodes = {node.name for node in pipelines["__default__"].nodes}
    assert sorted(n for task in dag.tasks for n in task.node_names) == sorted(nodes)
    assert set(tasks) == {name.split(".")[0] for name in nodes}
    # Conflation reads the enriched records, and the canonical ones for the raw
    # records of what end users suppress.
    assert tasks["conflate"].upstream_task_ids == {"enrich", "normalize"}
    assert task_of_node(tasks, PUBLISH_NODE) is tasks["export"]


def test_a_task_per_node_is_refused_where_nodes_hand_data_on_in_memory(project_env, env_config):
    with pytest.raises(
        ValueError,
        match=r"group_by='none' puts (conflate\.\w+) and (conflate\.\w+) in different tasks, "
        r"but \1 hands conflate\.\w+ to \2 in memory \(and \d+ more such hand-overs\): "
        r"group by namespace",
    ):
        make_airflow_dag("__default__", "local", "per_node", group_by="none")
    # A pipeline whose nodes hand everything over through storage still can.
    _, pipelines = env_config["local"]
    _, tasks = make_airflow_dag("ingest", "local", "ingest_per_node", group_by="none")
    assert set(tasks) == {node.name for node in pipelines["ingest"].nodes}


def test_an_unknown_grouping_is_refused_with_the_choices(project_env):
    with pytest.raises(ValueError, match="group_by='stage': expected one of none, namespace"):
        make_airflow_dag("__default__", "local", "grouped", group_by="stage")


def test_example_dag_runs_create_index_after_the_tables_are_published(dag_bag, env_config):
    dag = dag_bag.get_dag("example_geodata_with_index")
    _, pipelines = env_config["local"]
    index = dag.get_task("create_index")
    publish = dag.get_task("export")
    assert PUBLISH_NODE in publish.node_names
    assert index.upstream_task_ids == {"export"}
    # ... which is after the conflation task, and so after every other stage.
    assert "conflate" in publish.get_flat_relative_ids(upstream=True)
    stages = {n.name.split(".")[0] for n in pipelines["__default__"].nodes}
    assert set(dag.task_ids) == stages | {"create_index"}


@pytest.mark.parametrize("env", ENVS)
def test_only_persisted_data_crosses_a_task_boundary(env_config, env):
    loader, pipelines = env_config[env]
    catalog = DataCatalog.from_config(loader["catalog"], credentials={})
    in_task = set()
    for name, pipeline in pipelines.items():
        config = DagConfig(**pipeline_dag_config(dict(loader["airflow"]), name))
        groups = group_pipeline_nodes(pipeline, config.group_by)
        assert in_memory_crossings(pipeline, groups, catalog) == [], name
        task_of = {node: group.name for group in groups for node in group.nodes}
        producer = {out: node.name for node in pipeline.nodes for out in node.outputs}
        for node in pipeline.nodes:
            for item in node.inputs:
                if item not in producer:
                    continue
                assert item in catalog, (name, item)  # declared, never a default
                if isinstance(catalog.get(item), MemoryDataset):
                    in_task.add(item)
                    assert task_of[producer[item]] == task_of[node.name], (name, item)
        if name == "__default__":
            stages = {group.name for group in groups}
            assert {"ingest", "normalize", "enrich", "conflate", "export"} <= stages
    # The stages that hand data on in memory do so inside themselves only.
    assert in_task and {item.split(".")[0] for item in in_task} == {"enrich", "conflate"}


def test_a_daily_run_writes_the_partition_of_the_day_it_starts(dag_bag):
    """Airflow 3's default timetable for a cron schedule is a trigger timetable
    (`[scheduler] create_cron_data_intervals = False`): the logical date is the start time."""
    dag = dag_bag.get_dag("geodata_default_prod")
    timetable = decode_timetable(encode_timetable(dag.timetable))  # as the scheduler holds it
    first = timetable.next_dagrun_info(
        last_automated_data_interval=None,
        restriction=TimeRestriction(
            earliest=datetime(2026, 11, 1, 12, tzinfo=UTC), latest=None, catchup=True
        ),
    )
    # The run that starts at 2026-11-02 00:00 UTC conflates 2026-11-02 ...
    assert first.run_after == first.logical_date == datetime(2026, 11, 2, tzinfo=UTC)
    assert run_params_for(first.logical_date, {}).execution_dt == date(2026, 11, 2)
    # ... and the next one, a day later, the next day.
    second = timetable.next_dagrun_info(
        last_automated_data_interval=first.data_interval,
        restriction=TimeRestriction(earliest=None, latest=None, catchup=True),
    )
    assert run_params_for(second.logical_date, {}).execution_dt == date(2026, 11, 3)
