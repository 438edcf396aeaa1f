"""Survivorship's vote, one partition of whole clusters at a time, in Arrow.

Spark evaluates grouped aggregations over strings row by row (sort-based, not
compiled), and survivorship is little else: per cluster and field the value
with the most support, its best source, the point, the cluster's summary. Once
the members are shuffled by cluster, every partition holds whole clusters, so
the vote runs on a partition as a table with Arrow's sort and hash-aggregate
kernels (`pyarrow.compute`, `pyarrow.Table.group_by`) and numpy, a few
vectorised passes per field instead of a Spark stage per aggregation.

The functions here are plain Arrow in, Arrow out; `geodata.conflation.survivorship`
wires them into the Spark plan with `mapInArrow`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

KEY_COLUMNS = ("hn_int", "hn_suffix", "unit_id", "street_base", "street_phonetic")
"""Comparison keys an address keeps from its cluster's highest-priority record."""

UNIT_VOTE = pa.struct([("value", pa.string()), ("support", pa.float64())])
"""One source's strongest vote for one unit display of its cluster."""

_LOWEST = np.iinfo(np.int64).min
"""Stands for a null date or accuracy rank: below every value, as Spark sorts nulls first."""


def _run_starts(sorted_keys: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Positions where a new run of equal values starts in a sorted array."""
    n = len(sorted_keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    changed = pc.not_equal(sorted_keys[1:], sorted_keys[:-1]).to_numpy(zero_copy_only=False)
    return np.flatnonzero(np.concatenate([[True], changed]))


def _scatter(cluster: np.ndarray, values: pa.Array, clusters: int) -> pa.Array:
    """`values` (one per listed cluster id) placed at their cluster's position, null
    for the clusters not listed."""
    index = np.full(clusters, -1, dtype=np.int64)
    index[cluster] = np.arange(len(cluster))
    return pc.take(values, pa.array(index, mask=index < 0))


def _numbers(column: pa.ChunkedArray, fill: float | int) -> np.ndarray:
    """A numeric column as numpy, nulls as `fill`."""
    return pc.fill_null(column, fill).to_numpy(zero_copy_only=False)


def support(
    members: pa.Table,
    cluster: np.ndarray,
    starts: np.ndarray,
    accuracy_weight: Mapping[str, float],
    recency_half_life_days: float,
) -> np.ndarray:
    """Each member's vote: 1/(1+priority) x the weight of its geometry accuracy class
    (0.5 for a class without one) x 0.5^(days older than its cluster's newest record /
    `recency_half_life_days`); a record without a date counts as new.

    Args:
        members: Members sorted by cluster: `priority`, `geometry_accuracy`, `dt`.
        cluster: Each member's cluster number (0, 1, ... in sorted order).
        starts: The position of each cluster's first member.
        accuracy_weight: Weight by geometry accuracy class.
        recency_half_life_days: Age at which a vote counts half.
    """
    days = pc.cast(members["dt"], pa.int32())
    dated = pc.is_valid(days).to_numpy(zero_copy_only=False)
    day = _numbers(days, 0).astype(np.int64)
    day[~dated] = _LOWEST
    newest = np.maximum.reduceat(day, starts)[cluster]
    age = np.where(dated & (newest != _LOWEST), newest - day, 0)
    classes = sorted(accuracy_weight)
    weights = np.array([accuracy_weight[c] for c in classes] + [0.5])
    klass = _numbers(
        pc.index_in(members["geometry_accuracy"], value_set=pa.array(classes, pa.string())),
        len(classes),
    )
    priority = _numbers(members["priority"], 0).astype(np.float64)
    return 1.0 / (1.0 + priority) * weights[klass] * np.power(0.5, age / recency_half_life_days)


def field_winners(
    cluster: np.ndarray,
    values: pa.ChunkedArray,
    members: pa.Table,
    votes: np.ndarray,
    clusters: int,
) -> tuple[pa.Array, pa.Array]:
    """Per cluster, the value with the most support and the source it is credited to.

    A source counts its strongest vote for a value once; a value's support is the
    sum over its sources; ties go to the value whose best source has the lower
    priority, then to the smaller value. The value is credited to its source with
    the lowest (priority, source).

    Args:
        cluster: Each member's cluster number.
        values: Each member's value of the field (null: no vote).
        members: The members: `source`, `priority`.
        votes: Each member's support.
        clusters: The number of clusters.

    Returns:
        (value, source) arrays with one entry per cluster, null where no member
        has the field.
    """
    has = pc.is_valid(values)
    keep = has.to_numpy(zero_copy_only=False)
    ballots = pa.table(
        {
            "cluster": cluster[keep],
            "value": pc.filter(values, has),
            "source": pc.filter(members["source"], has),
            "priority": pc.filter(members["priority"], has),
            "support": votes[keep],
        }
    )
    per_source = ballots.group_by(["cluster", "value", "source"], use_threads=False).aggregate(
        [("support", "max"), ("priority", "min")]
    )
    per_value = (
        per_source.sort_by(
            [
                ("cluster", "ascending"),
                ("value", "ascending"),
                ("priority_min", "ascending"),
                ("source", "ascending"),
            ]
        )
        .group_by(["cluster", "value"], use_threads=False)
        .aggregate([("support_max", "sum"), ("priority_min", "first"), ("source", "first")])
        .sort_by(
            [
                ("cluster", "ascending"),
                ("support_max_sum", "descending"),
                ("priority_min_first", "ascending"),
                ("value", "ascending"),
            ]
        )
    )
    won = _run_starts(per_value["cluster"])
    winners = per_value.take(pa.array(won))
    at = winners["cluster"].to_numpy()
    return (
        _scatter(at, winners["value"].combine_chunks(), clusters),
        _scatter(at, winners["source_first"].combine_chunks(), clusters),
    )


PROVENANCE = pa.map_(pa.string(), pa.string())
"""A cluster's provenance: each chosen field (and `geometry`) to the source it came from."""


def provenance(sources: Mapping[str, pa.Array]) -> pa.MapArray:
    """Per cluster a map of each name in `sources` to its source, nulls left out.

    Args:
        sources: Name -> one source per cluster (null: no source for that name),
            all of one length; the map's entries follow the order of `sources`.
    """
    names = list(sources)
    columns = [sources[name].cast(pa.string()) for name in names]
    clusters = len(columns[0]) if columns else 0
    given = (
        np.stack([pc.is_valid(c).to_numpy(zero_copy_only=False) for c in columns], axis=1)
        if columns
        else np.zeros((0, 0), dtype=bool)
    )
    # Row-major positions of the given entries: cluster by cluster, names in order.
    row, name = np.nonzero(given)
    offsets = np.concatenate([[0], np.cumsum(given.sum(axis=1))]).astype(np.int32)
    keys = pa.array(np.array(names, dtype=object)[name], pa.string())
    values = pc.take(
        pa.concat_arrays(columns) if columns else pa.array([], pa.string()),
        pa.array(name * clusters + row, pa.int64()),
    )
    return pa.MapArray.from_arrays(pa.array(offsets, pa.int32()), keys, values, type=PROVENANCE)


def _per_cluster_lists(cluster: pa.ChunkedArray, values: pa.Array, clusters: int) -> pa.Array:
    """One list per cluster (0 … clusters - 1) of `values`, whose rows are sorted by `cluster`."""
    counts = np.bincount(cluster.to_numpy(), minlength=clusters)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), values)


def _sources(cluster: np.ndarray, members: pa.Table, clusters: int) -> pa.Array:
    """Per cluster the sorted distinct sources of its members."""
    pairs = (
        pa.table({"cluster": cluster, "source": members["source"]})
        .group_by(["cluster", "source"], use_threads=False)
        .aggregate([])
        .sort_by([("cluster", "ascending"), ("source", "ascending")])
    )
    return _per_cluster_lists(pairs["cluster"], pairs["source"].combine_chunks(), clusters)


def _unit_votes(
    cluster: np.ndarray, members: pa.Table, votes: np.ndarray, clusters: int
) -> pa.Array:
    """Per cluster each source's strongest vote for each of its unit displays."""
    has = pc.is_valid(members["unit"])
    keep = has.to_numpy(zero_copy_only=False)
    per_source = (
        pa.table(
            {
                "cluster": cluster[keep],
                "value": pc.filter(members["unit"], has),
                "source": pc.filter(members["source"], has),
                "support": votes[keep],
            }
        )
        .group_by(["cluster", "value", "source"], use_threads=False)
        .aggregate([("support", "max")])
        .sort_by([("cluster", "ascending"), ("value", "ascending"), ("source", "ascending")])
    )
    entries = pa.StructArray.from_arrays(
        [
            per_source["value"].combine_chunks().cast(pa.string()),
            per_source["support_max"].combine_chunks(),
        ],
        fields=list(UNIT_VOTE),
    )
    return _per_cluster_lists(per_source["cluster"], entries, clusters)


def _point(
    cluster: np.ndarray, starts: np.ndarray, members: pa.Table, clusters: int
) -> dict[str, pa.Array]:
    """Per cluster the point of its most accurate (then highest-priority) source,
    averaged over that source's records of that accuracy. Only members with a point
    count; a cluster without any has no point and no geometry accuracy."""
    rank = _numbers(pc.cast(members["accuracy_rank"], pa.int64()), _LOWEST)
    priority = _numbers(members["priority"], 0).astype(np.int64)
    source = pc.rank(members["source"], sort_keys="ascending", tiebreaker="dense").to_numpy()
    lat = _numbers(members["lat"], np.nan).astype(np.float64)
    lon = _numbers(members["lon"], np.nan).astype(np.float64)
    pointless = (np.isnan(lat) | np.isnan(lon)).astype(np.int8)
    # Sorted by cluster, then members with a point first, rank (unknown first),
    # priority and source: within a cluster that is `np.lexsort`'s last key, and
    # clusters are already in order.
    order = np.lexsort((source, priority, rank, pointless, cluster))
    best = order[starts]
    chosen = (
        (pointless == 0)
        & (rank == rank[best][cluster])
        & (priority == priority[best][cluster])
        & (source == source[best][cluster])
    )
    count = np.bincount(cluster[chosen], minlength=clusters)
    point: dict[str, pa.Array] = {}
    for axis, value in (("lat", lat), ("lon", lon)):
        total = np.bincount(cluster[chosen], weights=value[chosen], minlength=clusters)
        point[axis] = pa.array(np.divide(total, np.maximum(count, 1)), mask=count == 0)
    accuracy = members["geometry_accuracy"].combine_chunks()
    known = chosen & pc.is_valid(accuracy).to_numpy(zero_copy_only=False)
    ranked = order[known[order]]
    first_cluster, first = np.unique(cluster[ranked], return_index=True)
    point["geometry_accuracy"] = _scatter(
        first_cluster, pc.take(accuracy, pa.array(ranked[first])), clusters
    )
    point["geometry_source"] = pc.if_else(
        pa.array(count > 0), pc.take(members["source"], pa.array(best)).combine_chunks(), None
    )
    return point


def vote(
    members: pa.Table,
    fields: Sequence[str],
    accuracy_weight: Mapping[str, float],
    recency_half_life_days: float,
) -> dict[str, pa.Array]:
    """One row per cluster of `members`: its summary, point and each field's winner.

    Args:
        members: Whole clusters' members: `cluster_key`, `source`,
            `source_record_id`, `priority`, `dt`, `geometry_accuracy`,
            `accuracy_rank`, `lat`, `lon`, `min_edge_probability`, `iso_3166_1`,
            `iso_3166_2`, `unit`, the `KEY_COLUMNS` and `_v_<field>` (the value
            each member votes for) per field.
        fields: The voted fields.
        accuracy_weight: Weight of a vote by its geometry accuracy class.
        recency_half_life_days: Age at which a vote counts half.

    Returns:
        Columns by name, one entry per cluster: `cluster_key`; per field its
        value (`field_winners`); `provenance` (`PROVENANCE`: each field's
        source as `field_winners` credits it, and the point's as `geometry`,
        fields without a value left out); `iso_3166_1`,
        `iso_3166_2` and the `KEY_COLUMNS` of its highest-priority record (then
        source, then record id); `sources` (sorted, distinct);
        `min_edge_probability` (the lowest); `lat`, `lon`, `geometry_accuracy`,
        `geometry_source` (`_point`); `unit_votes` (`UNIT_VOTE` entries).
    """
    members = members.sort_by(
        [
            ("cluster_key", "ascending"),
            ("priority", "ascending"),
            ("source", "ascending"),
            ("source_record_id", "ascending"),
        ]
    )
    starts = _run_starts(members["cluster_key"])
    clusters = len(starts)
    cluster = np.repeat(np.arange(clusters), np.diff(np.append(starts, members.num_rows)))
    votes = support(members, cluster, starts, accuracy_weight, recency_half_life_days)

    first = members.take(pa.array(starts))
    columns: dict[str, pa.Array] = {"cluster_key": first["cluster_key"].combine_chunks()}
    winning_sources: dict[str, pa.Array] = {}
    for field in fields:
        value, source = field_winners(cluster, members[f"_v_{field}"], members, votes, clusters)
        columns[field] = value
        winning_sources[field] = source
    for name in ("iso_3166_1", "iso_3166_2", *KEY_COLUMNS):
        columns[name] = first[name].combine_chunks()
    columns["sources"] = _sources(cluster, members, clusters)
    edge = pa.table({"cluster": cluster, "p": members["min_edge_probability"]})
    weakest = edge.group_by("cluster", use_threads=False).aggregate([("p", "min")])
    columns["min_edge_probability"] = _scatter(
        weakest["cluster"].to_numpy(), weakest["p_min"].combine_chunks(), clusters
    )
    point = _point(cluster, starts, members, clusters)
    columns.update(point)
    columns["provenance"] = provenance({**winning_sources, "geometry": point["geometry_source"]})
    columns["unit_votes"] = _unit_votes(cluster, members, votes, clusters)
    return columns


def vote_batches(
    fields: Sequence[str],
    accuracy_weight: Mapping[str, float],
    recency_half_life_days: float,
    schema: pa.Schema,
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """A `mapInArrow` body: the `vote` of each partition (whole clusters), as `schema`."""

    def votes(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        received = list(batches)
        if not received or not any(b.num_rows for b in received):
            return
        members = pa.Table.from_batches(received)
        columns = vote(members, fields, accuracy_weight, recency_half_life_days)
        table = pa.table(
            [columns[f.name].cast(f.type) for f in schema],
            schema=schema,
        )
        yield from table.to_batches(max_chunksize=10_000)

    return votes
