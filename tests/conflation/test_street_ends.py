"""Where a street ends and its locality begins, as the region's other records write them."""

from __future__ import annotations

from geodata.address.street import normalize_street
from geodata.conflation.localities import TOWN_MIN_RECORDS
from geodata.conflation.street_ends import STREET_MIN_RECORDS, street_ends, with_street_ends

_COLUMNS = "id string, iso_3166_2 string, street string, locality string, street_base string"


def _records(spark, rows: list[tuple[str, str | None, str | None]]):
    data = [
        (str(i), region, street, locality, f"base of {street}")
        for i, (region, street, locality) in enumerate(rows)
    ]
    return spark.createDataFrame(data, _COLUMNS)


def _cut(spark, rows):
    records = _records(spark, rows)
    out = with_street_ends(records, street_ends(records))
    assert out.columns == records.columns
    return {r.id: (r.street, r.locality, r.street_base) for r in out.collect()}


def _town(region: str, town: str, street: str = "MILL ROAD"):
    return [(region, street, town)] * TOWN_MIN_RECORDS


def _street(region: str, street: str, town: str):
    return [(region, street, town)] * STREET_MIN_RECORDS


def test_a_street_without_a_type_takes_back_the_words_the_locality_took(spark):
    rows = [
        *_town("GB-ENG", "EXAMPLETOWN"),
        *_street("GB-ENG", "LONG ACRE", "EXAMPLETOWN"),
        ("GB-ENG", "MILL ROAD", "NORTHSIDE"),
        # "12 LONG ACRE EXAMPLETOWN" and "12 LONG ACRE NORTHSIDE EXAMPLETOWN".
        ("GB-ENG", "LONG", "ACRE EXAMPLETOWN"),
        ("GB-ENG", "LONG", "ACRE NORTHSIDE EXAMPLETOWN"),
        # A place before the town that no record writes alone stays with the town.
        ("GB-ENG", "LONG", "ACRE WESTSIDE EXAMPLETOWN"),
    ]
    out = _cut(spark, rows)
    base = normalize_street("LONG ACRE", "GB").base
    assert out[str(len(rows) - 3)] == ("LONG ACRE", "EXAMPLETOWN", base)
    assert out[str(len(rows) - 2)] == ("LONG ACRE", "NORTHSIDE EXAMPLETOWN", base)
    assert out[str(len(rows) - 1)] == ("LONG ACRE", "WESTSIDE EXAMPLETOWN", base)
    # The records that wrote it right are as they were.
    assert out["0"] == ("MILL ROAD", "EXAMPLETOWN", "base of MILL ROAD")


def test_a_town_run_into_a_street_without_a_locality_is_its_locality(spark):
    rows = [
        *_town("US-CA", "SAN FRANCISCO", street="MAIN ST"),
        *_street("US-CA", "BROADWAY", "SAN FRANCISCO"),
        # "123 BROADWAY SAN FRANCISCO CA 94110".
        ("US-CA", "BROADWAY SAN FRANCISCO", None),
    ]
    out = _cut(spark, rows)
    assert out[str(len(rows) - 1)] == (
        "BROADWAY",
        "SAN FRANCISCO",
        normalize_street("BROADWAY", "US").base,
    )


def test_a_place_the_street_took_goes_back_to_the_locality(spark):
    rows = [
        *_town("GB-ENG", "EXAMPLETOWN"),
        *_street("GB-ENG", "HIGH STREET", "EXAMPLETOWN"),
        ("GB-ENG", "MILL ROAD", "GREEN END"),
        # "12 HIGH STREET GREEN END EXAMPLETOWN": END ends streets too.
        ("GB-ENG", "HIGH STREET GREEN END", "EXAMPLETOWN"),
    ]
    out = _cut(spark, rows)
    assert out[str(len(rows) - 1)][:2] == ("HIGH STREET", "GREEN END EXAMPLETOWN")


def test_a_street_the_parser_left_in_the_locality_is_the_street(spark):
    rows = [
        *_town("GB-ENG", "EXAMPLETOWN"),
        *_street("GB-ENG", "AKHTAR LEYS", "EXAMPLETOWN"),
        # "APARTMENT 11 MCKENZIE MILL AKHTAR LEYS EXAMPLETOWN".
        ("GB-ENG", None, "AKHTAR LEYS EXAMPLETOWN"),
        # No street, and a locality that is the region's places: as it is.
        ("GB-ENG", None, "EXAMPLETOWN"),
    ]
    out = _cut(spark, rows)
    assert out[str(len(rows) - 2)][:2] == ("AKHTAR LEYS", "EXAMPLETOWN")
    assert out[str(len(rows) - 1)] == (None, "EXAMPLETOWN", "base of None")


def test_a_street_run_into_the_thoroughfare_it_leads_off_is_the_first(spark):
    rows = [
        *_town("GB-ENG", "EXAMPLETOWN"),
        *_street("GB-ENG", "AKHTAR LEYS", "EXAMPLETOWN"),
        *_street("GB-ENG", "WHITE ROAD", "EXAMPLETOWN"),
        ("GB-ENG", "AKHTAR LEYS WHITE ROAD", "EXAMPLETOWN"),
        ("GB-ENG", "AKHTAR LEYS WHITE ROAD", None),
    ]
    out = _cut(spark, rows)
    assert out[str(len(rows) - 2)][:2] == ("AKHTAR LEYS", "EXAMPLETOWN")
    assert out[str(len(rows) - 1)][:2] == ("AKHTAR LEYS", None)


def test_of_two_streets_the_longer_one_is_taken(spark):
    rows = [
        *_town("GB-ENG", "EXAMPLETOWN"),
        *_street("GB-ENG", "HIGH STREET", "EXAMPLETOWN"),
        *_street("GB-ENG", "HIGH STREET NORTH", "EXAMPLETOWN"),
        ("GB-ENG", "HIGH STREET", "NORTH EXAMPLETOWN"),
    ]
    out = _cut(spark, rows)
    assert out[str(len(rows) - 1)][:2] == ("HIGH STREET NORTH", "EXAMPLETOWN")


def test_words_the_region_does_not_write_so_stay_as_they_are(spark):
    rows = [
        *_town("GB-ENG", "EXAMPLETOWN"),
        ("GB-ENG", "FIR LANE", "NORTHSIDE"),
        # A place before the town: the locality is the region's places already.
        ("GB-ENG", "FIR LANE", "NORTHSIDE EXAMPLETOWN"),
        # A street one record alone writes is no place to cut.
        ("GB-ENG", "KINGS MEADOW", "EXAMPLETOWN"),
        ("GB-ENG", "KINGS", "MEADOW EXAMPLETOWN"),
        # Another region's street and town.
        *_town("GB-WLS", "OTHERTOWN"),
        *_street("GB-WLS", "LONG ACRE", "OTHERTOWN"),
        ("GB-ENG", "LONG", "ACRE OTHERTOWN"),
        # A street ending in a town, but no street the region writes before it.
        ("GB-ENG", "OLD EXAMPLETOWN", None),
        # A street without a locality that ends in no town.
        ("GB-ENG", "LONG ACRE", None),
    ]
    records = _records(spark, rows)
    assert street_ends(records).count() == 0
    out = _cut(spark, rows)
    assert all(out[str(i)][:2] == (street, town) for i, (_, street, town) in enumerate(rows))
