"""Normalize pipeline wiring."""

from kedro.pipeline import Node, Pipeline

from geodata.pipelines.normalize.nodes import normalize_records


def create_pipeline(**kwargs) -> Pipeline:
    """`normalize.normalize_records`: ingested records → canonical addresses + rejected records."""
    return Pipeline(
        [
            Node(
                normalize_records,
                inputs=["records", "params:run"],
                outputs=["int_addresses", "int_rejected"],
                name="normalize_records",
            )
        ],
        namespace="normalize",
        inputs={"records": "ingest.int_records"},
        parameters={"params:run"},
        tags=["normalize"],
    )
