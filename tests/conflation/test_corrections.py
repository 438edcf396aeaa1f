"""End-user corrections: a fix sets fields of its target, a suppress removes it."""

from __future__ import annotations

from datetime import date

import pytest

from geodata.conflation.corrections import CORRECTION_SOURCE, apply_corrections
from tests.conflation.records import METRE, enriched_frame, enriched_record

ADDRESSES = (
    "address_id string, house_number string, street string, unit string, locality string, "
    "postcode string, iso_3166_1 string, iso_3166_2 string, lat double, lon double, "
    "hn_int long, hn_suffix string, unit_id string, street_base string, street_phonetic string, "
    "source_count int, sources array<string>, provenance map<string,string>"
)
LINEAGE = "address_id string, source string, source_record_id string, "
LINEAGE += "iso_3166_1 string, iso_3166_2 string"
RADIUS_M = 60.0


def _address(address_id, hn, street, *, north_m=0.0, unit=None, postcode="94110"):
    base = street.rpartition(" ")[0]
    fields = ("house_number", "street", "unit", "locality", "postcode")
    return (
        address_id,
        hn,
        street,
        unit,
        "SAN FRANCISCO",
        postcode,
        "US",
        "US-CA",
        37.75 + north_m * METRE,
        -122.43,
        int(hn),
        None,
        unit.split()[-1] if unit else None,
        base,
        base.replace(" ", "")[:4],
        1,
        ["a"],
        {**{f: "a" for f in fields}, "geometry": "a"},
    )


@pytest.fixture(scope="module")
def conflated(spark):
    """Three addresses of source a, one record each."""
    addresses = spark.createDataFrame(
        [
            _address("m12", "12", "MISSION ST"),
            _address("m12-far", "12", "MISSION ST", north_m=45),
            _address("m14", "14", "MISSION ST", north_m=20),
        ],
        ADDRESSES,
    )
    lineage = spark.createDataFrame(
        [(a, "a", a, "US", "US-CA") for a in ("m12", "m12-far", "m14")], LINEAGE
    )
    records = [
        enriched_record("a", a, hn, "MISSION ST", raw=f'{{"id": "{a}"}}')
        for a, hn in (("m12", "12"), ("m12-far", "12"), ("m14", "14"))
    ]
    return addresses, lineage, records


def _apply(spark, conflated, corrections):
    addresses, lineage, records = conflated
    fixed, kept_lineage, rejected = apply_corrections(
        addresses, lineage, enriched_frame(spark, records + corrections), RADIUS_M
    )
    updated = ["provenance", "sources", "source_count"]
    assert fixed.columns == [c for c in addresses.columns if c not in updated] + updated
    assert kept_lineage.columns == lineage.columns
    return (
        {r.address_id: r for r in fixed.collect()},
        {(r.address_id, r.source, r.source_record_id) for r in kept_lineage.collect()},
        {(r.source, r.source_record_id): (r.reason, r.raw) for r in rejected.collect()},
    )


def test_a_fix_sets_its_fields_on_the_nearest_matching_address(spark, conflated):
    fix = enriched_record(
        "users", "f1", "12", "MISSION ST", lat=37.75 + 5 * METRE, action="fix", fix_postcode="94103"
    )
    addresses, lineage, rejected = _apply(spark, conflated, [fix])

    fixed = addresses["m12"]
    assert fixed.postcode == "94103"
    assert fixed.street == "MISSION ST"  # a field the fix does not set stays
    assert fixed.provenance["postcode"] == CORRECTION_SOURCE
    assert fixed.provenance["street"] == "a"
    assert fixed.sources == ["a", "users"] and fixed.source_count == 2
    # The farther address with the same text is not the target.
    assert addresses["m12-far"].postcode == "94110"
    assert addresses["m12-far"].sources == ["a"]
    assert ("m12", "users", "f1") in lineage
    assert rejected == {}


def test_the_newest_fix_wins_per_field(spark, conflated):
    fixes = [
        enriched_record("users", "old", "12", "MISSION ST", action="fix", dt=date(2026, 10, 1),
                        fix_postcode="94103", fix_unit="APT 1"),
        enriched_record("users", "new", "12", "MISSION ST", action="fix", dt=date(2026, 10, 5),
                        fix_postcode="94107"),
    ]  # fmt: skip
    addresses, lineage, _ = _apply(spark, conflated, fixes)
    assert addresses["m12"].postcode == "94107"
    assert addresses["m12"].unit == "APT 1"  # the newer fix does not set the unit
    assert {("m12", "users", "old"), ("m12", "users", "new")} <= lineage


def test_a_correction_needs_the_same_number_unit_and_street_within_the_radius(spark, conflated):
    lost = [
        enriched_record("users", "far", "12", "MISSION ST", lat=37.75 - 70 * METRE,
                        action="fix", fix_postcode="94103"),
        enriched_record("users", "unit", "12", "MISSION ST", unit="APT 3", action="suppress"),
        enriched_record("users", "street", "12", "VALENCIA ST", action="suppress"),
        enriched_record("users", "number", "16", "MISSION ST", action="fix", fix_street="X ST"),
    ]  # fmt: skip
    addresses, lineage, rejected = _apply(spark, conflated, lost)
    assert sorted(addresses) == ["m12", "m12-far", "m14"]
    assert all(a.sources == ["a"] for a in addresses.values())
    assert {k: reason for k, (reason, _) in rejected.items()} == {
        ("users", name): "correction_target_not_found"
        for name in ("far", "unit", "street", "number")
    }
    assert {source for _, source, _ in lineage} == {"a"}


def test_a_suppress_removes_its_target_and_quarantines_its_records(spark, conflated):
    corrections = [
        enriched_record("users", "gone", "14", "MISSION ST", lat=37.75 + 19 * METRE,
                        action="suppress", raw='{"suppress": 1}'),
        # A fix of the suppressed address goes with it.
        enriched_record("users", "f14", "14", "MISSION ST", lat=37.75 + 19 * METRE,
                        action="fix", fix_postcode="94103"),
    ]  # fmt: skip
    addresses, lineage, rejected = _apply(spark, conflated, corrections)
    assert sorted(addresses) == ["m12", "m12-far"]
    assert not any(address_id == "m14" for address_id, _, _ in lineage)
    assert rejected == {
        ("a", "m14"): ("suppressed_by_user", '{"id": "m14"}'),
        ("users", "gone"): ("suppressed_by_user", '{"suppress": 1}'),
        ("users", "f14"): ("suppressed_by_user", "{}"),
    }
