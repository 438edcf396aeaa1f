"""Clusters from scored pairs, with a guard against chaining distinct addresses together.

Connected components are transitive: A-B and B-C put A and C together even when
A and C are different addresses (10 MAIN ST UNIT 1 / 10 MAIN ST / 10 MAIN ST
UNIT 2). This module splits such components on hard evidence (house number and
unit) and on spatial spread scaled by geometry accuracy, one partition of whole
components at a time; `cluster_records` builds the clusters with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from geodata.checkpoints import checkpointed
from geodata.conflation.blocking import is_cluster_member
from geodata.conflation.clustering import (
    LOCAL_COMPONENT_EDGES,
    connected_components,
    label_in_memory,
)
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


EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG), metres."""


def distance_m(lat1: Column, lon1: Column, lat2: Column, lon2: Column) -> Column:
    """Metres between two points (equirectangular; well under 0.1 % off below a few km)."""
    mean_lat = F.radians((lat1 + lat2) / 2)
    dx = F.radians(lon2 - lon1) * F.cos(mean_lat)
    dy = F.radians(lat2 - lat1)
    return F.sqrt(dx * dx + dy * dy) * F.lit(EARTH_RADIUS_M)


def _map(values: dict[str, float | int]) -> Column:
    return F.create_map(*[item for k, v in sorted(values.items()) for item in (F.lit(k), F.lit(v))])


def _house_key() -> Column:
    # A missing suffix is a value: 12 and 12A are different addresses. A premise named
    # instead of numbered ("WILLOW MILL") has its name as its whole suffix.
    return F.when(
        F.col("hn_int").isNotNull() | F.col("hn_suffix").isNotNull(),
        F.concat_ws("|", F.col("hn_int").cast("string"), F.coalesce("hn_suffix", F.lit(""))),
    )


def _log_odds(probability: Column) -> Column:
    clipped = F.least(F.greatest(probability, F.lit(1e-12)), F.lit(1 - 1e-12))
    return F.log2(clipped / (F.lit(1.0) - clipped))


PairJudge = Callable[[DataFrame], DataFrame]
"""Given pairs (`key_l`, `key_r`, key_l < key_r), the same pairs with `hard_rule`: the
first hard rule of the scoring model that separates them, null if none does."""


def drop_inconsistent_edges(
    edges: DataFrame,
    scored_pairs: DataFrame,
    threshold: float,
    judge_unscored: PairJudge | None = None,
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

    B and C need not have been compared: blocking pairs records that share a
    key, and a free-text record can share one with 17 CHESTNUT AVE and another
    with 17 ELDER GROVE, two streets apart and never paired. Such third pairs
    go to `judge_unscored`, and one that a hard rule separates (different
    streets, numbers or units) is a non-match of probability 0, so the weaker
    edge of its triangle always goes.

    Args:
        edges: `src`, `dst` (src < dst), `match_probability`, one row per edge.
        scored_pairs: Every compared pair: `key_l`, `key_r` (key_l < key_r),
            `match_probability` (0 under a hard rule).
        threshold: Pairs below this probability are non-matches.
        judge_unscored: The hard rules for third pairs that were not compared
            (`PairJudge`); without it, only compared pairs break triangles.

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
    triangles = triangles.select(
        F.col("x.a").alias("a"),
        F.col("x.b").alias("b"),
        F.col("x.p").alias("p_b"),
        F.col("y.b").alias("c"),
        F.col("y.p").alias("p_c"),
    )
    third = scored_pairs.select(
        F.col("key_l").alias("b"),
        F.col("key_r").alias("c"),
        F.col("match_probability").alias("p_bc"),
    )
    if judge_unscored is None:
        conflicts = triangles.join(third.where(F.col("p_bc") < threshold), ["b", "c"])
    else:
        # One pass over the triangles finds the compared third pairs and the others
        # (a null probability); only the others, distinct, go to the judge.
        known = triangles.join(third, ["b", "c"], "left").transform(checkpointed)
        unscored = known.where(F.col("p_bc").isNull()).select("b", "c").distinct()
        judged = judge_unscored(
            unscored.select(F.col("b").alias("key_l"), F.col("c").alias("key_r"))
        ).where(F.col("hard_rule").isNotNull())
        separated = judged.select(
            F.col("key_l").alias("b"), F.col("key_r").alias("c"), F.lit(True).alias("_hard")
        )
        conflicts = (
            known.join(separated, ["b", "c"], "left")
            .withColumn(
                "p_bc",
                F.when(F.col("_hard"), F.lit(0.0)).otherwise(F.col("p_bc")),
            )
            .where(F.col("p_bc") < threshold)
        )
    weaker_odds = _log_odds(F.least("p_b", "p_c"))
    broken = conflicts.where(weaker_odds + _log_odds(F.col("p_bc")) < 0)
    # The weaker edge goes; on a tie, the one to the larger key (deterministic).
    weaker = F.when(F.col("p_b") < F.col("p_c"), F.col("b")).otherwise(F.col("c"))
    dropped = broken.select(
        F.least("a", weaker).alias("src"), F.greatest("a", weaker).alias("dst")
    ).distinct()
    return edges.join(dropped, ["src", "dst"], "left_anti")


_NULL = "\u0000"
"""Stands for a null part of a hard key, so that two keys compare null-safely."""

_GRAPH_INPUT = (
    "component",
    "key",
    "hk",
    "uk",
    "dir",
    "lat",
    "lon",
    "rank",
    "priority",
    "tolerance",
    "src",
    "dst",
    "match_probability",
)
"""One partition's rows for `_split_partition`: members (`key` set) and their edges."""


def _components_of(edges: pd.DataFrame, vertices: pd.Series) -> pd.Series:
    """For each of `vertices`, the smallest vertex of its component in `edges` (itself
    when it has no edge)."""
    found = label_in_memory(edges[["src", "dst"]])
    label = pd.Series(found["component"].to_numpy(), index=found["vertex"].to_numpy())
    return vertices.map(label).fillna(vertices)


_HARD = ("hk", "uk", "dir")
"""The members' hard evidence: house key, unit and directional."""


def _distinct_per_member(groups: np.ndarray, values: pd.Series) -> np.ndarray:
    """For each row, how many distinct non-null `values` its group (`groups`, codes from
    0) holds."""
    codes = pd.factorize(values)[0]  # -1 for a null
    known = codes >= 0
    width = int(codes.max()) + 1 if known.any() else 1
    pairs = np.unique(groups[known].astype(np.int64) * width + codes[known])
    counts = np.bincount(pairs // width, minlength=int(groups.max()) + 1 if len(groups) else 0)
    return counts[groups]


def _hard_split(members: pd.DataFrame, edges: pd.DataFrame) -> pd.Series:
    """Step 1 of `split_chained_clusters`: each member's cluster after the hard evidence."""
    component = pd.factorize(members["component"])[0]
    conflicting = {name: _distinct_per_member(component, members[name]) > 1 for name in _HARD}
    # The directional is part of the key only where it conflicts (N MAIN ST and
    # S MAIN ST in one component); elsewhere a missing one is no gap to fill.
    dk = members["dir"].where(conflicting["dir"], "")
    inconsistent = pd.Series(np.logical_or.reduce(list(conflicting.values())), index=members.index)
    cluster = members["component"].copy()
    if not inconsistent.any():
        return cluster
    split = pd.DataFrame(
        {"key": members["key"], "hk": members["hk"], "uk": members["uk"], "dk": dk}
    )[inconsistent]
    parts = ("hk", "uk", "dk")
    filled = split[list(parts)].fillna(_NULL)
    hard_key = filled["hk"] + "\u001f" + filled["uk"] + "\u001f" + filled["dk"]
    of_key = pd.Series(hard_key.to_numpy(), index=split["key"].to_numpy())
    inside = edges[edges["src"].isin(of_key.index) & edges["dst"].isin(of_key.index)]
    same_key = inside[inside["src"].map(of_key) == inside["dst"].map(of_key)]
    split = split.assign(label=_components_of(same_key, split["key"]).to_numpy())

    # Partial groups join the one full key they have edges to, if there is exactly one.
    group = split.set_index("key")
    both_ways = pd.concat(
        [inside[["src", "dst"]], inside[["dst", "src"]].set_axis(["src", "dst"], axis=1)]
    )
    g, t = group.loc[both_ways["src"]], group.loc[both_ways["dst"]]
    partial = g[list(parts)].isna().any(axis=1).to_numpy()
    full_target = t[list(parts)].notna().all(axis=1).to_numpy()
    compatible = np.logical_and.reduce(
        [(g[k].isna() | (g[k].to_numpy() == t[k].to_numpy())).to_numpy() for k in parts]
    )
    keep = partial & full_target & compatible
    target_key = t["hk"] + "\u001f" + t["uk"] + "\u001f" + t["dk"]
    between = pd.DataFrame(
        {
            "g": g["label"].to_numpy()[keep],
            "t": t["label"].to_numpy()[keep],
            "target_key": target_key.to_numpy()[keep],
        }
    )
    targets = between.groupby("g")["target_key"].nunique()
    attachments = between[between["g"].map(targets) == 1]
    merged = _components_of(
        attachments.set_axis(["src", "dst", "target_key"], axis=1), split["label"]
    )
    cluster[inconsistent] = members.loc[inconsistent, "component"] + "/" + merged
    return cluster


def _key_order(keys: pd.Series) -> np.ndarray:
    """Each key's place among `keys` in string order (0 for the smallest): integers to
    sort and compare where sorting the strings themselves would take most of a pass."""
    # Arrow orders UTF-8 bytes, which is the strings' code point order (pandas' and
    # Spark's).
    return pc.rank(pa.array(keys, pa.string()), sort_keys="ascending").to_numpy() - 1


def _spread_split(
    members: pd.DataFrame,
    edges: pd.DataFrame,
    cluster: pd.Series,
    max_distance_ratio: float,
    key_order: np.ndarray,
) -> pd.Series:
    """Step 2 of `split_chained_clusters`: members too far from their cluster's anchor leave it."""
    codes = pd.factorize(cluster)[0]
    rank = members["rank"].fillna(-np.inf).to_numpy()
    lat, lon = members["lat"].to_numpy(), members["lon"].to_numpy()
    pointless = np.isnan(lat) | np.isnan(lon)
    tolerance = members["tolerance"].to_numpy()
    # The anchor: a member with a point, the most accurate geometry (an unknown class
    # first, as Spark orders nulls), then priority, then key. A member without a point
    # is never far: nothing says where it is. (`np.lexsort` sorts by its last key first.)
    order = np.lexsort((key_order, members["priority"].to_numpy(), rank, pointless, codes))
    first = np.ones(len(order), dtype=bool)
    first[1:] = codes[order][1:] != codes[order][:-1]
    anchor_of = np.empty(codes.max() + 1 if len(codes) else 0, dtype=np.int64)
    anchor_of[codes[order][first]] = order[first]
    anchor = anchor_of[codes]
    lat0, lon0 = lat[anchor], lon[anchor]
    mean_lat = np.radians((lat + lat0) / 2)
    dx = np.radians(lon0 - lon) * np.cos(mean_lat)
    dy = np.radians(lat0 - lat)
    distance = np.nan_to_num(np.sqrt(dx * dx + dy * dy) * EARTH_RADIUS_M, nan=0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = distance / (tolerance + tolerance[anchor])
    far = np.nan_to_num(spread, nan=0.0) > max_distance_ratio
    if not far.any():
        return cluster
    keys = members["key"]
    far_cluster = pd.Series(cluster.to_numpy()[far], index=keys.to_numpy()[far])
    among = edges[edges["src"].isin(far_cluster.index) & edges["dst"].isin(far_cluster.index)]
    among = among[among["src"].map(far_cluster) == among["dst"].map(far_cluster)]
    label = _components_of(among, keys[far])
    cluster = cluster.copy()
    cluster[far] = cluster[far] + "/far/" + label
    return cluster


def _split_partition(rows: pd.DataFrame, max_distance_ratio: float) -> pd.DataFrame:
    """`split_chained_clusters` on one partition holding whole components.

    Args:
        rows: `_GRAPH_INPUT` rows: members (with `key`) and the edges between them.
        max_distance_ratio: How many combined tolerances a member may be from the anchor.

    Returns:
        `key`, `cluster_key`, `min_edge_probability` (the weakest edge inside the
        final cluster, 1 when it has none) per member.
    """
    is_member = rows["key"].notna()
    members = rows[is_member].reset_index(drop=True)
    edges = rows[~is_member][["src", "dst", "match_probability"]].reset_index(drop=True)
    key_order = _key_order(members["key"])
    cluster = _hard_split(members, edges)
    cluster = _spread_split(members, edges, cluster, max_distance_ratio, key_order)
    # The smallest key per cluster, as the smallest of its members' places in key order.
    codes = pd.factorize(cluster)[0]
    smallest = np.full(int(codes.max()) + 1 if len(codes) else 0, len(codes), dtype=np.int64)
    np.minimum.at(smallest, codes, key_order)
    keys = members["key"].to_numpy()
    by_order = np.empty(len(keys), dtype=object)
    by_order[key_order] = keys
    cluster_key = pd.Series(by_order[smallest[codes]])
    of_member = pd.Series(cluster_key.to_numpy(), index=keys)
    edge_cluster = edges["src"].map(of_member)
    inside = edges[edge_cluster.to_numpy() == edges["dst"].map(of_member).to_numpy()]
    weakest = inside["match_probability"].groupby(edge_cluster[inside.index], sort=False).min()
    return pd.DataFrame(
        {
            "key": members["key"],
            "cluster_key": cluster_key,
            "min_edge_probability": cluster_key.map(weakest).fillna(1.0),
        }
    )


def split_chained_clusters(
    members: DataFrame,
    edges: DataFrame,
    components: DataFrame,
    *,
    tolerance_m: dict[str, float],
    max_distance_ratio: float,
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
    2. *Spread.* In every cluster, the anchor is the member with a point and
       the most accurate geometry (then priority, then key). A member farther
       from the anchor than `max_distance_ratio` * (its tolerance + the
       anchor's) is split off (a member without a point never is); split-off
       members of one cluster stay together where edges join them. One pass,
       so the result is bounded and deterministic.

    Every step stays inside one component, so the members and edges are shuffled
    by component once and each partition of whole components is split in pandas
    (`_split_partition`): one Spark stage instead of a few jobs per step.

    Args:
        members: Cluster members with the columns in `MEMBER_COLUMNS`.
        edges: Match edges (`src`, `dst`, `match_probability`) between members.
        components: `key`, `component` of the members to cluster (connected components
            of `edges`); members not listed are not in the result.
        tolerance_m: Expected point error in metres per geometry accuracy class.
        max_distance_ratio: How many combined tolerances a member may be from the anchor.

    Returns:
        `key`, `cluster_key` (the smallest member key of the final cluster) and
        `min_edge_probability` (its weakest edge; 1 for a single record) per member.
    """
    no = {c: F.lit(None) for c in _GRAPH_INPUT}
    keyed = members.join(components.select("key", "component"), "key").select(
        "component",
        "key",
        _house_key().alias("hk"),
        F.col("unit_id").alias("uk"),
        F.col("street_dir").alias("dir"),
        F.col("lat").cast("double").alias("lat"),
        F.col("lon").cast("double").alias("lon"),
        F.element_at(_map(GEOMETRY_ACCURACY_RANK), F.col("geometry_accuracy"))
        .cast("double")
        .alias("rank"),
        F.col("priority").cast("double").alias("priority"),
        F.element_at(_map(tolerance_m), F.col("geometry_accuracy"))
        .cast("double")
        .alias("tolerance"),
        *[no[c].cast("string").alias(c) for c in ("src", "dst")],
        no["match_probability"].cast("double").alias("match_probability"),
    )
    labels = components.select(F.col("key").alias("src"), "component")
    edge_rows = edges.join(labels, "src").select(
        "component",
        *[
            no[c].cast(keyed.schema[c].dataType).alias(c)
            for c in _GRAPH_INPUT
            if c not in ("component", "src", "dst", "match_probability")
        ],
        "src",
        "dst",
        F.col("match_probability").cast("double"),
    )
    graph = keyed.unionByName(edge_rows).repartition("component")

    def split(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        # An empty partition (the shuffle put no component in it) sends no batch.
        received = [batch for batch in batches if len(batch)]
        if received:
            yield _split_partition(pd.concat(received, ignore_index=True), max_distance_ratio)

    return graph.mapInPandas(split, "key string, cluster_key string, min_edge_probability double")


def cluster_records(
    records: DataFrame,
    scored_pairs: DataFrame,
    *,
    match_threshold: float,
    tolerance_m: dict[str, float],
    max_distance_ratio: float,
    max_iterations: int,
    local_component_edges: int = LOCAL_COMPONENT_EDGES,
    judge_unscored: PairJudge | None = None,
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
        local_component_edges: The largest match graph labelled in one task
            (`geodata.conflation.clustering.connected_components`).
        judge_unscored: The hard rules for a triangle's third pair that was not
            compared (`drop_inconsistent_edges`).

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
        judge_unscored,
    ).transform(checkpointed)
    components = connected_components(
        edges.select("src", "dst"), max_iterations, local_limit=local_component_edges
    )
    members = records.where(is_cluster_member()).select(
        record_key().alias("key"), *MEMBER_COLUMNS[1:]
    )
    # A record without an edge is an address of its own, with nothing to split: it
    # skips the shuffle and the Python pass the components go through.
    in_graph = members.join(components, members["key"] == components["vertex"]).select(
        "key", "component"
    )
    alone = members.join(components, members["key"] == components["vertex"], "left_anti").select(
        "key",
        F.col("key").alias("cluster_key"),
        F.lit(1.0).cast("double").alias("min_edge_probability"),
    )
    return split_chained_clusters(
        members,
        edges,
        in_graph,
        tolerance_m=tolerance_m,
        max_distance_ratio=max_distance_ratio,
    ).unionByName(alone)
