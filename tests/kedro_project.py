"""Helpers for tests that run the real Kedro project in a throwaway copy."""

from __future__ import annotations

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
    raw = target / "data" / "01_raw"
    if not raw.exists():
        raw.symlink_to(REPO / "data" / "01_raw", target_is_directory=True)
    return target


def run_project(
    project: Path,
    *,
    params: dict[str, Any] | None = None,
    env: str = "local",
    pipeline: str | None = None,
) -> dict[str, Any]:
    """Run a pipeline of the project copy in `project` (cwd switched there) and return outputs."""
    bootstrap_project(project)
    previous = Path.cwd()
    import os

    os.chdir(project)
    try:
        with KedroSession.create(project_path=project, env=env, runtime_params=params) as session:
            return session.run(pipeline_names=[pipeline] if pipeline else None)
    finally:
        os.chdir(previous)
