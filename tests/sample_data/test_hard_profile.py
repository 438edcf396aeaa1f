"""The hard evaluation profile: size, determinism, truth, hard negatives, configuration."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from geodata.address.normalize import normalize_address
from geodata.sample_data import generate_region
from geodata.sample_data.__main__ import main
from geodata.sample_data.hard import SOURCE_PLANS
from geodata.sample_data.region import HARD_OUTPUT_PATHS, write_region

REPO = Path(__file__).resolve().parents[2]
SIZE = 6000
SOURCES = (
    "county_gis",
    "vendor_acme",
    "open_data",
    "fi_open_data",
    "gb_open_data",
    "postal_directory",
    "user_corrections",
)


def _hard(seed: int, records: int) -> dict[str, pd.DataFrame]:
    return generate_region(seed, profile="hard", source_records=records)


@pytest.fixture(scope="module")
def hard() -> dict[str, pd.DataFrame]:
    return _hard(11, SIZE)


def _run_records(truth_records: pd.DataFrame) -> pd.DataFrame:
    """Records a run after every delivery reads: each source's latest delivery."""
    latest = truth_records.groupby("source")["dt"].transform("max")
    snapshot = truth_records["source"] != "user_corrections"
    undated = truth_records["dt"].isna()
    return truth_records[~snapshot | undated | (truth_records["dt"] == latest)]


def _parsed_streets(frame: pd.DataFrame, column: str, country: str) -> pd.Series:
    return (
        frame[column]
        .dropna()
        .map(
            lambda text: (
                normalize_address(
                    house_number=None,
                    street=None,
                    unit=None,
                    locality=None,
                    region=None,
                    postcode=None,
                    country=country,
                    full_address=text,
                ).street
            )
        )
    )


def test_other_seed_other_frames(hard):
    # The same seed giving the same files is checked by the command-line test below.
    other = _hard(12, 3000)
    assert list(other) == list(hard)
    assert not other["vendor_acme"].equals(hard["vendor_acme"])


def test_every_source_and_frame_is_there(hard):
    assert list(hard) == list(HARD_OUTPUT_PATHS)
    assert set(hard["truth_records"]["source"]) == set(SOURCES)
    assert set(hard["truth_addresses"]["iso_3166_2"]) == {"US-CA", "FI-18", "GB-ENG"}
    # Each source has a layout of its own.
    layouts = {tuple(sorted(hard[name].columns)) for name in SOURCES}
    assert len(layouts) == len(SOURCES)


@pytest.fixture(scope="module")
def larger() -> dict[str, pd.DataFrame]:
    return _hard(5, 3 * SIZE)


def test_size_follows_the_requested_records(hard, larger):
    for frames, records in ((hard, SIZE), (larger, 3 * SIZE)):
        in_run = len(_run_records(frames["truth_records"]))
        assert 0.9 * records <= in_run <= 1.1 * records
        # Older deliveries are in the files too.
        assert len(frames["truth_records"]) > in_run
    ratio = len(larger["truth_addresses"]) / len(hard["truth_addresses"])
    assert 2.7 <= ratio <= 3.3


def test_large_apartment_blocks(larger):
    a = larger["truth_addresses"]
    per_building = a.groupby("building_id").size()
    assert per_building.max() >= 100
    big = a[a["building_id"] == per_building.idxmax()]
    # Floor-numbered flats: APT 101, APT 102, ... APT 201.
    assert big["unit"].str.fullmatch(r"APT \d{3,4}").all()


def test_truth_is_consistent(hard):
    records, addresses = hard["truth_records"], hard["truth_addresses"]
    assert addresses["truth_address_id"].is_unique
    valid = records[~records["invalid"]]
    assert valid["truth_address_id"].isin(addresses["truth_address_id"]).all()
    assert records.loc[records["invalid"], "truth_address_id"].isna().all()
    assert not records.duplicated(["source", "source_record_id", "dt"]).any()
    # Every real address is known to some source or added by a user.
    real = addresses.loc[~addresses["phantom"], "truth_address_id"]
    assert real.isin(valid["truth_address_id"]).all()
    for source in SOURCES:
        share = records.loc[records["source"] == source, "invalid"].mean()
        assert share < 0.05, source


def test_canonical_truth_normalizes_to_itself(hard):
    addresses = hard["truth_addresses"]
    for row in addresses.itertuples(index=False):
        result = normalize_address(
            house_number=row.house_number,
            street=row.street,
            unit=row.unit,
            locality=row.locality,
            region=row.iso_3166_2,
            postcode=row.postcode,
            country=row.iso_3166_1,
            full_address=None,
        )
        assert result.reject_reason is None, row
        got = (result.house_number, result.street, result.unit, result.locality, result.postcode)
        assert got == (row.house_number, row.street, row.unit, row.locality, row.postcode)


def test_country_formats(hard):
    addresses = hard["truth_addresses"]
    gb = addresses[addresses["iso_3166_2"] == "GB-ENG"]
    fi = addresses[addresses["iso_3166_2"] == "FI-18"]
    assert gb["unit"].dropna().str.fullmatch(r"FLAT \d+").all()
    assert gb["postcode"].str.fullmatch(r"[A-Z]{1,2}\d{1,2} \d[A-Z]{2}").all()
    assert fi["unit"].dropna().str.fullmatch(r"[A-Z] \d+").all()
    postal = hard["postal_directory"]["address_line"]
    gb_line = r"Flat \d+, \d+[A-Z]? [A-Za-z' ]+, (?:LONDON|CROYDON), [A-Z0-9]+ \d[A-Z]{2}"
    assert postal.str.fullmatch(gb_line).any()
    assert postal.str.fullmatch(r"\w[\w ]*(katu|tie|di) \d+[A-Z]? [A-Z] \d+, \d{5} \w+").any()


def test_hard_negatives_are_present(hard):
    a = hard["truth_addresses"]
    real = a[~a["phantom"]]
    number = real["house_number"].str.extract(r"^(\d+)")[0].astype(int)
    # Adjacent numbers on the same street of a town.
    keyed = real.assign(n=number).drop_duplicates(["street", "locality", "n"])
    ordered = keyed.sort_values(["street", "locality", "n"])
    gap = ordered.groupby(["street", "locality"])["n"].diff()
    assert (gap <= 2).sum() >= 200
    # Letter suffixes (12A next to 12B or 12).
    assert real["house_number"].str.fullmatch(r"\d+[A-Z]").sum() >= 20
    # Units of one building, and large blocks with hundreds of units.
    per_building = real.groupby("building_id").size()
    assert (per_building >= 2).sum() >= 50
    # Twin streets: N MAIN ST and S MAIN ST in one town.
    us = real[real["iso_3166_2"] == "US-CA"]
    twins = us["street"].str.extract(r"^([NS]) (.+)$").dropna()
    twins["locality"] = us.loc[twins.index, "locality"]
    assert (twins.groupby(["locality", 1])[0].nunique() == 2).sum() >= 3
    # The same street name in two towns of a region.
    towns = real.groupby(["iso_3166_2", "street"])["locality"].nunique()
    assert (towns >= 2).groupby(level=0).sum().min() >= 3


def test_renamed_streets_live_on_in_some_sources(hard):
    current = set(hard["truth_addresses"]["street"])
    vendor = hard["vendor_acme"]
    us = vendor[vendor["ctry"] == "US"]
    stale = us["street_nm"].str.upper().str.contains(r"\b(?:ARMY|KEARNY|STOCKTON|FILLMORE)\b")
    assert stale.sum() >= 5
    streets = _parsed_streets(hard["open_data"], "address", "US")
    assert (~streets.isin(current)).sum() >= 5


def test_aliases_and_coarse_geometry(hard):
    fi = hard["fi_open_data"]["osoite"]
    assert fi.str.contains("gatan|vägen").sum() >= 5
    assert fi.str.contains("Helsingfors|Esbo").sum() >= 5
    assert hard["county_gis"]["CITY"].isin(["MISSION DISTRICT", "NOE VALLEY", "COLMA"]).any()
    # Postal points are postcode centroids: many addresses share one point.
    postal = hard["postal_directory"]
    point = postal["pc_lon"].round(3).astype(str) + " " + postal["pc_lat"].round(3).astype(str)
    assert postal.groupby(point).size().max() >= 20


def test_rural_addresses_have_coarse_points_in_some_sources(hard):
    truth = hard["truth_addresses"].set_index("truth_address_id")
    records = hard["truth_records"]
    vendor = hard["vendor_acme"].drop_duplicates("rec_id").set_index("rec_id")
    ids = records[(records["source"] == "vendor_acme") & ~records["invalid"]]
    ids = ids.drop_duplicates("source_record_id")
    place = truth.loc[ids["truth_address_id"], ["locality", "lat", "lon"]].to_numpy()
    got = vendor.loc[ids["source_record_id"], ["latitude", "longitude"]].to_numpy()
    metres = np.hypot(
        (got[:, 0] - place[:, 1].astype(float)) * 111_195,
        (got[:, 1] - place[:, 2].astype(float)) * 111_195 * np.cos(np.radians(38)),
    )
    rural = place[:, 0] == "ROUND VALLEY"
    assert rural.sum() > 0
    assert np.median(metres[rural]) > 2 * np.median(metres[~rural & (place[:, 0] != "LONDON")])


def test_evaluation_environment_declares_every_source(hard):
    declared = yaml.safe_load((REPO / "conf/evaluation/parameters_sources.yml").read_text())
    sources = declared["sources"]
    assert set(sources) == set(SOURCES)
    catalog = yaml.safe_load((REPO / "conf/evaluation/catalog_01_raw.yml").read_text())
    for name, block in sources.items():
        assert f"{name}.raw" in catalog
        expected = f"${{globals:raw_dir}}/{HARD_OUTPUT_PATHS[name]}"
        assert catalog[f"{name}.raw"]["filepath"] == expected
        missing = set(block["columns"].values()) - set(hard[name].columns)
        assert not missing, (name, missing)
    assert set(SOURCE_PLANS) | {"user_corrections"} == set(SOURCES)


def test_cli_writes_the_hard_profile_and_the_same_seed_gives_the_same_files(hard, tmp_path, capsys):
    out = tmp_path / "cli"
    argv = ["--profile", "hard", "--records", str(SIZE), "--seed", "11", "--out", str(out)]
    assert main(argv) == 0
    assert "postal_directory/addresses.parquet" in capsys.readouterr().out
    written = tmp_path / "api"
    write_region(hard, written)
    for relative in HARD_OUTPUT_PATHS.values():
        assert (out / relative).read_bytes() == (written / relative).read_bytes(), relative
