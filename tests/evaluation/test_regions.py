"""Figures per region and the reasons valid records were quarantined, on a hand-built run."""

from __future__ import annotations

import json

import pytest

from geodata.evaluation import RunOutputs, evaluate_outputs, prepare_truth

# Truth: T1, T2 in US-CA; T3, T4 in FI-18; x1 and x2 are invalid records.
ADDRESSES = [
    ("T1", "1", "A ST", None, "X", "90001", "US", "US-CA", 34.0, -117.0),
    ("T2", "2", "A ST", None, "X", "90001", "US", "US-CA", 34.0, -117.0),
    ("T3", "3", "B KATU", "A 1", "HELSINKI", "00100", "FI", "FI-18", 60.0, 24.0),
    ("T4", "4", "B KATU", None, "HELSINKI", "00100", "FI", "FI-18", 60.0, 24.0),
]
RECORDS = {
    "u1": "T1",
    "u2": "T1",
    "u3": "T2",
    "f1": "T3",
    "f2": "T3",
    "f3": "T4",
    "x1": None,
    "x2": None,
}
# The run: US-CA merges T2 into T1's address; FI-18 splits T3 and quarantines f3 (valid)
# and x1 (invalid); x2 (invalid) slips into a US-CA address; x3 is no record of the truth.
LINEAGE = [
    ("u1", "A", "US-CA"),
    ("u2", "A", "US-CA"),
    ("u3", "A", "US-CA"),
    ("f1", "C", "FI-18"),
    ("f2", "D", "FI-18"),
    ("x2", "E", "US-CA"),
]
QUARANTINE = [
    ("f3", "unknown_region", "FI-18"),
    ("x1", "unparseable_address", "FI-18"),
    ("x3", "unparseable_address", "FI-ZZ"),
]
CONFLATED = [
    ("A", "1", "A ST", None, "X", "90001", 34.0, -117.0, "US-CA"),
    ("C", "3", "B KATU", "A 1", "HELSINKI", "00100", 60.0, 24.0, "FI-18"),
    ("D", "3", "B KATU", "A 1", "HELSINKI", "00200", 60.0, 24.0, "FI-18"),
    ("E", "9", "Z ST", None, "X", "90001", 34.0, -117.0, "US-CA"),
]


@pytest.fixture(scope="module")
def report(spark):
    truth = prepare_truth(
        spark.createDataFrame(
            [("s", r, None, t, t is None) for r, t in RECORDS.items()],
            "source string, source_record_id string, dt date, truth_address_id string, "
            "invalid boolean",
        ),
        spark.createDataFrame(
            ADDRESSES,
            "truth_address_id string, house_number string, street string, unit string, "
            "locality string, postcode string, iso_3166_1 string, iso_3166_2 string, "
            "lat double, lon double",
        ),
    )
    outputs = RunOutputs(
        conflated=spark.createDataFrame(
            CONFLATED,
            "address_id string, house_number string, street string, unit string, "
            "locality string, postcode string, lat double, lon double, iso_3166_2 string",
        ),
        lineage=spark.createDataFrame(
            [("s", r, a, c) for r, a, c in LINEAGE],
            "source string, source_record_id string, address_id string, iso_3166_2 string",
        ),
        quarantine=spark.createDataFrame(
            [("s", r, why, c) for r, why, c in QUARANTINE],
            "source string, source_record_id string, reason string, iso_3166_2 string",
        ),
    )
    return evaluate_outputs(truth, outputs, "2026-11-01")


def test_each_region_is_scored_on_its_own_records(report):
    us, fi = report.per_region["US-CA"], report.per_region["FI-18"]
    assert list(report.per_region) == ["FI-18", "US-CA"]  # no region for unknown ones
    # US-CA: u1 u2 u3, plus x2, filed there by the run.
    assert us.records.in_scope == 4
    assert (us.pairwise.predicted_pairs, us.pairwise.true_pairs, us.pairwise.correct_pairs) == (
        3,
        1,
        1,
    )
    assert us.pairwise.precision == pytest.approx(1 / 3)
    assert us.quarantine.expected == 1
    assert us.quarantine.recall == 0.0
    # FI-18: f1 f2 f3, plus x1, quarantined there.
    assert fi.records.in_scope == 4
    assert fi.records.in_quarantine == 2
    assert (fi.pairwise.predicted_pairs, fi.pairwise.true_pairs) == (0, 1)
    assert fi.pairwise.recall == 0.0
    assert (fi.quarantine.quarantined, fi.quarantine.correct) == (2, 1)
    assert fi.quarantine.precision == pytest.approx(0.5)
    assert fi.wrongly_quarantined == {"unknown_region": 1}
    assert us.wrongly_quarantined == {}
    # Field accuracy against each address's majority truth: D has another postcode.
    assert fi.fields.addresses == 2
    assert fi.fields.accuracy("postcode") == pytest.approx(0.5)
    assert us.fields.accuracy("street") == 1.0


def test_the_report_carries_the_regions_and_the_quarantine_reasons(report):
    assert report.wrongly_quarantined == {"unknown_region": 1}
    figures = json.loads(json.dumps(report.as_dict()))
    assert figures["per_region"]["FI-18"]["quarantine"]["precision"] == pytest.approx(0.5)
    assert figures["per_region"]["US-CA"]["pairwise"]["f1"] == pytest.approx(0.5)
    assert "percentiles_m" not in figures["per_region"]["US-CA"]["geometry"]
    table = report.render_table()
    assert "per region" in table
    assert "valid records quarantined: unknown_region" in table
    rows = {line.split()[0]: line.split() for line in table.splitlines()[-2:]}
    assert rows["FI-18"][1] == "4"
