"""Throwaway copies of a geodata project, for benchmarks and tests.

A copy has the project's `pyproject.toml` and `conf/`, its own `data/` and a
raw folder of choice, and runs the installed `geodata` package, so a run in
it never writes into the original project.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project


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
    # bootstrap_project wants a source directory; the installed geodata package is used.
    (target / "src").mkdir(exist_ok=True)
    raw = target / "data" / "01_raw"
    if not raw.exists():
        raw.symlink_to((raw_dir or source / "data" / "01_raw").resolve(), target_is_directory=True)
    return target


def nested_params(params: dict[str, Any]) -> dict[str, Any]:
    """`{"run.execution_dt": x}` → `{"run": {"execution_dt": x}}`, as `kedro run --params` does."""
    nested: dict[str, Any] = {}
    for key, value in params.items():
        *parents, leaf = key.split(".")
        level = nested
        for parent in parents:
            level = level.setdefault(parent, {})
        level[leaf] = value
    return nested


def run_project(
    project: Path,
    *,
    params: dict[str, Any] | None = None,
    env: str = "local",
    pipeline: str | None = None,
) -> dict[str, Any]:
    """Run a pipeline of the project in `project` (cwd switched there) and return its outputs.

    Args:
        project: Project root.
        params: Runtime parameters with the command line's dotted keys (`run.execution_dt`).
        env: Kedro environment.
        pipeline: Pipeline name; the default pipeline when None.

    Returns:
        The run's free outputs, as `KedroSession.run` returns them.
    """
    bootstrap_project(project)
    previous = Path.cwd()
    os.chdir(project)
    try:
        with KedroSession.create(
            project_path=project, env=env, runtime_params=nested_params(params or {})
        ) as session:
            return session.run(pipeline_names=[pipeline] if pipeline else None)
    finally:
        os.chdir(previous)
