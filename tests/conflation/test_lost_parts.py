"""Lost house letters and flats: "15" takes "15B", and a building its one flat, only where
the street leaves no doubt."""

from __future__ import annotations

from geodata.conflation.lost_parts import recover_house_letters, recover_lost_parts
from tests.conflation.records import enriched_frame, enriched_record


def _fi(source, record_id, hn, street="KAIVOKATU", **extra):
    values = {"iso_3166_2": "FI-18", "locality": "HELSINKI", **extra}
    return enriched_record(source, record_id, hn, street, **values)


def _numbers(spark, rows):
    out = recover_house_letters(enriched_frame(spark, rows))
    return {(r.source, r.source_record_id): (r.house_number, r.hn_suffix) for r in out.collect()}


def test_a_lost_letter_comes_back_when_the_street_has_one_letter_and_no_plain_number(spark):
    numbers = _numbers(
        spark,
        [_fi("a", "1", "15B"), _fi("b", "1", "15B"), _fi("c", "1", "15"), _fi("c", "2", "17")],
    )
    assert numbers[("c", "1")] == ("15B", "B")
    assert numbers[("a", "1")] == ("15B", "B")
    # Nothing lettered at 17: it stays as it is.
    assert numbers[("c", "2")] == ("17", None)


def test_a_plain_number_another_source_confirms_exists_and_keeps_no_letter(spark):
    numbers = _numbers(spark, [_fi("a", "1", "15B"), _fi("b", "1", "15"), _fi("c", "1", "15")])
    assert numbers[("b", "1")] == ("15", None)
    assert numbers[("c", "1")] == ("15", None)


def test_no_letter_is_guessed_between_two(spark):
    numbers = _numbers(spark, [_fi("a", "1", "15A"), _fi("a", "2", "15B"), _fi("c", "1", "15")])
    assert numbers[("c", "1")] == ("15", None)


def test_a_source_that_writes_both_knows_both(spark):
    numbers = _numbers(spark, [_fi("a", "1", "15B"), _fi("a", "2", "15")])
    assert numbers[("a", "2")] == ("15", None)


def test_only_the_same_number_on_the_same_street_counts(spark):
    numbers = _numbers(
        spark,
        [
            _fi("a", "1", "15B", street="KAIVOKATU"),
            _fi("c", "1", "15", street="ALEKSANTERINKATU", street_phonetic="ALKS"),
            _fi("c", "2", "15", iso_3166_2="FI-19"),
        ],
    )
    assert numbers[("c", "1")] == ("15", None)
    assert numbers[("c", "2")] == ("15", None)


def _gb(source, record_id, hn, unit=None, street="FITZGERALD PARK", **extra):
    values = {"iso_3166_2": "GB-ENG", "locality": "ANDREWSTON", "unit": unit, **extra}
    return enriched_record(source, record_id, hn, street, **values)


def _units(spark, rows):
    out = recover_lost_parts(enriched_frame(spark, rows))
    return {(r.source, r.source_record_id): (r.unit_id, r.unit) for r in out.collect()}


def test_a_buildings_only_flat_is_what_a_source_without_flats_means(spark):
    units = _units(
        spark,
        [
            _gb("open", "1", "89", unit="FLAT 9"),
            _gb("post", "1", "89", unit="APARTMENT 9"),
            _gb("vendor", "1", "89"),
            _gb("vendor", "2", "89B"),  # another building: 89B has no flat
        ],
    )
    # The id is taken, for blocking and comparison; the display is not the vendor's to vote.
    assert units[("vendor", "1")] == ("9", None)
    assert units[("vendor", "2")] == (None, None)
    assert units[("open", "1")] == ("9", "FLAT 9")


def test_no_flat_is_guessed_where_the_building_is_an_address_or_has_several(spark):
    units = _units(
        spark,
        [
            # 12: another source gives the building itself: it is an address.
            _gb("open", "1", "12", unit="FLAT 1"),
            _gb("post", "1", "12"),
            _gb("vendor", "1", "12"),
            # 14: two flats; which one the vendor's record is, nothing says.
            _gb("open", "2", "14", unit="FLAT 1"),
            _gb("open", "3", "14", unit="FLAT 2"),
            _gb("vendor", "2", "14"),
            # 16: the vendor writes the flat itself elsewhere: it knows both.
            _gb("open", "4", "16", unit="FLAT 1"),
            _gb("vendor", "3", "16", unit="FLAT 1"),
            _gb("vendor", "4", "16"),
        ],
    )
    assert units[("vendor", "1")] == (None, None)
    assert units[("post", "1")] == (None, None)
    assert units[("vendor", "2")] == (None, None)
    assert units[("vendor", "4")] == (None, None)
