"""Where a run's working data lives: `<base_location>/work/<execution_dt>/<scope>/`.

The intermediate, primary, feature, models and model-output datasets are keyed by the
run (the catalog's `run_key` resolver), so runs for different regions never share files.
"""

from __future__ import annotations

import logging
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import fsspec

logger = logging.getLogger(__name__)

ALL = "all"
"""The scope of a run without a region filter."""

WORK_DIR = "work"
"""The folder under `base_location` that holds every run's working data and the run locks."""


def run_scope(iso_3166_1: str = "", iso_3166_2: str = "") -> str:
    """The output partitions a run covers: its region, else its country, else `all`."""
    return iso_3166_2 or iso_3166_1 or ALL


def scopes_overlap(a: str, b: str) -> bool:
    """Whether runs of scopes `a` and `b` (on one date) write some partition in common.

    `all` covers every region and a country covers its regions (`US` and `US-CA`).
    """
    return ALL in (a, b) or a == b or a.startswith(f"{b}-") or b.startswith(f"{a}-")


def _checked(execution_dt: Any, iso_3166_1: Any, iso_3166_2: Any):
    """The run parameters as `RunParams` checks and normalizes them (codes upper case)."""
    from pydantic import ValidationError

    from geodata.params import RunParams

    try:
        return RunParams(execution_dt=execution_dt, iso_3166_1=iso_3166_1, iso_3166_2=iso_3166_2)
    except ValidationError as error:
        problems = "; ".join(e["msg"] for e in error.errors())
        # Parameters are checked (with a fuller message) before the catalog is built;
        # this guards the path, which must never hold anything but a date and codes.
        raise ValueError(f"working data location of run parameters: {problems}") from None


def run_key(execution_dt: Any, iso_3166_1: Any = "", iso_3166_2: Any = "") -> str:
    """The `run_key` config resolver: `2026-11-01/US-CA`, `2026-11-01/US` or `2026-11-01/all`.

    Args:
        execution_dt: The run date (ISO string or date).
        iso_3166_1: Country filter; empty or None for none.
        iso_3166_2: Region filter; empty or None (`--params run.iso_3166_2=`) for none.

    Returns:
        The run's folder below `<base_location>/work/`.

    Raises:
        ValueError: A value is not a date or an ISO 3166 code.
    """
    run = _checked(execution_dt, iso_3166_1, iso_3166_2)
    return f"{run.execution_dt.isoformat()}/{run_scope(run.iso_3166_1, run.iso_3166_2)}"


def is_local(location: str) -> bool:
    """Whether `location` is a path on this machine (not an object store or HDFS URL)."""
    return "://" not in location or location.startswith("file://")


def local_path(location: str, project_path: Path) -> Path:
    """A local `location` as an absolute path; relative ones are taken from the project root."""
    path = Path(location.removeprefix("file://"))
    return path if path.is_absolute() else project_path / path


def working_dir(base_location: str, project_path: Path, execution_dt: date, scope: str) -> str:
    """The run's working folder: an absolute local path, or the object store URL."""
    relative = f"{WORK_DIR}/{execution_dt.isoformat()}/{scope}"
    if is_local(base_location):
        return str(local_path(base_location, project_path) / relative)
    return f"{base_location.rstrip('/')}/{relative}"


def run_working_dir(base_location: str, project_path: Path, run: Any) -> str:
    """The working folder of a run with these `run:` parameters (`geodata.params.RunParams`)."""
    scope = run_scope(run.iso_3166_1, run.iso_3166_2)
    return working_dir(base_location, project_path, run.execution_dt, scope)


def remove_working_dir(location: str) -> None:
    """Delete a run's working folder; a failure is logged, never raised (the run is done)."""
    try:
        if is_local(location):
            shutil.rmtree(location.removeprefix("file://"), ignore_errors=False)
        else:
            fs, path = fsspec.core.url_to_fs(location)
            if fs.exists(path):
                fs.rm(path, recursive=True)
    except FileNotFoundError:
        return
    except Exception as error:  # cleanup must not fail a run that has finished
        logger.warning("Working data %s left in place: %s", location, error)
        return
    logger.info("Working data removed: %s", location)
