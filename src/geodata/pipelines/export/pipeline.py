"""Export pipeline wiring."""

from kedro.pipeline import Node, Pipeline

from geodata.pipelines.export.nodes import build_csv_export, build_output_tables, build_run_report


def create_pipeline(**kwargs) -> Pipeline:
    """Output tables, CSV export and the run report."""
    return Pipeline(
        [
            Node(
                build_output_tables,
                inputs=[
                    "addresses",
                    "lineage",
                    "normalize_rejected",
                    "conflate_rejected",
                    "params:run",
                ],
                outputs=["conflated_addresses", "address_lineage", "quarantine"],
                name="build_output_tables",
            ),
            Node(
                build_csv_export,
                inputs=["addresses", "params:run", "params:export"],
                outputs="conflated_addresses_csv",
                name="build_csv_export",
            ),
            Node(
                build_run_report,
                inputs=[
                    "ingested",
                    "normalized",
                    "normalize_rejected",
                    "conflate_rejected",
                    "scored_pairs",
                    "addresses",
                    "lineage",
                    "params:run",
                    "params:export",
                    "params:scoring",
                ],
                outputs="run_report",
                name="build_run_report",
            ),
        ],
        namespace="export",
        inputs={
            "addresses": "conflate.mo_addresses",
            "lineage": "conflate.mo_lineage",
            "normalize_rejected": "normalize.int_rejected",
            "conflate_rejected": "conflate.mo_rejected",
            "ingested": "ingest.int_records",
            "normalized": "normalize.int_addresses",
            "scored_pairs": "conflate.fea_scored_pairs",
        },
        outputs={
            "conflated_addresses",
            "address_lineage",
            "quarantine",
            "conflated_addresses_csv",
            "run_report",
        },
        parameters={
            "params:run": "params:run",
            "params:export": "params:export",
            "params:scoring": "params:conflate.scoring",
        },
        tags=["export"],
    )
