"""Ingest nodes on small hand-made deliveries."""

from datetime import date

import pytest

from geodata.params import RunParams, SourceParams
from geodata.pipelines.ingest.nodes import SourceColumnError, map_source_records

SOURCE = SourceParams(
    priority=1,
    geometry_accuracy="rooftop",
    columns={
        "source_record_id": "ID",
        "dt": "DELIVERED",
        "house_number": "NUM",
        "street": "STREET",
        "lon": "X",
        "lat": "Y",
    },
    constants={"country": "US", "region": "CA"},
)
COLUMNS = "ID string, DELIVERED string, NUM string, STREET string, X string, Y string"


def _run(day: str) -> RunParams:
    return RunParams(execution_dt=day)


def test_latest_delivery_on_or_before_the_run_date_is_used(spark):
    raw = spark.createDataFrame(
        [
            ("1", "2026-09-01", "12", "Main St", "-122.4", "37.7"),
            ("1", "2026-10-01", "12", "Main Street", "-122.4", "37.7"),
            ("2", "2026-10-01", "14", "Main St", "-122.4", "37.7"),
            ("1", "2026-11-01", "12", "MAIN ST", "-122.4", "37.7"),
        ],
        COLUMNS,
    )
    out = map_source_records(raw, SOURCE, _run("2026-10-15"), source_name="county")
    rows = sorted(out.collect(), key=lambda r: r.source_record_id)
    assert [(r.source_record_id, r.dt, r.street) for r in rows] == [
        ("1", date(2026, 10, 1), "Main Street"),
        ("2", date(2026, 10, 1), "Main St"),
    ]
    assert {r.source for r in rows} == {"county"}
    assert {r.region for r in rows} == {"CA"}  # from constants
    assert all(r.reject_reason is None for r in rows)
    assert '"STREET":"Main Street"' in rows[0].raw


def test_a_run_before_the_first_delivery_has_no_records(spark):
    raw = spark.createDataFrame([("1", "2026-09-01", "12", "Main St", "-122.4", "37.7")], COLUMNS)
    out = map_source_records(raw, SOURCE, _run("2026-08-01"), source_name="county")
    assert out.count() == 0


def test_a_record_with_an_unreadable_date_is_kept_whatever_the_deliveries(spark):
    raw = spark.createDataFrame(
        [
            ("1", "2026-09-01", "12", "Main St", "-122.4", "37.7"),
            ("2", "someday", "14", "Main St", "-122.4", "37.7"),
        ],
        COLUMNS,
    )
    for day, kept in (("2026-08-01", ["2"]), ("2026-10-01", ["1", "2"])):
        out = map_source_records(raw, SOURCE, _run(day), source_name="county")
        rows = sorted(out.collect(), key=lambda r: r.source_record_id)
        assert [r.source_record_id for r in rows] == kept
        assert rows[-1].reject_reason == "invalid_delivery_date"


@pytest.mark.parametrize(
    ("written", "country", "day"),
    [
        ("2026-10-01", "US", date(2026, 10, 1)),
        ("2026-10-01T08:30:00Z", "US", date(2026, 10, 1)),
        ("20261001", "US", date(2026, 10, 1)),
        ("2026/10/01", "US", date(2026, 10, 1)),
        ("1.10.2026", "FI", date(2026, 10, 1)),
        # With slashes and the year last: the month first in a US source, the day
        # first elsewhere, and the other way where that is no date.
        ("10/01/2026", "US", date(2026, 10, 1)),
        ("01/10/2026", "GB", date(2026, 10, 1)),
        ("10/01/2026", "United States", date(2026, 10, 1)),
        ("25/10/2026", "US", date(2026, 10, 25)),
    ],
)
def test_a_delivery_date_is_read_as_files_write_it(spark, written, country, day):
    source = SOURCE.model_copy(update={"constants": {"country": country, "region": "CA"}})
    raw = spark.createDataFrame([("1", written, "12", "Main St", "-122.4", "37.7")], COLUMNS)
    [row] = map_source_records(raw, source, _run("2026-11-01"), source_name="county").collect()
    assert (row.dt, row.reject_reason) == (day, None)


def test_invalid_records_get_reason_codes(spark):
    raw = spark.createDataFrame(
        [
            ("1", "2026-10-01", "12", "Main St", "0", "0"),
            ("2", "2026-10-01", "12", "Main St", "-122.4", "123.4"),
            ("3", "2026-10-01", "12", "Main St", None, "37.7"),
            (None, "2026-10-01", "12", "Main St", "-122.4", "37.7"),
            ("5", "2026-10-01", "12", "Main St", "-122.4", "37.7"),
            ("5", "2026-10-01", "12", "Main Street", "-122.4", "37.7"),
            ("7", "not a date", "12", "Main St", "-122.4", "37.7"),
            ("8", "2026-10-01", "12", "Main St", "abc", "37.7"),
        ],
        COLUMNS,
    )
    out = map_source_records(raw, SOURCE, _run("2026-11-01"), source_name="county")
    reasons = sorted((r.source_record_id or "", r.reject_reason or "") for r in out.collect())
    # An unusable point alone rejects no address record (see the next test).
    assert reasons == [
        ("", "missing_record_id"),
        ("1", ""),
        ("2", ""),
        ("3", ""),
        ("5", ""),
        ("5", "duplicate_record_id"),
        ("7", "invalid_delivery_date"),
        ("8", ""),
    ]


def test_an_unusable_point_is_dropped_and_the_address_kept_with_its_raw_record(spark):
    raw = spark.createDataFrame(
        [
            ("1", "2026-10-01", "12", "Main St", "0", "0"),
            ("2", "2026-10-01", "12", "Main St", "-122.4", "123.4"),
            ("3", "2026-10-01", "12", "Main St", None, "37.7"),
            ("4", "2026-10-01", "12", "Main St", "abc", "37.7"),
            ("5", "2026-10-01", "12", "Main St", "-122.4", "37.7"),
            # Decimal commas, as European locales print decimals, are decimals.
            ("6", "2026-10-01", "12", "Main St", "-122,4", " 37,7 "),
            ("7", "2026-10-01", "12", "Main St", "-122,400,1", "37.7"),
        ],
        COLUMNS,
    )
    out = map_source_records(raw, SOURCE, _run("2026-11-01"), source_name="county")
    rows = {r.source_record_id: r for r in out.collect()}
    assert {k: (r.lon, r.lat) for k, r in rows.items()} == {
        "1": (None, None),
        "2": (None, None),
        "3": (None, None),
        "4": (None, None),
        "5": (-122.4, 37.7),
        "6": (-122.4, 37.7),
        "7": (None, None),
    }
    assert all(r.reject_reason is None and r.street == "Main St" for r in rows.values())
    assert '"Y":"123.4"' in rows["2"].raw


CORRECTIONS = SourceParams(
    kind="corrections",
    priority=0,
    geometry_accuracy="rooftop",
    columns={
        "source_record_id": "ID",
        "action": "ACTION",
        "full_address": "ADDR",
        "lon": "X",
        "lat": "Y",
    },
    constants={"country": "US"},
)


def test_a_correction_without_a_usable_point_is_rejected_for_it(spark):
    raw = spark.createDataFrame(
        [
            ("c1", "fix", "1 Main St, Town, CA", None, 37.7),
            ("c2", "fix", "1 Main St, Town, CA", 0.0, 0.0),
            ("c3", "fix", "1 Main St, Town, CA", -122.4, 123.4),
            ("c4", "delete", "1 Main St, Town, CA", None, None),
        ],
        "ID string, ACTION string, ADDR string, X double, Y double",
    )
    out = map_source_records(raw, CORRECTIONS, _run("2026-11-01"), source_name="users")
    assert {r.source_record_id: r.reject_reason for r in out.collect()} == {
        "c1": "missing_coordinates",
        "c2": "null_island",
        "c3": "invalid_coordinates",
        "c4": "missing_coordinates",
    }


def test_a_missing_mapped_column_names_the_source_and_column(spark):
    raw = spark.createDataFrame(
        [("1", "2026-10-01", "12", "-122.4", "37.7")],
        "ID string, DELIVERED string, NUM string, X string, Y string",
    )
    with pytest.raises(SourceColumnError, match=r"'county'.*\['STREET'\]"):
        map_source_records(raw, SOURCE, _run("2026-11-01"), source_name="county")


def test_corrections_with_unknown_actions_are_rejected(spark):
    raw = spark.createDataFrame(
        [
            ("c1", "FIX", "1 Main St, Town, CA", -122.4, 37.7),
            ("c2", "delete", "1 Main St, Town, CA", -122.4, 37.7),
        ],
        "ID string, ACTION string, ADDR string, X double, Y double",
    )
    out = map_source_records(raw, CORRECTIONS, _run("2026-11-01"), source_name="users")
    got = {r.source_record_id: (r.action, r.reject_reason) for r in out.collect()}
    assert got == {"c1": ("fix", None), "c2": ("delete", "invalid_action")}
