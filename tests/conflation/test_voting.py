"""The Arrow vote: support, each field's winner and credited source, the point and the
cluster summary, computed on whole clusters without Spark."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
import pytest

from geodata.conflation.voting import (
    PROVENANCE,
    field_winners,
    provenance,
    support,
    vote,
    vote_batches,
)

WEIGHTS = {"rooftop": 1.0, "parcel": 0.9, "interpolated": 0.8}
RANK = {"rooftop": 1, "parcel": 3, "interpolated": 4}


def _member(cluster, source, record, priority, **values):
    accuracy = values.pop("accuracy", "rooftop")
    return {
        "cluster_key": cluster,
        "source": source,
        "source_record_id": record,
        "priority": priority,
        "dt": values.pop("dt", date(2026, 11, 1)),
        "geometry_accuracy": accuracy,
        "accuracy_rank": RANK.get(accuracy),
        "lat": values.pop("lat", 60.0),
        "lon": values.pop("lon", 25.0),
        "min_edge_probability": values.pop("edge", 0.9),
        "iso_3166_1": "FI",
        "iso_3166_2": "FI-18",
        "unit": values.pop("unit", None),
        "hn_int": values.pop("hn_int", 1),
        "hn_suffix": None,
        "unit_id": None,
        "street_base": "MANNERHEIMINTIE",
        "street_phonetic": "MNRHMNT",
        "_v_street": values.pop("street", None),
    }


def _table(rows):
    schema = pa.schema(
        [
            ("cluster_key", pa.string()),
            ("source", pa.string()),
            ("source_record_id", pa.string()),
            ("priority", pa.int32()),
            ("dt", pa.date32()),
            ("geometry_accuracy", pa.string()),
            ("accuracy_rank", pa.int32()),
            ("lat", pa.float64()),
            ("lon", pa.float64()),
            ("min_edge_probability", pa.float64()),
            ("iso_3166_1", pa.string()),
            ("iso_3166_2", pa.string()),
            ("unit", pa.string()),
            ("hn_int", pa.int64()),
            ("hn_suffix", pa.string()),
            ("unit_id", pa.string()),
            ("street_base", pa.string()),
            ("street_phonetic", pa.string()),
            ("_v_street", pa.string()),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)


def _winners(rows):
    table = _table(rows)
    cluster = np.zeros(len(rows), dtype=np.int64)
    votes = support(table, cluster, np.array([0]), WEIGHTS, 365.0)
    value, source = field_winners(cluster, table["_v_street"], table, votes, 1)
    return value[0].as_py(), source[0].as_py()


def test_support_weighs_priority_accuracy_and_age():
    rows = [
        _member("k", "a", "1", 0),
        _member("k", "b", "1", 1, accuracy="parcel"),
        _member("k", "c", "1", 0, dt=date(2025, 11, 1)),  # 365 days older than the newest
        _member("k", "d", "1", 0, dt=None, accuracy="postal"),  # no weight: 0.5; undated: new
    ]
    votes = support(_table(rows), np.zeros(4, dtype=np.int64), np.array([0]), WEIGHTS, 365.0)
    assert votes == pytest.approx([1.0, 0.45, 0.5, 0.5])


def test_a_source_counts_its_strongest_vote_once():
    rows = [
        _member("k", "a", "1", 0, street="KATU A"),
        _member("k", "a", "2", 0, street="KATU A"),
        _member("k", "a", "3", 0, street="KATU A"),
        _member("k", "b", "1", 0, street="KATU B"),
        _member("k", "c", "1", 1, street="KATU B"),
    ]
    # KATU A: 1.0 from one source; KATU B: 1.0 + 0.5 from two.
    assert _winners(rows) == ("KATU B", "b")


def test_ties_go_to_the_lower_priority_then_the_smaller_value():
    by_priority = [
        _member("k", "a", "1", 1, street="KATU B"),  # 0.5
        _member("k", "b", "1", 3, street="KATU A"),  # 0.25
        _member("k", "c", "1", 3, street="KATU A"),  # 0.25
    ]
    assert _winners(by_priority) == ("KATU B", "a")

    by_value = [
        _member("k", "b", "1", 0, street="KATU B"),
        _member("k", "a", "1", 0, street="KATU A"),
    ]
    assert _winners(by_value) == ("KATU A", "a")
    assert _winners([{**r, "_v_street": None} for r in by_value]) == (None, None)


def test_vote_summarises_each_cluster_and_takes_the_most_accurate_point():
    rows = [
        _member("k2", "b", "9", 1, street="ASEMAKATU", lat=61.0),
        _member("k1", "b", "1", 1, street="ASEMAKATU", accuracy="parcel", lat=60.5, edge=0.7),
        _member("k1", "a", "2", 0, street="ASEMAKATU", accuracy="interpolated", hn_int=3),
        _member("k1", "c", "3", 2, accuracy="rooftop", lat=60.1, unit="A 1"),
        _member("k1", "c", "4", 2, accuracy="rooftop", lat=60.3, unit="A 1"),
    ]
    columns = vote(_table(rows), ("street",), WEIGHTS, 365.0)
    by_cluster = {
        key: {name: column[i].as_py() for name, column in columns.items()}
        for i, key in enumerate(columns["cluster_key"].to_pylist())
    }

    first = by_cluster["k1"]
    assert first["street"] == "ASEMAKATU"
    # Provenance: each field's winning source and the point's, fields without a value left out.
    assert dict(first["provenance"]) == {"street": "a", "geometry": "c"}
    assert dict(by_cluster["k2"]["provenance"]) == {"street": "b", "geometry": "b"}
    assert first["sources"] == ["a", "b", "c"]
    assert first["min_edge_probability"] == pytest.approx(0.7)
    assert first["hn_int"] == 3  # the keys of the highest-priority record (a)
    # The rooftop source's two records, averaged.
    assert (first["lat"], first["geometry_accuracy"], first["geometry_source"]) == (
        pytest.approx(60.2),
        "rooftop",
        "c",
    )
    assert first["unit_votes"] == [{"value": "A 1", "support": pytest.approx(1 / 3)}]
    assert by_cluster["k2"]["sources"] == ["b"] and by_cluster["k2"]["unit_votes"] == []


def test_members_without_a_point_leave_the_point_to_those_with_one():
    rows = [
        # The most accurate, highest-priority source lost its point: the next one places it.
        _member("k1", "a", "1", 0, street="ASEMAKATU", lat=None, lon=None),
        _member("k1", "b", "1", 1, street="ASEMAKATU", accuracy="parcel", lat=60.5),
        # A cluster no source placed has neither point nor geometry accuracy or source.
        _member("k2", "a", "2", 0, street="KAIVOKATU", lat=None, lon=None),
    ]
    columns = vote(_table(rows), ("street",), WEIGHTS, 365.0)
    got = {
        key: {name: columns[name][i].as_py() for name in columns}
        for i, key in enumerate(columns["cluster_key"].to_pylist())
    }
    assert (got["k1"]["lat"], got["k1"]["geometry_accuracy"], got["k1"]["geometry_source"]) == (
        pytest.approx(60.5),
        "parcel",
        "b",
    )
    assert dict(got["k1"]["provenance"]) == {"street": "a", "geometry": "b"}
    assert (got["k2"]["lat"], got["k2"]["lon"], got["k2"]["geometry_accuracy"]) == (None,) * 3
    assert got["k2"]["geometry_source"] is None
    assert dict(got["k2"]["provenance"]) == {"street": "a"}


def test_a_partition_in_several_batches_votes_as_one():
    rows = [
        _member("k1", "a", "1", 0, street="KATU A"),  # 1.0
        _member("k1", "c", "1", 1, street="KATU B"),  # 0.5
        _member("k1", "b", "1", 0, street="KATU B"),  # 1.0
        _member("k2", "a", "2", 0, street="KATU C"),
    ]
    table = _table(rows)
    schema = pa.schema(
        [("cluster_key", pa.string()), ("street", pa.string()), ("provenance", PROVENANCE)]
    )
    body = vote_batches(("street",), WEIGHTS, 365.0, schema)

    whole = pa.Table.from_batches(list(body(iter(table.to_batches()))))
    split = pa.Table.from_batches(list(body(iter(table.to_batches(max_chunksize=1)))))

    assert whole.sort_by("cluster_key").to_pylist() == split.sort_by("cluster_key").to_pylist()
    assert whole.sort_by("cluster_key").to_pylist() == [
        {
            "cluster_key": "k1",
            "street": "KATU B",
            "provenance": [("street", "b"), ("geometry", "a")],
        },
        {
            "cluster_key": "k2",
            "street": "KATU C",
            "provenance": [("street", "a"), ("geometry", "a")],
        },
    ]
    assert list(body(iter([]))) == []


def test_provenance_maps_each_name_to_its_source_in_order_leaving_nulls_out():
    maps = provenance(
        {
            "street": pa.array(["a", None, "b"]),
            "unit": pa.array([None, None, "c"]),
            "geometry": pa.array(["a", "b", None]),
        }
    )
    assert maps.type == PROVENANCE
    assert maps.to_pylist() == [
        [("street", "a"), ("geometry", "a")],
        [("geometry", "b")],
        [("street", "b"), ("unit", "c")],
    ]
    assert provenance({"street": pa.array([], pa.string())}).to_pylist() == []
