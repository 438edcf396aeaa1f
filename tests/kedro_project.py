"""Helpers for tests that run the real Kedro project in a throwaway copy."""

from __future__ import annotations

from pathlib import Path

from geodata.runtime.session import make_project_copy as _make_project_copy
from geodata.runtime.session import run_project

REPO = Path(__file__).resolve().parents[1]

__all__ = ["REPO", "make_project_copy", "run_project"]


def make_project_copy(target: Path, raw_dir: Path | None = None) -> Path:
    """A copy of this repository's config and demo data (or `raw_dir`) under `target`."""
    return _make_project_copy(REPO, target, raw_dir=raw_dir)
