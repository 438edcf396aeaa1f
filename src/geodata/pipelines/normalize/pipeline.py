"""Normalize pipeline wiring."""

from kedro.pipeline import Node, Pipeline

from geodata.pipelines.normalize.nodes import normalize_records


def create_pipeline(**kwargs) -> Pipeline:
    """`normalize_records`: ingested records → canonical addresses + rejected records."""
    return Pipeline(
        [
            Node(
                normalize_records,
                inputs=["ingest.int_records", "params:run"],
                outputs=["normalize.int_addresses", "normalize.int_rejected"],
                name="normalize_records",
            )
        ],
        tags=["normalize"],
    )
