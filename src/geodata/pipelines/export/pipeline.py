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
                    "conflate.prm_addresses",
                    "conflate.prm_lineage",
                    "normalize.int_rejected",
                    "conflate.int_rejected",
                    "params:run",
                ],
                outputs=["conflated_addresses", "address_lineage", "quarantine"],
                name="build_output_tables",
            ),
            Node(
                build_csv_export,
                inputs=["conflate.prm_addresses", "params:run", "params:export"],
                outputs="conflated_addresses_csv",
                name="build_csv_export",
            ),
            Node(
                build_run_report,
                inputs=[
                    "ingest.int_records",
                    "normalize.int_addresses",
                    "normalize.int_rejected",
                    "conflate.int_rejected",
                    "conflate.int_scored_pairs",
                    "conflate.prm_addresses",
                    "conflate.prm_lineage",
                    "params:run",
                    "params:export",
                    "params:conflate.scoring",
                ],
                outputs="run_report",
                name="build_run_report",
            ),
        ],
        tags=["export"],
    )
