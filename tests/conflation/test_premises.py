"""A house's name run into its street, read apart by the region's other records."""

from __future__ import annotations

from geodata.address.street import normalize_street
from geodata.conflation.premises import premise_streets, with_premise_streets
from geodata.conflation.street_ends import STREET_MIN_RECORDS

_COLUMNS = (
    "id string, iso_3166_2 string, street string, house_number string, hn_suffix string, "
    "street_base string, street_phonetic string, action string"
)


def _records(spark, rows: list[tuple[str, str, str | None]]):
    data = [
        (str(i), region, street, number, None, f"base of {street}", f"key of {street}", None)
        for i, (region, street, number) in enumerate(rows)
    ]
    return spark.createDataFrame(data, _COLUMNS)


def _read(spark, rows):
    records = _records(spark, rows)
    out = with_premise_streets(records, premise_streets(records))
    assert out.columns == records.columns
    return {r.id: r for r in out.collect()}


def _street(street: str, region: str = "GB-ENG", times: int = STREET_MIN_RECORDS):
    return [(region, street, str(number)) for number in range(1, times + 1)]


def test_a_name_before_one_of_the_regions_streets_is_the_house(spark):
    rows = [
        *_street("FIR LANE"),
        # "OAKLANDS FIR LANE EXAMPLETOWN", "FLAT 2 HIGH TREES FIR LANE": no number.
        ("GB-ENG", "OAKLANDS FIR LANE", None),
        ("GB-ENG", "HIGH TREES FIR LANE", None),
    ]
    out = _read(spark, rows)
    fir_lane = normalize_street("FIR LANE", "GB")
    for index, name in ((-2, "OAKLANDS"), (-1, "HIGH TREES")):
        record = out[str(len(rows) + index)]
        assert (record.house_number, record.hn_suffix, record.street) == (name, name, "FIR LANE")
        assert (record.street_base, record.street_phonetic) == (fir_lane.base, fir_lane.phonetic)
    # The records that wrote the street alone are as they were.
    assert (out["0"].street, out["0"].house_number, out["0"].street_base) == (
        "FIR LANE",
        "1",
        "base of FIR LANE",
    )


def test_a_street_that_only_begins_like_another_stays(spark):
    rows = [
        *_street("HIGH STREET", times=3),
        *_street("CHURCH HILL ROAD", times=3),
        *_street("HILL ROAD", times=3),
        # A word that makes a street another street, and a street written as often.
        ("GB-ENG", "UPPER HIGH STREET", None),
        ("GB-ENG", "CHURCH HILL ROAD", None),
        # A record with a number may be a flat of the house or a number on the street.
        ("GB-ENG", "OAKLANDS HIGH STREET", "1"),
        # Words a house's name holds no thoroughfare type of, and streets of another
        # country read otherwise.
        ("GB-ENG", "PARK ROAD HIGH STREET", None),
        *_street("MAIN ST", region="US-CA"),
        ("US-CA", "OAKLANDS MAIN ST", None),
        # A street nobody else writes is no street to read apart.
        ("GB-ENG", "OAKLANDS ELM DRIVE", None),
    ]
    out = _read(spark, rows)
    for index in range(len(rows) - 6, len(rows)):
        record = out[str(index)]
        assert record.street == rows[index][1]
        assert record.house_number == rows[index][2]


def test_the_longest_street_of_the_region_wins(spark):
    rows = [
        *_street("CHURCH HILL ROAD", times=4),
        *_street("HILL ROAD", times=4),
        ("GB-ENG", "OAKLANDS CHURCH HILL ROAD", None),
    ]
    out = _read(spark, rows)
    record = out[str(len(rows) - 1)]
    assert (record.house_number, record.street) == ("OAKLANDS", "CHURCH HILL ROAD")
