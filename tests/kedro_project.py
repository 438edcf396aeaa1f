"""Helpers for tests that run the real Kedro project in a throwaway copy."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project

REPO = Path(__file__).resolve().parents[1]


def make_project_copy(target: Path) -> Path:
    """A copy of the project's config and demo data under `target`, safe to write into."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "pyproject.toml", target / "pyproject.toml")
    shutil.copytree(REPO / "conf", target / "conf", dirs_exist_ok=True)
    (target / "data").mkdir(exist_ok=True)
    # bootstrap_project wants a source directory; the installed geodata package is used.
    (target / "src").mkdir(exist_ok=True)
    raw = target / "data" / "01_raw"
    if not raw.exists():
        raw.symlink_to(REPO / "data" / "01_raw", target_is_directory=True)
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
    """Run a pipeline of the project copy in `project` (cwd switched there) and return outputs.

    `params` use the command line's dotted keys (`run.execution_dt`).
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
