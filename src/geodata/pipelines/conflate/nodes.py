"""Conflate nodes: from enriched canonical records to one row per real address."""

from __future__ import annotations

import math
from functools import reduce

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field
from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from geodata.conflation.aliases import (
    AliasParams,
    learn_locality_aliases,
    learn_street_aliases,
    preferred_names,
    with_name_aliases,
)
from geodata.conflation.chaining import (
    MEMBER_COLUMNS,
    distance_m,
    drop_inconsistent_edges,
    split_chained_clusters,
)
from geodata.conflation.clustering import connected_components
from geodata.conflation.comparisons import (
    ScoringParams,
    apply_model,
    compare,
    estimate_model,
    level_columns,
    pattern_counts,
)
from geodata.conflation.identity import previous_run_lineage, stable_ids
from geodata.conflation.survivorship import building_designators, with_designator
from geodata.params import RunParams
from geodata.schemas import ADDRESS_FIELDS, GEOMETRY_ACCURACY_RANK, record_key
from geodata.spatial import point_cell

SURVIVING_FIELDS = ADDRESS_FIELDS
"""Address fields chosen by survivorship (each with provenance)."""

REFERENCE_FIELDS = ("parcel_id", "building_id", "road_id")
"""Enrichment ids chosen by survivorship too."""

CORRECTION_SOURCE = "user_correction"
"""Provenance value of a field set by an end-user `fix`."""

_PAIR_COLUMNS = (
    "house_number",
    "hn_int",
    "hn_suffix",
    "street",
    "street_base",
    "street_type",
    "street_dir",
    "street_phonetic",
    "unit_id",
    "locality",
    "postcode",
    "iso_3166_2",
    "lat",
    "lon",
    "geometry_accuracy",
    "building_id",
    "parcel_id",
    "road_id",
    "road_name",
)


class BlockingParams(BaseModel):
    """Blocking: pairs are compared only when they agree on all columns of some rule."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: list[list[str]] = Field(min_length=1)
    cell_size_deg: float = Field(gt=0, description="Grid cell for block_cell / block_cell_shifted.")
    max_block_size: int = Field(
        200, ge=2, description="Blocks with more records are split by the sub-blocking keys."
    )
    sub_blocking_keys: list[str] = Field(
        default_factory=lambda: ["postcode", "locality"],
        description="Each oversized block is compared within each of these keys (union).",
    )
    sorted_neighbourhood: int = Field(
        20, ge=1, description="Oversized (sub-)blocks: pair each record with the next n records."
    )


class ClusteringParams(BaseModel):
    """Clustering and survivorship settings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_iterations: int = Field(20, ge=1)
    geometry_tolerance_m: dict[str, float]
    correction_radius_m: float = Field(60, gt=0)
    recency_half_life_days: float = Field(
        365, gt=0, description="A value seen this many days before the newest one counts half."
    )
    accuracy_weight: dict[str, float] = Field(
        default_factory=lambda: {
            "rooftop": 1.0,
            "entrance": 0.95,
            "parcel": 0.9,
            "interpolated": 0.8,
            "postal": 0.6,
            "unknown": 0.6,
        },
        description="Survivorship weight of a source's values by its geometry accuracy.",
    )
    max_distance_ratio: float = Field(
        10,
        gt=0,
        description="How far a cluster member may be from the cluster's anchor point, in "
        "multiples of the two points' combined geometry tolerances.",
    )


def _is_cluster_member() -> Column:
    return F.col("action").isNull() | (F.col("action") == "add")


def _pairs_within(keyed: DataFrame, columns: list[str]) -> DataFrame:
    """Pairs `key_l < key_r` of rows of `keyed` that agree on all `columns`."""
    left, right = keyed.alias("l"), keyed.alias("r")
    condition = reduce(
        lambda acc, c: acc & (F.col(f"l.{c}") == F.col(f"r.{c}")),
        columns,
        F.col("l.key") < F.col("r.key"),
    )
    return left.join(right, condition).select(
        F.col("l.key").alias("key_l"), F.col("r.key").alias("key_r")
    )


def _split_by_size(keyed: DataFrame, columns: list[str], limit: int) -> tuple[DataFrame, DataFrame]:
    """Rows of `keyed` in blocks (by `columns`) of at most `limit` rows, and the rest."""
    sizes = keyed.groupBy(*columns).agg(F.count("*").alias("block_size"))
    sized = keyed.join(sizes, columns)
    return (
        sized.where(F.col("block_size") <= limit).drop("block_size"),
        sized.where(F.col("block_size") > limit).drop("block_size"),
    )


def _sorted_neighbourhood(keyed: DataFrame, columns: list[str], window: int) -> DataFrame:
    """Pairs of each row with the next `window` rows of its block, in street then key order.

    The sorted-neighbourhood method (Hernández & Stolfo, SIGMOD 1995): a bounded
    number of comparisons per record however large the block.
    """
    order = Window.partitionBy(*columns).orderBy("street_sort", "key")
    ranked = keyed.withColumn("rank", F.row_number().over(order)).select(*columns, "key", "rank")
    ahead = ranked.withColumn("offset", F.explode(F.sequence(F.lit(1), F.lit(window))))
    ahead = ahead.select(*columns, "key", (F.col("rank") + F.col("offset")).alias("rank"))
    pairs = ahead.alias("l").join(ranked.alias("r"), [*columns, "rank"])
    return pairs.select(
        F.least(F.col("l.key"), F.col("r.key")).alias("key_l"),
        F.greatest(F.col("l.key"), F.col("r.key")).alias("key_r"),
    )


def _rule_pairs(members: DataFrame, rule: list[str], blocking: BlockingParams) -> DataFrame:
    """Pairs of one blocking rule; oversized blocks are sub-blocked, never dropped.

    A block with more than `max_block_size` records would cost O(n²) pairs. Its
    records are instead paired within each sub-blocking key in turn (same block
    and same postcode, or same block and same locality, ...: a union, so a pair
    needs to agree on only one of them), and with their `sorted_neighbourhood`
    nearest records in street order, so every record keeps comparisons (a
    sub-block that is itself oversized relies on those alone).
    """
    sub_keys = [k for k in blocking.sub_blocking_keys if k not in rule]
    keyed = members.select(
        "key", *rule, *sub_keys, F.coalesce("street", F.lit("")).alias("street_sort")
    ).dropna(subset=list(rule))
    small, oversized = _split_by_size(keyed, list(rule), blocking.max_block_size)
    pairs = [
        _pairs_within(small, list(rule)),
        _sorted_neighbourhood(oversized, list(rule), blocking.sorted_neighbourhood),
    ]
    for sub_key in sub_keys:
        refined = [*rule, sub_key]
        sub_small, _ = _split_by_size(
            oversized.dropna(subset=[sub_key]), refined, blocking.max_block_size
        )
        pairs.append(_pairs_within(sub_small, refined))
    return reduce(DataFrame.unionByName, pairs)


def block_candidate_pairs(records: DataFrame, blocking: BlockingParams) -> DataFrame:
    """Candidate record pairs (key_l < key_r) that agree on every column of any blocking rule.

    Rows in: enriched canonical records. Rows out: one row per distinct pair of
    cluster members (ordinary records and `add` corrections), from the union of
    the rules. `block_cell` and `block_cell_shifted` are grid cells of the point
    on two grids offset by half a cell, so near neighbours share a cell on at
    least one grid; `unit_key` and `hn_suffix_key` are the unit and house-number
    suffix with "none" as a value of its own. Blocks larger than
    `max_block_size` are sub-blocked (see `_rule_pairs`), never dropped.
    """
    half = blocking.cell_size_deg / 2
    members = records.where(_is_cluster_member()).select(
        record_key().alias("key"),
        "*",
        point_cell(F.col("lat"), F.col("lon"), blocking.cell_size_deg).alias("block_cell"),
        point_cell(F.col("lat") + half, F.col("lon") + half, blocking.cell_size_deg).alias(
            "block_cell_shifted"
        ),
        # Null-safe keys, so that "no unit" and "no suffix" block together too.
        F.coalesce("unit_id", F.lit("")).alias("unit_key"),
        F.coalesce("hn_suffix", F.lit("")).alias("hn_suffix_key"),
    )
    per_rule = [_rule_pairs(members, list(rule), blocking) for rule in blocking.rules]
    return reduce(DataFrame.unionByName, per_rule).distinct()


def sample_random_pairs(records: DataFrame, scoring: ScoringParams) -> DataFrame:
    """About `scoring.estimation.random_pairs` random pairs of records of the same region.

    Records are hashed (with the estimation seed) into buckets sized so that the
    pairs within buckets number about the target; nearly all such pairs are
    different addresses, which is what u describes. The sample depends only on
    the records and the seed (no `limit`), so local and cluster runs fit the
    same model. Rows out: `key_l`, `key_r`.
    """
    settings = scoring.estimation
    members = records.where(_is_cluster_member()).select(record_key().alias("key"), "iso_3166_2")
    count = members.count()
    if count < 2:
        return members.select(F.col("key").alias("key_l"), F.col("key").alias("key_r")).limit(0)
    bucket_size = max(2, math.ceil(2 * settings.random_pairs / count))
    buckets = max(1, count // bucket_size)
    bucketed = members.withColumn(
        "bucket", F.pmod(F.xxhash64("key", F.lit(settings.seed)), F.lit(buckets))
    )
    left, right = bucketed.alias("l"), bucketed.alias("r")
    return left.join(
        right,
        (F.col("l.iso_3166_2") == F.col("r.iso_3166_2"))
        & (F.col("l.bucket") == F.col("r.bucket"))
        & (F.col("l.key") < F.col("r.key")),
    ).select(F.col("l.key").alias("key_l"), F.col("r.key").alias("key_r"))


def _pair_attributes(
    pairs: DataFrame, records: DataFrame, clustering: ClusteringParams
) -> DataFrame:
    """Pairs with both records' columns (`<column>_l`, `<column>_r`), `distance_m`,
    each point's `tolerance_m_l` / `tolerance_m_r` and `distance_ratio` (distance over
    the sum of the tolerances)."""
    attrs = records.where(_is_cluster_member()).select(record_key().alias("key"), *_PAIR_COLUMNS)
    left = attrs.select(*[F.col(c).alias(f"{c}_l") for c in attrs.columns])
    right = attrs.select(*[F.col(c).alias(f"{c}_r") for c in attrs.columns])
    tolerance = F.create_map(
        *[
            item
            for accuracy, metres in sorted(clustering.geometry_tolerance_m.items())
            for item in (F.lit(accuracy), F.lit(float(metres)))
        ]
    )
    joined = pairs.join(left, "key_l").join(right, "key_r")
    distance = distance_m(F.col("lat_l"), F.col("lon_l"), F.col("lat_r"), F.col("lon_r"))
    return joined.withColumns(
        {
            "distance_m": distance,
            "tolerance_m_l": F.element_at(tolerance, F.col("geometry_accuracy_l")),
            "tolerance_m_r": F.element_at(tolerance, F.col("geometry_accuracy_r")),
        }
    ).withColumn(
        "distance_ratio", F.col("distance_m") / (F.col("tolerance_m_l") + F.col("tolerance_m_r"))
    )


ALIASED_FIELDS = ("street", "locality")
"""Fields whose names are learned as aliases (`geodata.conflation.aliases`)."""


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
    attributes = _pair_attributes(candidate_pairs, records, clustering)
    return learn_street_aliases(attributes, aliases).unionByName(
        learn_locality_aliases(attributes, aliases)
    )


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
    both records' columns, `distance_m`, `distance_ratio`, `tolerance_m_l/_r`,
    `street_alias` and `locality_alias`.
    """
    attributes = with_name_aliases(
        _pair_attributes(pairs, records, clustering), name_aliases, ALIASED_FIELDS
    )
    compared = compare(attributes, scoring)
    return compared.select(
        "key_l",
        "key_r",
        "distance_m",
        *[s.name for s in scoring.similarities],
        *level_columns(scoring),
        "hard_rule",
    )


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
    scoring: ScoringParams,
    clustering: ClusteringParams,
) -> DataFrame:
    """Every cluster member record with the cluster it belongs to.

    Rows in: enriched records and scored pairs. Rows out: one row per cluster
    member record (`key`, `cluster_key`, `min_edge_probability`): pairs at or
    above the match threshold are edges, less the weaker edge of every
    triangle whose third pair is a non-match (`drop_inconsistent_edges`);
    connected components, re-split where
    they chain distinct addresses (`geodata.conflation.chaining`), are clusters;
    a record without matches is its own cluster. `min_edge_probability` is the
    weakest edge inside the final cluster (1 for a single record).
    """
    edges = drop_inconsistent_edges(
        scored_pairs.where(F.col("match_probability") >= scoring.match_threshold).select(
            F.col("key_l").alias("src"), F.col("key_r").alias("dst"), "match_probability"
        ),
        scored_pairs,
        scoring.match_threshold,
    ).localCheckpoint()
    components = connected_components(edges.select("src", "dst"), clustering.max_iterations)
    members = records.where(_is_cluster_member()).select(
        record_key().alias("key"), *MEMBER_COLUMNS[1:]
    )
    labelled = members.join(components, members["key"] == components["vertex"], "left").select(
        "key", F.coalesce("component", "key").alias("component")
    )
    clusters = split_chained_clusters(
        members,
        edges,
        labelled,
        tolerance_m=clustering.geometry_tolerance_m,
        max_distance_ratio=clustering.max_distance_ratio,
        max_iterations=clustering.max_iterations,
    )
    ends = clusters.select(F.col("key").alias("src"), F.col("cluster_key").alias("c_s")).join(
        edges, "src"
    )
    inside = ends.join(
        clusters.select(F.col("key").alias("dst"), F.col("cluster_key").alias("c_d")), "dst"
    ).where(F.col("c_s") == F.col("c_d"))
    weakest = inside.groupBy(F.col("c_s").alias("cluster_key")).agg(
        F.min("match_probability").alias("min_edge_probability")
    )
    return clusters.join(weakest, "cluster_key", "left").select(
        "key",
        "cluster_key",
        F.coalesce("min_edge_probability", F.lit(1.0)).alias("min_edge_probability"),
    )


def _accuracy_rank() -> Column:
    ranks = F.create_map(
        *[x for k, v in GEOMETRY_ACCURACY_RANK.items() for x in (F.lit(k), F.lit(v))]
    )
    return F.element_at(ranks, F.col("geometry_accuracy"))


def _missed_match_probability(clusters: DataFrame, scored_pairs: DataFrame) -> DataFrame:
    """Per cluster, the highest match probability of a pair linking it to another cluster."""
    labels = clusters.select("key", "cluster_key")
    across = (
        scored_pairs.select("key_l", "key_r", "match_probability")
        .join(labels.withColumnsRenamed({"key": "key_l", "cluster_key": "cluster_l"}), "key_l")
        .join(labels.withColumnsRenamed({"key": "key_r", "cluster_key": "cluster_r"}), "key_r")
        .where(F.col("cluster_l") != F.col("cluster_r"))
    )
    ends = across.select(F.col("cluster_l").alias("cluster_key"), "match_probability").unionByName(
        across.select(F.col("cluster_r").alias("cluster_key"), "match_probability")
    )
    return ends.groupBy("cluster_key").agg(
        F.max("match_probability").alias("missed_match_probability")
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
    carries earlier runs' ids over).
    (2) one lineage row per member record (`address_id`, `source`, `source_record_id`).
    """
    members = records.where(_is_cluster_member()).withColumn("key", record_key())
    members = members.join(clusters, "key").withColumn("accuracy_rank", _accuracy_rank())
    newest = F.max("dt").over(Window.partitionBy("cluster_key"))
    age_days = F.coalesce(F.datediff(newest, F.col("dt")), F.lit(0))
    accuracy_weight = F.create_map(
        *[x for k, v in sorted(clustering.accuracy_weight.items()) for x in (F.lit(k), F.lit(v))]
    )
    # A source's vote: its priority, the care its geometry class suggests, and how
    # recent the record is compared with the cluster's newest record.
    support = (
        F.lit(1.0)
        / (F.lit(1.0) + F.col("priority"))
        * F.coalesce(F.element_at(accuracy_weight, F.col("geometry_accuracy")), F.lit(0.5))
        * F.pow(F.lit(0.5), age_days / F.lit(clustering.recency_half_life_days))
    )
    fields = SURVIVING_FIELDS + REFERENCE_FIELDS
    candidates = members.select(
        "cluster_key",
        "iso_3166_2",
        "source",
        "priority",
        F.explode(
            F.array(
                *[
                    F.struct(F.lit(f).alias("field"), F.col(f).cast("string").alias("value"))
                    for f in fields
                ]
            )
        ).alias("fv"),
        support.alias("support"),
    ).where(F.col("fv.value").isNotNull())
    # Aliased names (`geodata.conflation.aliases`) vote together, for the name most
    # records use.
    renames = F.broadcast(
        preferred_names(name_aliases, members, ALIASED_FIELDS).select(
            F.col("iso_3166_2").alias("_region"),
            F.col("field").alias("_field"),
            F.col("name").alias("_value"),
            "preferred",
        )
    )
    candidates = candidates.join(
        renames,
        (F.col("iso_3166_2") == F.col("_region"))
        & (F.col("fv.field") == F.col("_field"))
        & (F.col("fv.value") == F.col("_value")),
        "left",
    ).select(
        "cluster_key",
        "source",
        "priority",
        F.struct(
            F.col("fv.field").alias("field"),
            F.coalesce("preferred", F.col("fv.value")).alias("value"),
        ).alias("fv"),
        "support",
    )
    per_source = candidates.groupBy(
        "cluster_key", F.col("fv.field").alias("field"), F.col("fv.value").alias("value"), "source"
    ).agg(F.max("support").alias("support"), F.min("priority").alias("priority"))
    per_value = per_source.groupBy("cluster_key", "field", "value").agg(
        F.sum("support").alias("support"),
        F.min(F.struct("priority", "source")).alias("best"),
    )
    rank = Window.partitionBy("cluster_key", "field").orderBy(
        F.col("support").desc(), F.col("best.priority"), F.col("value")
    )
    winners = (
        per_value.withColumn("rank", F.row_number().over(rank))
        .where(F.col("rank") == 1)
        .groupBy("cluster_key")
        .agg(
            F.map_from_entries(F.collect_list(F.struct("field", "value"))).alias("values"),
            F.map_from_entries(F.collect_list(F.struct("field", F.col("best.source")))).alias(
                "provenance"
            ),
        )
    )
    geometry_rank = Window.partitionBy("cluster_key").orderBy("accuracy_rank", "priority", "source")
    geometry = (
        members.withColumn("g", F.dense_rank().over(geometry_rank))
        .where(F.col("g") == 1)
        .groupBy("cluster_key")
        .agg(
            F.avg("lat").alias("lat"),
            F.avg("lon").alias("lon"),
            F.first("geometry_accuracy").alias("geometry_accuracy"),
            F.first("source").alias("geometry_source"),
        )
    )
    summary = (
        members.groupBy("cluster_key")
        .agg(
            F.first("iso_3166_1").alias("iso_3166_1"),
            F.first("iso_3166_2").alias("iso_3166_2"),
            F.array_sort(F.collect_set("source")).alias("sources"),
            F.min("min_edge_probability").alias("min_edge_probability"),
            # Comparison keys of the cluster's highest-priority record (deterministic).
            F.min_by(
                F.struct("hn_int", "hn_suffix", "unit_id", "street_base", "street_phonetic"),
                F.struct("priority", "source", "source_record_id"),
            ).alias("keys"),
        )
        .select("*", "keys.*")
        .drop("keys")
    )
    value = F.col("values")
    missed = _missed_match_probability(clusters, scored_pairs)
    addresses = (
        summary.join(winners, "cluster_key", "left")
        .join(missed, "cluster_key", "left")
        .join(geometry, "cluster_key")
        .select(
            "cluster_key",
            *[F.element_at(value, f).alias(f) for f in fields],
            "iso_3166_1",
            "iso_3166_2",
            "lat",
            "lon",
            "geometry_accuracy",
            F.size("sources").cast("int").alias("source_count"),
            "sources",
            F.map_concat(
                F.coalesce("provenance", F.create_map().cast("map<string,string>")),
                F.create_map(F.lit("geometry"), F.col("geometry_source")),
            ).alias("provenance"),
            (
                F.col("min_edge_probability")
                * (F.lit(1.0) - F.coalesce("missed_match_probability", F.lit(0.0)))
            ).alias("confidence"),
            "hn_int",
            "hn_suffix",
            "unit_id",
            "street_base",
            "street_phonetic",
        )
    )
    # The unit's designator from its building where its own sources do not settle it.
    buildings = addresses.select(
        "cluster_key",
        F.concat_ws(
            "\u001f",
            "iso_3166_2",
            F.col("hn_int").cast("string"),
            F.coalesce("hn_suffix", F.lit("")),
            F.coalesce("street", F.lit("")),
        ).alias("building_key"),
    )
    designators = building_designators(
        per_source.where(F.col("field") == "unit").select("cluster_key", "value", "support"),
        buildings,
    )
    addresses = (
        addresses.join(designators, "cluster_key", "left")
        .withColumn("unit", with_designator(F.col("unit"), F.col("designator")))
        .drop("designator")
    )
    addresses = _with_address_id(addresses)
    lineage = members.join(addresses.select("cluster_key", "address_id"), "cluster_key").select(
        "address_id", "source", "source_record_id", "iso_3166_1", "iso_3166_2"
    )
    return addresses, lineage


def _with_address_id(addresses: DataFrame) -> DataFrame:
    """`address_id` from the canonical address; clusters sharing one get a `-n` suffix."""
    canonical = F.concat_ws(
        "\u001f",
        "iso_3166_1",
        "iso_3166_2",
        F.coalesce("house_number", F.lit("")),
        F.coalesce("street", F.lit("")),
        F.coalesce("unit_id", F.lit("")),
    )
    digest = F.substring(F.sha2(canonical, 256), 1, 24)
    same_digest = Window.partitionBy("digest").orderBy("cluster_key")
    return (
        addresses.withColumn("digest", digest)
        .withColumn("n", F.row_number().over(same_digest))
        .withColumn(
            "address_id",
            F.when(F.col("n") == 1, F.col("digest")).otherwise(
                F.concat_ws("-", F.col("digest"), F.col("n").cast("string"))
            ),
        )
        .drop("digest", "n")
    )


def keep_address_ids(
    addresses: DataFrame,
    lineage: DataFrame,
    previous_lineage: DataFrame,
    run: RunParams,
    clustering: ClusteringParams,
) -> tuple[DataFrame, DataFrame]:
    """Addresses and lineage with ids kept from the region's previous run where they continue.

    Rows in: this run's addresses and lineage (content ids from
    `choose_best_values`) and the `address_lineage` table of earlier runs. Rows
    out: the same rows, with `address_id` replaced: an address sharing lineage
    records with an address of its region's latest earlier run keeps that
    address's id (one-to-one, greedy by overlap: splits and merges keep the id
    on the largest overlap); other addresses get a content id no kept id uses
    (`geodata.conflation.identity`).
    """
    previous = previous_run_lineage(previous_lineage, run.execution_dt)
    ids = stable_ids(addresses, lineage, previous, clustering.max_iterations).localCheckpoint()

    def renamed(frame: DataFrame) -> DataFrame:
        return frame.join(ids, "address_id").select(
            *[F.col("stable_id").alias(c) if c == "address_id" else F.col(c) for c in frame.columns]
        )

    return renamed(addresses), renamed(lineage)


def _quarantine_rows(records: DataFrame, reason: str) -> DataFrame:
    """`records` as quarantine rows with `reason`."""
    return records.select(
        "source",
        "source_record_id",
        F.lit(reason).alias("reason"),
        "raw",
        "iso_3166_1",
        "iso_3166_2",
    )


def apply_user_corrections(
    addresses: DataFrame, lineage: DataFrame, records: DataFrame, clustering: ClusteringParams
) -> tuple[DataFrame, DataFrame, DataFrame]:
    """Conflated addresses after end users' `fix` and `suppress` corrections.

    A correction points at an address by location and text: its target is the
    nearest address within `correction_radius_m` with the same house number,
    suffix and unit and the same street (base name or phonetic key). Rows in:
    addresses, their lineage and the enriched records (corrections among them).
    Rows out: (1) addresses, minus suppressed ones, with fixed fields (provenance
    `user_correction`, the correction's source added to `sources`); (2) lineage
    of the kept addresses plus one row per applied fix; (3) quarantine rows:
    suppressed addresses' records and the suppress corrections
    (`suppressed_by_user`), and corrections whose target is not found
    (`correction_target_not_found`).
    """
    corrections = records.where(F.col("action").isin("fix", "suppress")).select(
        "source",
        "source_record_id",
        "dt",
        "action",
        "raw",
        "iso_3166_1",
        "iso_3166_2",
        "hn_int",
        "hn_suffix",
        "unit_id",
        "street_base",
        "street_phonetic",
        F.col("lat").alias("c_lat"),
        F.col("lon").alias("c_lon"),
        *[F.col(f"fix_{f}") for f in SURVIVING_FIELDS],
    )
    targets = addresses.select(
        "address_id",
        "iso_3166_2",
        "hn_int",
        "hn_suffix",
        "unit_id",
        "street_base",
        "street_phonetic",
        "lat",
        "lon",
    ).withColumnsRenamed(
        {c: f"t_{c}" for c in ("street_base", "street_phonetic", "unit_id", "hn_suffix")}
    )
    candidates = (
        corrections.join(targets, ["iso_3166_2", "hn_int"])
        .where(
            F.col("hn_suffix").eqNullSafe(F.col("t_hn_suffix"))
            & F.col("unit_id").eqNullSafe(F.col("t_unit_id"))
            & (
                (F.col("street_base") == F.col("t_street_base"))
                | (F.col("street_phonetic") == F.col("t_street_phonetic"))
            )
        )
        .withColumn(
            "distance_m", distance_m(F.col("c_lat"), F.col("c_lon"), F.col("lat"), F.col("lon"))
        )
    )
    nearest = Window.partitionBy("source", "source_record_id").orderBy("distance_m", "address_id")
    matched = (
        candidates.where(F.col("distance_m") <= clustering.correction_radius_m)
        .withColumn("r", F.row_number().over(nearest))
        .where(F.col("r") == 1)
        .drop("r")
    )
    unmatched = corrections.join(
        matched.select("source", "source_record_id"), ["source", "source_record_id"], "left_anti"
    )
    suppressed = matched.where(F.col("action") == "suppress").select("address_id").distinct()
    fixes = matched.where(F.col("action") == "fix")

    # The newest fix wins per field; corrections that do not set a field leave it alone.
    fix_values = fixes.groupBy("address_id").agg(
        *[
            F.max_by(
                F.col(f"fix_{f}"),
                F.when(F.col(f"fix_{f}").isNotNull(), F.struct("dt", "source_record_id")),
            ).alias(f"fix_{f}")
            for f in SURVIVING_FIELDS
        ],
        F.array_sort(F.collect_set("source")).alias("fix_sources"),
    )
    kept = addresses.join(suppressed, "address_id", "left_anti")
    fixed = kept.join(fix_values, "address_id", "left")
    provenance_updates = F.map_from_entries(
        F.filter(
            F.array(
                *[
                    F.struct(
                        F.lit(f).alias("key"),
                        F.when(F.col(f"fix_{f}").isNotNull(), F.lit(CORRECTION_SOURCE)).alias(
                            "value"
                        ),
                    )
                    for f in SURVIVING_FIELDS
                ]
            ),
            lambda e: e["value"].isNotNull(),
        )
    )
    all_sources = F.array_sort(
        F.array_distinct(
            F.concat("sources", F.coalesce("fix_sources", F.array().cast("array<string>")))
        )
    )
    corrected = fixed.select(
        *[
            F.coalesce(F.col(f"fix_{f}"), F.col(f)).alias(f) if f in SURVIVING_FIELDS else F.col(f)
            for f in addresses.columns
            if f not in ("provenance", "sources", "source_count")
        ],
        F.map_zip_with(
            "provenance",
            provenance_updates,
            lambda _, old, new: F.coalesce(new, old),
        ).alias("provenance"),
        all_sources.alias("sources"),
        F.size(all_sources).cast("int").alias("source_count"),
    )
    kept_lineage = lineage.join(suppressed, "address_id", "left_anti").unionByName(
        fixes.select("address_id", "source", "source_record_id", "iso_3166_1", "iso_3166_2").join(
            suppressed, "address_id", "left_anti"
        )
    )
    suppressed_records = lineage.join(suppressed, "address_id").join(
        records.select("source", "source_record_id", "raw"), ["source", "source_record_id"]
    )
    rejected = reduce(
        DataFrame.unionByName,
        [
            _quarantine_rows(suppressed_records, "suppressed_by_user"),
            _quarantine_rows(matched.where(F.col("action") == "suppress"), "suppressed_by_user"),
            # A fix whose address another correction suppressed goes with it.
            _quarantine_rows(fixes.join(suppressed, "address_id"), "suppressed_by_user"),
            _quarantine_rows(unmatched, "correction_target_not_found"),
        ],
    )
    return corrected, kept_lineage, rejected
