"""Connected components of the match graph in Spark, without collecting to the driver.

Also the `clustering:` parameters, which clustering, survivorship, ids and corrections share.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pyspark.sql import DataFrame
from pyspark.sql import functions as F


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


class ClusteringConvergenceError(RuntimeError):
    """Label propagation needed more iterations than allowed."""


def connected_components(edges: DataFrame, max_iterations: int) -> DataFrame:
    """Label every vertex of `edges` (`src`, `dst`) with the smallest vertex of its component.

    Iterative minimum-label propagation: each round every vertex takes the
    smallest label among itself and its neighbours; it stops when no label
    changes. Rounds needed = the largest component's diameter, which is small
    for address clusters. Each round's labels are locally checkpointed so the
    plan does not grow.

    Args:
        edges: Undirected edges, one row per pair.
        max_iterations: Upper bound on rounds.

    Returns:
        `vertex`, `component` for every vertex that appears in `edges`.

    Raises:
        ClusteringConvergenceError: Labels still changed after `max_iterations` rounds.
    """
    both = (
        edges.select(F.col("src").alias("a"), F.col("dst").alias("b"))
        .unionByName(edges.select(F.col("dst").alias("a"), F.col("src").alias("b")))
        .localCheckpoint()
    )
    labels = (
        both.groupBy("a")
        .agg(F.least(F.col("a"), F.min("b")).alias("component"))
        .withColumnRenamed("a", "vertex")
        .localCheckpoint()
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
            .localCheckpoint()
        )
        labels = updated.select("vertex", "component")
        if updated.where(F.col("component") != F.col("previous")).isEmpty():
            return labels
    raise ClusteringConvergenceError(
        f"connected components did not converge in {max_iterations} rounds "
        "(parameter conflate.clustering.max_iterations)"
    )
