"""The chaining guard: components that chain distinct addresses are re-split, true chains stay."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd
import pytest

from geodata.conflation.chaining import (
    _GRAPH_INPUT,
    _distinct_per_member,
    _split_partition,
    cluster_records,
    split_chained_clusters,
)
from geodata.conflation.clustering import connected_components
from tests.conflation.records import CLUSTERING, SCORING, enriched_frame, enriched_record

METRE = 1 / 111_000  # degrees of latitude
TOLERANCE = {"rooftop": 10.0, "parcel": 35.0, "interpolated": 60.0}
MEMBERS = "key string, hn_int long, hn_suffix string, unit_id string, street_dir string, "
MEMBERS += "lat double, lon double, "
MEMBERS += "geometry_accuracy string, priority int"


def _member(key, hn="10", unit=None, north_m=0.0, accuracy="rooftop", priority=1, dir=None):
    number = int("".join(ch for ch in hn if ch.isdigit()))
    suffix = hn.lstrip("0123456789") or None
    return (key, number, suffix, unit, dir, 37.75 + north_m * METRE, -122.43, accuracy, priority)


def _clusters(spark, members, edges, max_distance_ratio=10.0):
    members_df = spark.createDataFrame(members, MEMBERS)
    edges_df = spark.createDataFrame(
        [(s, d, p) for s, d, p in edges], "src string, dst string, match_probability double"
    )
    found = connected_components(edges_df.select("src", "dst"), 50)
    components = members_df.join(found, members_df["key"] == found["vertex"], "left").selectExpr(
        "key", "coalesce(component, key) AS component"
    )
    result = split_chained_clusters(
        members_df,
        edges_df,
        components,
        tolerance_m=TOLERANCE,
        max_distance_ratio=max_distance_ratio,
    )
    groups: dict[str, set[str]] = {}
    for row in result.collect():
        groups.setdefault(row.cluster_key, set()).add(row.key)
    assert all(key == min(members) for key, members in groups.items())
    return sorted(sorted(g) for g in groups.values())


def test_two_units_chained_through_a_record_without_unit_stay_apart(spark):
    members = [_member("a", unit="1"), _member("b"), _member("c", unit="2", north_m=3)]
    edges = [("a", "b", 0.9), ("b", "c", 0.8)]
    # The record without a unit matches both units: ambiguous, so it is an address of its own.
    assert _clusters(spark, members, edges) == [["a"], ["b"], ["c"]]


def test_a_record_without_unit_joins_the_one_unit_it_matches(spark):
    members = [
        _member("a1", unit="1"),
        _member("a2", unit="1", north_m=4),
        _member("b"),  # 10, no unit
        _member("d", hn="12"),  # another house number, linked to b
        _member("e", hn="12", north_m=2),
    ]
    edges = [("a1", "a2", 0.95), ("a2", "b", 0.7), ("b", "d", 0.6), ("d", "e", 0.9)]
    assert _clusters(spark, members, edges) == [["a1", "a2", "b"], ["d", "e"]]


def test_records_of_one_unit_linked_only_through_a_partial_record_end_together(spark):
    members = [_member("a", unit="1"), _member("b"), _member("c", unit="1"), _member("x", "12")]
    edges = [("a", "b", 0.9), ("b", "c", 0.9), ("c", "x", 0.6)]
    assert _clusters(spark, members, edges) == [["a", "b", "c"], ["x"]]


def test_a_house_number_suffix_is_hard_evidence(spark):
    members = [_member("a", "12"), _member("b", "12", north_m=2), _member("c", "12A")]
    edges = [("a", "b", 0.9), ("b", "c", 0.9)]
    assert _clusters(spark, members, edges) == [["a", "b"], ["c"]]


def test_opposite_directionals_chained_through_a_record_without_one_stay_apart(spark):
    """N LINDEN AVE and S LINDEN AVE linked through a LINDEN AVE record: the directional
    conflicts, so it is hard evidence; the record without one matches both and stays alone.
    A component whose records never disagree on a directional is left whole."""
    members = [
        _member("n1", dir="N"),
        _member("n2", dir="N", north_m=3),
        _member("x"),
        _member("s1", dir="S", north_m=30),
        _member("p1", hn="20"),
        _member("p2", hn="20", dir="N", north_m=2),
    ]
    edges = [("n1", "n2", 0.9), ("n2", "x", 0.8), ("x", "s1", 0.7), ("p1", "p2", 0.9)]
    assert _clusters(spark, members, edges) == [["n1", "n2"], ["p1", "p2"], ["s1"], ["x"]]


def test_a_long_chain_of_one_address_stays_one_cluster(spark):
    # 25 records of one address, each linked only to the next, drifting 1.5 m per step
    # (36 m end to end, within the spread allowed for rooftop points), one without unit.
    members = [_member(f"r{i:02d}", unit="1", north_m=1.5 * i) for i in range(25)]
    members[12] = _member("r12", unit=None, north_m=18)
    edges = [(f"r{i:02d}", f"r{i + 1:02d}", 0.9) for i in range(24)]
    assert _clusters(spark, members, edges) == [[f"r{i:02d}" for i in range(25)]]


def test_members_far_from_the_anchor_are_split_off_together(spark):
    members = [
        _member("a"),
        _member("b", north_m=150, accuracy="parcel", priority=2),  # 150 m < 10 x (10 + 35)
        _member("c", north_m=400, accuracy="parcel", priority=2),  # 400 m: stays
        _member("d", north_m=900, accuracy="parcel", priority=2),  # > 450 m from a
        _member("e", north_m=950, priority=1),  # > 200 m from a
    ]
    edges = [("a", "b", 0.9), ("b", "c", 0.9), ("c", "d", 0.9), ("d", "e", 0.9)]
    assert _clusters(spark, members, edges) == [["a", "b", "c"], ["d", "e"]]
    # The limit scales: with a tighter ratio, parcel points 150 m away leave too.
    assert _clusters(spark, members, edges, max_distance_ratio=3) == [
        ["a"],
        ["b", "c", "d", "e"],
    ]


def test_a_member_without_a_point_is_never_far_and_never_the_anchor(spark):
    unplaced = ("u", 10, None, None, None, None, None, "rooftop", 0)
    members = [
        unplaced,  # the most accurate and highest priority, but nowhere
        _member("a", accuracy="parcel"),
        _member("b", north_m=100, accuracy="parcel", priority=2),  # 100 m < 10 x (35 + 35)
        _member("c", north_m=2000, accuracy="parcel", priority=2),  # > 700 m from a
    ]
    edges = [("u", "a", 0.9), ("a", "b", 0.9), ("b", "c", 0.9)]
    assert _clusters(spark, members, edges) == [["a", "b", "u"], ["c"]]


@pytest.fixture(scope="module")
def chained_records(spark):
    rows = [
        enriched_record("a", "1", "10", "MAIN ST", unit="UNIT 1"),
        enriched_record("b", "1", "10", "MAIN ST"),
        enriched_record("c", "1", "10", "MAIN ST", unit="UNIT 2"),
        enriched_record("a", "2", "10", "MAIN ST", unit="UNIT 1", lat=37.75 + 3 * METRE),
    ]
    return enriched_frame(spark, rows)


def _key(source, record_id):
    return f"{source}\u001f{record_id}"


def _clustered_records(spark, records, scored, local_component_edges=1_000):
    """`cluster_records` of `records` for (record, record, probability) pairs, by "source:id"."""
    pairs = spark.createDataFrame(
        [(_key(*left.split(":")), _key(*right.split(":")), p) for left, right, p in scored],
        "key_l string, key_r string, match_probability double",
    )
    clusters = cluster_records(
        records,
        pairs,
        match_threshold=SCORING.match_threshold,
        tolerance_m=CLUSTERING.geometry_tolerance_m,
        max_distance_ratio=CLUSTERING.max_distance_ratio,
        max_iterations=CLUSTERING.max_iterations,
        local_component_edges=local_component_edges,
    )
    return {r.key.replace("\u001f", ":"): r for r in clusters.collect()}


def test_clusters_do_not_chain_two_units_into_one_address(spark, chained_records):
    # Scored pairs as a looser model could produce them: the record without a unit
    # matches both units.
    rows = _clustered_records(
        spark, chained_records, [("a:1", "b:1", 0.9), ("b:1", "c:1", 0.85), ("a:1", "a:2", 0.97)]
    )
    assert len(rows) == 4
    # Labelled in one task or propagated across the cluster: the same clusters.
    propagated = _clustered_records(
        spark,
        chained_records,
        [("a:1", "b:1", 0.9), ("b:1", "c:1", 0.85), ("a:1", "a:2", 0.97)],
        local_component_edges=0,
    )
    assert propagated == rows
    assert rows["a:1"].cluster_key == rows["a:2"].cluster_key
    assert len({rows["a:1"].cluster_key, rows["b:1"].cluster_key, rows["c:1"].cluster_key}) == 3
    # The weakest edge is measured inside the final cluster, not across the split.
    assert rows["a:1"].min_edge_probability == pytest.approx(0.97)
    assert rows["b:1"].min_edge_probability == 1.0


def test_records_without_a_match_are_addresses_of_their_own(spark, chained_records):
    # Only a-1 and a-2 match; b-1 and c-1 were compared but are no match for anyone.
    rows = _clustered_records(
        spark, chained_records, [("a:1", "a:2", 0.97), ("a:1", "b:1", 0.2), ("b:1", "c:1", 0.1)]
    )
    assert sorted(rows) == ["a:1", "a:2", "b:1", "c:1"]  # every member exactly once
    assert rows["a:1"].cluster_key == rows["a:2"].cluster_key == _key("a", "1")
    assert rows["a:1"].min_edge_probability == pytest.approx(0.97)
    for alone in ("b:1", "c:1"):
        assert rows[alone].cluster_key == rows[alone].key
        assert rows[alone].min_edge_probability == 1.0


def _dropped(spark, edges, non_matches):
    from geodata.conflation.chaining import drop_inconsistent_edges

    edge_rows = [(min(s, d), max(s, d), p) for s, d, p in edges]
    scored = edge_rows + [(min(s, d), max(s, d), p) for s, d, p in non_matches]
    kept = drop_inconsistent_edges(
        spark.createDataFrame(edge_rows, "src string, dst string, match_probability double"),
        spark.createDataFrame(scored, "key_l string, key_r string, match_probability double"),
        threshold=0.5,
    )
    kept_pairs = {(r.src, r.dst) for r in kept.collect()}
    return sorted({(s, d) for s, d, _ in edge_rows} - kept_pairs)


def test_a_weak_edge_that_breaks_transitivity_is_dropped(spark):
    """A (a postcode centroid) matches B strongly and C barely; B and C are clearly
    different addresses. Keeping both edges would merge B and C: the weak edge goes."""
    dropped = _dropped(spark, [("a", "b", 0.9999), ("a", "c", 0.55)], [("b", "c", 0.001)])
    assert dropped == [("a", "c")]


def test_strong_edges_outweigh_a_mild_disagreement(spark):
    """A noisy record C disagrees mildly with B (p 0.2) while A matches both strongly:
    all three together is the likelier reading, so nothing is dropped."""
    assert _dropped(spark, [("a", "b", 0.999), ("a", "c", 0.99)], [("b", "c", 0.2)]) == []


def test_a_hard_rule_between_the_ends_always_breaks_the_triangle(spark):
    dropped = _dropped(spark, [("a", "b", 0.999), ("a", "c", 0.998)], [("b", "c", 0.0)])
    assert dropped == [("a", "c")]


def test_components_sharing_a_partition_are_split_independently():
    """One partition holds many components: each is split as if it were alone."""

    def rows(component, members, edges):
        frame = [
            {"component": component, "key": k, "hk": hk, "uk": uk, "lat": 37.75, "lon": -122.43}
            | {"rank": 1.0, "priority": 1.0, "tolerance": 10.0}
            for k, hk, uk in members
        ]
        frame += [
            {"component": component, "src": s, "dst": d, "match_probability": p}
            for s, d, p in edges
        ]
        return pd.DataFrame(frame).reindex(columns=list(_GRAPH_INPUT))

    units = rows(
        "a",
        [("a", "10|", "1"), ("b", "10|", None), ("c", "10|", "2")],
        [("a", "b", 0.9), ("b", "c", 0.8)],
    )
    chain = rows("d", [("d", "12|", None), ("e", "12|", None)], [("d", "e", 0.7)])

    def clusters(frame):
        result = _split_partition(frame, 10.0)
        return {r.key: (r.cluster_key, r.min_edge_probability) for r in result.itertuples()}

    together = clusters(pd.concat([units, chain], ignore_index=True))
    assert together == {**clusters(units), **clusters(chain)}
    assert together == {
        "a": ("a", 1.0),
        "b": ("b", 1.0),
        "c": ("c", 1.0),
        "d": ("d", 0.7),
        "e": ("d", 0.7),
    }


def test_a_cluster_is_named_by_its_smallest_key_in_string_order():
    """The cluster key is the smallest member key as strings order (Spark's order),
    whatever the keys' lengths and letters; the anchor's tie goes to the smaller key."""
    keys = ["vendor\u001f9", "county\u001f10", "\u00f6\u001f1", "county\u001f9", "County\u001f2"]
    members = [
        {"component": "x", "key": k, "hk": "10|", "uk": None, "lat": 37.75, "lon": -122.43}
        | {"rank": 1.0, "priority": 1.0, "tolerance": 10.0}
        for k in keys
    ]
    edges = [
        {"component": "x", "src": a, "dst": b, "match_probability": 0.9} for a, b in pairwise(keys)
    ]
    frame = pd.DataFrame(members + edges).reindex(columns=list(_GRAPH_INPUT))
    result = _split_partition(frame.sample(frac=1, random_state=3), 10.0)
    assert set(result["key"]) == set(keys)
    assert set(result["cluster_key"]) == {min(keys)} == {"County\u001f2"}
    assert (result["min_edge_probability"] == 0.9).all()


def test_distinct_values_are_counted_per_group_without_nulls():
    groups = np.array([0, 0, 0, 1, 1, 2])
    values = pd.Series(["a", "b", None, "c", "c", None])
    assert _distinct_per_member(groups, values).tolist() == [2, 2, 2, 1, 1, 0]


def test_a_region_where_nothing_matched_has_nothing_to_split(spark):
    # No edge, so no component to split: the guard's input is empty, and a task with
    # no rows gets no batch at all.
    members = spark.createDataFrame([_member("a"), _member("b", hn="12")], MEMBERS)
    edges = spark.createDataFrame([], "src string, dst string, match_probability double")
    components = spark.createDataFrame([], "key string, component string")
    result = split_chained_clusters(
        members, edges, components, tolerance_m=TOLERANCE, max_distance_ratio=10.0
    )
    assert result.collect() == []
