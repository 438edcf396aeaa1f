"""Project pipelines."""

from __future__ import annotations

import warnings

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline

STAGES = ("ingest", "normalize", "enrich", "conflate", "export")


def register_pipelines() -> dict[str, Pipeline]:
    """Register the project's pipelines.

    Returns:
        Pipelines by name; `__default__` runs ingest → export (not `sample_data`).
    """
    with warnings.catch_warnings():
        # Dataset names carry their stage on purpose (`normalize.int_addresses`), and
        # each stage is a namespaced pipeline; Kedro warns whenever a namespace reads
        # another namespace's dataset, which is exactly how stages connect.
        warnings.filterwarnings("ignore", message="One or more dataset names contain '.'")
        pipelines = find_pipelines(raise_errors=True)
    # `kedro run --pipeline X` loads only X; the default exists when every stage was loaded.
    if all(name in pipelines for name in STAGES):
        pipelines["__default__"] = sum((pipelines[name] for name in STAGES), Pipeline([]))
    return pipelines
