"""The demo region generator: determinism, sizes, truth accounting, noise and hard negatives."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely

from geodata.sample_data import FRAME_NAMES, OUTPUT_PATHS, generate_region, write_region
from tests.sample_data.conftest import SMALL

ID_AND_DATE = {
    "county_gis": ("OBJECTID", "EDIT_DATE"),
    "vendor_acme": ("rec_id", "file_dt"),
    "open_data": ("id", None),
    "fi_open_data": ("osoite_id", "paivitetty"),
    "user_corrections": ("correction_id", "submitted_at"),
}
COORDINATES = {
    "county_gis": ("X", "Y"),
    "vendor_acme": ("longitude", "latitude"),
    "open_data": ("lon", "lat"),
    "fi_open_data": ("lon", "lat"),
    "user_corrections": ("lon", "lat"),
}
ADDRESS_SOURCES = ("county_gis", "vendor_acme", "open_data", "fi_open_data")


def _record_keys(frame: pd.DataFrame, source: str) -> set[tuple[str, str | None]]:
    id_column, date_column = ID_AND_DATE[source]
    ids = frame[id_column].astype(str)
    dates = frame[date_column].astype(str) if date_column else [None] * len(frame)
    return set(zip(ids, dates, strict=True))


def _truth_keys(truth: pd.DataFrame, source: str) -> set[tuple[str, str | None]]:
    rows = truth[truth["source"] == source]
    dates = [None if pd.isna(d) else d.isoformat() for d in rows["dt"]]
    return set(zip(rows["source_record_id"], dates, strict=True))


def _with_truth(region: dict[str, pd.DataFrame], source: str) -> pd.DataFrame:
    """A source's rows joined to the true address each refers to (valid rows only)."""
    id_column, _ = ID_AND_DATE[source]
    truth = region["truth_records"]
    mapping = (
        truth[truth["source"] == source]
        .drop_duplicates("source_record_id")
        .set_index("source_record_id")["truth_address_id"]
    )
    frame = region[source].assign(
        truth_address_id=region[source][id_column].astype(str).map(mapping)
    )
    truth_columns = region["truth_addresses"].rename(columns={"lon": "lon_true", "lat": "lat_true"})
    return frame.dropna(subset=["truth_address_id"]).merge(truth_columns, on="truth_address_id")


def _metres(lon1, lat1, lon2, lat2) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * np.arcsin(np.sqrt(h))


def test_same_seed_gives_identical_frames_and_files(small_region, tmp_path):
    again = generate_region(**SMALL)
    for name in FRAME_NAMES:
        pd.testing.assert_frame_equal(small_region[name], again[name])
    write_region(small_region, tmp_path / "a")
    write_region(again, tmp_path / "b")
    for name, relative in OUTPUT_PATHS.items():
        a, b = tmp_path / "a" / relative, tmp_path / "b" / relative
        if a.suffix == ".parquet":
            assert pq.read_table(a).equals(pq.read_table(b)), name
        else:
            assert a.read_bytes() == b.read_bytes(), name


def test_another_seed_gives_another_region(small_region):
    other = generate_region(**{**SMALL, "seed": SMALL["seed"] + 1})
    assert not other["truth_addresses"].equals(small_region["truth_addresses"])


def test_default_region_has_the_requested_addresses(demo_region):
    truth = demo_region["truth_addresses"]
    real = truth[~truth["phantom"]]
    assert (real["iso_3166_2"] == "US-CA").sum() == 5000
    assert (real["iso_3166_2"] == "FI-18").sum() == 800
    assert truth["phantom"].sum() == 5
    assert set(truth.loc[truth["phantom"], "iso_3166_2"]) == {"US-CA"}
    assert truth["truth_address_id"].is_unique
    key = ["house_number", "street", "unit", "locality", "iso_3166_2"]
    assert not truth.fillna({"unit": ""}).duplicated(key).any()


def test_default_region_lies_in_its_towns(demo_region):
    truth = demo_region["truth_addresses"]
    us = truth[truth["iso_3166_2"] == "US-CA"]
    fi = truth[truth["iso_3166_2"] == "FI-18"]
    assert us["lat"].between(37.70, 37.80).all() and us["lon"].between(-122.50, -122.38).all()
    assert fi["lat"].between(60.16, 60.19).all() and fi["lon"].between(24.90, 24.97).all()
    assert set(us["locality"]) == {"SAN FRANCISCO", "DALY CITY", "BRISBANE"}
    assert set(fi["locality"]) == {"HELSINKI"}
    assert us["postcode"].str.fullmatch(r"94\d{3}").all()
    assert fi["postcode"].str.fullmatch(r"00\d{2}0").all()
    # Each locality has its own postcodes; the bigger towns more than one.
    per_locality = us.groupby("locality")["postcode"].agg(set)
    assert sum(len(p) for p in per_locality) == len(set().union(*per_locality))
    assert len(per_locality["SAN FRANCISCO"]) >= 2 and len(per_locality["DALY CITY"]) >= 2


@pytest.mark.parametrize("source", list(ID_AND_DATE))
def test_every_source_record_is_in_the_truth(small_region, source):
    assert _record_keys(small_region[source], source) == _truth_keys(
        small_region["truth_records"], source
    )


def test_truth_records_point_at_true_addresses(small_region):
    records = small_region["truth_records"]
    known = set(small_region["truth_addresses"]["truth_address_id"])
    valid = records[~records["invalid"]]
    assert valid["truth_address_id"].notna().all()
    assert set(valid["truth_address_id"]) <= known
    assert records.loc[records["invalid"], "truth_address_id"].isna().all()
    assert not records.duplicated(["source", "source_record_id", "dt"]).any()


def test_every_real_address_is_in_some_source(small_region):
    truth = small_region["truth_addresses"]
    referenced = set(small_region["truth_records"]["truth_address_id"].dropna())
    assert set(truth["truth_address_id"]) <= referenced


@pytest.mark.parametrize("source", ADDRESS_SOURCES)
def test_about_half_a_percent_of_each_delivery_is_invalid(demo_region, source):
    # About 1 % of the records are spoiled; half of those lose only their point and are
    # still their address.
    records = demo_region["truth_records"]
    records = records[records["source"] == source]
    share = records.groupby("dt", dropna=False)["invalid"].mean()
    assert share.between(0.002, 0.01).all(), share


def test_invalid_records_have_no_address_and_a_spoiled_point_spoils_no_address(demo_region):
    county = demo_region["county_gis"]
    records = demo_region["truth_records"]
    invalid_ids = set(
        records.loc[(records["source"] == "county_gis") & records["invalid"], "source_record_id"]
    )
    is_invalid = county["OBJECTID"].astype(str).isin(invalid_ids)
    bad, good = county[is_invalid], county[~is_invalid]
    no_street = bad["FULLNAME"].isna()
    garbage = bad["FULLNAME"].isin(["???", "N/A", "-", "UNKNOWN"])
    assert no_street.any() and garbage.any() and (no_street | garbage).all()
    null_island = (good["X"] == 0) & (good["Y"] == 0)
    out_of_range = good["Y"].abs() > 90
    assert null_island.any() and out_of_range.any()
    assert good["FULLNAME"].notna().all()
    assert good.loc[~(null_island | out_of_range), "Y"].between(37, 38).all()


def test_deliveries_are_as_listed(demo_region):
    def dates(frame, column):
        return sorted({str(d) for d in frame[column]})

    assert dates(demo_region["county_gis"], "EDIT_DATE") == [
        "2026-09-01",
        "2026-10-01",
        "2026-11-01",
    ]
    assert dates(demo_region["vendor_acme"], "file_dt") == ["2026-10-15", "2026-11-15"]
    assert dates(demo_region["fi_open_data"], "paivitetty") == ["2026-08-01", "2026-10-01"]
    assert "dt" not in demo_region["open_data"].columns
    submitted = pd.to_datetime(demo_region["user_corrections"]["submitted_at"])
    assert submitted.between("2026-09-01", "2026-10-31").all()


def test_later_deliveries_add_and_drop_a_few_records(demo_region):
    county = demo_region["county_gis"]
    ids = {d: set(g["OBJECTID"]) for d, g in county.groupby("EDIT_DATE")}
    sep, octo, nov = (ids[d] for d in ("2026-09-01", "2026-10-01", "2026-11-01"))
    assert 0.005 * len(sep) <= len(octo - sep) <= 0.02 * len(sep)
    assert 1 <= len(sep - octo) <= 0.01 * len(sep)
    assert len(nov - octo) > 0 and len(octo - nov) > 0
    assert min(octo - sep) > max(sep)  # new records get new object ids
    # The same OBJECTID is the same record in every delivery.
    per_id = county.drop(columns="EDIT_DATE").drop_duplicates()
    assert per_id["OBJECTID"].is_unique
    vendor = demo_region["vendor_acme"]
    october = set(vendor.loc[vendor["file_dt"] == date(2026, 10, 15), "rec_id"])
    november = set(vendor.loc[vendor["file_dt"] == date(2026, 11, 15), "rec_id"])
    assert november - october and october - november


def test_coverage_per_source(demo_region):
    truth = demo_region["truth_addresses"]
    records = demo_region["truth_records"]
    real = truth[~truth["phantom"]]

    def share(source, region, when):
        rows = records[(records["source"] == source) & (records["dt"].astype(str) == when)]
        known = set(rows["truth_address_id"].dropna())
        in_region = real[real["iso_3166_2"] == region]["truth_address_id"]
        return in_region.isin(known).mean()

    assert 0.85 <= share("county_gis", "US-CA", "2026-11-01") <= 0.95
    assert 0.70 <= share("vendor_acme", "US-CA", "2026-11-15") <= 0.80
    assert 0.70 <= share("vendor_acme", "FI-18", "2026-11-15") <= 0.80
    assert 0.55 <= share("open_data", "US-CA", "<NA>") <= 0.65
    assert 0.80 <= share("fi_open_data", "FI-18", "2026-10-01") <= 0.90


def test_sources_repeat_some_addresses_under_another_id(demo_region):
    records = demo_region["truth_records"].dropna(subset=["truth_address_id"])
    for source in ADDRESS_SOURCES:
        rows = records[records["source"] == source]
        repeats = rows.groupby("dt", dropna=False)["truth_address_id"].apply(
            lambda ids: ids.duplicated().mean()
        )
        assert repeats.between(0.005, 0.02).all(), source


@pytest.mark.parametrize(
    ("source", "median_max", "p90_max"),
    [
        ("county_gis", 3.0, 5.0),
        ("vendor_acme", 15.0, 25.0),
        ("open_data", 30.0, 40.0),
        ("fi_open_data", 12.0, 16.0),
        ("user_corrections", 5.0, 5.0),
    ],
)
def test_coordinates_match_each_source_accuracy(demo_region, source, median_max, p90_max):
    joined = _with_truth(demo_region, source)
    lon, lat = COORDINATES[source]
    joined = joined[joined[lat].abs() <= 90]
    joined = joined[(joined[lon] != 0) | (joined[lat] != 0)]
    error = _metres(joined[lon], joined[lat], joined["lon_true"], joined["lat_true"])
    assert np.median(error) <= median_max
    assert np.percentile(error, 90) <= p90_max


def test_street_spellings_vary_by_source(demo_region):
    county = _with_truth(demo_region, "county_gis")
    usps = (county["FULLNAME"] == county["street"]).mean()
    assert 0.85 <= usps < 1.0
    assert county["FULLNAME"].str.contains(r"\bStreet\b|\bAvenue\b").any()
    vendor = _with_truth(demo_region, "vendor_acme")
    us = vendor[vendor["ctry"] == "US"]
    assert (us["street_nm"] == us["street"]).mean() < 0.5
    assert us["street_nm"].str.contains(r"^N\. ").any()
    assert us["postal_cd"].str.fullmatch(r"\d{5}-\d{4}").mean() > 0.5
    assert us["postal_cd"].str.fullmatch(r"\d{5}").any()
    assert set(us["state_prov"]) == {"CA", "California"}
    fi = vendor[vendor["ctry"] == "FI"]
    assert set(fi["state_prov"]) == {"Uusimaa"}
    open_text = demo_region["open_data"]["address"].dropna()
    assert open_text.str.contains(",").any() and (~open_text.str.contains(",")).any()
    assert open_text.str.contains(r"#\d").any() and open_text.str.contains("Unit ").any()
    assert (open_text == open_text.str.lower()).any() and (open_text == open_text.str.upper()).any()


def test_typos_only_in_street_names_of_vendor_and_open_data(demo_region):
    vendor = _with_truth(demo_region, "vendor_acme")
    us = vendor[vendor["ctry"] == "US"]
    canonical = us["street_nm"].str.upper().str.replace(".", "", regex=False)
    names = set(demo_region["truth_addresses"]["street"])
    words = {w for s in names for w in s.split()}
    unknown = canonical.map(lambda s: any(w not in words and not w.isdigit() for w in s.split()))
    spelled_out = canonical.str.contains(
        "STREET|AVENUE|BOULEVARD|DRIVE|COURT|LANE|PLACE|TERRACE|NORTH|SOUTH"
        "|^[A-Z ]+ (?:AV|BL|CRT|LA|TERR|DRV|WY)$"
    )
    typo_share = (unknown & ~spelled_out).mean()
    assert 0.01 <= typo_share <= 0.05
    # House numbers are never misspelled: every valid vendor number is its true number.
    compact = us["house_no"].str.replace(" ", "", regex=False).str.upper()
    assert (compact == us["house_number"].str.replace(" ", "", regex=False)).mean() > 0.99
    county = _with_truth(demo_region, "county_gis")
    assert (county["ADDNUM"] == county["house_number"]).mean() > 0.99


def test_hard_negatives_are_present(demo_region):
    truth = demo_region["truth_addresses"]
    us = truth[(truth["iso_3166_2"] == "US-CA") & ~truth["phantom"]]
    number = us["house_number"]
    base = number.str.extract(r"^(\d+)")[0].astype(int)
    # 12A and 12B on the same street.
    lettered = us[number.str.fullmatch(r"\d+[AB]")]
    pairs = lettered.assign(base=base).groupby(["street", "locality", "base"])["house_number"]
    assert (pairs.nunique() == 2).any()
    # Fractional numbers (12 1/2) next to whole ones.
    assert number.str.fullmatch(r"\d+ 1/2").any()
    # Buildings with several units, units 1 and 2 in the same building.
    units = us.dropna(subset=["unit"]).groupby("building_id")["unit"]
    assert (units.nunique() >= 2).any()
    assert units.apply(lambda u: {"APT 1", "APT 2"} <= set(u)).any()
    assert us["unit"].str.startswith("STE ").any()
    assert us.groupby("building_id").size().max() <= 60
    # Adjacent numbers (n and n + 2) on the same street.
    keys = set(zip(us["street"], us["locality"], base, strict=True))
    assert any((s, loc, n + 2) in keys for s, loc, n in keys)
    # N MAIN ST and S MAIN ST share house numbers.
    north = set(us.loc[us["street"] == "N MAIN ST", "house_number"])
    south = set(us.loc[us["street"] == "S MAIN ST", "house_number"])
    assert north & south
    # The same street name in two localities.
    assert (us.groupby("street")["locality"].nunique() >= 2).any()
    # Multi-unit buildings on about 10 % of parcels.
    per_building = us.groupby("building_id").size()
    assert 0.05 <= (per_building >= 2).mean() <= 0.15
    # USPS street types in use.
    types = us["street"].str.split().str[-1]
    assert {"ST", "AVE", "BLVD", "DR", "CT", "WAY", "LN", "PL", "TER"} <= set(types)


def test_finnish_addresses_use_staircase_units(demo_region):
    truth = demo_region["truth_addresses"]
    fi = truth[truth["iso_3166_2"] == "FI-18"]
    assert fi["unit"].dropna().str.fullmatch(r"[A-Z] \d+").all()
    assert fi["unit"].notna().mean() > 0.8
    assert "MANNERHEIMINTIE" in set(fi["street"])
    text = demo_region["fi_open_data"]["osoite"]
    assert (
        text.str.fullmatch(r"[A-ZÄÖ][a-zäöA-Z ]+ \d+( [A-Z] \d+)?, 00\d{3} Helsinki").mean() > 0.98
    )


def test_corrections_reference_existing_truth(demo_region):
    corrections = demo_region["user_corrections"]
    records = demo_region["truth_records"]
    truth = demo_region["truth_addresses"].set_index("truth_address_id")
    rows = records[records["source"] == "user_corrections"].set_index("source_record_id")
    joined = corrections.join(rows, on="correction_id")
    valid = joined[~joined["invalid"]]
    assert valid["action"].value_counts().to_dict() == {"fix": 15, "add": 10, "suppress": 5}
    assert joined["invalid"].sum() == 1
    target = truth.loc[valid["truth_address_id"]]
    assert target["phantom"].to_numpy().tolist() == (valid["action"] == "suppress").tolist()
    assert (target["iso_3166_2"] == "US-CA").all()
    error = _metres(valid["lon"], valid["lat"], target["lon"].to_numpy(), target["lat"].to_numpy())
    assert (error <= 5.0).all()


def test_added_addresses_are_missing_from_every_other_source(demo_region):
    records = demo_region["truth_records"]
    corrections = records[records["source"] == "user_corrections"]
    actions = demo_region["user_corrections"].set_index("correction_id")["action"]
    added = corrections[corrections["source_record_id"].map(actions) == "add"]["truth_address_id"]
    others = records[records["source"] != "user_corrections"]
    assert not others["truth_address_id"].isin(set(added)).any()
    text = demo_region["user_corrections"].loc[lambda c: c["action"] == "add", "address"]
    truth = demo_region["truth_addresses"].set_index("truth_address_id").loc[added]
    expected = {
        f"{t.house_number} {t.street}{' ' + t.unit if t.unit else ''}, "
        f"{t.locality}, CA {t.postcode}"
        for t in truth.itertuples()
    }
    assert set(text) == expected


def test_phantoms_come_only_from_the_vendor(demo_region):
    truth = demo_region["truth_addresses"]
    phantoms = set(truth.loc[truth["phantom"], "truth_address_id"])
    records = demo_region["truth_records"]
    sources = set(records.loc[records["truth_address_id"].isin(phantoms), "source"])
    assert sources == {"vendor_acme", "user_corrections"}
    assert truth.loc[truth["phantom"], ["building_id", "parcel_id"]].isna().all().all()


def test_fixes_correct_a_value_every_source_gets_wrong(demo_region):
    corrections = demo_region["user_corrections"]
    fixes = corrections[corrections["action"] == "fix"].dropna(
        how="all", subset=[c for c in corrections if c.startswith("new_")]
    )
    assert len(fixes) == 15
    records = demo_region["truth_records"]
    targets = records[records["source"] == "user_corrections"].set_index("source_record_id")
    truth = demo_region["truth_addresses"].set_index("truth_address_id")
    county = _with_truth(demo_region, "county_gis")
    fields = {
        "new_postcode": ("postcode", "ZIP"),
        "new_street": ("street", "FULLNAME"),
        "new_house_number": ("house_number", "ADDNUM"),
        "new_locality": ("locality", "CITY"),
    }
    seen = set()
    for fix in fixes.itertuples():
        target = targets.at[fix.correction_id, "truth_address_id"]
        for column, (field, county_column) in fields.items():
            value = getattr(fix, column)
            if value is None or pd.isna(value):
                continue
            seen.add(field)
            assert value == truth.loc[target, field]
            assert value not in fix.address
            in_county = county[county["truth_address_id"] == target]
            assert len(in_county) >= 3
            assert (in_county[county_column] != value).all()
    assert seen == {"postcode", "street", "house_number", "locality"}


def test_reference_geometry_is_consistent(demo_region):
    truth = demo_region["truth_addresses"]
    real = truth[~truth["phantom"]]
    for name, id_column in (("parcels", "parcel_id"), ("buildings", "building_id")):
        frame = demo_region[name]
        assert frame[id_column].is_unique
        assert set(real[id_column]) == set(frame[id_column])
    buildings = shapely.from_wkt(
        real.merge(demo_region["buildings"], on="building_id")["wkt"].to_numpy()
    )
    parcels = shapely.from_wkt(real.merge(demo_region["parcels"], on="parcel_id")["wkt"].to_numpy())
    points = shapely.points(real["lon"].to_numpy(), real["lat"].to_numpy())
    assert shapely.contains(buildings, points).all()
    assert shapely.within(buildings, parcels).all()
    all_parcels = shapely.from_wkt(demo_region["parcels"]["wkt"].to_numpy())
    tree = shapely.STRtree(all_parcels)
    overlapping = tree.query(all_parcels, predicate="overlaps")
    assert overlapping.shape[1] == 0  # parcels touch but never overlap
    roads = real.merge(demo_region["roads"], on="road_id")
    assert (roads["name"].str.upper() == roads["street"]).all()
    assert demo_region["roads"]["wkt"].str.startswith("LINESTRING (").all()


def test_parquet_column_types(small_region, tmp_path):
    write_region(small_region, tmp_path)
    vendor = pq.read_schema(tmp_path / OUTPUT_PATHS["vendor_acme"])
    assert vendor.field("file_dt").type == pa.date32()
    assert vendor.field("rec_id").type == pa.string()
    assert vendor.field("house_no").type == pa.string()
    assert vendor.field("longitude").type == pa.float64()
    records = pq.read_schema(tmp_path / OUTPUT_PATHS["truth_records"])
    assert records.field("dt").type == pa.date32()
    assert records.field("source_record_id").type == pa.string()
    assert records.field("invalid").type == pa.bool_()
    addresses = pq.read_schema(tmp_path / OUTPUT_PATHS["truth_addresses"])
    assert addresses.field("lat").type == pa.float64()
    assert addresses.field("phantom").type == pa.bool_()
    header = (tmp_path / OUTPUT_PATHS["county_gis"]).read_text().splitlines()[0]
    assert header == "OBJECTID,ADDNUM,FULLNAME,UNIT,CITY,STATE,ZIP,X,Y,EDIT_DATE"
    first = (tmp_path / OUTPUT_PATHS["user_corrections"]).read_text().splitlines()[0]
    assert re.match(r'^\{"correction_id":"UC-\d{6}","action":', first)
