"""The DAG files `kedro airflow create` renders from the project template, and the example DAG.

Parsed by a real Airflow `DagBag`; compared with the Kedro pipelines and `airflow.yml`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from kedro.framework.project import settings
from kedro.io import DataCatalog, MemoryDataset
from kedro_airflow.grouping import group_memory_nodes

from geodata.orchestration import RemoveWorkingData, make_airflow_dag
from geodata.orchestration.alerts import alert_pagerduty, log_retry
from geodata.orchestration.config import DagConfig, dag_id_for, pipeline_dag_config
from geodata.pipeline_registry import register_pipelines
from geodata.runtime.sources import read_declared_sources
from tests.orchestration.conftest import ENVS, PROD_VARIABLES


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


def test_every_dag_loads_without_import_errors_and_ids_are_unique(dag_bag, env_config):
    assert dag_bag.import_errors == {}
    expected = {
        dag_id_for(pipeline, env)
        for env, (_, pipelines) in env_config.items()
        for pipeline in pipelines
    }
    assert len(expected) == sum(len(pipelines) for _, pipelines in env_config.values())
    assert set(dag_bag.dag_ids) == expected | {"example_geodata_with_index"}


@pytest.mark.parametrize("env", ENVS)
def test_task_graph_equals_the_pipeline_node_dependencies(dag_bag, env_config, env):
    _, pipelines = env_config[env]
    for name, pipeline in pipelines.items():
        dag = dag_bag.get_dag(dag_id_for(name, env))
        expected = {
            node.name: {parent.name for parent in parents}
            for node, parents in pipeline.node_dependencies.items()
        }
        actual = {task.task_id: set(task.upstream_task_ids) for task in dag.tasks}
        assert actual == expected, name
        for task in dag.tasks:
            assert task.node_names == [task.task_id]
            assert (task.pipeline_name, task.env) == (name, env)


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
        assert dag.max_active_runs == config.max_active_runs
        assert set(dag.tags) == set(config.tags)
        assert {key: dag.params[key] for key in ("iso_3166_1", "iso_3166_2")} == (
            config.params.model_dump()
        )
        for task in dag.tasks:
            assert task.owner == config.owner
            assert task.pool == config.pool
            assert task.retries == config.retries == 2
            assert task.retry_delay == timedelta(seconds=config.retry_delay)
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
                task.on_failure_callback,
                task.on_retry_callback,
            )
            for task in dag.tasks
        }

    assert shape(built) == shape(rendered)
    assert (built.schedule, built.start_date, built.catchup, built.max_active_runs) == (
        rendered.schedule,
        rendered.start_date,
        rendered.catchup,
        rendered.max_active_runs,
    )
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


def test_example_dag_hooks_create_index_after_every_conflation_task(dag_bag, env_config):
    dag = dag_bag.get_dag("example_geodata_with_index")
    _, pipelines = env_config["local"]
    conflation = {node.name for node in pipelines["conflate"].nodes}
    assert dag.get_task("create_index").upstream_task_ids == conflation
    assert set(dag.task_ids) == {n.name for n in pipelines["__default__"].nodes} | {"create_index"}


@pytest.mark.parametrize("env", ENVS)
def test_no_memory_dataset_crosses_a_task_boundary(env_config, env):
    loader, pipelines = env_config[env]
    catalog = DataCatalog.from_config(loader["catalog"], credentials={})
    for name, pipeline in pipelines.items():
        produced = {output for node in pipeline.nodes for output in node.outputs}
        consumed = {item for node in pipeline.nodes for item in node.inputs}
        crossing = produced & consumed
        for dataset in crossing:
            assert dataset in catalog, (name, dataset)
            assert not isinstance(catalog.get(dataset), MemoryDataset), (name, dataset)
        if name == "__default__":
            assert len(crossing) >= len(pipeline.nodes) - 1  # every stage hands data on
        # kedro-airflow's memory grouping agrees: every node can be its own task.
        groups = group_memory_nodes(catalog, pipeline)
        assert sorted(len(group.nodes) for group in groups) == [1] * len(pipeline.nodes)
