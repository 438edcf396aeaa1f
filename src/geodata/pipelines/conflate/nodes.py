"""Conflate nodes: from enriched canonical records to one row per real address.

Each node wires parameters into the algorithms of `geodata.conflation`.
"""

from __future__ import annotations

import pandas as pd
from pyspark.sql import DataFrame

from geodata.checkpoints import checkpointed
from geodata.conflation.aliases import (
    ALIASED_FIELDS,
    AliasParams,
    alias_evidence,
    learn_locality_aliases,
    learn_street_aliases,
    with_name_aliases,
)
from geodata.conflation.blocking import (
    BlockingParams,
    blocked_pairs,
    random_pairs,
    too_few_pairs,
    with_aliased_street_pairs,
)
from geodata.conflation.chaining import cluster_records
from geodata.conflation.clustering import ClusteringParams
from geodata.conflation.comparisons import (
    ScoringParams,
    apply_model,
    compare,
    estimate_model,
    level_columns,
    pair_attributes,
    pattern_counts,
)
from geodata.conflation.corrections import apply_corrections
from geodata.conflation.identity import changed_ids, with_ids
from geodata.conflation.survivorship import best_values
from geodata.params import RunParams


def block_candidate_pairs(records: DataFrame, blocking: BlockingParams) -> DataFrame:
    """Candidate record pairs (key_l < key_r) that agree on every column of any blocking rule.

    Rows in: enriched canonical records. Rows out: one row per distinct pair of
    cluster members (ordinary records and `add` corrections), from the union of
    the rules. `block_cell` and `block_cell_shifted` are grid cells of the point
    on two grids offset by half a cell, so near neighbours share a cell on at
    least one grid; `unit_key` and `hn_suffix_key` are the unit and house-number
    suffix with "none" as a value of its own. Blocks larger than
    `max_block_size` are sub-blocked (see `geodata.conflation.blocking`), never dropped.
    """
    return blocked_pairs(records, blocking)


def sample_random_pairs(
    candidate_pairs: DataFrame, records: DataFrame, scoring: ScoringParams
) -> DataFrame:
    """About `scoring.estimation.random_pairs` random pairs of records of the same region.

    Records are hashed (with the estimation seed) into buckets sized so that the
    pairs within buckets number about the target; nearly all such pairs are
    different addresses, which is what u describes. The sample depends only on
    the records and the seed (no `limit`), so local and cluster runs fit the
    same model. Rows out: `key_l`, `key_r`.

    Random pairs only start EM's u, and EM runs only with at least
    `estimation.min_pairs` comparable candidate pairs: with estimation off or
    fewer candidate pairs than that (a small region), no pairs are sampled and
    none compared.
    """
    settings = scoring.estimation
    if not settings.enabled or too_few_pairs(candidate_pairs, settings.min_pairs):
        return candidate_pairs.select("key_l", "key_r").limit(0)
    return random_pairs(records, settings.random_pairs, settings.seed)


def find_name_aliases(
    candidate_pairs: DataFrame,
    records: DataFrame,
    aliases: AliasParams,
    clustering: ClusteringParams,
) -> DataFrame:
    """Street and locality names the records show to be names of one street or place.

    Rows in: candidate pairs and the enriched records. Rows out: `iso_3166_2`,
    `field`, `name`, `alias`, both orders of every aliased pair (small: one row
    per renamed or bilingual street and per second name of a place).
    """
    # Read by both learners: joined once, and only the pairs that can show an alias kept.
    attributes = alias_evidence(
        pair_attributes(candidate_pairs, records, clustering.geometry_tolerance_m)
    ).transform(checkpointed)
    return learn_street_aliases(attributes, aliases).unionByName(
        learn_locality_aliases(attributes, aliases)
    )


def pair_aliased_streets(
    blocked: DataFrame, records: DataFrame, name_aliases: DataFrame
) -> DataFrame:
    """The candidate pairs: the blocked pairs and those of records that name one street
    by two learned names.

    Rows in: blocked pairs, the enriched records and the name aliases. Rows out:
    `key_l`, `key_r`, each pair once: the blocked pairs, and the pairs of records of
    one number, suffix, unit and postcode whose streets are learned names of one
    street, which neither their streets' sounds nor their points brought together
    (see `geodata.conflation.blocking.with_aliased_street_pairs`).
    """
    return with_aliased_street_pairs(blocked, records, name_aliases)


def _compared(
    pairs: DataFrame,
    records: DataFrame,
    name_aliases: DataFrame,
    scoring: ScoringParams,
    clustering: ClusteringParams,
) -> DataFrame:
    """`pairs` with both records' columns, the similarities, levels and `hard_rule`."""
    attributes = with_name_aliases(
        pair_attributes(pairs, records, clustering.geometry_tolerance_m),
        name_aliases,
        ALIASED_FIELDS,
    )
    return compare(attributes, scoring)


def compare_pairs(
    pairs: DataFrame,
    records: DataFrame,
    name_aliases: DataFrame,
    scoring: ScoringParams,
    clustering: ClusteringParams,
) -> DataFrame:
    """Each pair with its distance, comparison levels and the first hard rule that holds.

    Rows in: pairs (`key_l`, `key_r`), the enriched records and the name aliases.
    Rows out: one row per pair: `key_l`, `key_r`, `distance_m`, the declared
    similarities, `level_<comparison>` and `hard_rule`. Level conditions may use
    both records' columns and the columns derived from them
    (`geodata.conflation.comparisons.derived_pair_columns`), `distance_m`,
    `distance_ratio`, `tolerance_m_l/_r`, `street_alias` and `locality_alias`.
    """
    compared = _compared(pairs, records, name_aliases, scoring, clustering).select(
        "key_l",
        "key_r",
        "distance_m",
        *[s.name for s in scoring.similarities],
        *level_columns(scoring),
        "hard_rule",
    )
    # A region too small for EM samples no random pairs. Comparing none would still
    # run the joins and start the similarities' Python workers for nothing; a plan
    # limited to no rows is an empty relation Spark answers without reading anything.
    if pairs.isEmpty():
        return compared.limit(0)
    return compared


def estimate_match_model(
    candidate_levels: DataFrame, random_levels: DataFrame, scoring: ScoringParams
) -> pd.DataFrame:
    """The Fellegi-Sunter model (prior, m, u and weight per level) fitted by EM.

    Rows in: compared candidate pairs and compared random pairs. Rows out (pandas,
    small): one row per comparison level, see `geodata.conflation.estimation`.
    Only the counts of distinct comparison vectors reach the driver.
    """
    return estimate_model(
        pattern_counts(candidate_levels, scoring),
        # Random pairs describe non-matches as they come, hard-ruled or not.
        pattern_counts(random_levels, scoring, exclude_hard_ruled=False),
        scoring,
    )


def score_pairs(
    candidate_levels: DataFrame, model: pd.DataFrame, scoring: ScoringParams
) -> DataFrame:
    """Each compared candidate pair with its match weight and match probability.

    Rows in: compared candidate pairs and the fitted model. Rows out: one row per
    pair, plus `match_weight` (bits) and `match_probability` (0 under a hard rule).
    """
    return apply_model(candidate_levels, model, scoring)


def cluster_matches(
    records: DataFrame,
    scored_pairs: DataFrame,
    name_aliases: DataFrame,
    scoring: ScoringParams,
    clustering: ClusteringParams,
) -> DataFrame:
    """Every cluster member record with the cluster it belongs to.

    Rows in: enriched records, scored pairs and the name aliases. Rows out: one
    row per cluster member record (`key`, `cluster_key`, `min_edge_probability`):
    pairs at or above the match threshold are edges, less the weaker edge of
    every triangle whose third pair is a non-match (`drop_inconsistent_edges`;
    a third pair blocking never formed is judged by the hard rules, so two
    streets are not joined through a record that matches both);
    connected components, re-split where
    they chain distinct addresses (`geodata.conflation.chaining`), are clusters;
    a record without matches is its own cluster. `min_edge_probability` is the
    weakest edge inside the final cluster (1 for a single record).
    """
    return cluster_records(
        records,
        scored_pairs,
        match_threshold=scoring.match_threshold,
        tolerance_m=clustering.geometry_tolerance_m,
        max_distance_ratio=clustering.max_distance_ratio,
        max_iterations=clustering.max_iterations,
        local_component_edges=clustering.local_component_edges,
        judge_unscored=lambda pairs: _compared(
            pairs, records, name_aliases, scoring, clustering
        ).select("key_l", "key_r", "hard_rule"),
    )


def choose_best_values(
    records: DataFrame,
    clusters: DataFrame,
    scored_pairs: DataFrame,
    name_aliases: DataFrame,
    clustering: ClusteringParams,
) -> tuple[DataFrame, DataFrame]:
    """One address per cluster with the best value of each field, and the cluster lineage.

    Rows in: enriched records, their clusters, scored pairs and name aliases.
    Rows out: (1) one row per
    cluster: each field's value is the one with the most support across distinct
    sources (support of a source's record = 1/(1+priority) x the weight of its
    geometry accuracy class x 0.5^(days older than the cluster's newest record /
    `recency_half_life_days`)), ties to the lower priority then the smaller value;
    street and locality names with aliases vote for the name most records use
    (`geodata.conflation.aliases`); a unit's designator comes from its building
    when its own sources do not settle it (`geodata.conflation.survivorship`);
    `provenance` names the winning source per field;
    geometry comes from the most accurate (then highest-priority) source, averaged
    over that source's records; `confidence` = P(the cluster holds together) x
    P(it should not join another cluster) = the weakest match probability among
    its edges x (1 - the highest match probability of a pair to another cluster);
    `address_id` is a hash of the canonical address (`keep_address_ids` then
    carries earlier runs' ids over); a locality or postcode that no source gives
    is the one the street's other addresses tell, with provenance
    `street_neighbours` (`geodata.conflation.neighbours`).
    (2) one lineage row per member record (`address_id`, `source`, `source_record_id`).
    """
    return best_values(
        records,
        clusters,
        scored_pairs,
        name_aliases,
        accuracy_weight=clustering.accuracy_weight,
        recency_half_life_days=clustering.recency_half_life_days,
    )


def keep_address_ids(
    addresses: DataFrame,
    lineage: DataFrame,
    previous_lineage: DataFrame,
    run: RunParams,
    clustering: ClusteringParams,
) -> DataFrame:
    """The address ids that change to keep the ids of the region's previous run.

    Rows in: this run's addresses and lineage (content ids from
    `choose_best_values`) and the `address_lineage` table of earlier runs. Rows
    out: `address_id`, `stable_id` for each address whose id changes: an address
    sharing lineage records with an address of its region's latest earlier run
    keeps that address's id (one-to-one, greedy by overlap: splits and merges
    keep the id on the largest overlap); other addresses get a content id no
    kept id uses (`geodata.conflation.identity`). Few rows: most addresses keep
    their content id; `apply_user_corrections` applies them.
    """
    return changed_ids(
        addresses, lineage, previous_lineage, run.execution_dt, clustering.max_iterations
    )


def apply_user_corrections(
    addresses: DataFrame,
    lineage: DataFrame,
    address_ids: DataFrame,
    records: DataFrame,
    clustering: ClusteringParams,
) -> tuple[DataFrame, DataFrame, DataFrame]:
    """Conflated addresses with their kept ids, after end users' `fix` and `suppress` corrections.

    The ids `keep_address_ids` changes are applied first (a broadcast join when
    they are few, `geodata.conflation.identity.with_ids`), in the same pass.

    A correction points at an address by location and text: its target is the
    nearest address within `correction_radius_m` with the same house number,
    suffix and unit and the same street (base name or phonetic key). Rows in:
    addresses, their lineage, the changed ids and the canonical records
    (corrections among them; with their raw records, which the enriched ones do
    not carry, for the quarantine rows).
    Rows out: (1) addresses, minus suppressed ones, with fixed fields (provenance
    `user_correction`, the correction's source added to `sources`); (2) lineage
    of the kept addresses plus one row per applied fix; (3) quarantine rows:
    suppressed addresses' records and the suppress corrections
    (`suppressed_by_user`), and corrections whose target is not found
    (`correction_target_not_found`).
    """
    kept_addresses, kept_lineage = with_ids(address_ids, addresses, lineage)
    return apply_corrections(kept_addresses, kept_lineage, records, clustering.correction_radius_m)
