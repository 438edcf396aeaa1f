"""Address ids stay stable across runs when 5 % of the records come and go.

Runs the default pipeline for US-CA on 2026-11-01, then on 2026-11-20 with new
deliveries in which every source lost 5 % of its records and gained 5 % new
ones, then 2026-11-20 again. Uses its own Hive database so that other tests'
partitions are not "previous runs" here.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pandas as pd
import pytest
from pyspark.sql import functions as F

from tests.kedro_project import REPO, make_project_copy, run_project

D1, D2 = "2026-11-01", "2026-11-20"
DATABASE = "geodata_ids"
REGION = "US-CA"
SHARE = 0.05


def _churn(frame: pd.DataFrame, id_column: str, renumber, seed: int) -> pd.DataFrame:
    """`frame` without a random 5 % of its rows, plus 5 % new records at new house numbers."""
    rng = random.Random(seed)
    count = round(len(frame) * SHARE)
    kept = frame.drop(index=rng.sample(list(frame.index), count))
    new = frame.loc[rng.sample(list(frame.index), count)].copy()
    new[id_column] = [f"NEW-{seed}-{i}" for i in range(count)]
    new = renumber(new, [str(20_000 + i) for i in range(count)])
    return pd.concat([kept, new], ignore_index=True)


def _set_column(column: str):
    def renumber(frame: pd.DataFrame, numbers: list[str]) -> pd.DataFrame:
        frame[column] = numbers
        return frame

    return renumber


def _renumber_text(frame: pd.DataFrame, numbers: list[str]) -> pd.DataFrame:
    frame["address"] = [
        number + text[len(text) - len(text.lstrip("0123456789")) :]
        for number, text in zip(numbers, frame["address"], strict=True)
    ]
    return frame


def _write_second_delivery(raw: Path) -> None:
    """New deliveries dated D2 for the dated sources; the undated one rewritten in place."""
    county_path = raw / "county_gis/addresses.csv"
    county = pd.read_csv(county_path, dtype=str, keep_default_na=False)
    latest = county[county["EDIT_DATE"] == D1]
    delivery = _churn(latest, "OBJECTID", _set_column("ADDNUM"), seed=1).assign(EDIT_DATE=D2)
    pd.concat([county, delivery]).to_csv(county_path, index=False)

    vendor_path = raw / "vendor_acme/addresses.parquet"
    vendor = pd.read_parquet(vendor_path)
    used = vendor[vendor["file_dt"] <= pd.Timestamp(D1).date()]
    latest = used[used["file_dt"] == used["file_dt"].max()]
    delivery = _churn(latest, "rec_id", _set_column("house_no"), seed=2)
    delivery["file_dt"] = pd.Series([pd.Timestamp(D2).date()] * len(delivery)).astype(
        vendor["file_dt"].dtype
    )
    pd.concat([vendor, delivery], ignore_index=True).to_parquet(vendor_path, index=False)

    open_path = raw / "open_data/addresses.csv"
    open_data = pd.read_csv(open_path, dtype=str, keep_default_na=False)
    _churn(open_data, "id", _renumber_text, seed=3).to_csv(open_path, index=False)


@pytest.fixture(scope="module")
def runs(tmp_path_factory, spark):
    """Lineage of D1, D2 and D2 again (pandas), from one project copy with its own raw data."""
    base = tmp_path_factory.mktemp("stable_ids")
    raw = base / "raw"
    raw.mkdir()
    for child in (REPO / "data/01_raw").iterdir():
        if child.name in {"county_gis", "vendor_acme", "open_data"}:
            shutil.copytree(child, raw / child.name)
        else:
            (raw / child.name).symlink_to(child, target_is_directory=True)
    project = make_project_copy(base / "project", raw_dir=raw)
    globals_file = project / "conf/local/globals.yml"
    globals_file.write_text(
        globals_file.read_text().replace("hive_database: geodata", f"hive_database: {DATABASE}")
    )
    params = {"run.iso_3166_2": REGION, "export.table": f"{DATABASE}.conflated_addresses"}

    def lineage(run_dt: str) -> pd.DataFrame:
        table = spark.table(f"{DATABASE}.address_lineage")
        rows = table.where((F.col("execution_dt") == run_dt) & (F.col("iso_3166_2") == REGION))
        return rows.select("address_id", "source", "source_record_id").toPandas()

    run_project(project, params={**params, "run.execution_dt": D1})
    first = lineage(D1)
    _write_second_delivery(raw)
    run_project(project, params={**params, "run.execution_dt": D2})
    second = lineage(D2)
    run_project(project, params={**params, "run.execution_dt": D2})
    again = lineage(D2)
    yield first, second, again
    spark.sql(f"DROP DATABASE IF EXISTS {DATABASE} CASCADE")


def _record_sets(lineage: pd.DataFrame) -> dict[frozenset, str]:
    records = lineage["source"] + ":" + lineage["source_record_id"]
    sets = records.groupby(lineage["address_id"]).agg(frozenset)
    return {members: address_id for address_id, members in sets.items()}


def test_unchanged_addresses_keep_their_ids(runs, report_figure):
    first, second, _ = runs
    before, after = _record_sets(first), _record_sets(second)
    # The second run really saw different records: some left, some are new.
    first_records = set(first["source"] + ":" + first["source_record_id"])
    second_records = set(second["source"] + ":" + second["source_record_id"])
    assert len(first_records - second_records) > 0.03 * len(first_records)
    assert len(second_records - first_records) > 0.03 * len(first_records)

    unchanged = set(before) & set(after)
    assert len(unchanged) > 0.5 * len(before)
    same_id = sum(before[members] == after[members] for members in unchanged)
    share = same_id / len(unchanged)
    line = (
        f"stable ids after 5 % churn: {same_id}/{len(unchanged)} unchanged addresses "
        f"kept their id ({share:.4f}); {len(before)} addresses before, {len(after)} after"
    )
    print(line)
    report_figure(line)
    assert share >= 0.99


def test_ids_are_unique_and_a_rerun_gives_the_same_ids(spark, runs):
    _, second, again = runs
    addresses = spark.table(f"{DATABASE}.conflated_addresses").where(
        (F.col("execution_dt") == D2) & (F.col("iso_3166_2") == REGION)
    )
    assert addresses.count() == addresses.select("address_id").distinct().count() > 0
    assert set(second["address_id"]) <= {r.address_id for r in addresses.collect()}
    # Splits and merges resolve the same way every time.
    ordered = ["source", "source_record_id", "address_id"]
    assert (
        second.sort_values(ordered).reset_index(drop=True)[ordered]
        .equals(again.sort_values(ordered).reset_index(drop=True)[ordered])
    )  # fmt: skip
