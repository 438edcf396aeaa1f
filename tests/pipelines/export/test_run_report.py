"""The run report's counts: per source and stage, quarantine reasons, and the accounting."""

from __future__ import annotations

import pytest

from geodata.params import ExportParams, RunParams
from geodata.pipelines.export.nodes import build_run_report
from tests.conflation.records import SCORING

pytestmark = pytest.mark.spark


ADDRESSES = (
    "address_id STRING, iso_3166_2 STRING, confidence DOUBLE, provenance MAP<STRING, STRING>"
)


def _rows(spark, schema, rows):
    return spark.createDataFrame(rows, schema)


def test_every_record_is_counted_once_by_source_and_quarantine_reasons_add_up(spark):
    ingested = _rows(
        spark,
        "source STRING, source_record_id STRING",
        [("a", "1"), ("a", "2"), ("a", "3"), ("b", "1"), ("b", "2")],
    )
    normalized = _rows(
        spark, "source STRING, source_record_id STRING", [("a", "1"), ("a", "2"), ("b", "1")]
    )
    quarantine = "source STRING, source_record_id STRING, reason STRING"
    normalize_rejected = _rows(
        spark, quarantine, [("a", "3", "unknown_region"), ("b", "2", "unparseable_address")]
    )
    conflate_rejected = _rows(spark, quarantine, [("a", "2", "unknown_region")])
    lineage = _rows(
        spark,
        "address_id STRING, source STRING, source_record_id STRING, iso_3166_2 STRING",
        [("x", "a", "1", "US-CA"), ("x", "b", "1", "US-CA")],
    )
    scored_pairs = _rows(
        spark,
        "key_l STRING, key_r STRING, match_probability DOUBLE, hard_rule STRING",
        [("a1", "b1", 0.9, None), ("a1", "a2", 0.1, "different_units")],
    )
    conflated = _rows(
        spark,
        ADDRESSES,
        [("x", "US-CA", 0.85, {"street": "a", "postcode": "b"})],
    )

    report = build_run_report(
        ingested,
        normalized,
        normalize_rejected,
        conflate_rejected,
        scored_pairs,
        conflated,
        lineage,
        RunParams(execution_dt="2026-11-01"),
        ExportParams(),
        SCORING,
    )

    records = report["records"]
    assert records["ingested_by_source"] == {"a": 3, "b": 2}
    assert records["normalized_by_source"] == {"a": 2, "b": 1}
    assert records["lineage_by_source"] == {"a": 1, "b": 1}
    assert records["quarantine_by_source"] == {"a": 2, "b": 1}
    assert report["quarantine_reasons"] == {
        "a/unknown_region": 2,
        "b/unparseable_address": 1,
    }
    assert report["accounting"] == {
        "in_scope_by_source": {"a": 3, "b": 2},
        "accounted_by_source": {"a": 3, "b": 2},
        "balanced": True,
    }
    merges = report["merges"]
    assert (merges["candidate_pairs"], merges["hard_rule_pairs"], merges["addresses"]) == (2, 1, 1)
    assert merges["survivorship_wins"] == {"a": {"street": 1}, "b": {"postcode": 1}}
    assert merges["source_pair_merges"] == {"a/b": 1}


def test_a_record_missing_from_both_lineage_and_quarantine_unbalances_the_accounting(spark):
    records = "source STRING, source_record_id STRING"
    quarantine = "source STRING, source_record_id STRING, reason STRING"
    report = build_run_report(
        _rows(spark, records, [("a", "1"), ("a", "2")]),
        _rows(spark, records, [("a", "1"), ("a", "2")]),
        _rows(spark, quarantine, []),
        _rows(spark, quarantine, []),
        _rows(spark, "key_l STRING, key_r STRING, match_probability DOUBLE, hard_rule STRING", []),
        _rows(
            spark,
            ADDRESSES,
            [("x", "US-CA", 1.0, {})],
        ),
        _rows(
            spark,
            "address_id STRING, source STRING, source_record_id STRING, iso_3166_2 STRING",
            [("x", "a", "1", "US-CA")],
        ),
        RunParams(execution_dt="2026-11-01"),
        ExportParams(),
        SCORING,
    )

    assert report["records"]["quarantine_by_source"] == {}
    assert report["quarantine_reasons"] == {}
    assert report["accounting"]["in_scope_by_source"] == {"a": 2}
    assert report["accounting"]["accounted_by_source"] == {"a": 1}
    assert report["accounting"]["balanced"] is False
