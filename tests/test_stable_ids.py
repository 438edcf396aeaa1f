"""Address ids stay stable across runs when 5 % of the records come and go.

Reads the small region's run history (tests/runs.py): the run of 2026-11-01, then
US-CA on 2026-11-20 with new deliveries in which every source lost 5 % of its
records and gained 5 % new ones, then the same again. The history has its own Hive database, so
other tests' partitions are never "previous runs" here.
"""

from __future__ import annotations

import pandas as pd
import pytest
from pyspark.sql import functions as F

from tests.runs import D2

REGION = "US-CA"


@pytest.fixture(scope="module")
def runs(run_history):
    """Lineage (pandas) of US-CA on D1, on D2, and on D2 again."""

    def lineage(label: str) -> pd.DataFrame:
        frame = run_history.runs[label].lineage
        rows = frame[frame["iso_3166_2"] == REGION]
        return rows[["address_id", "source", "source_record_id"]].reset_index(drop=True)

    return lineage("d1"), lineage("d2_us"), lineage("d2_us_again")


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


def test_ids_are_unique_and_a_rerun_gives_the_same_ids(spark, runs, run_history):
    _, second, again = runs
    addresses = spark.table(run_history.table).where(
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
