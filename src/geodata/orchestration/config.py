"""The `airflow.yml` settings of one pipeline's DAG, and where a DAG finds the project.

`kedro airflow create` hands the same merged mapping (`default:` updated with the
pipeline's own block) to the project template; `make_airflow_dag` validates it here.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal, get_args

from kedro.pipeline import GroupedNodes, Pipeline
from pydantic import BaseModel, ConfigDict, Field, field_validator

from geodata.runtime.session import PACKAGE_NAME

PROJECT_PATH_ENV = "GEODATA_PROJECT_PATH"
CONF_SOURCE_ENV = "GEODATA_CONF_SOURCE"
Grouping = Literal["none", "namespace"]
GROUPINGS: tuple[str, ...] = get_args(Grouping)
_DOTTED_PATH = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$"


class RegionDefaults(BaseModel):
    """Default values of the DAG's region params (overridable per run)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    iso_3166_1: str = ""
    iso_3166_2: str = ""


class DagConfig(BaseModel):
    """One pipeline's block of `conf/<env>/airflow.yml` after merging `default:` into it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schedule: str | None = None
    start_date: date = date(2026, 1, 1)
    catchup: bool = False
    max_active_runs: int = Field(4, ge=1)
    tags: list[str] = Field(default_factory=list)
    pool: str = "default_pool"
    owner: str = "geodata"
    retries: int = Field(2, ge=0)
    retry_delay: int = Field(300, ge=0, description="Seconds between tries.")
    # A task or run past its limit is stopped and fails (and alerts): Spark can wait
    # forever for executors a cluster never gives (docs/production.md). None = no limit.
    execution_timeout: int | None = Field(4 * 3600, ge=1, description="Seconds per task try.")
    dagrun_timeout: int | None = Field(12 * 3600, ge=1, description="Seconds per DAG run.")
    # Which nodes share a task (and so one Spark application): namespace = one per
    # pipeline stage and source, none = one per node (only for pipelines whose nodes
    # hand no data over in memory, see `in_memory_crossings`).
    group_by: Grouping = "namespace"
    on_failure_callback: str | None = Field(None, pattern=_DOTTED_PATH)
    on_retry_callback: str | None = Field(None, pattern=_DOTTED_PATH)
    params: RegionDefaults = Field(default_factory=RegionDefaults)
    # Not `conf_source`: kedro-airflow passes its own `--conf-source` under that name.
    project_path: str | None = None
    project_conf_source: str | None = None

    @field_validator("project_path", "project_conf_source", "schedule", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("group_by", mode="before")
    @classmethod
    def _no_grouping(cls, value: object) -> object:
        return "none" if value is None else value

    def timeout(self, name: str) -> timedelta | None:
        """`execution_timeout` or `dagrun_timeout` as Airflow takes it (None = no limit)."""
        seconds = getattr(self, name)
        return None if seconds is None else timedelta(seconds=seconds)


def pipeline_dag_config(airflow_config: dict[str, Any], pipeline_name: str) -> dict[str, Any]:
    """`default:` updated with the pipeline's own block, as `kedro airflow create` merges them.

    Args:
        airflow_config: The environment's `airflow` config (all of `airflow.yml`).
        pipeline_name: A registered pipeline name.

    Returns:
        The settings of that pipeline's DAG.
    """
    merged: dict[str, Any] = dict(airflow_config.get("default") or {})
    merged.update(airflow_config.get(pipeline_name) or {})
    return merged


def dag_id_for(pipeline_name: str, env: str) -> str:
    """The DAG id of a pipeline in an environment: `geodata_<pipeline>_<env>`.

    `__default__` is called `default`; ids are unique across pipelines and environments.
    """
    name = "default" if pipeline_name == "__default__" else pipeline_name
    return re.sub(r"[^A-Za-z0-9_]+", "_", f"{PACKAGE_NAME}_{name}_{env}")


def resolve_project_location(project_path: str | None, conf_source: str | None) -> tuple[Path, str]:
    """The project directory and config source a task runs with.

    A value given in `airflow.yml` wins; otherwise `GEODATA_PROJECT_PATH` and
    `GEODATA_CONF_SOURCE` are read. The config source defaults to `<project>/conf`
    and may be the `conf-geodata.tar.gz` archive built by `kedro package`.

    Raises:
        ValueError: When neither `airflow.yml` nor the environment names the project.
    """
    path = project_path or os.environ.get(PROJECT_PATH_ENV)
    if not path:
        raise ValueError(
            f"No geodata project directory: set project_path in airflow.yml or the "
            f"{PROJECT_PATH_ENV} environment variable of the Airflow workers"
        )
    project = Path(path).expanduser().resolve()
    if not project.is_dir():
        raise ValueError(f"geodata project directory {project} does not exist")
    conf = conf_source or os.environ.get(CONF_SOURCE_ENV) or str(project / "conf")
    return project, conf


@dataclass(frozen=True)
class ProjectConfig:
    """What DAG building reads of a project: its airflow config, pipelines, catalog config.

    Read without Airflow: `kedro airflow create` checks the DAG settings with it too.
    """

    airflow: dict[str, Any]
    pipelines: dict[str, Any]
    loader: Any

    def catalog(self):
        """The environment's catalog (which datasets are kept in memory)."""
        from kedro.config import MissingConfigException
        from kedro.io import DataCatalog

        try:
            credentials = self.loader["credentials"]
        except MissingConfigException:
            credentials = {}
        return DataCatalog.from_config(self.loader["catalog"], credentials=credentials)


def load_project(env: str, conf_source: str | Path) -> ProjectConfig:
    """The environment's airflow config and registered pipelines, read from `conf_source`."""
    from kedro.config import MissingConfigException

    from geodata.pipeline_registry import register_pipelines
    from geodata.runtime.session import config_loader
    from geodata.runtime.sources import read_declared_sources

    loader = config_loader(conf_source, env)
    try:
        airflow_config = dict(loader["airflow"])
    except MissingConfigException:
        airflow_config = {}
    return ProjectConfig(airflow_config, register_pipelines(read_declared_sources(loader)), loader)


def in_memory_crossings(
    pipeline: Pipeline, groups: list[GroupedNodes], catalog
) -> list[tuple[str, str, str]]:
    """Data handed from one node to another in memory across two tasks of a grouping.

    A dataset is in memory when the catalog keeps it in the process (a `MemoryDataset`,
    such as `geodata.datasets.InTaskDataset`) or does not declare it. Each task is a
    process of its own, so such data cannot reach a node of another task.

    Returns:
        (dataset, producing node, consuming node) for each such hand-over, sorted.
    """
    from kedro.io import MemoryDataset

    task_of = {node: group.name for group in groups for node in group.nodes}
    producer = {output: node.name for node in pipeline.nodes for output in node.outputs}
    crossings = set()
    for node in pipeline.nodes:
        for name in node.inputs:
            if name not in producer or task_of[producer[name]] == task_of[node.name]:
                continue
            if name not in catalog or isinstance(catalog.get(name), MemoryDataset):
                crossings.add((name, producer[name], node.name))
    return sorted(crossings)


def group_pipeline_nodes(pipeline: Pipeline, group_by: str, catalog=None) -> list[GroupedNodes]:
    """The pipeline's nodes in Airflow tasks, as `kedro airflow create --group-by` groups them.

    Args:
        pipeline: The pipeline of the DAG.
        group_by: `namespace` (one task per top-level namespace, i.e. per stage or
            source) or `none` (one task per node).
        catalog: The environment's catalog: when given, a grouping that would put two
            nodes handing data over in memory into different tasks is refused.

    Returns:
        The groups in dependency order, each with the groups it depends on.

    Raises:
        ValueError: An unknown grouping, or one that splits an in-memory hand-over.
    """
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by={group_by!r}: expected one of {', '.join(GROUPINGS)}")
    groups = pipeline.group_nodes_by(group_by=None if group_by == "none" else group_by)
    crossings = [] if catalog is None else in_memory_crossings(pipeline, groups, catalog)
    if crossings:
        dataset, producer, consumer = crossings[0]
        more = f" (and {len(crossings) - 1} more such hand-overs)" if len(crossings) > 1 else ""
        raise ValueError(
            f"group_by={group_by!r} puts {producer} and {consumer} in different tasks, "
            f"but {producer} hands {dataset} to {consumer} in memory{more}: group by "
            "namespace, which keeps each stage in one task"
        )
    return groups
