"""Building a geodata pipeline's Airflow DAG in code, from the project's `airflow.yml`.

`make_airflow_dag` gives the DAG that `kedro airflow create` renders into a file, so a
team's own DAG file can add its tasks around geodata's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from importlib import import_module
from typing import Any

from airflow.sdk import DAG, Param

from geodata.orchestration.config import (
    DagConfig,
    group_pipeline_nodes,
    load_project,
    pipeline_dag_config,
    resolve_project_location,
)
from geodata.orchestration.runtime import KedroNodesOperator, RemoveWorkingData


def region_params(iso_3166_1: str = "", iso_3166_2: str = "") -> dict[str, Param]:
    """The DAG params of a geodata DAG: the region (defaults from `airflow.yml`) and a date.

    Airflow checks their types when a run is triggered; their values are checked by the
    project's one run-parameter model (`geodata.params.RunParams`) at the start of each
    task, so an unknown code fails the run before any Spark work, naming the parameter.

    Args:
        iso_3166_1: Default country filter ('' = every country).
        iso_3166_2: Default region filter ('' = every region of the country).

    Returns:
        Params by name, for `DAG(params=...)`.
    """
    return {
        "iso_3166_1": Param(
            iso_3166_1,
            type="string",
            title="Country (ISO 3166-1 alpha-2)",
            description="Country filter, e.g. US; empty for every country in the sources.",
        ),
        "iso_3166_2": Param(
            iso_3166_2,
            type="string",
            title="Region (ISO 3166-2)",
            description="Region filter, e.g. US-CA; empty for every region of the country.",
        ),
        "execution_dt": Param(
            None,
            type=["null", "string"],
            title="Run date override",
            description="ISO date to conflate instead of the run's logical date (re-runs).",
        ),
    }


def import_callback(path: str | None):
    """The callable a dotted path names (`geodata.orchestration.alerts.alert_pagerduty`)."""
    if not path:
        return None
    module, _, name = path.rpartition(".")
    return getattr(import_module(module), name)


def default_args_for(config: DagConfig) -> dict[str, Any]:
    """The DAG's `default_args` from its `airflow.yml` settings."""
    return {
        "owner": config.owner,
        "pool": config.pool,
        "retries": config.retries,
        "retry_delay": timedelta(seconds=config.retry_delay),
        "execution_timeout": config.timeout("execution_timeout"),
        "on_failure_callback": import_callback(config.on_failure_callback),
        "on_retry_callback": import_callback(config.on_retry_callback),
    }


def make_airflow_dag(
    pipeline_name: str,
    env: str,
    dag_id: str,
    dag_kwargs: Mapping[str, Any] | None = None,
    params: Mapping[str, Any] | None = None,
    *,
    project_path: str | None = None,
    conf_source: str | None = None,
    group_by: str | None = None,
) -> tuple[DAG, dict[str, KedroNodesOperator]]:
    """Build a pipeline's DAG: one task per Kedro node or group of nodes, wired like the pipeline.

    Settings come from `conf/<env>/airflow.yml` (`default:` and the pipeline's block),
    as for the DAG files `kedro airflow create` renders.

    Args:
        pipeline_name: Registered pipeline (`__default__`, `conflate`, ...).
        env: Kedro environment the tasks run in.
        dag_id: The DAG's id.
        dag_kwargs: `DAG(...)` arguments that replace the configured ones;
            `default_args` given here update the configured default args.
        params: DAG params to add or replace (plain values replace a default).
        project_path: Project directory; `project_path` of `airflow.yml`, else
            `GEODATA_PROJECT_PATH`.
        conf_source: Config directory or archive; else `project_conf_source` of
            `airflow.yml`, `GEODATA_CONF_SOURCE`, or `<project>/conf`.
        group_by: `namespace` or `none` (see `group_pipeline_nodes`); else `group_by`
            of `airflow.yml`.

    Returns:
        The DAG and its tasks by task id (node names, or namespaces when grouped).
    """
    _, conf = resolve_project_location(project_path, conf_source)
    project = load_project(env, conf)
    if pipeline_name not in project.pipelines:
        raise ValueError(
            f"Pipeline {pipeline_name!r} is not registered: {sorted(project.pipelines)}"
        )
    config = DagConfig(**pipeline_dag_config(project.airflow, pipeline_name))
    group_by = group_by or config.group_by

    dag_params: dict[str, Any] = region_params(**config.params.model_dump())
    for name, value in (params or {}).items():
        known = dag_params.get(name)
        if known is not None and not isinstance(value, Param):
            value = Param(value, description=known.description, **known.schema)
        dag_params[name] = value
    kwargs: dict[str, Any] = {
        "schedule": config.schedule,
        "start_date": datetime.combine(config.start_date, datetime.min.time(), tzinfo=UTC),
        "catchup": config.catchup,
        "max_active_runs": config.max_active_runs,
        "dagrun_timeout": config.timeout("dagrun_timeout"),
        "tags": list(config.tags),
        "params": dag_params,
        "default_args": default_args_for(config),
        "description": f"geodata pipeline {pipeline_name} ({env})",
        # A successful DAG run's working data is removed; a failed one's is kept.
        "on_success_callback": RemoveWorkingData(
            env, project_path or config.project_path, conf_source or config.project_conf_source
        ),
    }
    overrides = dict(dag_kwargs or {})
    kwargs["default_args"].update(overrides.pop("default_args", {}))
    kwargs.update(overrides)

    dag = DAG(dag_id=dag_id, **kwargs)
    pipeline = project.pipelines[pipeline_name]
    groups = group_pipeline_nodes(pipeline, group_by, project.catalog())
    tasks = {
        group.name: KedroNodesOperator(
            task_id=group.name,
            pipeline_name=pipeline_name,
            node_names=group.nodes,
            env=env,
            project_path=project_path or config.project_path,
            conf_source=conf_source or config.project_conf_source,
            dag=dag,
        )
        for group in groups
    }
    for group in groups:
        for parent in group.dependencies:
            tasks[parent] >> tasks[group.name]
    return dag, tasks


def task_of_node(tasks: Mapping[str, KedroNodesOperator], node_name: str) -> KedroNodesOperator:
    """The task that runs a Kedro node, however the DAG groups nodes into tasks.

    Args:
        tasks: The DAG's tasks, as `make_airflow_dag` returns them.
        node_name: A node of the DAG's pipeline, e.g. `PUBLISH_NODE`.

    Raises:
        KeyError: No task runs that node.
    """
    for task in tasks.values():
        if node_name in task.node_names:
            return task
    raise KeyError(f"No task of the DAG runs node {node_name!r}")
