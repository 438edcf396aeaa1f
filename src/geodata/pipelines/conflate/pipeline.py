"""Conflate pipeline wiring."""

from kedro.pipeline import Node, Pipeline

from geodata.pipelines.conflate.nodes import (
    apply_user_corrections,
    block_candidate_pairs,
    choose_best_values,
    cluster_matches,
    compare_pairs,
    estimate_match_model,
    find_name_aliases,
    keep_address_ids,
    pair_aliased_streets,
    sample_random_pairs,
    score_pairs,
)


def create_pipeline(**kwargs) -> Pipeline:
    """Blocking → name aliases → pairs of aliased streets → comparison → EM → scoring →
    clustering → survivorship → ids → corrections."""
    return Pipeline(
        [
            Node(
                block_candidate_pairs,
                inputs=["records", "params:blocking"],
                outputs="fea_blocked_pairs",
                name="block_candidate_pairs",
            ),
            Node(
                find_name_aliases,
                inputs=[
                    "fea_blocked_pairs",
                    "records",
                    "params:aliases",
                    "params:clustering",
                ],
                outputs="fea_name_aliases",
                name="find_name_aliases",
            ),
            Node(
                pair_aliased_streets,
                inputs=["fea_blocked_pairs", "records", "fea_name_aliases"],
                outputs="fea_candidate_pairs",
                name="pair_aliased_streets",
            ),
            Node(
                compare_pairs,
                inputs=[
                    "fea_candidate_pairs",
                    "records",
                    "fea_name_aliases",
                    "params:scoring",
                    "params:clustering",
                ],
                outputs="fea_pair_levels",
                name="compare_pairs",
            ),
            Node(
                sample_random_pairs,
                inputs=["fea_candidate_pairs", "records", "params:scoring"],
                outputs="fea_random_pairs",
                name="sample_random_pairs",
            ),
            Node(
                compare_pairs,
                inputs=[
                    "fea_random_pairs",
                    "records",
                    "fea_name_aliases",
                    "params:scoring",
                    "params:clustering",
                ],
                outputs="fea_random_pair_levels",
                name="compare_random_pairs",
            ),
            Node(
                estimate_match_model,
                inputs=["fea_pair_levels", "fea_random_pair_levels", "params:scoring"],
                outputs="mdl_match_model",
                name="estimate_match_model",
            ),
            Node(
                score_pairs,
                inputs=["fea_pair_levels", "mdl_match_model", "params:scoring"],
                outputs="mo_scored_pairs",
                name="score_pairs",
            ),
            Node(
                cluster_matches,
                inputs=[
                    "records",
                    "mo_scored_pairs",
                    "fea_name_aliases",
                    "params:scoring",
                    "params:clustering",
                ],
                outputs="mo_clusters",
                name="cluster_matches",
            ),
            Node(
                choose_best_values,
                inputs=[
                    "records",
                    "mo_clusters",
                    "mo_scored_pairs",
                    "fea_name_aliases",
                    "params:clustering",
                ],
                outputs=["mo_chosen_addresses", "mo_chosen_lineage"],
                name="choose_best_values",
            ),
            Node(
                keep_address_ids,
                inputs=[
                    "mo_chosen_addresses",
                    "mo_chosen_lineage",
                    "previous_lineage",
                    "params:run",
                    "params:clustering",
                ],
                outputs="mo_address_ids",
                name="keep_address_ids",
            ),
            Node(
                apply_user_corrections,
                inputs=[
                    "mo_chosen_addresses",
                    "mo_chosen_lineage",
                    "mo_address_ids",
                    "canonical_records",
                    "params:clustering",
                ],
                outputs=["mo_addresses", "mo_lineage", "mo_rejected"],
                name="apply_user_corrections",
            ),
        ],
        namespace="conflate",
        inputs={"records": "enrich.prm_addresses", "canonical_records": "normalize.int_addresses"},
        parameters={"params:run": "params:run"},
        tags=["conflate"],
    )
