"""Conflate pipeline wiring."""

from kedro.pipeline import Node, Pipeline

from geodata.pipelines.conflate.nodes import (
    apply_user_corrections,
    block_candidate_pairs,
    choose_best_values,
    cluster_matches,
    score_pairs,
)


def create_pipeline(**kwargs) -> Pipeline:
    """Blocking → scoring → clustering → survivorship → user corrections."""
    return Pipeline(
        [
            Node(
                block_candidate_pairs,
                inputs=["records", "params:blocking"],
                outputs="int_candidate_pairs",
                name="block_candidate_pairs",
            ),
            Node(
                score_pairs,
                inputs=["int_candidate_pairs", "records", "params:scoring", "params:clustering"],
                outputs="int_scored_pairs",
                name="score_pairs",
            ),
            Node(
                cluster_matches,
                inputs=["records", "int_scored_pairs", "params:scoring", "params:clustering"],
                outputs="int_clusters",
                name="cluster_matches",
            ),
            Node(
                choose_best_values,
                inputs=["records", "int_clusters", "params:clustering"],
                outputs=["int_addresses", "int_lineage"],
                name="choose_best_values",
            ),
            Node(
                apply_user_corrections,
                inputs=["int_addresses", "int_lineage", "records", "params:clustering"],
                outputs=["prm_addresses", "prm_lineage", "int_rejected"],
                name="apply_user_corrections",
            ),
        ],
        namespace="conflate",
        inputs={"records": "enrich.prm_addresses"},
        tags=["conflate"],
    )
