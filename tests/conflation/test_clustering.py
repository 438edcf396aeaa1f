"""Connected components by label propagation in Spark."""

import pytest

from geodata.conflation.clustering import ClusteringConvergenceError, connected_components


def test_components_take_their_smallest_vertex(spark):
    edges = spark.createDataFrame(
        [("b", "c"), ("c", "d"), ("a", "b"), ("x", "y"), ("p", "q"), ("q", "r"), ("r", "s")],
        "src string, dst string",
    )
    labels = {r.vertex: r.component for r in connected_components(edges, 10).collect()}
    assert labels == {
        "a": "a", "b": "a", "c": "a", "d": "a",
        "x": "x", "y": "x",
        "p": "p", "q": "p", "r": "p", "s": "p",
    }  # fmt: skip


def test_a_long_chain_needs_enough_rounds(spark):
    chain = [(f"v{i:02d}", f"v{i + 1:02d}") for i in range(12)]
    edges = spark.createDataFrame(chain, "src string, dst string")
    with pytest.raises(ClusteringConvergenceError, match=r"conflate\.clustering\.max_iterations"):
        connected_components(edges, 2)
    labels = {r.component for r in connected_components(edges, 20).collect()}
    assert labels == {"v00"}
