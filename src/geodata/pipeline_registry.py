"""Project pipelines, built for the sources the running environment declares."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline

from geodata.pipelines import ingest
from geodata.runtime.sources import session_sources

STAGES = ("ingest", "normalize", "enrich", "conflate", "export")


def register_pipelines(
    sources: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Pipeline]:
    """Register the project's pipelines.

    Args:
        sources: The `sources:` declaration to build the ingest pipeline from; Kedro
            passes none, and then it is the declaration of the environment the current
            Kedro session runs (see `geodata.runtime.sources`).

    Returns:
        Pipelines by name; `__default__` runs ingest → export (not `sample_data`).
    """
    with warnings.catch_warnings():
        # Dataset names carry their stage on purpose (`normalize.int_addresses`), and
        # each stage is a namespaced pipeline; Kedro warns whenever a namespace reads
        # another namespace's dataset, which is exactly how stages connect.
        warnings.filterwarnings("ignore", message="One or more dataset names contain '.'")
        pipelines = find_pipelines(raise_errors=True)
    # `kedro run --pipeline X` makes Kedro find only X; the default exists when every
    # stage was found.
    if "ingest" in pipelines:
        declared = session_sources() if sources is None else sources
        pipelines["ingest"] = ingest.create_pipeline(sources=declared)
    if all(name in pipelines for name in STAGES):
        pipelines["__default__"] = sum((pipelines[name] for name in STAGES), Pipeline([]))
    return pipelines
