"""Connected components of the match graph in Spark, without collecting to the driver.

Also the `clustering:` parameters, which clustering, survivorship, ids and corrections share.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, Field
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from geodata.checkpoints import checkpointed

LOCAL_COMPONENT_EDGES = 8_000_000
"""Match graphs with at most this many edges are labelled in one task (see
`connected_components`); larger ones by label propagation across the cluster.
In one task a graph takes about 100 bytes of Python worker memory per edge
(its keys as Arrow strings and a few integer arrays), so 8 M edges (about 12 M
records) stay under a gigabyte."""


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
    local_component_edges: int = Field(
        LOCAL_COMPONENT_EDGES,
        ge=0,
        description="The largest match graph labelled in one task, in memory (about 100 "
        "bytes of Python worker memory per edge); larger ones propagate labels in rounds "
        "across the cluster. 0 always propagates.",
    )


class ClusteringConvergenceError(RuntimeError):
    """Label propagation needed more iterations than allowed."""


def smallest_labels(src: np.ndarray, dst: np.ndarray, vertices: int) -> np.ndarray:
    """Per vertex 0 … `vertices` - 1, the smallest vertex of its component in the
    edges `src[i]` - `dst[i]`.

    Minimum labels spread over the edges with pointer jumping (each label takes its
    own label's label) until nothing changes: about log2(diameter) vectorised rounds.
    """
    label = np.arange(vertices)
    while True:
        low = np.minimum(label[src], label[dst])
        spread = label.copy()
        np.minimum.at(spread, src, low)
        np.minimum.at(spread, dst, low)
        jumped = spread[spread]
        while not np.array_equal(jumped, spread):
            spread, jumped = jumped, jumped[jumped]
        if np.array_equal(spread, label):
            return label
        label = spread


def label_arrow(edges: pa.Table) -> pa.Table:
    """`vertex`, `component` (smallest vertex of its component) of the edges `src`, `dst`.

    Vertices are numbered in sorted order (Arrow orders strings by their UTF-8 bytes,
    as Spark does), so the smallest number is the smallest vertex. The keys stay Arrow
    strings; only integer arrays are built beside them.
    """
    # 64-bit offsets: the keys of a large graph may pass the 2 GB of one string array.
    ends = pa.concat_arrays(
        [edges[c].combine_chunks().cast(pa.large_string()) for c in ("src", "dst")]
    )
    encoded = ends.dictionary_encode()
    dictionary = encoded.dictionary
    order = pc.sort_indices(dictionary).to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    codes = rank[encoded.indices.to_numpy()]
    vertices = pc.take(dictionary, pa.array(order))
    label = smallest_labels(codes[: edges.num_rows], codes[edges.num_rows :], len(order))
    components = pc.take(vertices, pa.array(label))
    return pa.table({"vertex": _string_chunks(vertices), "component": _string_chunks(components)})


def _string_chunks(values: pa.Array, rows: int = 1_000_000) -> pa.ChunkedArray:
    """`values` as 32-bit-offset strings (Spark's), in chunks small enough for them."""
    return pa.chunked_array(
        [values.slice(start, rows).cast(pa.string()) for start in range(0, len(values), rows)],
        type=pa.string(),
    )


def label_in_memory(frame: pd.DataFrame) -> pd.DataFrame:
    """`label_arrow` for a pandas frame of edges (`src`, `dst`)."""
    table = pa.table(
        {
            "src": pa.array(frame["src"].to_numpy(dtype=object), pa.string()),
            "dst": pa.array(frame["dst"].to_numpy(dtype=object), pa.string()),
        }
    )
    return label_arrow(table).to_pandas()


def connected_components(
    edges: DataFrame, max_iterations: int, *, local_limit: int = LOCAL_COMPONENT_EDGES
) -> DataFrame:
    """Label every vertex of `edges` (`src`, `dst`) with the smallest vertex of its component.

    A graph of at most `local_limit` edges (every region of a city, and most
    regions: address graphs have about one edge per record) is labelled in one
    task, in memory (`label_arrow`): one shuffle instead of a few Spark jobs
    per round. A larger one by iterative minimum-label propagation: each round
    every vertex takes the smallest label among itself and its neighbours; it
    stops when no label changes. Rounds needed = the largest component's
    diameter, which is small for address clusters. Each round's labels are
    locally checkpointed so the plan does not grow.

    Args:
        edges: Undirected edges, one row per pair.
        max_iterations: Upper bound on rounds of label propagation.
        local_limit: The most edges labelled in one task; 0 always propagates.

    Returns:
        `vertex`, `component` for every vertex that appears in `edges`.

    Raises:
        ClusteringConvergenceError: Labels still changed after `max_iterations` rounds.
    """
    edges = edges.select("src", "dst").transform(checkpointed)  # counted, then read again
    if local_limit and edges.limit(local_limit + 1).count() <= local_limit:
        vertex_type = edges.schema["src"].dataType.simpleString()
        return (
            edges.groupBy(F.lit(0).alias("graph"))
            .applyInArrow(label_arrow, f"vertex {vertex_type}, component {vertex_type}")
            .transform(checkpointed)
        )
    both = (
        edges.select(F.col("src").alias("a"), F.col("dst").alias("b"))
        .unionByName(edges.select(F.col("dst").alias("a"), F.col("src").alias("b")))
        .transform(checkpointed)
    )
    labels = (
        both.groupBy("a")
        .agg(F.least(F.col("a"), F.min("b")).alias("component"))
        .withColumnRenamed("a", "vertex")
        .transform(checkpointed)
    )
    no_label = F.lit(None).cast(labels.schema["component"].dataType)
    for _ in range(max_iterations):
        from_neighbours = both.join(labels, both["b"] == labels["vertex"]).select(
            F.col("a").alias("vertex"), "component", no_label.alias("previous")
        )
        # Each vertex's label before the round travels with it, so whether any label
        # changed is read from the round's own result, not from another join.
        updated = (
            labels.select("vertex", "component", F.col("component").alias("previous"))
            .unionByName(from_neighbours)
            .groupBy("vertex")
            .agg(F.min("component").alias("component"), F.min("previous").alias("previous"))
            .transform(checkpointed)
        )
        labels = updated.select("vertex", "component")
        if updated.where(F.col("component") != F.col("previous")).isEmpty():
            return labels
    raise ClusteringConvergenceError(
        f"connected components did not converge in {max_iterations} rounds "
        "(parameter conflate.clustering.max_iterations)"
    )
