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
                inputs=["enrich.prm_addresses", "params:conflate.blocking"],
                outputs="conflate.int_candidate_pairs",
                name="block_candidate_pairs",
            ),
            Node(
                score_pairs,
                inputs=[
                    "conflate.int_candidate_pairs",
                    "enrich.prm_addresses",
                    "params:conflate.scoring",
                    "params:conflate.clustering",
                ],
                outputs="conflate.int_scored_pairs",
                name="score_pairs",
            ),
            Node(
                cluster_matches,
                inputs=[
                    "enrich.prm_addresses",
                    "conflate.int_scored_pairs",
                    "params:conflate.scoring",
                    "params:conflate.clustering",
                ],
                outputs="conflate.int_clusters",
                name="cluster_matches",
            ),
            Node(
                choose_best_values,
                inputs=[
                    "enrich.prm_addresses",
                    "conflate.int_clusters",
                    "params:conflate.clustering",
                ],
                outputs=["conflate.int_addresses", "conflate.int_lineage"],
                name="choose_best_values",
            ),
            Node(
                apply_user_corrections,
                inputs=[
                    "conflate.int_addresses",
                    "conflate.int_lineage",
                    "enrich.prm_addresses",
                    "params:conflate.clustering",
                ],
                outputs=["conflate.prm_addresses", "conflate.prm_lineage", "conflate.int_rejected"],
                name="apply_user_corrections",
            ),
        ],
        tags=["conflate"],
    )
