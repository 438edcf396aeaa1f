"""A dependent locality run together with its post town: the town is the locality."""

from __future__ import annotations

from geodata.conflation.localities import TOWN_MIN_RECORDS, with_post_towns


def _records(spark, localities: list[tuple[str, str | None]]):
    rows = [(str(i), region, locality) for i, (region, locality) in enumerate(localities)]
    return spark.createDataFrame(rows, "id string, iso_3166_2 string, locality string")


def _localities(frame) -> dict[str, str | None]:
    return {r.id: r.locality for r in frame.collect()}


def test_a_dependent_locality_before_its_town_leaves_the_town(spark):
    town = [("GB-ENG", "EXAMPLETOWN")] * TOWN_MIN_RECORDS
    rows = [
        *town,
        ("GB-ENG", "NORTHSIDE"),
        ("GB-ENG", "NORTHSIDE EXAMPLETOWN"),
        # A street's words before the dependent locality, as a line without commas
        # leaves them.
        ("GB-ENG", "FIR LANE NORTHSIDE EXAMPLETOWN"),
        ("GB-ENG", None),
    ]
    out = _localities(with_post_towns(_records(spark, rows)))
    n = TOWN_MIN_RECORDS
    assert out[str(n)] == "NORTHSIDE"
    assert out[str(n + 1)] == "EXAMPLETOWN"
    assert out[str(n + 2)] == "EXAMPLETOWN"
    assert out[str(n + 3)] is None
    assert all(out[str(i)] == "EXAMPLETOWN" for i in range(n))


def test_a_town_whose_first_word_is_no_place_keeps_its_name(spark):
    rows = [
        *[("GB-ENG", "KIRBY")] * TOWN_MIN_RECORDS,
        *[("GB-ENG", "WEST KIRBY")] * 2,
    ]
    out = _localities(with_post_towns(_records(spark, rows)))
    assert sorted(out.values()) == sorted(["KIRBY"] * TOWN_MIN_RECORDS + ["WEST KIRBY"] * 2)


def test_a_town_few_records_write_alone_and_other_regions_change_nothing(spark):
    rows = [
        # Written alone by too few records to be a town.
        *[("GB-ENG", "SMALLTON")] * (TOWN_MIN_RECORDS - 1),
        ("GB-ENG", "NORTHSIDE"),
        ("GB-ENG", "NORTHSIDE SMALLTON"),
        # The town and the place are another region's.
        *[("GB-WLS", "EXAMPLETOWN")] * TOWN_MIN_RECORDS,
        ("GB-WLS", "NORTHSIDE"),
        ("GB-ENG", "NORTHSIDE EXAMPLETOWN"),
    ]
    out = _localities(with_post_towns(_records(spark, rows)))
    k = TOWN_MIN_RECORDS - 1
    assert out[str(k + 1)] == "NORTHSIDE SMALLTON"
    assert out[str(len(rows) - 1)] == "NORTHSIDE EXAMPLETOWN"


def test_a_thoroughfare_before_the_town_leaves_the_town(spark):
    rows = [
        *[("GB-ENG", "EXAMPLETOWN")] * TOWN_MIN_RECORDS,
        # "12 FIR LANE OAK ROAD EXAMPLETOWN": the road a dependent thoroughfare leads off.
        ("GB-ENG", "OAK ROAD EXAMPLETOWN"),
        # Words before a town that name no street and no place stay.
        ("GB-ENG", "WELWYN EXAMPLETOWN"),
        # Another country's words are not read as British streets.
        *[("US-CA", "SPRINGFIELD")] * TOWN_MIN_RECORDS,
        ("US-CA", "PORT RD SPRINGFIELD"),
    ]
    out = _localities(with_post_towns(_records(spark, rows)))
    n = TOWN_MIN_RECORDS
    assert out[str(n)] == "EXAMPLETOWN"
    assert out[str(n + 1)] == "WELWYN EXAMPLETOWN"
    assert out[str(len(rows) - 1)] == "PORT RD SPRINGFIELD"


def test_a_town_found_after_a_street_is_read_to_its_own_town(spark):
    rows = [
        *[("GB-ENG", "EXAMPLETOWN")] * TOWN_MIN_RECORDS,
        ("GB-ENG", "NORTHSIDE"),
        # Written without commas by enough records to count as a town itself.
        *[("GB-ENG", "NORTHSIDE EXAMPLETOWN")] * TOWN_MIN_RECORDS,
        ("GB-ENG", "OAK ROAD NORTHSIDE EXAMPLETOWN"),
    ]
    out = _localities(with_post_towns(_records(spark, rows)))
    assert out[str(len(rows) - 1)] == "EXAMPLETOWN"
    assert out[str(len(rows) - 2)] == "EXAMPLETOWN"
