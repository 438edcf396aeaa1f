"""Sub-blocking: oversized blocks are split, not dropped, and the pair count stays bounded."""

from __future__ import annotations

from geodata.conflation.blocking import blocked_pairs
from tests.conflation.records import BLOCKING, enriched_frame, enriched_record


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
