"""Connected components: in one task for graphs up to a size, else by label propagation."""

import random

import pytest

from geodata.conflation.clustering import ClusteringConvergenceError, connected_components

IN_ONE_TASK, PROPAGATED = 1_000, 0  # `local_limit` of each way


@pytest.mark.parametrize("local_limit", [IN_ONE_TASK, PROPAGATED])
def test_components_take_their_smallest_vertex(spark, local_limit):
    edges = spark.createDataFrame(
        [("b", "c"), ("c", "d"), ("a", "b"), ("x", "y"), ("p", "q"), ("q", "r"), ("r", "s")],
        "src string, dst string",
    )
    found = connected_components(edges, 10, local_limit=local_limit).collect()
    labels = {r.vertex: r.component for r in found}
    assert labels == {
        "a": "a", "b": "a", "c": "a", "d": "a",
        "x": "x", "y": "x",
        "p": "p", "q": "p", "r": "p", "s": "p",
    }  # fmt: skip


def test_a_long_chain_needs_enough_rounds_of_propagation(spark):
    chain = [(f"v{i:02d}", f"v{i + 1:02d}") for i in range(12)]
    edges = spark.createDataFrame(chain, "src string, dst string")
    with pytest.raises(ClusteringConvergenceError, match=r"conflate\.clustering\.max_iterations"):
        connected_components(edges, 2, local_limit=PROPAGATED)
    labels = {
        r.component for r in connected_components(edges, 20, local_limit=PROPAGATED).collect()
    }
    assert labels == {"v00"}
    # In one task the chain needs no rounds at all.
    assert {r.component for r in connected_components(edges, 2).collect()} == {"v00"}


def test_both_ways_label_a_random_graph_alike(spark):
    rng = random.Random(5)
    # Keys as records have them (text, compared as Spark compares strings), some sharing a
    # prefix, in chains, stars and cycles of a few hundred vertices.
    names = [f"{rng.choice(['a', 'b', 'Ä', 'z'])}\x1f{rng.randrange(400)}" for _ in range(300)]
    pairs = {tuple(sorted(rng.sample(names, 2))) for _ in range(260)}
    edges = spark.createDataFrame(sorted(pairs), "src string, dst string")

    def labels(local_limit):
        found = connected_components(edges, 50, local_limit=local_limit).collect()
        return {r.vertex: r.component for r in found}

    in_one_task = labels(IN_ONE_TASK)
    assert in_one_task == labels(PROPAGATED)
    assert set(in_one_task) == {v for pair in pairs for v in pair}
    assert 1 < len(set(in_one_task.values())) < len(in_one_task)
    # Over the limit, the graph is propagated.
    assert labels(len(pairs) - 1) == in_one_task


def test_no_edges_no_labels(spark):
    edges = spark.createDataFrame([], "src string, dst string")
    assert connected_components(edges, 5).count() == 0


def test_labels_in_memory_order_vertices_as_spark_orders_strings():
    import pandas as pd
    import pyarrow as pa

    from geodata.conflation.clustering import _string_chunks, label_arrow, label_in_memory

    # UTF-8 byte order: "Z" < "a" < "Ä"; "a\x1f9" < "a\x1f10" is false byte-wise ("9" > "1").
    edges = pa.table({"src": ["Ä", "a\x1f9", "q"], "dst": ["Z", "a\x1f10", "q"]})
    labels = dict(zip(*label_arrow(edges).to_pydict().values(), strict=True))
    assert labels == {"Z": "Z", "Ä": "Z", "a\x1f10": "a\x1f10", "a\x1f9": "a\x1f10", "q": "q"}
    assert label_arrow(edges.slice(0, 0)).num_rows == 0
    assert label_arrow(edges).schema.field("vertex").type == pa.string()  # as Spark reads
    chunks = _string_chunks(pa.array(["a", "b", "c"], pa.large_string()), rows=2)
    assert [c.to_pylist() for c in chunks.chunks] == [["a", "b"], ["c"]]
    frame = label_in_memory(pd.DataFrame({"src": ["b", "c"], "dst": ["c", "a"]}))
    assert dict(zip(frame["vertex"], frame["component"], strict=True)) == {
        "a": "a",
        "b": "a",
        "c": "a",
    }
