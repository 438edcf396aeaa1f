"""Project pipelines."""

from __future__ import annotations

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline


def register_pipelines() -> dict[str, Pipeline]:
    """Register the project's pipelines.

    Returns:
        Pipelines by name; `__default__` runs ingest → export (not `sample_data`).
    """
    pipelines = find_pipelines(raise_errors=True)
    stages = ("ingest", "normalize", "enrich", "conflate", "export")
    pipelines["__default__"] = sum((pipelines[name] for name in stages), Pipeline([]))
    return pipelines
