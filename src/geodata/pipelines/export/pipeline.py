"""Export pipeline wiring."""

from kedro.pipeline import Node, Pipeline

from geodata.pipelines.export.nodes import (
    build_output_tables,
    build_run_report,
    plot_address_map,
    plot_run_report,
)

RUN_REPORT_FIGURES = (
    "records_by_stage",
    "record_outcomes",
    "addresses_by_region",
    "cluster_sizes",
    "confidence",
    "survivorship_wins",
    "source_pair_merges",
)
"""`plot_run_report`'s figures; each is saved as the reporting dataset `qa_<name>`."""


def create_pipeline(**kwargs) -> Pipeline:
    """The run report and its figures; output tables, CSV export and report published together.

    `run_report` (the run's working data) is drawn as the report is computed;
    `published_tables` publishes it, as `run_report` in the reporting layer, with the
    tables and the CSV export.
    """
    return Pipeline(
        [
            Node(
                build_output_tables,
                inputs=[
                    "addresses",
                    "lineage",
                    "normalize_rejected",
                    "conflate_rejected",
                    "run_report",
                    "params:run",
                    "params:export",
                ],
                outputs="published_tables",
                name="build_output_tables",
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
            Node(
                plot_run_report,
                inputs="run_report",
                outputs={name: f"qa_{name}" for name in RUN_REPORT_FIGURES},
                name="plot_run_report",
            ),
            Node(
                plot_address_map,
                inputs=["addresses", "roads", "buildings", "params:run"],
                outputs="qa_address_map",
                name="plot_address_map",
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
            "scored_pairs": "conflate.mo_scored_pairs",
            "roads": "enrich.raw_roads",
            "buildings": "enrich.raw_buildings",
        },
        outputs={
            "published_tables",
            "qa_address_map",
            *(f"qa_{name}" for name in RUN_REPORT_FIGURES),
        },
        parameters={
            "params:run": "params:run",
            "params:export": "params:export",
            "params:scoring": "params:conflate.scoring",
        },
        tags=["export"],
    )
