"""Which truth records a run reads, the truth format checks, quarantine scores, accounting."""

from __future__ import annotations

from datetime import date

import pytest

from geodata.evaluation import (
    prepare_truth,
    quarantine_scores,
    record_counts,
    records_in_scope,
)

RECORDS_SCHEMA = (
    "source string, source_record_id string, dt date, truth_address_id string, invalid boolean"
)
ADDRESSES_SCHEMA = (
    "truth_address_id string, house_number string, street string, unit string, "
    "locality string, postcode string, iso_3166_1 string, iso_3166_2 string, "
    "lat double, lon double, phantom boolean"
)
KEY_SCHEMA = "source string, source_record_id string"

SEP, OCT, NOV, DEC = (date(2026, m, 1) for m in (9, 10, 11, 12))

RECORDS = [
    # A snapshot source with three deliveries: a run on 2026-11-01 reads October's.
    ("a", "a1", SEP, "T1", False),
    ("a", "a2", SEP, "T2", False),
    ("a", "a1", OCT, "T1", False),
    ("a", "a3", OCT, None, True),
    ("a", "a4", DEC, "T3", False),
    # An undated source: one delivery, valid for every date.
    ("b", "b1", None, "T1", False),
    ("b", "b2", None, "P1", False),
    # An event source: every event up to the run date.
    ("c", "c1", SEP, "T2", False),
    ("c", "c2", date(2026, 10, 15), "T3", False),
    ("c", "c3", date(2026, 11, 20), "T1", False),
    # A source whose only delivery is after the run date.
    ("d", "d1", DEC, "T1", False),
]
ADDRESSES = [
    ("T1", "1", "A ST", None, "X", "1", "US", "US-CA", 0.0, 0.0, False),
    ("T2", "2", "A ST", None, "X", "1", "US", "US-CA", 0.0, 0.0, False),
    ("T3", "3", "B KATU", None, "Y", "2", "FI", "FI-18", 0.0, 0.0, False),
    ("P1", "9", "A ST", None, "X", "1", "US", "US-CA", 0.0, 0.0, True),
]


@pytest.fixture()
def truth(spark):
    return prepare_truth(
        spark.createDataFrame(RECORDS, RECORDS_SCHEMA),
        spark.createDataFrame(ADDRESSES, ADDRESSES_SCHEMA),
    )


def _keys(frame) -> set[tuple[str, str]]:
    return {(r.source, r.source_record_id) for r in frame.collect()}


def test_in_scope_reads_each_sources_latest_delivery_and_events_up_to_the_date(truth):
    scope = records_in_scope(truth, NOV, event_sources=["c"])
    assert _keys(scope) == {("a", "a1"), ("a", "a3"), ("b", "b1"), ("b", "b2")} | {
        ("c", "c1"),
        ("c", "c2"),
    }
    flags = {r.source_record_id: (r.invalid, r.phantom) for r in scope.collect()}
    assert flags["a3"] == (True, False)
    assert flags["b2"] == (False, True)
    assert flags["a1"] == (False, False)


def test_in_scope_treats_a_dated_source_as_snapshots_unless_declared_events(truth):
    scope = records_in_scope(truth, NOV)  # "c" not declared an event source
    assert {k for k in _keys(scope) if k[0] == "c"} == {("c", "c2")}


def test_in_scope_region_filter_keeps_invalid_records(truth):
    scope = records_in_scope(truth, NOV, event_sources=["c"], regions=["FI-18"])
    assert _keys(scope) == {("a", "a3"), ("c", "c2")}


def test_truth_format_errors_name_the_missing_column(spark):
    records = spark.createDataFrame(RECORDS, RECORDS_SCHEMA).drop("invalid")
    addresses = spark.createDataFrame(ADDRESSES, ADDRESSES_SCHEMA)
    with pytest.raises(ValueError, match=r"truth records lacks column.*invalid"):
        prepare_truth(records, addresses)


def test_phantom_column_is_optional(spark):
    addresses = spark.createDataFrame(ADDRESSES, ADDRESSES_SCHEMA).drop("phantom")
    truth = prepare_truth(spark.createDataFrame(RECORDS, RECORDS_SCHEMA), addresses)
    assert truth.addresses.where("phantom").count() == 0


def test_quarantine_precision_and_recall(truth, spark):
    scope = records_in_scope(truth, NOV, event_sources=["c"])
    # Expected in quarantine: a3 (invalid) and b2 (phantom). Quarantined: a3 twice
    # (duplicate id rows count once), a1 (wrongly) and an id the truth does not know.
    quarantine = spark.createDataFrame(
        [("a", "a3"), ("a", "a3"), ("a", "a1"), ("x", "x9"), ("a", None)], KEY_SCHEMA
    )
    scores = quarantine_scores(scope, quarantine)
    assert (scores.quarantined, scores.expected, scores.correct) == (2, 2, 1)
    assert scores.unlabelled_quarantined == 1
    assert scores.precision == pytest.approx(1 / 2)
    assert scores.recall == pytest.approx(1 / 2)


def test_quarantine_scores_when_nothing_is_or_should_be_quarantined(truth, spark):
    scope = records_in_scope(truth, NOV, event_sources=["c"]).where("NOT invalid AND NOT phantom")
    scores = quarantine_scores(scope, spark.createDataFrame([], KEY_SCHEMA))
    assert (scores.quarantined, scores.expected, scores.precision, scores.recall) == (
        0,
        0,
        1.0,
        1.0,
    )


def test_record_counts_show_where_records_went(truth, spark):
    scope = records_in_scope(truth, NOV, event_sources=["c"])  # a1 a3 b1 b2 c1 c2
    lineage = spark.createDataFrame(
        [("a", "a1"), ("b", "b1"), ("c", "c1"), ("z", "z1")], KEY_SCHEMA
    )
    quarantine = spark.createDataFrame([("a", "a3"), ("b", "b2")], KEY_SCHEMA)
    counts = record_counts(scope, lineage, quarantine)
    assert counts.as_dict() == {
        "in_scope": 6,
        "in_lineage": 3,
        "in_quarantine": 2,
        "in_neither": 1,  # c2
        "labelled_in_lineage": 3,
        "unlabelled_in_lineage": 1,  # z1
    }


def test_latest_delivery_date_is_the_last_dt_of_any_truth_record(tmp_path):
    import pandas as pd

    from geodata.evaluation import latest_delivery_date

    (tmp_path / "truth").mkdir()
    records = pd.DataFrame(
        {
            "source": ["a", "a", "b", "c"],
            "dt": [date(2026, 9, 1), date(2026, 11, 1), date(2026, 10, 5), None],
        }
    )
    records.to_parquet(tmp_path / "truth" / "records.parquet")
    assert latest_delivery_date(tmp_path) == "2026-11-01"
