"""Kedro sessions in a project directory, and throwaway project copies to run them in.

`project_session` is the one place that switches to a project's directory and opens
a Kedro session; the command-line tools, Airflow tasks and tests all go through it.
A project copy has the project's `pyproject.toml` and `conf/`, its own `data/` and a
raw folder of choice, and runs the installed `geodata` package.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kedro.framework.session import KedroSession

PACKAGE_NAME = "geodata"


def config_loader(conf_source: str | Path, env: str):
    """The project's config loader (class and arguments of `settings.py`) for `env`.

    For the tools that read config without a Kedro session: DAG building, Airflow
    callbacks, the benchmark.

    Args:
        conf_source: Config directory or `kedro package` archive.
        env: Kedro environment.
    """
    from kedro.framework.project import configure_project, settings

    configure_project(PACKAGE_NAME)
    return settings.CONFIG_LOADER_CLASS(
        conf_source=str(conf_source), env=env, **settings.CONFIG_LOADER_ARGS
    )


def make_project_copy(source: Path, target: Path, raw_dir: Path | None = None) -> Path:
    """Copy `source`'s config into `target`, with `data/01_raw` linked to `raw_dir`.

    Args:
        source: The project root to copy (holds `pyproject.toml` and `conf/`).
        target: Where the copy goes; created if missing.
        raw_dir: Raw data for the copy; defaults to `source/data/01_raw`.

    Returns:
        `target`.
    """
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "pyproject.toml", target / "pyproject.toml")
    shutil.copytree(source / "conf", target / "conf", dirs_exist_ok=True)
    (target / "data").mkdir(exist_ok=True)
    # The `kedro` command wants the source directory `pyproject.toml` names; the copy
    # runs the installed package.
    (target / "src").mkdir(exist_ok=True)
    raw = target / "data" / "01_raw"
    if not raw.exists():
        raw.symlink_to((raw_dir or source / "data" / "01_raw").resolve(), target_is_directory=True)
    return target


def nested_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """`{"run.execution_dt": x}` → `{"run": {"execution_dt": x}}`, as `kedro run --params` does.

    Config resolvers (`${runtime_params:run.execution_dt}`) read nested keys only.
    Nested and dotted keys may be mixed (`{"run": {...}, "run.iso_3166_2": "US-CA"}`);
    they are merged, whatever their order.
    """
    nested: dict[str, Any] = {}
    for key, value in params.items():
        *parents, leaf = str(key).split(".")
        entry = {leaf: nested_params(value) if isinstance(value, Mapping) else value}
        for parent in reversed(parents):
            entry = {parent: entry}
        _merge(nested, entry)
    return nested


def _merge(into: dict[str, Any], other: Mapping[str, Any]) -> None:
    for key, value in other.items():
        if isinstance(value, Mapping) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


@contextmanager
def project_session(
    project: Path,
    *,
    env: str = "local",
    params: Mapping[str, Any] | None = None,
    conf_source: str | None = None,
) -> Iterator[KedroSession]:
    """A Kedro session of the installed `geodata` package, run from `project`'s directory.

    Relative catalog paths (the `local` environment's `data/`) are taken from the
    working directory, so it is `project` for as long as the session is open.

    Args:
        project: Project directory (a checkout, a copy, or a deployment's directory).
        env: Kedro environment.
        params: Runtime parameters, nested (`{"run": {...}}`) or with the command
            line's dotted keys (`{"run.execution_dt": ...}`).
        conf_source: Config directory or `kedro package` archive; `<project>/conf`
            when None.

    Yields:
        The open session; use it for one `run`, and its context's catalog inside the block.
        After a successful run of the whole default pipeline, its working data (and its
        run lock) are kept until the block ends (`geodata.runtime.run_lock`).
    """
    from kedro.framework.project import configure_project

    from geodata.runtime.run_lock import defer_working_data_removal

    configure_project(PACKAGE_NAME)
    previous = Path.cwd()
    os.chdir(project)
    try:
        # A whole run's working data is removed when the block ends, not when the run
        # does: callers read it inside the block (`geodata-evaluate`'s pairs).
        with (
            defer_working_data_removal(),
            KedroSession.create(
                project_path=project,
                env=env,
                conf_source=conf_source,
                runtime_params=nested_params(params or {}),
            ) as session,
        ):
            yield session
    finally:
        os.chdir(previous)


def run_project(
    project: Path,
    *,
    params: Mapping[str, Any] | None = None,
    env: str = "local",
    pipeline: str | None = None,
    node_names: Sequence[str] | None = None,
    conf_source: str | None = None,
) -> dict[str, Any]:
    """Run a pipeline (or some of its nodes) of the project in `project`.

    Args:
        project: Project root.
        params: Runtime parameters (see `project_session`).
        env: Kedro environment.
        pipeline: Pipeline name; the default pipeline when None.
        node_names: Run only these nodes of the pipeline.
        conf_source: Config directory or archive; `<project>/conf` when None.

    Returns:
        The run's free outputs, as `KedroSession.run` returns them.
    """
    with project_session(project, env=env, params=params, conf_source=conf_source) as session:
        return session.run(
            pipeline_names=[pipeline] if pipeline else None,
            node_names=list(node_names) if node_names else None,
        )
