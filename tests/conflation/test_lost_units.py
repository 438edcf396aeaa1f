"""Lost units: "9 GRIFFIN ST" takes "APT 5" only where the building leaves no doubt."""

from __future__ import annotations

from geodata.conflation.lost_units import recover_lost_letters_and_units, recover_lost_units
from tests.conflation.records import enriched_frame, enriched_record


def _us(source, record_id, hn, unit=None, street="GRIFFIN ST", **extra):
    return enriched_record(source, record_id, hn, street, unit=unit, **extra)


def _units(spark, rows):
    out = recover_lost_units(enriched_frame(spark, rows))
    return {(r.source, r.source_record_id): (r.unit, r.unit_id) for r in out.collect()}


def test_a_lost_unit_comes_back_when_the_building_has_one_unit_and_no_plain_address(spark):
    units = _units(
        spark,
        [
            _us("a", "1", "9", "APT 5"),
            _us("b", "1", "9", "APT 5"),
            _us("b", "2", "9", "# 5"),
            _us("c", "1", "9"),
            _us("c", "2", "11"),
        ],
    )
    # Written the way most records write it.
    assert units[("c", "1")] == ("APT 5", "5")
    assert units[("a", "1")] == ("APT 5", "5")
    assert units[("b", "2")] == ("# 5", "5")
    # Nothing with a unit at 11: it stays as it is.
    assert units[("c", "2")] == (None, None)


def test_a_building_another_source_gives_without_a_unit_is_an_address_of_its_own(spark):
    units = _units(
        spark,
        [
            _us("a", "1", "9", "APT 5"),
            _us("d", "1", "9", "APT 5"),
            _us("b", "1", "9"),
            _us("c", "1", "9"),
        ],
    )
    assert units[("b", "1")] == (None, None)
    assert units[("c", "1")] == (None, None)


def test_a_unit_one_source_alone_gives_may_be_one_of_several(spark):
    units = _units(
        spark, [_us("a", "1", "9", "APT 5"), _us("a", "2", "9", "# 5"), _us("c", "1", "9")]
    )
    assert units[("c", "1")] == (None, None)


def test_no_unit_is_guessed_between_two(spark):
    units = _units(
        spark,
        [
            _us("a", "1", "9", "APT 5"),
            _us("b", "1", "9", "APT 5"),
            _us("a", "2", "9", "APT 6"),
            _us("b", "2", "9", "APT 6"),
            _us("c", "1", "9"),
        ],
    )
    assert units[("c", "1")] == (None, None)


def test_a_source_that_writes_units_there_knows_them(spark):
    units = _units(
        spark, [_us("a", "1", "9", "APT 5"), _us("b", "1", "9", "APT 5"), _us("a", "2", "9")]
    )
    assert units[("a", "2")] == (None, None)


def test_only_the_same_house_number_on_the_same_street_counts(spark):
    units = _units(
        spark,
        [
            _us("a", "1", "9", "APT 5"),
            _us("b", "1", "9", "APT 5"),
            _us("c", "1", "9B"),
            _us("c", "2", "9", street="ELM ST"),
            _us("c", "3", "9", iso_3166_2="US-NV"),
        ],
    )
    assert units[("c", "1")] == (None, None)
    assert units[("c", "2")] == (None, None)
    assert units[("c", "3")] == (None, None)


def test_a_named_building_without_a_number_counts_as_its_number(spark):
    units = _units(
        spark,
        [
            _us("a", "1", "BURNS MILL", "FLAT 1", street="POTTS ROAD", iso_3166_2="GB-ENG"),
            _us("b", "1", "BURNS MILL", "FLAT 1", street="POTTS ROAD", iso_3166_2="GB-ENG"),
            _us("c", "1", "BURNS MILL", street="POTTS ROAD", iso_3166_2="GB-ENG"),
        ],
    )
    assert units[("c", "1")] == ("FLAT 1", "1")


def test_corrections_neither_give_nor_take_a_unit(spark):
    units = _units(
        spark,
        [
            _us("a", "1", "9", "APT 5"),
            _us("b", "1", "9", "APT 5"),
            _us("user_corrections", "1", "9", action="fix"),
            _us("c", "1", "9"),
        ],
    )
    assert units[("user_corrections", "1")] == (None, None)
    assert units[("c", "1")] == ("APT 5", "5")


def test_a_record_that_lost_its_letter_and_its_unit_gets_both_back(spark):
    rows = [
        _us("a", "1", "15B", "A 3", street="KAIVOKATU", iso_3166_2="FI-18"),
        _us("b", "1", "15B", "A 3", street="KAIVOKATU", iso_3166_2="FI-18"),
        _us("c", "1", "15", street="KAIVOKATU", iso_3166_2="FI-18"),
        _us("c", "2", "17", street="KAIVOKATU", iso_3166_2="FI-18"),
    ]
    out = recover_lost_letters_and_units(enriched_frame(spark, rows))
    got = {(r.source, r.source_record_id): (r.house_number, r.unit_id) for r in out.collect()}
    assert got[("c", "1")] == ("15B", "3")
    assert got[("c", "2")] == ("17", None)
    assert out.columns == enriched_frame(spark, rows).columns
