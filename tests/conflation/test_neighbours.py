"""A locality or postcode no source gave, from the addresses of the street around it: taken
only where the street tells one value, never across towns or from one side of a street
for the other."""

from __future__ import annotations

from geodata.conflation.neighbours import values_from_neighbours

ADDRESSES = (
    "cluster_key string, iso_3166_2 string, street string, locality string, "
    "postcode string, hn_int int, lat double, lon double"
)


def _address(key, hn, street, locality, postcode, *, lat=51.38, lon=-2.36, region="GB-ENG"):
    return (key, region, street, locality, postcode, hn, lat, lon)


def _told(spark, rows) -> dict[str, tuple[str | None, str | None]]:
    found = values_from_neighbours(spark.createDataFrame(rows, ADDRESSES)).collect()
    assert len(found) == len({r.cluster_key for r in found}), "one row per address"
    return {r.cluster_key: (r._neighbours_locality, r._neighbours_postcode) for r in found}


def test_a_postcode_comes_from_the_other_units_of_its_number_or_its_side_of_the_street(spark):
    town = "ANDREWSTON"
    rows = [
        # Number 10: two flats with a postcode, one without.
        _address("f1", 10, "FORD STREET", town, "BA1 4LR"),
        _address("f2", 10, "FORD STREET", town, "BA1 4LR"),
        _address("f3", 10, "FORD STREET", town, None),
        # The odd side: 11 and 15 agree, 13 lies between them.
        _address("o11", 11, "FORD STREET", town, "BA1 5EP"),
        _address("o13", 13, "FORD STREET", town, None),
        _address("o15", 15, "FORD STREET", town, "BA1 5EP"),
        # The end of the street: only 15 below 17.
        _address("o17", 17, "FORD STREET", town, None),
        # The even side: 12 lies between 10 (BA1 4LR) and 14 (BA1 6WB).
        _address("e12", 12, "FORD STREET", town, None),
        _address("e14", 14, "FORD STREET", town, "BA1 6WB"),
    ]

    told = _told(spark, rows)

    assert told["f3"] == (None, "BA1 4LR")
    assert told["o13"] == (None, "BA1 5EP")
    assert "o17" not in told and "e12" not in told
    assert not {"f1", "f2", "o11", "o15", "e14"} & told.keys(), "given values stay"


def test_a_number_with_several_postcodes_tells_none(spark):
    town = "ANDREWSTON"
    rows = [
        _address("a", 20, "KING AVENUE", town, "BA5 7LR"),
        _address("b", 20, "KING AVENUE", town, "BA5 8EP"),
        _address("c", 20, "KING AVENUE", town, None),
        # Both neighbours of 20 agree, but the number's own units disagree: they decide.
        _address("d", 18, "KING AVENUE", town, "BA5 7LR"),
        _address("e", 24, "KING AVENUE", town, "BA5 7LR"),
        # Between 20 and 24: the nearest number below tells several.
        _address("f", 22, "KING AVENUE", town, None),
    ]

    assert _told(spark, rows) == {}


def test_one_towns_street_tells_nothing_about_anothers_of_the_same_name(spark):
    rows = [
        _address("a11", 11, "HIGH STREET", "ANDREWSTON", "BA1 1AA"),
        _address("a15", 15, "HIGH STREET", "ANDREWSTON", "BA1 1AA"),
        _address("b13", 13, "HIGH STREET", "BRIDGEFORD", None, lat=51.5),
        _address("b17", 17, "HIGH STREET", "BRIDGEFORD", "BA9 9ZZ", lat=51.5),
    ]

    assert _told(spark, rows) == {}


def test_a_locality_comes_from_a_street_in_one_locality_near_the_address(spark):
    rows = [
        _address("a", 2, "CROSS AVENUE", "ANDREWSTON", "BA2 4YL"),
        _address("b", 6, "CROSS AVENUE", "ANDREWSTON", "BA2 4YL"),
        # No locality: the street's one locality, and then its postcode between 2 and 6.
        _address("c", 4, "CROSS AVENUE", None, None),
        # No locality and no point: taken on the name.
        _address("d", 8, "CROSS AVENUE", None, None, lat=None, lon=None),
        # A point 5 km from the street's addresses: another CROSS AVENUE.
        _address("far", 3, "CROSS AVENUE", None, None, lat=51.425),
        # A street name two towns use tells no locality.
        _address("m1", 1, "MILL LANE", "ANDREWSTON", None),
        _address("m2", 3, "MILL LANE", "NORTHSIDE", None),
        _address("m3", 5, "MILL LANE", None, None),
    ]

    told = _told(spark, rows)

    assert told == {"c": ("ANDREWSTON", "BA2 4YL"), "d": ("ANDREWSTON", None)}


def test_the_nearest_postcodes_are_found_past_the_numbers_that_carry_none(spark):
    town = "ANDREWSTON"
    rows = [
        # The odd side: 21 and 29 agree, 23 to 27 carry none and lie between them.
        _address("o21", 21, "MILL ROW", town, "BA2 1AA"),
        *[_address(f"o{n}", n, "MILL ROW", town, None) for n in (23, 25, 27)],
        _address("o29", 29, "MILL ROW", town, "BA2 1AA"),
        # The even side: 22 and 30 differ; 24 to 28 lie between two postcodes.
        _address("e22", 22, "MILL ROW", town, "BA2 2BB"),
        *[_address(f"e{n}", n, "MILL ROW", town, None) for n in (24, 26, 28)],
        _address("e30", 30, "MILL ROW", town, "BA2 3CC"),
    ]

    told = _told(spark, rows)

    assert {key: told[key] for key in ("o23", "o25", "o27")} == dict.fromkeys(
        ("o23", "o25", "o27"), (None, "BA2 1AA")
    )
    assert not {"e24", "e26", "e28"} & told.keys()
