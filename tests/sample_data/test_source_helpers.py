"""Helpers the demo and the hard profile share to build their sources."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geodata.sample_data.points import gaussian_offsets, locate, points
from geodata.sample_data.records import (
    GARBAGE,
    OUT_OF_RANGE_LATITUDES,
    corrupt_invalid,
    repeat_deliveries,
)
from geodata.sample_data.variants import StreetNoise, address_line, map_unique, render_streets
from geodata.sample_data.vocabulary import FI, GB, US
from geodata.sample_data.world import World, build_world


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(7, 300, 50)


def test_corrupt_invalid_changes_only_the_invalid_records_as_their_kind_says():
    kinds = [None, "null_island", "latitude_out_of_range", "empty_street", "garbage_text"]
    records = pd.DataFrame({"invalid_kind": kinds})
    lon = np.array([10.0, 11.0, 12.0, 13.0, 14.0])
    lat = np.array([50.0, 51.0, 52.0, 53.0, 54.0])
    street = np.array(["MAIN ST"] * 5, dtype=object)
    house_number = np.array(["1", "2", "3", "4", "5"], dtype=object)

    corrupt_invalid(records, np.random.default_rng(0), lon, lat, street, house_number)

    assert (lon[0], lat[0], street[0], house_number[0]) == (10.0, 50.0, "MAIN ST", "1")
    assert (lon[1], lat[1]) == (0.0, 0.0)
    assert lat[2] in OUT_OF_RANGE_LATITUDES and lon[2] == 12.0
    # The two text kinds are no address at all: no number, no street and no point.
    assert street[3] == "" and house_number[3] == ""
    assert street[4] in GARBAGE and house_number[4] == street[4]
    assert np.isnan(lon[3:]).all() and np.isnan(lat[3:]).all()


def test_repeat_deliveries_repeats_each_record_in_the_deliveries_it_is_in():
    records = pd.DataFrame({"first": [0, 0, 1], "last": [1, 0, 1]})
    frame = pd.DataFrame({"id": [1, 2, 3]})

    delivered = repeat_deliveries(records, frame, ["2026-09-01", "2026-10-01"], "dt")

    assert delivered["id"].tolist() == [1, 2, 1, 3]
    assert delivered["dt"].tolist() == ["2026-09-01", "2026-09-01", "2026-10-01", "2026-10-01"]
    undated = repeat_deliveries(records, frame, [None, None], None)
    assert list(undated.columns) == ["id"] and undated["id"].tolist() == [1, 2, 1, 3]


def _street_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": [US, FI, GB, US],
            "directional": ["N", "", "", ""],
            "street_name": ["MAIN", "FREDRIKINKATU", "HIGH STREET", "OAK"],
            "street_type": ["ST", "", "", "AVE"],
        }
    )


def test_render_streets_spells_each_region_in_its_own_styles():
    noise = StreetNoise({US: {"spelled": 1}, FI: {"upper": 1}, GB: {"abbreviated": 1}})

    street = render_streets(_street_rows(), noise, np.random.default_rng(0))

    assert street.tolist() == ["North Main Street", "FREDRIKINKATU", "High St", "Oak Avenue"]


def test_render_streets_keeps_old_names_for_stale_records():
    noise = StreetNoise({US: {"usps": 1}, FI: {"upper": 1}, GB: {"upper": 1}}, stale_share=1.0)
    old_names = np.array([None, None, None, "ELM"], dtype=object)

    street = render_streets(_street_rows(), noise, np.random.default_rng(0), old_names=old_names)

    assert street.tolist() == ["N MAIN ST", "FREDRIKINKATU", "HIGH STREET", "ELM AVE"]


def test_locate_puts_records_on_their_address_point(world):
    a = world.addresses
    template = np.array([3, 0, 3])
    zero = np.zeros(3)

    lon, lat = locate(world, template, "rooftop", zero, zero)

    assert lon.tolist() == a["lon"].round(7).to_numpy()[template].tolist()
    assert lat.tolist() == a["lat"].round(7).to_numpy()[template].tolist()
    postal = locate(world, np.arange(len(a)), "postal", np.zeros(len(a)), np.zeros(len(a)))
    per_postcode = pd.DataFrame({"postcode": a["postcode"], "lon": postal[0], "lat": postal[1]})
    assert (per_postcode.groupby("postcode")[["lon", "lat"]].nunique() == 1).all().all()


def test_points_draw_the_offsets_locate_is_given(world):
    template = np.arange(20)

    noisy = points(world, template, "entrance", np.random.default_rng(5), 2.0)

    dx, dy = gaussian_offsets(np.random.default_rng(5), 20, 2.0)
    expected = locate(world, template, "entrance", dx, dy)
    assert np.array_equal(noisy[0], expected[0]) and np.array_equal(noisy[1], expected[1])


def test_address_line_leaves_out_missing_units_and_can_put_them_first():
    number = np.array(["12", "10", "3"], dtype=object)
    street = np.array(["Main St", "High Street", "Oak Ave"], dtype=object)
    unit = np.array(["Apt 4", "Flat 2", None], dtype=object)

    assert address_line(number, street, unit).tolist() == [
        "12 Main St Apt 4",
        "10 High Street Flat 2",
        "3 Oak Ave",
    ]
    british = np.array([False, True, True])
    assert address_line(number, street, unit, unit_first=british).tolist() == [
        "12 Main St Apt 4",
        "Flat 2, 10 High Street",
        "3 Oak Ave",
    ]


def test_map_unique_calls_once_per_distinct_value_and_keeps_none():
    calls = []

    def shout(text: str) -> str:
        calls.append(text)
        return text.upper()

    mapped = map_unique(np.array(["a", None, "b", "a"], dtype=object), shout)

    assert mapped.tolist() == ["A", None, "B", "A"]
    assert sorted(calls) == ["a", "b"]
