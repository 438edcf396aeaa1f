"""`python -m geodata.sample_data` and the committed demo files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from geodata.sample_data import OUTPUT_PATHS, write_region
from geodata.sample_data.__main__ import main

RAW = Path(__file__).resolve().parents[2] / "data" / "01_raw"


def test_cli_writes_every_file_and_reports_counts(tmp_path, capsys):
    out = tmp_path / "raw"
    assert (
        main(["--seed", "3", "--us-addresses", "400", "--fi-addresses", "60", "--out", str(out)])
        == 0
    )
    for relative in OUTPUT_PATHS.values():
        assert (out / relative).is_file(), relative
    printed = capsys.readouterr().out
    assert "county_gis/addresses.csv" in printed
    assert "2026-09-01" in printed and "US-CA: 400" in printed and "FI-18: 60" in printed
    truth = pd.read_parquet(out / OUTPUT_PATHS["truth_addresses"])
    assert (~truth["phantom"]).sum() == 460


@pytest.mark.skipif(not (RAW / "truth").exists(), reason="demo region not generated")
def test_committed_demo_files_match_the_generator(demo_region, tmp_path):
    write_region(demo_region, tmp_path)
    for name, relative in OUTPUT_PATHS.items():
        committed, fresh = RAW / relative, tmp_path / relative
        if committed.suffix == ".parquet":
            assert pq.read_table(committed).equals(pq.read_table(fresh)), name
        else:
            assert committed.read_bytes() == fresh.read_bytes(), name
