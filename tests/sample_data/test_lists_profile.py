"""The `lists` labelled-set family: determinism, disjoint splits, accounting, formats, files."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from geodata.address.house_number import normalize_house_number
from geodata.address.postcode import normalize_postcode
from geodata.address.street import normalize_street
from geodata.address.unit import normalize_unit
from geodata.commands.evaluate import generate_labelled_set, main
from geodata.sample_data.lists import SPLITS
from geodata.sample_data.lists import vocabulary as vocab
from geodata.sample_data.lists.generate import generate_lists_set
from geodata.sample_data.lists.sources import INVALID_KINDS, KEYBOARD_MASH, PLACEHOLDERS

REPO = Path(__file__).resolve().parents[2]
SIZE = 6000
ADDRESS_SOURCES = (
    "county_gis",
    "vendor_acme",
    "open_data",
    "fi_open_data",
    "gb_open_data",
    "postal_directory",
    "user_corrections",
)


@pytest.fixture(scope="module")
def sets() -> dict[str, dict[str, pd.DataFrame]]:
    return {split: generate_lists_set(5, SIZE, split) for split in SPLITS}


def _run_records(truth_records: pd.DataFrame) -> pd.DataFrame:
    """The truth rows a run after every delivery reads."""
    latest = truth_records.groupby("source")["dt"].transform("max")
    events = truth_records["source"] == "user_corrections"
    undated = truth_records["dt"].isna()
    return truth_records[events | undated | (truth_records["dt"] == latest)]


def test_same_seed_same_set_and_another_seed_another():
    first = generate_lists_set(9, 2500, "tune")
    again = generate_lists_set(9, 2500, "tune")
    other = generate_lists_set(10, 2500, "tune")
    assert first.keys() == again.keys()
    for name in first:
        pd.testing.assert_frame_equal(first[name], again[name])
    assert not first["vendor_acme"].equals(other["vendor_acme"])


def test_vocabulary_halves_cover_every_entry_once():
    entries = ["Agricolan", "Bertel Jungin ", "Smith", "HX", "00100"]
    halves = [set(vocab.in_split(entries, split)) for split in SPLITS]
    assert halves[0].isdisjoint(halves[1])
    assert halves[0] | halves[1] == set(entries)
    with pytest.raises(ValueError, match="split"):
        vocab.in_split(entries, "train")


def test_the_splits_share_no_street_town_or_postcode(sets):
    tune, report = (sets[s]["truth_addresses"] for s in SPLITS)
    for column in ("street", "locality", "postcode"):
        shared = set(tune[column]) & set(report[column])
        # Helsinki is the one town both splits are in.
        assert shared <= {"HELSINKI"}, column
    areas = [
        {re.match(r"[A-Z]+", p).group() for p in t.loc[t["iso_3166_1"] == "GB", "postcode"]}
        for t in (tune, report)
    ]
    assert areas[0].isdisjoint(areas[1])
    # The random streams differ too: the same seed draws other coverage and records.
    assert len(sets["tune"]["vendor_acme"]) != len(sets["report"]["vendor_acme"])


def test_size_regions_and_accounting(sets):
    frames = sets["report"]
    truth = frames["truth_records"]
    addresses = frames["truth_addresses"]
    run = _run_records(truth)
    assert 0.85 * SIZE < len(run) < 1.15 * SIZE
    assert set(addresses["iso_3166_2"]) == {"GB-ENG", "FI-18", "US-CA"}
    assert addresses["truth_address_id"].is_unique
    # Valid records point at a true address, invalid ones at none.
    assert (
        truth.loc[~truth["invalid"], "truth_address_id"].isin(addresses["truth_address_id"]).all()
    )
    assert truth.loc[truth["invalid"], "truth_address_id"].isna().all()
    assert 0.002 < truth["invalid"].mean() < 0.03
    # Every true address is in a run (some file or a user has it).
    assert set(addresses["truth_address_id"]) == set(run["truth_address_id"].dropna())
    # Each file row is one truth row; ids are unique within a delivery.
    for name in ADDRESS_SOURCES:
        assert len(frames[name]) == (truth["source"] == name).sum(), name
        rows = truth[truth["source"] == name]
        assert not rows.duplicated(["source_record_id", "dt"]).any(), name
    # Duplicates within a source: one address, two ids in one delivery.
    vendor = run[(run["source"] == "vendor_acme") & ~run["invalid"]]
    assert vendor["truth_address_id"].duplicated().sum() > 0.01 * len(vendor)


def test_truth_fields_are_in_the_engines_canonical_form(sets):
    addresses = sets["tune"]["truth_addresses"]
    for row in addresses.sample(800, random_state=0).itertuples():
        country = row.iso_3166_1
        assert normalize_street(row.street, country).street == row.street
        assert normalize_postcode(row.postcode, country) == row.postcode
        if row.unit is not None:
            assert normalize_unit(row.unit).display == row.unit
        if row.house_number is not None:
            assert normalize_house_number(row.house_number).display == row.house_number
    gb = addresses[addresses["iso_3166_2"] == "GB-ENG"]
    # A named British building without a number: its name is the premise, no integer,
    # flats still as units.
    named = gb["house_number"].str.contains(r"^[^\d]+$", na=False)
    assert named.any()
    assert gb.loc[named, "unit"].notna().any()
    assert gb["house_number"].notna().all()
    assert {u.split(" ")[0] for u in gb["unit"].dropna()} == {"FLAT", "APT"}
    fi = addresses[addresses["iso_3166_1"] == "FI"]
    assert {"AS", "A", "B"} <= {u.split(" ")[0] for u in fi["unit"].dropna()}
    assert fi["house_number"].str.fullmatch(r"\d+[A-Z]").any()  # house letters


def _texts(frame: pd.DataFrame, *columns: str) -> pd.Series:
    return frame[list(columns)].fillna("").astype(str).agg(" ".join, axis=1).str.strip()


def test_addresses_are_written_the_ways_people_write_them(sets):
    frames = sets["tune"]
    gb = frames["gb_open_data"]
    # A British register: flats as sub-buildings, a building's name where it has no number.
    assert gb["sub_building"].str.startswith("FLAT").any()
    primary = gb["building_number"].dropna()
    named = primary[~primary.str.fullmatch(r"\d+[A-Za-z]?")]
    assert len(named) and named.str.fullmatch(r"[A-Z]+ [A-Z]+").all()  # no number in a name
    postal = frames["postal_directory"]
    lines = postal.loc[postal["country_code"] == "GB", "address_line"].dropna()
    # Royal Mail order with and without commas; a named building without a number.
    assert lines.str.fullmatch(r"(FLAT|APARTMENT) \d+, [A-Z ]+, \d+ [A-Z ].*").any()
    assert lines.str.fullmatch(r"[A-Z0-9 ]+").any()
    vendor = frames["vendor_acme"]
    gb_vendor = vendor[vendor["ctry"].isin(["GB", "UK", "United Kingdom"])]
    one_field = gb_vendor.loc[gb_vendor["city_nm"].isna(), "street_nm"].dropna()
    assert one_field.str.fullmatch(r"(FLAT|APARTMENT) \d+ [A-Z0-9 ]+").any()
    assert gb_vendor["postal_cd"].isna().mean() > 0.3
    # Finland: house letters in every spelling, apartments, Swedish names, lost zeros,
    # businesses before the street.
    fi_text = pd.concat(
        [
            frames["fi_open_data"]["osoite"],
            postal.loc[postal["country_code"] == "FI", "address_line"],
            _texts(
                vendor[vendor["ctry"].isin(["FI", "Finland", "Suomi"])],
                "street_nm",
                "house_no",
                "sec_unit",
            ),
        ]
    ).dropna()
    for pattern in (
        r" \d+[a-z]\b",
        r" \d+ [a-z]\b",
        r"\bas\.? \d+",
        r"gatan|vägen",
        r"Helsingfors",
    ):
        assert fi_text.str.contains(pattern).any(), pattern
    assert postal["address_line"].str.contains(r"^[^,]+ (?:Oy|Ky|Oyj|Tmi|Osk|ry), ", na=False).any()
    assert vendor["postal_cd"].dropna().str.fullmatch(r"\d{3}").any()
    # The US: ZIP+4, units as `#`, spelled-out streets; a unit before the number.
    us_text = pd.concat([frames["open_data"]["address"], _texts(vendor, "street_nm", "sec_unit")])
    assert vendor["postal_cd"].dropna().str.fullmatch(r"\d{5}-\d{4}").any()
    assert us_text.str.contains(r"#\d+", na=False).any()
    assert us_text.str.contains(r"\b(?:North|South) ", na=False).any()


def test_invalid_records_cannot_be_addresses(sets):
    frames = sets["report"]
    truth = frames["truth_records"]
    garbage = {*PLACEHOLDERS, *KEYBOARD_MASH, ""}
    points = {
        "county_gis": ("X", "Y"),
        "vendor_acme": ("longitude", "latitude"),
        "open_data": ("lon", "lat"),
        "fi_open_data": ("lon", "lat"),
        "gb_open_data": ("longitude", "latitude"),
        "postal_directory": ("pc_lon", "pc_lat"),
    }
    text = {
        "county_gis": ("ADDNUM", "FULLNAME", "UNIT"),
        "vendor_acme": ("house_no", "street_nm", "sec_unit"),
        "gb_open_data": ("sub_building", "building_number", "thoroughfare"),
    }
    for name, (lon, lat) in points.items():
        frame = frames[name]
        invalid = truth.loc[truth["source"] == name, "invalid"].to_numpy()
        assert invalid.any(), name
        rows = frame[invalid]
        x = pd.to_numeric(rows[lon], errors="coerce").fillna(0.0).to_numpy()
        y = pd.to_numeric(rows[lat], errors="coerce").fillna(0.0).to_numpy()
        assert (np.abs(x) + np.abs(y) == 0).all(), name  # no point, or (0, 0)
        for column in text.get(name, ()):
            values = set(rows[column].fillna("").astype(str))
            assert values <= garbage, (name, column, values - garbage)
    assert len(INVALID_KINDS) == 4


def test_a_labelled_set_on_disk_matches_the_evaluation_environment(workdir):
    labelled = generate_labelled_set("lists", 2500, seed=3, out=workdir / "raw", split="report")
    assert labelled.env == "evaluation"
    catalog = yaml.safe_load((REPO / "conf/evaluation/catalog_01_raw.yml").read_text())
    declared = yaml.safe_load((REPO / "conf/evaluation/parameters_sources.yml").read_text())
    for name, entry in catalog.items():
        source = name.removesuffix(".raw")
        path = labelled.raw_dir / entry["filepath"].split("/", 1)[1]
        assert path.is_file(), path
        schema = entry["load_args"]["schema"]
        columns = [c.split()[0] for c in schema.split(",")]
        if path.suffix == ".csv":
            written = list(pd.read_csv(path, nrows=1).columns)
        elif path.suffix == ".parquet":
            written = list(pd.read_parquet(path).columns)
        else:
            written = list(pd.read_json(path, lines=True, nrows=1).columns)
        assert written == columns, source
        assert set(declared["sources"][source]["columns"].values()) <= set(written), source
    truth = pd.read_parquet(labelled.raw_dir / "truth" / "records.parquet")
    assert set(truth["source"]) == {n.removesuffix(".raw") for n in catalog}


def test_the_command_takes_a_split_only_for_the_lists_profile():
    with pytest.raises(SystemExit, match="--split goes with --profile lists"):
        main(["--profile", "hard", "--split", "report"])
    with pytest.raises(SystemExit):
        main(["--profile", "lists", "--split", "train"])
