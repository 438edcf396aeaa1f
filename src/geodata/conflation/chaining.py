"""Clusters from scored pairs, with a guard against chaining distinct addresses together.

Connected components are transitive: A-B and B-C put A and C together even when
A and C are different addresses (10 MAIN ST UNIT 1 / 10 MAIN ST / 10 MAIN ST
UNIT 2). This module splits such components on hard evidence (house number and
unit) and on spatial spread scaled by geometry accuracy, all in Spark;
`cluster_records` builds the clusters with it.
"""

from __future__ import annotations

from functools import reduce

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from geodata.conflation.blocking import is_cluster_member
from geodata.conflation.clustering import connected_components
from geodata.schemas import GEOMETRY_ACCURACY_RANK, record_key

MEMBER_COLUMNS = (
    "key",
    "hn_int",
    "hn_suffix",
    "unit_id",
    "street_dir",
    "lat",
    "lon",
    "geometry_accuracy",
    "priority",
)
"""Columns `split_chained_clusters` needs from each cluster member."""


def distance_m(lat1: Column, lon1: Column, lat2: Column, lon2: Column) -> Column:
    """Metres between two points (equirectangular; well under 0.1 % off below a few km)."""
    mean_lat = F.radians((lat1 + lat2) / 2)
    dx = F.radians(lon2 - lon1) * F.cos(mean_lat)
    dy = F.radians(lat2 - lat1)
    return F.sqrt(dx * dx + dy * dy) * F.lit(6_371_008.8)


def _map(values: dict[str, float | int]) -> Column:
    return F.create_map(*[item for k, v in sorted(values.items()) for item in (F.lit(k), F.lit(v))])


def _house_key() -> Column:
    # A missing suffix is a value: 12 and 12A are different addresses.
    return F.when(
        F.col("hn_int").isNotNull(),
        F.concat_ws("|", F.col("hn_int").cast("string"), F.coalesce("hn_suffix", F.lit(""))),
    )


def _log_odds(probability: Column) -> Column:
    clipped = F.least(F.greatest(probability, F.lit(1e-12)), F.lit(1 - 1e-12))
    return F.log2(clipped / (F.lit(1.0) - clipped))


def drop_inconsistent_edges(
    edges: DataFrame, scored_pairs: DataFrame, threshold: float
) -> DataFrame:
    """Match edges without the weaker edge of every triangle that cannot hold together.

    Matching is transitive: if record A is B and A is C, then B is C. When the
    model scored B and C as a non-match (below `threshold`, or a hard rule) while
    A matches both, the triangle is inconsistent, and the likeliest consistent
    reading decides (correlation clustering on three records, by posterior log
    odds): all three together scores lo(AB) + lo(AC) + lo(BC), dropping the
    weaker edge scores the stronger one alone. So the weaker edge goes when it
    is outweighed by the evidence that B and C differ: a postcode-centroid
    record of MARIANKATU 33 that matches its own address strongly and
    MAURINKATU 33 next to it barely. A noisy record that two others match well
    keeps its edges. One pass over the triangles (each record's edge pairs), so
    the cost is bounded.

    Args:
        edges: `src`, `dst` (src < dst), `match_probability`, one row per edge.
        scored_pairs: Every compared pair: `key_l`, `key_r` (key_l < key_r),
            `match_probability` (0 under a hard rule).
        threshold: Pairs below this probability are non-matches.

    Returns:
        `edges` minus the dropped ones (same columns).
    """
    ends = edges.select(
        F.col("src").alias("a"), F.col("dst").alias("b"), F.col("match_probability").alias("p")
    )
    ends = ends.unionByName(
        edges.select(
            F.col("dst").alias("a"), F.col("src").alias("b"), F.col("match_probability").alias("p")
        )
    )
    one, other = ends.alias("x"), ends.alias("y")
    triangles = one.join(other, (F.col("x.a") == F.col("y.a")) & (F.col("x.b") < F.col("y.b")))
    non_matches = scored_pairs.where(F.col("match_probability") < threshold).select(
        F.col("key_l").alias("b"),
        F.col("key_r").alias("c"),
        F.col("match_probability").alias("p_bc"),
    )
    conflicts = triangles.select(
        F.col("x.a").alias("a"),
        F.col("x.b").alias("b"),
        F.col("x.p").alias("p_b"),
        F.col("y.b").alias("c"),
        F.col("y.p").alias("p_c"),
    ).join(non_matches, ["b", "c"])
    weaker_odds = _log_odds(F.least("p_b", "p_c"))
    broken = conflicts.where(weaker_odds + _log_odds(F.col("p_bc")) < 0)
    # The weaker edge goes; on a tie, the one to the larger key (deterministic).
    weaker = F.when(F.col("p_b") < F.col("p_c"), F.col("b")).otherwise(F.col("c"))
    dropped = broken.select(
        F.least("a", weaker).alias("src"), F.greatest("a", weaker).alias("dst")
    ).distinct()
    return edges.join(dropped, ["src", "dst"], "left_anti")


def _labels_within(vertices: DataFrame, edges: DataFrame, max_iterations: int) -> DataFrame:
    """`key`, `label`: components of `edges` over `vertices`; isolated vertices label themselves."""
    found = connected_components(edges.select("src", "dst"), max_iterations)
    return vertices.join(found, vertices["key"] == found["vertex"], "left").select(
        "key", F.coalesce("component", "key").alias("label")
    )


def split_chained_clusters(
    members: DataFrame,
    edges: DataFrame,
    components: DataFrame,
    *,
    tolerance_m: dict[str, float],
    max_distance_ratio: float,
    max_iterations: int,
) -> DataFrame:
    """Each member's cluster after re-splitting components that chain distinct addresses.

    1. *Hard evidence.* A member's hard key is its house number (integer and
       suffix; no suffix is a value), its unit (no unit is unknown) and, in a
       component that holds two different street directionals (N MAIN ST and
       S MAIN ST), its directional (none is unknown). A component is
       inconsistent when it holds two different house numbers, units or
       directionals. Its members are regrouped by the edges whose two
       ends have the same hard key. A group that lacks part of the key (no unit,
       or no house number) then joins the fully keyed groups it has edges to if
       they all carry one and the same key; if it has edges to several different
       keys it is ambiguous and stays an address of its own (it is not guessed
       into one of them).
    2. *Spread.* In every cluster, the anchor is the member with the most
       accurate geometry (then priority, then key). A member farther from the
       anchor than `max_distance_ratio` * (its tolerance + the anchor's) is
       split off; split-off members of one cluster stay together where edges
       join them. One pass, so the result is bounded and deterministic.

    Args:
        members: Cluster members with the columns in `MEMBER_COLUMNS`.
        edges: Match edges (`src`, `dst`, `match_probability`) between members.
        components: `key`, `component` for every member (connected components of `edges`).
        tolerance_m: Expected point error in metres per geometry accuracy class.
        max_distance_ratio: How many combined tolerances a member may be from the anchor.
        max_iterations: Bound on label-propagation rounds.

    Returns:
        `key`, `cluster_key` (the smallest member key of the final cluster) per member.
    """
    keyed = (
        members.select(*MEMBER_COLUMNS)
        .join(components.select("key", "component"), "key")
        .withColumn("hk", _house_key())
        .withColumn("uk", F.col("unit_id"))
    )
    counts = keyed.groupBy("component").agg(
        F.count_distinct("hk").alias("houses"),
        F.count_distinct("uk").alias("units"),
        F.count_distinct("street_dir").alias("directionals"),
    )
    # The directional is part of the key only where it conflicts (N MAIN ST and
    # S MAIN ST in one component); elsewhere a missing one is no gap to fill.
    keyed = keyed.join(counts, "component").withColumn(
        "dk", F.when(F.col("directionals") > 1, F.col("street_dir")).otherwise(F.lit(""))
    )
    inconsistent = counts.where(
        (F.col("houses") > 1) | (F.col("units") > 1) | (F.col("directionals") > 1)
    ).select("component")
    to_split = keyed.join(inconsistent, "component", "left_semi").localCheckpoint()
    if to_split.isEmpty():
        # Nothing chains two addresses: the components stand (no label rounds to pay).
        after_hard = keyed.withColumn("cluster", F.col("component"))
        return _split_spread(after_hard, edges, tolerance_m, max_distance_ratio, max_iterations)
    ends = to_split.select("key", "hk", "uk", "dk")
    l_ends = ends.select(*[F.col(c).alias(f"{c}_s") for c in ends.columns])
    r_ends = ends.select(*[F.col(c).alias(f"{c}_d") for c in ends.columns])
    split_edges = (
        edges.select("src", "dst", "match_probability")
        .join(l_ends, F.col("src") == F.col("key_s"))
        .join(r_ends, F.col("dst") == F.col("key_d"))
    )
    keys = ("hk", "uk", "dk")
    same_key = split_edges.where(
        reduce(lambda acc, k: acc & F.col(f"{k}_s").eqNullSafe(F.col(f"{k}_d")), keys, F.lit(True))
    )
    groups = _labels_within(ends.select("key"), same_key, max_iterations).join(ends, "key")

    # Partial groups join the one full key they have edges to, if there is exactly one.
    group_of = groups.select("key", "label", *keys)
    from_group = group_of.select(
        F.col("key").alias("src"),
        F.col("label").alias("g"),
        *[F.col(k).alias(f"g_{k}") for k in keys],
    )
    to_group = group_of.select(
        F.col("key").alias("dst"),
        F.col("label").alias("t"),
        *[F.col(k).alias(f"t_{k}") for k in keys],
    )
    both_ways = split_edges.select("src", "dst").unionByName(
        split_edges.select(F.col("dst").alias("src"), F.col("src").alias("dst"))
    )
    partial = reduce(lambda acc, k: acc | F.col(f"g_{k}").isNull(), keys, F.lit(False))
    full_target = reduce(lambda acc, k: acc & F.col(f"t_{k}").isNotNull(), keys, F.lit(True))
    compatible = reduce(
        lambda acc, k: acc & (F.col(f"g_{k}").isNull() | (F.col(f"g_{k}") == F.col(f"t_{k}"))),
        keys,
        F.lit(True),
    )
    between = (
        both_ways.join(from_group, "src")
        .join(to_group, "dst")
        .where(partial & full_target & compatible)
        .select("g", "t", F.concat_ws("|", *[f"t_{k}" for k in keys]).alias("target_key"))
        .distinct()
    )
    unambiguous = (
        between.groupBy("g")
        .agg(F.count_distinct("target_key").alias("targets"))
        .where(F.col("targets") == 1)
        .select("g")
    )
    attachments = between.join(unambiguous, "g").select(
        F.col("g").alias("src"), F.col("t").alias("dst")
    )
    group_ids = groups.select(F.col("label").alias("key")).distinct()
    merged = _labels_within(group_ids, attachments, max_iterations).select(
        F.col("key").alias("label"), F.col("label").alias("merged")
    )
    resplit = groups.join(merged, "label").select("key", "merged")
    after_hard = (
        keyed.join(resplit, "key", "left")
        .withColumn(
            "cluster",
            F.when(F.col("merged").isNull(), F.col("component")).otherwise(
                F.concat_ws("/", F.col("component"), F.col("merged"))
            ),
        )
        .drop("merged")
    )
    return _split_spread(after_hard, edges, tolerance_m, max_distance_ratio, max_iterations)


def _split_spread(
    members: DataFrame,
    edges: DataFrame,
    tolerance_m: dict[str, float],
    max_distance_ratio: float,
    max_iterations: int,
) -> DataFrame:
    """Step 2 of `split_chained_clusters`: members too far from their cluster's anchor leave it."""
    tolerance = _map(tolerance_m)
    rank = _map(GEOMETRY_ACCURACY_RANK)
    with_rank = members.withColumn("accuracy_rank", F.element_at(rank, F.col("geometry_accuracy")))
    anchors = with_rank.groupBy("cluster").agg(
        F.min_by(
            F.struct("lat", "lon", "geometry_accuracy"),
            F.struct("accuracy_rank", "priority", "key"),
        ).alias("anchor")
    )
    spread = F.coalesce(
        distance_m(F.col("lat"), F.col("lon"), F.col("anchor.lat"), F.col("anchor.lon")),
        F.lit(0.0),
    ) / (
        F.element_at(tolerance, F.col("geometry_accuracy"))
        + F.element_at(tolerance, F.col("anchor.geometry_accuracy"))
    )
    checked = (
        with_rank.join(anchors, "cluster")
        .withColumn("far", F.coalesce(spread > F.lit(max_distance_ratio), F.lit(False)))
        .select("key", "cluster", "far")
        .localCheckpoint()
    )
    far = checked.where("far").select("key", "cluster")
    if far.isEmpty():  # nobody strays from an anchor: no label rounds to pay
        labelled = checked.select("key", "cluster")
    else:
        far_edges = (
            edges.select("src", "dst")
            .join(far.select(F.col("key").alias("src"), F.col("cluster").alias("c_s")), "src")
            .join(far.select(F.col("key").alias("dst"), F.col("cluster").alias("c_d")), "dst")
            .where(F.col("c_s") == F.col("c_d"))
        )
        far_labels = _labels_within(far.select("key"), far_edges, max_iterations)
        labelled = checked.join(far_labels, "key", "left").select(
            "key",
            F.when(F.col("label").isNull(), F.col("cluster"))
            .otherwise(F.concat_ws("/", F.col("cluster"), F.lit("far"), F.col("label")))
            .alias("cluster"),
        )
    smallest = Window.partitionBy("cluster")
    return labelled.select("key", F.min("key").over(smallest).alias("cluster_key"))


def _weakest_edges(clusters: DataFrame, edges: DataFrame) -> DataFrame:
    """`cluster_key`, `min_edge_probability`: the weakest edge inside each final cluster."""
    ends = clusters.select(F.col("key").alias("src"), F.col("cluster_key").alias("c_s")).join(
        edges, "src"
    )
    inside = ends.join(
        clusters.select(F.col("key").alias("dst"), F.col("cluster_key").alias("c_d")), "dst"
    ).where(F.col("c_s") == F.col("c_d"))
    return inside.groupBy(F.col("c_s").alias("cluster_key")).agg(
        F.min("match_probability").alias("min_edge_probability")
    )


def cluster_records(
    records: DataFrame,
    scored_pairs: DataFrame,
    *,
    match_threshold: float,
    tolerance_m: dict[str, float],
    max_distance_ratio: float,
    max_iterations: int,
) -> DataFrame:
    """Every cluster member record with the cluster it belongs to.

    Pairs at or above `match_threshold` are edges, less the weaker edge of every
    triangle whose third pair is a non-match (`drop_inconsistent_edges`);
    connected components, re-split where they chain distinct addresses
    (`split_chained_clusters`), are clusters; a record without matches is its
    own cluster.

    Args:
        records: Enriched records; only cluster members are clustered.
        scored_pairs: `key_l`, `key_r`, `match_probability` of the candidate pairs.
        match_threshold: The match probability that makes a pair an edge.
        tolerance_m: Geometry tolerance (metres) by geometry accuracy class.
        max_distance_ratio: How far a member may be from its cluster's anchor point,
            in combined tolerances.
        max_iterations: Bound on the rounds of connected components.

    Returns:
        `key`, `cluster_key`, `min_edge_probability` (the weakest edge inside the
        final cluster; 1 for a single record): one row per member record.
    """
    edges = drop_inconsistent_edges(
        scored_pairs.where(F.col("match_probability") >= match_threshold).select(
            F.col("key_l").alias("src"), F.col("key_r").alias("dst"), "match_probability"
        ),
        scored_pairs,
        match_threshold,
    ).localCheckpoint()
    components = connected_components(edges.select("src", "dst"), max_iterations)
    members = records.where(is_cluster_member()).select(
        record_key().alias("key"), *MEMBER_COLUMNS[1:]
    )
    labelled = members.join(components, members["key"] == components["vertex"], "left").select(
        "key", F.coalesce("component", "key").alias("component")
    )
    clusters = split_chained_clusters(
        members,
        edges,
        labelled,
        tolerance_m=tolerance_m,
        max_distance_ratio=max_distance_ratio,
        max_iterations=max_iterations,
    )
    clusters = clusters.localCheckpoint()  # read twice below
    return clusters.join(_weakest_edges(clusters, edges), "cluster_key", "left").select(
        "key",
        "cluster_key",
        F.coalesce("min_edge_probability", F.lit(1.0)).alias("min_edge_probability"),
    )
