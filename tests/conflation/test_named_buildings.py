"""Named buildings: "MAPLE COURT, FIR LANE" takes the number other records give the name."""

from __future__ import annotations

from pyspark.sql import types as T

from geodata.conflation.named_buildings import building_numbers, with_building_numbers

_SCHEMA = T.StructType(
    [
        T.StructField("record", T.StringType()),
        T.StructField("iso_3166_2", T.StringType()),
        T.StructField("street_phonetic", T.StringType()),
        T.StructField("house_number", T.StringType()),
        T.StructField("hn_int", T.LongType()),
        T.StructField("hn_suffix", T.StringType()),
        T.StructField("building_name", T.StringType()),
        T.StructField("action", T.StringType()),
    ]
)


def _numbered(record, number, name=None, street="FRLN", *, action=None):
    digits = "".join(c for c in number if c.isdigit())
    suffix = number[len(digits) :] or None
    return (record, "GB-ENG", street, number, int(digits), suffix, name, action)


def _named(record, name, street="FRLN"):
    return (record, "GB-ENG", street, name, None, name, None, None)


def _numbers(spark, rows):
    records = spark.createDataFrame(rows, _SCHEMA)
    out = with_building_numbers(records, building_numbers(records))
    assert out.columns == records.columns
    return {r.record: (r.house_number, r.hn_int, r.hn_suffix) for r in out.collect()}


def test_a_building_named_alone_takes_the_number_written_beside_its_name(spark):
    numbers = _numbers(
        spark,
        [
            _numbered("a", "12", "MAPLE COURT"),
            _numbered("b", "12"),
            _named("c", "MAPLE COURT"),
            _named("d", "WILLOW MILL"),
        ],
    )
    assert numbers["c"] == ("12", 12, None)
    # A building known by its name only keeps it.
    assert numbers["d"] == ("WILLOW MILL", None, "WILLOW MILL")
    assert numbers["a"] == numbers["b"] == ("12", 12, None)


def test_a_house_letter_comes_with_the_number(spark):
    numbers = _numbers(spark, [_numbered("a", "12A", "ROSE COTTAGE"), _named("b", "ROSE COTTAGE")])
    assert numbers["b"] == ("12A", 12, "A")


def test_no_number_is_chosen_between_two(spark):
    numbers = _numbers(
        spark,
        [
            _numbered("a", "12", "MAPLE COURT"),
            _numbered("b", "14", "MAPLE COURT"),
            _named("c", "MAPLE COURT"),
        ],
    )
    assert numbers["c"] == ("MAPLE COURT", None, "MAPLE COURT")


def test_only_the_same_street_counts(spark):
    numbers = _numbers(
        spark,
        [
            _numbered("a", "12", "MAPLE COURT", street="FRLN"),
            _named("b", "MAPLE COURT", street="ASKRF"),
        ],
    )
    assert numbers["b"] == ("MAPLE COURT", None, "MAPLE COURT")


def test_a_correction_that_acts_on_addresses_is_no_evidence(spark):
    numbers = _numbers(
        spark, [_numbered("a", "12", "MAPLE COURT", action="fix"), _named("b", "MAPLE COURT")]
    )
    assert numbers["b"] == ("MAPLE COURT", None, "MAPLE COURT")
