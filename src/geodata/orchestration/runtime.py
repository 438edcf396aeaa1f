"""What an Airflow task of a geodata DAG does: run some Kedro nodes with the run's parameters.

The task runs the installed `geodata` package (not code from the working directory)
against a project directory and config source named by the DAG or the environment.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowFailException
from pydantic import ValidationError

from geodata.orchestration.config import resolve_project_location
from geodata.params import RunParams

logger = logging.getLogger(__name__)


def run_params_for(logical_date: datetime | None, params: Mapping[str, Any]) -> RunParams:
    """The run's `run:` parameters: the date from the logical date, the region from DAG params.

    A DAG param `execution_dt` (ISO date), when given, replaces the logical date, for
    re-running an earlier date by hand.

    Args:
        logical_date: The DAG run's logical date (UTC).
        params: The DAG run's params (`iso_3166_1`, `iso_3166_2`, optional `execution_dt`).

    Returns:
        The validated parameters.

    Raises:
        ValueError: A parameter is invalid; the message names it.
    """
    execution_dt = params.get("execution_dt") or None
    if execution_dt is None:
        if logical_date is None:
            raise ValueError(
                "run.execution_dt: the DAG run has no logical date; give the execution_dt param"
            )
        execution_dt = logical_date.date().isoformat()
    values = {
        "execution_dt": execution_dt,
        "iso_3166_1": params.get("iso_3166_1") or "",
        "iso_3166_2": params.get("iso_3166_2") or "",
    }
    try:
        return RunParams(**values)
    except ValidationError as error:
        problems = "; ".join(
            f"run.{e['loc'][0]}={e['input']!r}: {e['msg']}" if e["loc"] else e["msg"]
            for e in error.errors()
        )
        raise ValueError(f"Invalid run parameters: {problems}") from None


def run_kedro_nodes(
    *,
    pipeline_name: str,
    node_names: Sequence[str],
    env: str,
    run: RunParams,
    project_path: str | None = None,
    conf_source: str | None = None,
) -> None:
    """Run `node_names` of a registered pipeline in a new KedroSession.

    The SparkSession is the process's own (`getOrCreate`), so tasks that run in one
    process share it.

    Args:
        pipeline_name: Registered pipeline the nodes belong to.
        node_names: Kedro node names to run.
        env: Kedro environment.
        run: The run's `run:` parameters.
        project_path: Project directory; `GEODATA_PROJECT_PATH` when None.
        conf_source: Config directory or `kedro package` archive; `GEODATA_CONF_SOURCE`
            or `<project>/conf` when None.
    """
    from geodata.runtime.session import run_project

    project, conf = resolve_project_location(project_path, conf_source)
    runtime_params = {"run": run.model_dump(mode="json")}
    logger.info(
        "Running %s of pipeline %s (env %s, project %s, conf %s) with %s",
        list(node_names),
        pipeline_name,
        env,
        project,
        conf,
        runtime_params,
    )
    run_project(
        project,
        params=runtime_params,
        env=env,
        pipeline=pipeline_name,
        node_names=node_names,
        conf_source=conf,
    )


class KedroNodesOperator(BaseOperator):
    """Runs Kedro nodes of a geodata pipeline for the DAG run's date and region.

    Bad run parameters fail the task at once, without retries and before any Spark work.
    """

    ui_color = "#ffc900"

    def __init__(
        self,
        *,
        pipeline_name: str,
        node_names: Sequence[str],
        env: str,
        project_path: str | None = None,
        conf_source: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.pipeline_name = pipeline_name
        self.node_names = list(node_names)
        self.env = env
        self.project_path = project_path
        self.conf_source = conf_source

    def execute(self, context: Any) -> None:
        """Validate the run's parameters, then run the nodes."""
        try:
            run = run_params_for(context.get("logical_date"), context.get("params") or {})
        except ValueError as error:
            raise AirflowFailException(str(error)) from None
        run_kedro_nodes(
            pipeline_name=self.pipeline_name,
            node_names=self.node_names,
            env=self.env,
            run=run,
            project_path=self.project_path,
            conf_source=self.conf_source,
        )


class RemoveWorkingData:
    """A DAG's `on_success_callback`: removes the DAG run's working data once every task
    of the run has succeeded.

    Each task runs some nodes in a process of its own, so no task knows it is the last
    one to read the run's working folder (`<base_location>/work/<execution_dt>/<scope>`,
    `geodata.runtime.working_data`); the DAG run does. A failed DAG run keeps it, for a
    look at what failed and for clearing the failed tasks. A failure to remove it is
    logged, never raised.

    Args:
        env: Kedro environment the DAG's tasks run in.
        project_path: Project directory; `GEODATA_PROJECT_PATH` when None.
        conf_source: Config directory or archive; as for the tasks when None.
    """

    def __init__(
        self, env: str, project_path: str | None = None, conf_source: str | None = None
    ) -> None:
        self.env = env
        self.project_path = project_path
        self.conf_source = conf_source

    def __call__(self, context: Mapping[str, Any]) -> None:
        from geodata.runtime.session import config_loader
        from geodata.runtime.working_data import remove_working_dir, run_working_dir

        dag_run = context.get("dag_run")
        try:
            run = run_params_for(
                getattr(dag_run, "logical_date", None), context.get("params") or {}
            )
            project, conf = resolve_project_location(self.project_path, self.conf_source)
            base = str(config_loader(conf, self.env)["globals"]["base_location"])
        except Exception as error:  # a callback must not fail a run that succeeded
            logger.warning("Working data of the DAG run left in place: %s", error)
            return
        remove_working_dir(run_working_dir(base, project, run))
