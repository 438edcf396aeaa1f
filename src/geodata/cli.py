"""The project's own `kedro` commands: `kedro airflow create` with the project's DAG template.

Kedro lets a project's `cli.py` replace a plugin's command. This one keeps
kedro-airflow's `create` (its options, its rendering) and changes two defaults: the
template is the project's (`orchestration/templates/airflow_dag.j2`, which takes the
run date from the DAG run's logical date and the region from its params), and the
task grouping comes from each pipeline's `group_by` in `airflow.yml` when
`--group-by` is not given. So the plain `kedro airflow create --env <env>` renders
the DAG files the README deploys.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import click
from kedro.framework.cli.project import run as kedro_run

__all__ = ["cli", "run"]

TEMPLATE = Path(__file__).parent / "orchestration" / "templates" / "airflow_dag.j2"

DEFAULT_RUNNER = "ThreadRunner"
"""The runner of `kedro run` when `--runner` is not given."""


@click.group(name="geodata")
def cli() -> None:
    """geodata's project commands."""


def _run_command() -> click.Command:
    """Kedro's `run`, whose runner runs nodes that do not depend on each other at once.

    Most of a small region's run is latency: Spark jobs of a fraction of a second
    with plan analysis and Kedro's loads and saves on the driver between them, while
    the cores wait. With `ThreadRunner` the nodes that can run together (the source
    mappings, the random pairs beside alias learning, the comparisons of candidate
    and random pairs, the report beside the map) overlap that wait
    (docs/performance.md, "Independent nodes at once"). `--runner SequentialRunner`
    runs one node at a time. Options and behaviour are Kedro's own otherwise.
    """
    options = []
    for option in kedro_run.params:
        if option.name == "runner":
            option = copy.copy(option)  # Kedro's own command stays as it is
            option.default = DEFAULT_RUNNER
            option.help = f"{option.help} Default: {DEFAULT_RUNNER} (independent nodes at once)."
        options.append(option)
    command = copy.copy(kedro_run)
    command.params = options
    return command


# `kedro run`, and `python -m geodata` and the `geodata` script, which run the `run`
# command of the project's cli.py (kedro.framework.cli.utils.find_run_command).
run = _run_command()
cli.add_command(run)


def _pipeline_groupings(
    project_path: Path, env: str, names: list[str] | None, cli_grouping: str | None, params: dict
) -> dict[str, list[str]]:
    """Pipeline names (None: every registered one) by their DAG's task grouping.

    `--group-by` wins over each pipeline's `group_by` in `airflow.yml`.
    """
    from kedro.framework.project import settings
    from pydantic import ValidationError

    from geodata.orchestration.config import (
        DagConfig,
        group_pipeline_nodes,
        load_project,
        pipeline_dag_config,
    )

    project = load_project(env, project_path / settings.CONF_SOURCE)
    catalog = project.catalog()
    names = list(project.pipelines) if names is None else names
    by_grouping: dict[str, list[str]] = {}
    for name in names:
        try:  # a mistake in airflow.yml fails here, not in the DAG processor
            config = DagConfig(**{**pipeline_dag_config(project.airflow, name), **params})
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc']))}={e['input']!r}: {e['msg']}" for e in error.errors()
            )
            raise click.UsageError(
                f"conf/{env}/airflow.yml (over conf/base), DAG of pipeline {name!r}: {problems}"
            ) from None
        grouping = cli_grouping or config.group_by
        try:  # nodes that hand data over in memory must share a task
            if name in project.pipelines:  # an unknown name is kedro-airflow's to report
                group_pipeline_nodes(project.pipelines[name], grouping, catalog)
        except ValueError as error:
            raise click.UsageError(f"DAG of pipeline {name!r}: {error}") from None
        by_grouping.setdefault(grouping, []).append(name)
    return by_grouping


def _airflow_create_command() -> click.Command:
    """kedro-airflow's `create` with the project's template and `airflow.yml` grouping."""
    from kedro_airflow.plugin import DEFAULT_PIPELINE
    from kedro_airflow.plugin import create as plugin_create

    from geodata.orchestration.config import GROUPINGS

    options = []
    for option in plugin_create.params:
        option = copy.copy(option)  # the plugin's own command stays as it is
        if option.name == "jinja_file":
            option.default = str(TEMPLATE)
            option.help = "The DAG template; default: the project's template."
        elif option.name == "node_grouping":
            option.type = click.Choice(GROUPINGS, case_sensitive=False)
            option.help = (
                "Nodes per Airflow task: namespace (one task per stage and source) or none "
                "(one per node); default: each pipeline's group_by in airflow.yml."
            )
        options.append(option)

    @click.pass_context
    def create(context: click.Context, **arguments: Any) -> None:
        metadata = context.obj
        if arguments["convert_all"] and arguments["pipeline_names"] != [DEFAULT_PIPELINE]:
            raise click.BadParameter("The `--all` and `--pipelines` option are mutually exclusive.")
        groupings = _pipeline_groupings(
            metadata.project_path,
            arguments["env"],
            None if arguments["convert_all"] else arguments["pipeline_names"],
            (arguments["node_grouping"] or "").lower() or None,
            arguments["params"],
        )
        for grouping, grouped in groupings.items():
            context.invoke(
                plugin_create,
                **{
                    **arguments,
                    "pipeline_names": grouped,
                    "convert_all": False,
                    "node_grouping": None if grouping == "none" else grouping,
                    # The template tells in each file how its tasks are grouped.
                    "params": {**arguments["params"], "group_by": grouping},
                },
            )

    return click.Command(
        name="create",
        callback=create,
        params=options,
        help=f"{plugin_create.help}\n\nRenders the project's template by default.",
    )


try:
    import kedro_airflow  # noqa: F401  (the `airflow` extra)
except ImportError:  # without it, `kedro airflow` is simply absent
    pass
else:

    @cli.group(name="airflow")
    def airflow_commands() -> None:
        """Render the pipelines as Airflow DAGs (kedro-airflow, with the project's template)."""

    airflow_commands.add_command(_airflow_create_command())
