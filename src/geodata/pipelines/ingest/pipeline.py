"""Ingest pipeline: a namespace per source declared under `sources:`, then one union."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial, update_wrapper
from typing import Any

from kedro.pipeline import Node, Pipeline

from geodata.params import is_valid_source_name
from geodata.pipelines.ingest.nodes import combine_sources, map_source_records


def _source_pipeline(name: str) -> Pipeline:
    mapper = update_wrapper(partial(map_source_records, source_name=name), map_source_records)
    return Pipeline(
        [
            Node(
                mapper,
                inputs=["raw", "params:source", "params:run"],
                outputs="int_mapped",
                name="map_source_records",
            )
        ],
        namespace=name,
        parameters={"params:source": f"params:sources.{name}", "params:run": "params:run"},
        tags=["ingest"],
    )


def create_pipeline(sources: Mapping[str, Mapping[str, Any]] | None = None, **kwargs) -> Pipeline:
    """One `<source>.map_source_records` node per declared source, then `combine_sources`.

    Args:
        sources: The environment's `sources:` declaration, by source name. Without it
            (`find_pipelines` discovers this module so) there is nothing to ingest: an
            empty pipeline, which `register_pipelines` replaces.

    Raises:
        ValueError: A declared name is not a valid namespace, or `sources` is empty.
    """
    if sources is None:
        return Pipeline([])
    names = sorted(sources)
    invalid = [n for n in names if not is_valid_source_name(n)]
    if invalid:
        raise ValueError(f"source name(s) {invalid} must match [a-z][a-z0-9_]*")
    if not names:
        raise ValueError(
            "the environment declares no sources: add a block under `sources:` in its "
            "parameters (README, 'Adding a source')"
        )
    per_source = sum((_source_pipeline(n) for n in names), Pipeline([]))
    combine = Pipeline(
        [
            Node(
                combine_sources,
                inputs=[f"{n}_mapped" for n in names],
                outputs="int_records",
                name="combine_sources",
            )
        ],
        namespace="ingest",
        inputs={f"{n}_mapped": f"{n}.int_mapped" for n in names},
        tags=["ingest"],
    )
    return per_source + combine
