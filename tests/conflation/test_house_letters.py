"""Lost house letters: "15" takes "15B" only where the street leaves no doubt."""

from __future__ import annotations

from geodata.conflation.house_letters import recover_house_letters
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
