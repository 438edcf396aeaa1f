"""The declarative comparison engine: levels, weights, hard rules and probabilities."""

import math

import pytest
from pydantic import ValidationError

from geodata.conflation.comparisons import (
    PAIR_COLUMNS,
    Comparison,
    ComparisonLevel,
    ScoringParams,
    pair_attributes,
    score_pairs_with,
)
from tests.conflation.records import METRE, enriched_frame, enriched_record

SCORING = ScoringParams(
    prior_match_probability=0.5,
    match_threshold=0.5,
    comparisons=[
        Comparison(
            name="street",
            levels=[
                ComparisonLevel(name="exact", condition="street_l = street_r", m=0.8, u=0.1),
                ComparisonLevel(
                    name="typo",
                    condition="levenshtein(street_l, street_r) <= 1",
                    m=0.15,
                    u=0.1,
                ),
                ComparisonLevel(name="else", m=0.05, u=0.8),
            ],
        ),
        Comparison(
            name="postcode",
            levels=[
                ComparisonLevel(
                    name="missing", condition="pc_l IS NULL OR pc_r IS NULL", m=0.1, u=0.1
                ),
                ComparisonLevel(name="exact", condition="pc_l = pc_r", m=0.85, u=0.45),
                ComparisonLevel(name="different", m=0.05, u=0.45),
            ],
        ),
    ],
    hard_rules=[{"name": "different_unit", "condition": "NOT (unit_l <=> unit_r)"}],
)


def test_weight_is_log2_m_over_u():
    level = ComparisonLevel(name="x", condition="true", m=0.8, u=0.1)
    assert level.weight == pytest.approx(3.0)


def test_only_the_last_level_may_be_else():
    with pytest.raises(ValidationError, match="only the last level"):
        Comparison(
            name="bad",
            levels=[
                ComparisonLevel(name="a", m=0.5, u=0.5),
                ComparisonLevel(name="b", m=0.5, u=0.5),
            ],
        )


def test_first_matching_level_wins_and_probability_follows_the_weights(spark):
    pairs = spark.createDataFrame(
        [
            ("MAIN ST", "MAIN ST", "94103", "94103", None, None),
            ("MAIN ST", "MAIN SR", None, "94103", None, None),
            ("MAIN ST", "OAK AVE", "94103", "94110", None, None),
            ("MAIN ST", "MAIN ST", "94103", "94103", "1", "2"),
        ],
        "street_l string, street_r string, pc_l string, pc_r string, unit_l string, unit_r string",
    )
    rows = score_pairs_with(pairs, SCORING).orderBy("match_weight").collect()
    by_street = {(r.street_r, r.unit_r): r for r in rows}

    exact = by_street[("MAIN ST", None)]
    assert (exact.level_street, exact.level_postcode) == (0, 1)
    expected = math.log2(0.8 / 0.1) + math.log2(0.85 / 0.45)
    assert exact.match_weight == pytest.approx(expected)
    assert exact.match_probability == pytest.approx(1 / (1 + 2**-expected))
    assert exact.hard_rule is None

    typo = by_street[("MAIN SR", None)]
    assert (typo.level_street, typo.level_postcode) == (1, 0)

    different = by_street[("OAK AVE", None)]
    assert (different.level_street, different.level_postcode) == (2, 2)
    assert different.match_probability < 0.01

    other_unit = by_street[("MAIN ST", "2")]
    assert other_unit.hard_rule == "different_unit"
    assert other_unit.match_probability == 0.0


def test_pair_attributes_carry_both_records_and_their_distance_in_tolerances(spark):
    records = enriched_frame(
        spark,
        [
            enriched_record("a", "1", "12", "MISSION ST"),  # rooftop
            enriched_record("b", "1", "12", "MISSOIN ST", lat=37.75 + 90 * METRE),  # parcel
            enriched_record("users", "fix", "12", "MISSION ST", action="fix"),
        ],
    )
    key = "{}\u001f{}".format
    pairs = spark.createDataFrame(
        [(key("a", "1"), key("b", "1")), (key("a", "1"), key("users", "fix"))],
        "key_l string, key_r string",
    )

    rows = pair_attributes(pairs, records, {"rooftop": 10, "parcel": 35}).collect()

    assert len(rows) == 1, "only cluster members are looked up"
    (row,) = rows
    assert (row.street_l, row.street_r) == ("MISSION ST", "MISSOIN ST")
    assert (row.tolerance_m_l, row.tolerance_m_r) == (10.0, 35.0)
    assert row.distance_m == pytest.approx(90, rel=0.01)
    assert row.distance_ratio == pytest.approx(row.distance_m / 45)
    assert {f"{c}_{side}" for c in PAIR_COLUMNS for side in "lr"} <= set(row.asDict())


def test_pairs_carry_the_columns_derived_once_per_record(spark):
    records = enriched_frame(
        spark,
        [
            enriched_record("a", "1", "12", "12TH ST", locality="NORTHSIDE EXAMPLETOWN"),
            enriched_record("b", "1", "12", "MISSION ST", locality=None),
        ],
    )
    key = "{}\u001f{}".format
    pairs = spark.createDataFrame([(key("a", "1"), key("b", "1"))], "key_l string, key_r string")

    (row,) = pair_attributes(pairs, records, {"rooftop": 10, "parcel": 35}).collect()

    assert (row.street_digits_l, row.street_digits_r) == ("12", "")
    assert (row.locality_words_l, row.locality_words_r) == (" NORTHSIDE EXAMPLETOWN ", None)


def test_a_towns_words_written_short_or_spelled_out_are_one_name(spark):
    towns = ["S SAN FRANCISCO", "SOUTH SAN FRANCISCO", "SAINT ALBANS", "ST ALBANS", "SAN JOSE S"]
    records = enriched_frame(
        spark,
        [enriched_record("a", str(i), "12", "MISSION ST", locality=t) for i, t in enumerate(towns)],
    )
    key = "{}\u001f{}".format
    pairs = spark.createDataFrame(
        [
            (key("a", "0"), key("a", "1")),
            (key("a", "2"), key("a", "3")),
            (key("a", "4"), key("a", "0")),
        ],
        "key_l string, key_r string",
    )

    rows = pair_attributes(pairs, records, {"rooftop": 10}).collect()

    words = {(r.locality_words_l, r.locality_words_r) for r in rows}
    assert words == {
        (" SOUTH SAN FRANCISCO ", " SOUTH SAN FRANCISCO "),
        (" ST ALBANS ", " ST ALBANS "),
        # A compass letter that ends the name is left as it is.
        (" SAN JOSE S ", " SOUTH SAN FRANCISCO "),
    }
