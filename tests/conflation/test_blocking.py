"""Blocking: which record pairs are compared; oversized blocks are split, not dropped."""

from __future__ import annotations

from pyspark.sql import functions as F

from geodata.conflation.blocking import (
    BlockingParams,
    blocked_pairs,
    random_pairs,
    with_aliased_street_pairs,
)
from tests.conflation.records import BLOCKING, METRE, enriched_frame, enriched_record


def _pair_set(pairs):
    return {(r.key_l, r.key_r) for r in pairs.collect()}


def _main_streets(postcodes: list[str]) -> list[tuple]:
    """'100 MAIN ST' in many towns (one block by street), each seen by two sources."""
    rows = []
    for i, postcode in enumerate(postcodes):
        lat = 36.0 + i * 0.05  # towns ~5.5 km apart: never in one grid cell
        rows.append(enriched_record("a", f"t{i}", "100", "MAIN ST", lat=lat, postcode=postcode))
        rows.append(
            enriched_record("b", f"t{i}", "100", "MAIN ST", lat=lat + 0.00005, postcode=postcode)
        )
    return rows


def test_oversized_blocks_are_sub_blocked_and_keep_their_true_pairs(spark):
    towns = [f"9{i:04d}" for i in range(30)]
    records = enriched_frame(spark, _main_streets(towns))
    unlimited = _pair_set(blocked_pairs(records, BLOCKING))
    capped_params = BLOCKING.model_copy(update={"max_block_size": 5, "sorted_neighbourhood": 2})
    capped = _pair_set(blocked_pairs(records, capped_params))

    same_town = {(f"a\x1ft{i}", f"b\x1ft{i}") for i in range(len(towns))}
    assert same_town <= unlimited
    assert same_town <= capped, "sub-blocking lost a true pair"
    # All 60 records share one street block: C(60, 2) = 1770 pairs without a cap.
    assert len(unlimited) >= 1770
    # With the cap: pairs within each postcode (1 per town) plus sorted neighbours
    # (at most 2 per record per key) -- linear in the records, not quadratic.
    assert len(capped) <= 60 * 2 * (1 + len(capped_params.sub_blocking_keys)) + len(towns)


def test_records_without_any_sub_key_still_get_compared(spark):
    rows = [
        enriched_record(
            "a", str(i), "7", "OAK ST", lat=36.0 + i * 0.05, postcode=None, locality=None
        )
        for i in range(12)
    ]
    rows.append(
        enriched_record("b", "0", "7", "OAK ST", lat=36.0 + 0.00003, postcode=None, locality=None)
    )
    params = BLOCKING.model_copy(update={"max_block_size": 4, "sorted_neighbourhood": 3})
    pairs = _pair_set(blocked_pairs(enriched_frame(spark, rows), params))
    keys = {k for pair in pairs for k in pair}
    assert len(keys) == len(rows), "a record of an oversized block got no comparison at all"
    assert ("a\x1f0", "b\x1f0") in pairs


def test_a_pair_must_agree_on_every_column_of_one_rule(spark):
    params = BlockingParams(
        rules=[["iso_3166_2", "hn_int", "street_phonetic"], ["iso_3166_2", "block_cell"]],
        cell_size_deg=0.004,
    )
    rows = [
        enriched_record("a", "1", "12", "MISSION ST"),
        enriched_record("b", "1", "12", "MISSION ST", lat=37.9),  # rule 1 only
        enriched_record("c", "1", "14", "OAK ST", lat=37.75 + 5 * METRE),  # rule 2 only
        enriched_record("d", "1", "12", "MISSION ST", lat=38.1, iso_3166_2="US-NV"),
        enriched_record("e", "1", "16", "ELM ST", lat=37.6),  # nothing in common
    ]
    pairs = _pair_set(blocked_pairs(enriched_frame(spark, rows), params))
    assert pairs == {("a\x1f1", "b\x1f1"), ("a\x1f1", "c\x1f1")}


def test_a_null_rule_column_blocks_nothing_but_no_unit_or_suffix_is_a_key(spark):
    params = BlockingParams(
        rules=[["hn_int", "hn_suffix_key", "unit_key", "postcode"]], cell_size_deg=0.004
    )
    rows = [
        enriched_record("a", "1", "12", "MISSION ST"),
        enriched_record("b", "1", "12", "MISSION ST"),  # no unit, no suffix: like a:1
        enriched_record("a", "2", "12", "MISSION ST", unit="APT 1"),
        enriched_record("a", "3", "12", "MISSION ST", postcode=None),
        enriched_record("b", "3", "12", "MISSION ST", postcode=None),
    ]
    pairs = _pair_set(blocked_pairs(enriched_frame(spark, rows), params))
    assert pairs == {("a\x1f1", "b\x1f1")}


def _named(source, record_id, name, street, **extra):
    """A record of a premise with a name and no number ("WILLOW MILL, FIR LANE")."""
    return enriched_record(
        source,
        record_id,
        name,
        street,
        hn_int=None,
        hn_suffix=name,
        locality="EXAMPLETOWN",
        **extra,
    )


def test_a_named_premise_blocks_by_its_name_and_never_with_a_number(spark):
    rows = [
        _named("a", "1", "WILLOW MILL", "FIR LANE"),
        _named("b", "1", "WILLOW MILL", "FIR LANE", lat=37.75 + 3 * METRE),
        _named("c", "1", "ROSE COTTAGE", "FIR LANE", lat=37.75 + 6 * METRE),
        enriched_record("d", "1", "12", "FIR LANE"),
        # Neither a number nor a name: nothing to block on.
        enriched_record("e", "1", "", "FIR LANE", hn_int=None, hn_suffix=None),
        enriched_record("f", "1", "", "FIR LANE", hn_int=None, hn_suffix=None),
    ]
    pairs = _pair_set(blocked_pairs(enriched_frame(spark, rows), BLOCKING))
    assert pairs == {("a\x1f1", "b\x1f1")}


def test_a_record_without_a_point_is_paired_by_its_postcode(spark):
    rows = [
        enriched_record("a", "1", "12", "MISSION ST"),
        # No point, and a typing error the street's sound does not survive.
        enriched_record("b", "1", "12", "NISSION ST", lat=None, lon=None),
        # Another number, unit or postcode: not paired.
        enriched_record("b", "2", "14", "NISSION ST", lat=None, lon=None),
        enriched_record("b", "3", "12", "NISSION ST", lat=None, lon=None, unit="APT 1"),
        enriched_record("b", "4", "12", "ORTEGA ST", lat=None, lon=None, postcode="94014"),
        # Two records with points and different sounds are not paired by postcode.
        enriched_record("c", "1", "12", "VALENCIA ST", lat=37.80),
    ]
    pairs = _pair_set(blocked_pairs(enriched_frame(spark, rows), BLOCKING))
    assert pairs == {("a\x1f1", "b\x1f1"), ("b\x1f1", "c\x1f1")}


def test_a_record_without_a_point_or_postcode_is_paired_in_its_town(spark):
    rows = [
        enriched_record("a", "1", "53", "BRADSHAW ST", locality="ANDREWSTON"),
        # No point, no postcode, and a street its sound does not survive.
        enriched_record(
            "b", "1", "53", "BRDASHAW ST", lat=None, lon=None, postcode=None, locality="ANDREWSTON"
        ),
        # Another town, or another street's first letters: not paired with it.
        enriched_record("c", "1", "53", "BRAXSHAW ST", lat=37.80, locality="CARTERLAND"),
        enriched_record("d", "1", "53", "OAKSHAW ST", lat=37.70, locality="ANDREWSTON"),
    ]
    pairs = _pair_set(blocked_pairs(enriched_frame(spark, rows), BLOCKING))
    assert pairs == {("a\x1f1", "b\x1f1")}


def test_a_record_placed_at_its_postcodes_centroid_is_paired_by_its_postcode(spark):
    rows = [
        enriched_record("a", "1", "12", "MISSION ST"),
        # The postcode's centroid, cells away, and a street its sound does not survive
        # (the same first two letters).
        enriched_record("b", "1", "12", "MIXSION ST", lat=37.78, geometry_accuracy="postal"),
        # The same, from a rooftop: its point places it, and it is not near.
        enriched_record("c", "1", "12", "MIXSION ST", lat=37.78),
        # Another street of the postcode, at its centroid: not paired with the first.
        enriched_record("d", "1", "12", "VALENCIA ST", lat=37.70, geometry_accuracy="postal"),
    ]
    pairs = _pair_set(blocked_pairs(enriched_frame(spark, rows), BLOCKING))
    assert pairs == {("a\x1f1", "b\x1f1"), ("b\x1f1", "c\x1f1")}


def test_only_records_and_add_corrections_are_paired(spark):
    rows = [
        enriched_record("a", "1", "12", "MISSION ST"),
        enriched_record("users", "add", "12", "MISSION ST", action="add"),
        enriched_record("users", "fix", "12", "MISSION ST", action="fix", fix_postcode="94103"),
        enriched_record("users", "gone", "12", "MISSION ST", action="suppress"),
    ]
    records = enriched_frame(spark, rows)
    assert _pair_set(blocked_pairs(records, BLOCKING)) == {("a\x1f1", "users\x1fadd")}
    # Two members make one bucket: the one random pair is theirs.
    assert _pair_set(random_pairs(records, target=100, seed=1)) == {("a\x1f1", "users\x1fadd")}


def test_random_pairs_stay_in_a_region_and_depend_only_on_the_seed(spark):
    regions = {f"a\x1f{i}": region for i, region in enumerate(["US-CA"] * 40 + ["US-NV"] * 40)}
    records = enriched_frame(
        spark,
        [
            enriched_record("a", key.split("\x1f")[1], "1", "MAIN ST", iso_3166_2=region)
            for key, region in regions.items()
        ],
    )

    first = _pair_set(random_pairs(records, target=300, seed=7))
    assert first == _pair_set(random_pairs(records, target=300, seed=7))
    assert first != _pair_set(random_pairs(records, target=300, seed=8))
    assert all(left < right and regions[left] == regions[right] for left, right in first)
    # 10 buckets of 8 records would give 280 pairs; each region keeps about half of them.
    assert 50 <= len(first) <= 300


def test_random_pairs_of_fewer_than_two_records_are_none(spark):
    one = enriched_frame(spark, [enriched_record("a", "1", "12", "MISSION ST")])
    pairs = random_pairs(one, target=100, seed=1)
    assert pairs.columns == ["key_l", "key_r"]
    assert pairs.count() == 0


def test_random_pairs_of_a_large_region_are_about_the_target_however_many_records(spark):
    rows = [enriched_record("a", str(i), str(i % 50), "MAIN ST") for i in range(3000)]
    records = enriched_frame(spark, rows)

    pairs = random_pairs(records, target=200, seed=3)
    keys = pairs.select(F.explode(F.array("key_l", "key_r")).alias("key")).distinct()

    # Bucketing all 3,000 records at least in twos would give about 3,000 pairs.
    assert 120 <= pairs.count() <= 300
    assert keys.count() <= 600


def _street_aliases(spark, *names: tuple[str, str]):
    rows = [("US-CA", "street", a, b) for a, b in names] + [
        ("US-CA", "street", b, a) for a, b in names
    ]
    return spark.createDataFrame(rows, "iso_3166_2 string, field string, name string, alias string")


def test_records_naming_one_street_by_two_learned_names_are_paired(spark):
    rows = [
        # The street's second name, at its postcode's centroid: no cell or sound shared.
        enriched_record("a", "1", "27", "HIGH HILL ST", lat=37.70, geometry_accuracy="postal"),
        enriched_record("b", "1", "27", "VUORI ST"),
        # The same names and number, but another unit, or another postcode: not paired.
        enriched_record("b", "2", "27", "VUORI ST", unit="APT 2"),
        enriched_record("c", "1", "27", "VUORI ST", lat=37.60, postcode="94014"),
        # Both names in one cell: the rules paired them already, and the pair stays one.
        enriched_record("d", "1", "31", "HIGH HILL ST"),
        enriched_record("e", "1", "31", "VUORI ST", lat=37.75 + 3 * METRE),
    ]
    records = enriched_frame(spark, rows)
    blocked = blocked_pairs(records, BLOCKING)
    assert ("d\x1f1", "e\x1f1") in _pair_set(blocked)

    aliased = with_aliased_street_pairs(
        blocked, records, _street_aliases(spark, ("HIGH HILL ST", "VUORI ST"))
    )
    assert _pair_set(aliased) == _pair_set(blocked) | {("a\x1f1", "b\x1f1")}
    assert aliased.count() == len(_pair_set(aliased))
    # Without the learned names nothing is added.
    unaliased = with_aliased_street_pairs(blocked, records, _street_aliases(spark))
    assert _pair_set(unaliased) == _pair_set(blocked)
