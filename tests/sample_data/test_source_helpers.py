"""Helpers the demo and the hard profile share to build their sources."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geodata.sample_data.sources import (
    GARBAGE,
    OUT_OF_RANGE_LATITUDES,
    corrupt_invalid,
    repeat_deliveries,
)


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
    assert street[3] == "" and house_number[3] == "4"
    assert street[4] in GARBAGE and house_number[4] == street[4]


def test_repeat_deliveries_repeats_each_record_in_the_deliveries_it_is_in():
    records = pd.DataFrame({"first": [0, 0, 1], "last": [1, 0, 1]})
    frame = pd.DataFrame({"id": [1, 2, 3]})

    delivered = repeat_deliveries(records, frame, ["2026-09-01", "2026-10-01"], "dt")

    assert delivered["id"].tolist() == [1, 2, 1, 3]
    assert delivered["dt"].tolist() == ["2026-09-01", "2026-09-01", "2026-10-01", "2026-10-01"]
    undated = repeat_deliveries(records, frame, [None, None], None)
    assert list(undated.columns) == ["id"] and undated["id"].tolist() == [1, 2, 1, 3]
