"""normalize_records on a small mapped frame: canonical records, rejects, run scope."""

from datetime import date

from pyspark.sql import functions as F

from geodata.params import RunParams
from geodata.pipelines.normalize.nodes import normalize_records
from geodata.schemas import CANONICAL_SCHEMA, MAPPED_SCHEMA


def _mapped(spark, rows):
    defaults = {f.name: None for f in MAPPED_SCHEMA.fields}
    defaults.update(geometry_accuracy="rooftop", priority=1, dt=date(2026, 10, 1), raw="{}")
    records = [{**defaults, **row} for row in rows]
    frame = spark.createDataFrame(records, MAPPED_SCHEMA)
    return frame.withColumn("reject_reason", F.lit(None).cast("string")).withColumn(
        "reject_reason",
        F.when(F.col("source_record_id") == "bad-ingest", "null_island"),
    )


ROWS = [
    {"source": "a", "source_record_id": "1", "house_number": "12", "street": "north main street",
     "unit": "Apt 4", "postcode": "94103-1234", "region": "CA", "country": "US",
     "lon": -122.4, "lat": 37.7},
    {"source": "b", "source_record_id": "2",
     "full_address": "12 N Main St #4, San Francisco, CA 94103", "country": "US",
     "lon": -122.4, "lat": 37.7},
    {"source": "c", "source_record_id": "3",
     "full_address": "Mannerheimintie 12 A 5, 00100 Helsinki", "country": "FI",
     "region": "FI-18", "lon": 24.9, "lat": 60.2},
    {"source": "a", "source_record_id": "4", "house_number": "12", "street": None,
     "region": "CA", "country": "US", "lon": -122.4, "lat": 37.7},
    {"source": "a", "source_record_id": "bad-ingest", "house_number": "1", "street": "Oak St",
     "region": "CA", "country": "US", "lon": 0.0, "lat": 0.0},
    {"source": "a", "source_record_id": "6", "full_address": "???", "lon": -122.4, "lat": 37.7},
]  # fmt: skip


def test_records_become_canonical_or_rejected(spark):
    valid, rejected = normalize_records(_mapped(spark, ROWS), RunParams(execution_dt="2026-11-01"))
    assert [(f.name, f.dataType) for f in valid.schema] == [
        (f.name, f.dataType) for f in CANONICAL_SCHEMA
    ]
    by_id = {r.source_record_id: r for r in valid.collect()}
    # A house number and a point without a street is an address with the parts it has;
    # so is a point alone, in the country and region of the records around it.
    assert set(by_id) == {"1", "2", "3", "4", "6"}
    assert (by_id["4"].house_number, by_id["4"].street) == ("12", None)
    six = by_id["6"]
    assert (six.iso_3166_1, six.iso_3166_2, six.house_number, six.street) == (
        "US",
        "US-CA",
        None,
        None,
    )
    one, two = by_id["1"], by_id["2"]
    for field in ("house_number", "street", "unit_id", "postcode", "iso_3166_2", "hn_int"):
        assert one[field] == two[field], field
    assert (one.street, one.unit_id, one.postcode) == ("N MAIN ST", "4", "94103")
    assert by_id["3"].iso_3166_2 == "FI-18"
    assert by_id["3"].street == "MANNERHEIMINTIE"

    reasons = {r.source_record_id: (r.reason, r.iso_3166_2) for r in rejected.collect()}
    assert reasons == {"bad-ingest": ("null_island", "US-CA")}


def test_region_filter_keeps_only_the_region_and_unknown_rejects(spark):
    valid, rejected = normalize_records(
        _mapped(spark, ROWS), RunParams(execution_dt="2026-11-01", iso_3166_2="FI-18")
    )
    assert {r.source_record_id for r in valid.collect()} == {"3"}
    assert {r.source_record_id for r in rejected.collect()} == {"6"}


def test_normalizing_twice_changes_nothing(spark):
    valid, _ = normalize_records(_mapped(spark, ROWS), RunParams(execution_dt="2026-11-01"))
    again_input = valid.select(
        *[
            F.col(c).alias(c)
            for c in (
                "source",
                "source_record_id",
                "house_number",
                "street",
                "unit",
                "locality",
                "postcode",
                "lat",
                "lon",
            )
        ],
        F.col("iso_3166_2").alias("region"),
        F.col("iso_3166_1").alias("country"),
    ).collect()
    again, _ = normalize_records(
        _mapped(spark, [r.asDict() for r in again_input]), RunParams(execution_dt="2026-11-01")
    )
    keys = ["source", "source_record_id", "house_number", "street", "unit", "unit_id",
            "postcode", "iso_3166_2", "street_base", "street_phonetic"]  # fmt: skip
    first = sorted(tuple(r) for r in valid.select(*keys).collect())
    second = sorted(tuple(r) for r in again.select(*keys).collect())
    assert first == second


def _placed(source_record_id, lat, lon, region="CA", **extra):
    return {"source": "a", "source_record_id": source_record_id, "house_number": "12",
            "street": "Oak St", "region": region, "country": "US", "lat": lat, "lon": lon,
            **extra}  # fmt: skip


def test_a_record_without_its_region_is_placed_in_the_region_around_its_point(spark):
    rows = [
        *[_placed(f"ca{i}", 37.70 + i * 0.001, -122.40) for i in range(4)],
        # The region column empty or unreadable, the point among Californian records.
        _placed("empty", 37.701, -122.401, region=None),
        _placed("abbreviated", 37.702, -122.402, region="Calif."),
        # Placed: without a street it is still an address.
        _placed("no-street", 37.703, -122.403, region=None, street=None),
        # Far from every record with a region: stays unknown.
        _placed("alone", 40.0, -100.0, region=None),
        # A cell split between two regions tells no region.
        _placed("nv0", 39.001, -119.001, region="NV"),
        _placed("ca-border", 39.002, -119.002),
        _placed("border", 39.003, -119.003, region=None),
    ]
    valid, rejected = normalize_records(_mapped(spark, rows), RunParams(execution_dt="2026-11-01"))
    regions = {r.source_record_id: r.iso_3166_2 for r in valid.collect()}
    assert regions["empty"] == regions["abbreviated"] == regions["no-street"] == "US-CA"
    reasons = {r.source_record_id: (r.reason, r.iso_3166_2) for r in rejected.collect()}
    assert reasons == {
        "alone": ("unknown_region", "US-ZZ"),
        "border": ("unknown_region", "US-ZZ"),
    }
    assert len(regions) + len(reasons) == len(rows)


def test_a_point_one_source_gives_to_several_streets_is_coarse(spark):
    centre = {"lat": 37.75, "lon": -122.42, "geometry_accuracy": "parcel"}
    rows = [
        # A vendor's geocoder put three streets' addresses at one centre.
        _placed("v1", street="Oak St", **centre),
        _placed("v2", street="Elm St", **centre),
        _placed("v3", street="Pine St", house_number="7", **centre),
        # Another source's point there is its own; a building's flats and a corner
        # lot (two streets) share a point legitimately.
        {**_placed("o1", street="Ash St", **centre), "source": "b"},
        _placed("flat1", 37.76, -122.41, street="Oak St", unit="1", geometry_accuracy="parcel"),
        _placed("flat2", 37.76, -122.41, street="Oak St", unit="2", geometry_accuracy="parcel"),
        _placed("corner1", 37.77, -122.41, street="Oak St"),
        _placed("corner2", 37.77, -122.41, street="Elm St"),
    ]
    valid, _ = normalize_records(_mapped(spark, rows), RunParams(execution_dt="2026-11-01"))
    accuracy = {r.source_record_id: r.geometry_accuracy for r in valid.collect()}
    assert accuracy == {
        "v1": "postal",
        "v2": "postal",
        "v3": "postal",
        "o1": "parcel",
        "flat1": "parcel",
        "flat2": "parcel",
        "corner1": "rooftop",
        "corner2": "rooftop",
    }


def test_a_record_without_region_or_point_takes_the_region_of_its_postcode_or_town(spark):
    rows = [
        *[_placed(f"ca{i}", 37.70 + i * 0.001, -122.40, postcode="94110") for i in range(3)],
        *[_placed(f"loc{i}", 37.80, -122.30, locality="Oakland") for i in range(2)],
        _placed("nv", 39.0, -119.0, region="NV", locality="Springfield"),
        _placed("or", 44.0, -123.0, region="OR", locality="Springfield"),
        # No point: the postcode, else the town, tells the region.
        _placed("by-postcode", None, None, region=None, postcode="94110"),
        _placed("by-town", None, None, region=None, locality="OAKLAND"),
        # A town name two regions have tells none.
        _placed("springfield", None, None, region=None, locality="Springfield"),
    ]
    valid, rejected = normalize_records(_mapped(spark, rows), RunParams(execution_dt="2026-11-01"))
    regions = {r.source_record_id: r.iso_3166_2 for r in valid.collect()}
    assert regions["by-postcode"] == regions["by-town"] == "US-CA"
    assert {r.source_record_id: r.reason for r in rejected.collect()} == {
        "springfield": "unknown_region"
    }


def test_a_record_without_country_or_region_is_placed_by_its_point_or_street(spark):
    rows = [
        *[_placed(f"ca{i}", 37.70 + i * 0.001, -122.40, street="Oak St") for i in range(3)],
        *[
            _placed(f"ny{i}", 40.70 + i * 0.001, -74.00, region="NY", street="Elm St")
            for i in range(3)
        ],
        # No country and no region: the records around its point tell both.
        _placed("no-country", 37.701, -122.401, region=None, country=None, street="Pine St"),
        # No point, postcode or town: the records on its street tell the region.
        _placed("by-street", None, None, region=None, street="Elm St"),
        # Nothing to go by.
        _placed("nowhere", None, None, region=None, country=None, street="Birch St"),
    ]
    valid, rejected = normalize_records(_mapped(spark, rows), RunParams(execution_dt="2026-11-01"))
    placed = {r.source_record_id: (r.iso_3166_1, r.iso_3166_2) for r in valid.collect()}
    assert placed["no-country"] == ("US", "US-CA")
    assert placed["by-street"] == ("US", "US-NY")
    assert {r.source_record_id: r.reason for r in rejected.collect()} == {
        "nowhere": "unknown_country"
    }


def test_points_with_latitude_and_longitude_swapped_are_swapped_back(spark):
    town = [
        _placed(f"t{i}", 52.63 + i * 0.0002, -1.12, country="GB", region="ENG") for i in range(40)
    ]
    rows = [
        *town,
        # A source that swaps its axes: its records lie together, far from everyone else.
        *[_placed(f"s{i}", -1.12, 52.63 + i * 0.001, country="GB", region="ENG") for i in range(3)],
        # A lone address, and one whose swapped point is nobody's neighbourhood, keep theirs.
        _placed("lone", 54.0, -3.0, country="GB", region="ENG"),
        _placed("odd", 10.0, 20.0, country="GB", region="ENG"),
    ]
    valid, _ = normalize_records(_mapped(spark, rows), RunParams(execution_dt="2026-11-01"))
    points = {r.source_record_id: (r.lat, r.lon) for r in valid.collect()}
    assert all(points[f"s{i}"] == (52.63 + i * 0.001, -1.12) for i in range(3))
    assert points["lone"] == (54.0, -3.0) and points["odd"] == (10.0, 20.0)
    assert points["t0"] == (52.63, -1.12)


def test_a_source_that_swaps_many_points_has_each_swapped_back(spark):
    """Around a swapped point lie the source's other swapped points: as many as the other
    sources' records around the point swapped back, so that all records would not tell."""
    town = [
        {**_placed(f"t{i}", 52.63 + i * 0.0001, -1.12, country="GB", region="ENG"), "source": "b"}
        for i in range(40)
    ]
    swapped = [
        _placed(f"s{i}", -1.12, 52.63 + i * 0.0002, country="GB", region="ENG") for i in range(20)
    ]
    # A record without its region is placed by its point, once put back.
    regionless = _placed("no-region", -1.12, 52.6301, country="GB", region=None)
    valid, _ = normalize_records(
        _mapped(spark, [*town, *swapped, regionless]), RunParams(execution_dt="2026-11-01")
    )
    points = {r.source_record_id: (r.lat, r.lon, r.iso_3166_2) for r in valid.collect()}
    assert all(points[f"s{i}"][:2] == (52.63 + i * 0.0002, -1.12) for i in range(20))
    assert all(points[f"t{i}"][:2] == (52.63 + i * 0.0001, -1.12) for i in range(40))
    assert points["no-region"] == (52.6301, -1.12, "GB-ENG")


def test_a_house_letter_one_source_lost_is_back_in_the_normalized_records(spark):
    # Two sources write "15 b"; a third source's numeric column lost the letter.
    rows = [
        {"source": src, "source_record_id": "1", "house_number": number,
         "street": "Kaivokatu", "region": "FI-18", "country": "FI", "lon": 24.94, "lat": 60.17}
        for src, number in (("a", "15 b"), ("b", "15B"), ("c", "15"))
    ]  # fmt: skip
    valid, _ = normalize_records(_mapped(spark, rows), RunParams(execution_dt="2026-11-01"))
    numbers = {r.source: (r.house_number, r.hn_suffix) for r in valid.collect()}
    assert numbers == {"a": ("15B", "B"), "b": ("15B", "B"), "c": ("15B", "B")}


def test_a_record_placed_in_a_country_is_parsed_by_its_rules(spark):
    """Without a country, "FLAT 1 46 KING AVENUE" reads as number 1 of a street FLAT;
    placed among British records, it is parsed again as a flat of 46 King Avenue."""
    gb = {"country": "GB", "region": "GB-ENG", "house_number": None}
    rows = [
        *[
            _placed(f"gb{i}", 52.63 + i * 0.001, -1.12, street=f"{i + 1} KING AVENUE", **gb)
            for i in range(3)
        ],
        _placed(
            "no-country", 52.631, -1.121, region=None, country=None, house_number=None,
            street="FLAT 1 46 King Avenue", locality="Andrewston",
        ),
        # A record that names no country and is placed nowhere keeps its first parse.
        _placed("nowhere", None, None, region=None, country=None, house_number=None,
                street="FLAT 2 47 Queen Road"),
    ]  # fmt: skip
    valid, rejected = normalize_records(_mapped(spark, rows), RunParams(execution_dt="2026-11-01"))
    placed = next(r for r in valid.collect() if r.source_record_id == "no-country")
    assert (placed.iso_3166_1, placed.iso_3166_2) == ("GB", "GB-ENG")
    assert (placed.house_number, placed.street, placed.unit) == ("46", "KING AVENUE", "FLAT 1")
    assert (placed.unit_id, placed.locality) == ("1", "ANDREWSTON")
    assert [(r.source_record_id, r.reason) for r in rejected.collect()] == [
        ("nowhere", "unknown_country")
    ]


def test_a_house_named_before_its_street_without_commas_is_the_premise(spark):
    """ "OAKLANDS FIR LANE EXAMPLETOWN" reads as the street OAKLANDS FIR LANE; the
    region's records of FIR LANE make it the house OAKLANDS on FIR LANE, which then
    takes the number another record gives beside the name."""
    gb = {"country": "GB", "region": "GB-ENG", "lon": -1.12, "lat": 52.63}
    lines = {
        **{f"fir{i}": f"{i} Fir Lane, Exampletown" for i in range(1, 4)},
        "named": "OAKLANDS FIR LANE EXAMPLETOWN",
        "numbered": "Oaklands, 7 Fir Lane, Exampletown",
    }
    rows = [
        {"source": "a", "source_record_id": key, "full_address": line, **gb}
        for key, line in lines.items()
    ]
    valid, _ = normalize_records(_mapped(spark, rows), RunParams(execution_dt="2026-11-01"))
    records = {r.source_record_id: r for r in valid.collect()}
    named = records["named"]
    assert (named.house_number, named.hn_int, named.street, named.locality) == (
        "7",
        7,
        "FIR LANE",
        "EXAMPLETOWN",
    )
    assert records["fir1"].street == "FIR LANE" and records["fir1"].house_number == "1"
