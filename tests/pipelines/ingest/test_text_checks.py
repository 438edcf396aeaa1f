"""Junk text (overlong fields, control and replacement characters, no letters or digits)
is rejected at ingest, before normalization would clean the evidence away."""

from __future__ import annotations

import pytest
from pyspark.sql import functions as F

from geodata.params import RunParams, SourceParams
from geodata.pipelines.ingest.nodes import (
    MAX_FIELD_LENGTH,
    MAX_FULL_ADDRESS_LENGTH,
    is_invalid_text,
    is_too_long,
    map_source_records,
)
from geodata.pipelines.normalize.nodes import normalize_records

LEGITIMATE = [
    "12",
    "12 1/2",
    "12½",
    "10-12",
    "12A",
    "# 4",
    "#",  # a unit designator alone, or a placeholder: normalization reads it as empty
    "-",
    "???",
    "—",
    "Apt. 4",
    "O'Connor-Smith Road",
    "Äänen Öljy Åsväg Élan Großweg",
    "Ñandú Çay",
    "山川路 ٣٤",
    "Line one\nline two\tthree",
]
JUNK = [
    "Main\x00St",
    "\x01\x02",
    "Stra\ufffde",
    "\ufffd\ufffd\ufffd St",
    "name\x85",  # a C1 control: text decoded with the wrong single-byte code page
    "☺☺☺",
    "\u200b",
    "€ €",
    "\ue000\ue001",
]


def _flags(spark, values, check):
    frame = spark.createDataFrame([(v,) for v in values], "value string")
    return [r.flag for r in frame.select(check(F.col("value")).alias("flag")).collect()]


def test_legitimate_text_is_not_invalid(spark):
    assert _flags(spark, LEGITIMATE, is_invalid_text) == [False] * len(LEGITIMATE)


def test_control_replacement_and_letterless_characters_are_invalid(spark):
    assert _flags(spark, JUNK, is_invalid_text) == [True] * len(JUNK)


def test_a_null_field_is_neither_invalid_nor_too_long(spark):
    assert _flags(spark, [None], is_invalid_text) == [None]
    assert _flags(spark, [None], lambda c: is_too_long(c, 3)) == [None]


def test_length_is_counted_in_characters(spark):
    values = ["ä" * MAX_FIELD_LENGTH, "ä" * (MAX_FIELD_LENGTH + 1)]
    assert _flags(spark, values, lambda c: is_too_long(c, MAX_FIELD_LENGTH)) == [False, True]


SOURCE = SourceParams(
    priority=1,
    geometry_accuracy="rooftop",
    columns={
        "source_record_id": "ID",
        "house_number": "NUM",
        "street": "STREET",
        "unit": "UNIT",
        "full_address": "ADDRESS",
        "lon": "X",
        "lat": "Y",
    },
    constants={"country": "US", "region": "CA"},
)
SCHEMA = "ID string, NUM string, STREET string, UNIT string, ADDRESS string, X string, Y string"


def _record(record_id, num="12", street="Oak Street", unit=None, address=None):
    return (record_id, num, street, unit, address, "-122.4", "37.7")


def _reasons(frame):
    return {r.source_record_id: r.reject_reason for r in frame.collect()}


def test_overlong_fields_are_rejected_as_field_too_long(spark):
    long_street = "Oak " * 25_000  # 100,000 characters
    raw = spark.createDataFrame(
        [
            _record("long", street=long_street),
            _record("long-address", street=None, address="1 Oak St " * 60),
            _record("longest-name", street="O" * MAX_FIELD_LENGTH),
            _record("address", street=None, address="1 " + "Oak " * 120),
        ],
        SCHEMA,
    )
    out = map_source_records(raw, SOURCE, RunParams(execution_dt="2026-11-01"), source_name="s")
    assert _reasons(out) == {
        "long": "field_too_long",
        "long-address": "field_too_long",
        "longest-name": None,
        "address": None,
    }
    assert len("1 Oak St " * 60) > MAX_FULL_ADDRESS_LENGTH >= len("1 " + "Oak " * 120)
    rejected = out.where(F.col("source_record_id") == "long").first()
    assert long_street.strip() in rejected.raw


@pytest.mark.parametrize(
    ("field", "value"),
    [("NUM", "1\x002"), ("STREET", "\ufffd\ufffd St"), ("UNIT", "☺"), ("ADDRESS", "\x1b[0m")],
)
def test_junk_in_any_text_field_is_rejected_as_invalid_text(spark, field, value):
    record = dict(zip(SCHEMA.replace(" string", "").split(", "), _record("1"), strict=True))
    raw = spark.createDataFrame([tuple({**record, field: value}.values())], SCHEMA)
    out = map_source_records(raw, SOURCE, RunParams(execution_dt="2026-11-01"), source_name="s")
    assert _reasons(out) == {"1": "invalid_text"}


def test_a_latin1_csv_read_as_utf8_is_quarantined_with_its_raw_text(spark, tmp_path):
    # Spark's CSV reader decodes UTF-8: latin-1 bytes become U+FFFD, which normalization
    # would fold away (leaving only the street type) if ingest let the record through.
    path = tmp_path / "addresses.csv"
    path.write_bytes(
        b"ID,NUM,STREET,UNIT,ADDRESS,X,Y\n"
        + "1,12,Äänen Straße,-,,-122.4,37.7\n".encode()
        + "2,14,Äänen Straße,,,-122.4,37.7\n".encode("latin-1")
    )
    raw = spark.read.csv(str(path), header=True, schema=SCHEMA, enforceSchema=False)
    out = map_source_records(raw, SOURCE, RunParams(execution_dt="2026-11-01"), source_name="s")
    assert _reasons(out) == {"1": None, "2": "invalid_text"}

    valid, rejected = normalize_records(out, RunParams(execution_dt="2026-11-01"))
    assert [r.source_record_id for r in valid.collect()] == ["1"]
    quarantined = rejected.collect()
    assert [(r.source_record_id, r.reason) for r in quarantined] == [("2", "invalid_text")]
    assert "\ufffd\ufffdnen Stra\ufffde" in quarantined[0].raw


def test_text_is_judged_before_coordinates(spark):
    raw = spark.createDataFrame([("1", "12", "\x01", None, None, "0", "0")], SCHEMA)
    out = map_source_records(raw, SOURCE, RunParams(execution_dt="2026-11-01"), source_name="s")
    assert _reasons(out) == {"1": "invalid_text"}
