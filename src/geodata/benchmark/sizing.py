"""How many addresses to generate for a target number of source records a run reads.

The demo generator is sized in addresses; a run reads each source's latest delivery.
The ratio between the two is measured on two small regions of the same seed and
country mix, as a straight line (sources render a share of the addresses, and the
user corrections are a fixed handful), and inverted for the target.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

import pandas as pd

from geodata.sample_data import generate_region
from geodata.sample_data.region import MIN_FI_ADDRESSES, MIN_US_ADDRESSES

CALIBRATION_ADDRESSES = (1_000, 4_000)
"""Region sizes (addresses) the records-per-address line is measured on."""


def in_scope_record_count(
    truth_records: pd.DataFrame, execution_dt: str, event_sources: Iterable[str] = ()
) -> int:
    """Records a run for `execution_dt` reads, counted from the generator's truth records.

    The same rule as `geodata.evaluation.truth.records_in_scope` (which runs in
    Spark): each source's latest delivery with `dt <= execution_dt`; a source with
    no dated record is one delivery; an event source contributes every record dated
    on or before the run date.

    Args:
        truth_records: `source, source_record_id, dt` per record and delivery.
        execution_dt: The run date, ISO.
        event_sources: Sources whose records are events (`kind: corrections`).

    Returns:
        The number of distinct (source, source_record_id) in scope.
    """
    records = truth_records[["source", "source_record_id", "dt"]].copy()
    records["dt"] = pd.to_datetime(records["dt"])
    cutoff = pd.Timestamp(execution_dt)
    dated = records.groupby("source")["dt"].transform("count")
    latest = records["dt"].where(records["dt"] <= cutoff).groupby(records["source"])
    latest_dt = latest.transform("max")
    is_event = records["source"].isin(list(event_sources))
    chosen = records[
        (dated == 0)
        | (is_event & (records["dt"] <= cutoff))
        | (~is_event & (records["dt"] == latest_dt))
    ]
    return len(chosen.drop_duplicates(["source", "source_record_id"]))


@dataclass(frozen=True)
class RegionPlan:
    """The generator's sizes for one target, and the line they were read from."""

    target_records: int
    us_addresses: int
    fi_addresses: int
    records_per_address: float
    fixed_records: float

    @property
    def expected_records(self) -> int:
        """In-scope records the line predicts for this region."""
        addresses = self.us_addresses + self.fi_addresses
        return round(self.fixed_records + self.records_per_address * addresses)

    def as_dict(self) -> dict[str, float]:
        """The plan, for JSON."""
        return {**asdict(self), "expected_records": self.expected_records}


def split_addresses(addresses: float, fi_share: float) -> tuple[int, int]:
    """US and FI address counts for `addresses` in all, within the generator's minimums."""
    fi = max(MIN_FI_ADDRESSES, round(addresses * fi_share))
    us = max(MIN_US_ADDRESSES, round(addresses - fi))
    return us, fi


@dataclass(frozen=True)
class RecordsPerAddress:
    """In-scope records as a line in generated addresses: `fixed + slope * addresses`."""

    slope: float
    fixed: float

    def plan(self, target_records: int, fi_share: float) -> RegionPlan:
        """The region whose in-scope records are closest to `target_records`."""
        us, fi = split_addresses((target_records - self.fixed) / self.slope, fi_share)
        return RegionPlan(target_records, us, fi, round(self.slope, 4), round(self.fixed, 1))


def measure_records_per_address(
    seed: int,
    fi_share: float,
    execution_dt: str,
    event_sources: Iterable[str],
    sizes: tuple[int, int] = CALIBRATION_ADDRESSES,
) -> RecordsPerAddress:
    """Generate two small regions and fit the in-scope records per address through them.

    Args:
        seed: Generator seed (the benchmark's own).
        fi_share: Share of the addresses generated in FI-18.
        execution_dt: The run date whose scope is counted.
        event_sources: Sources whose records are events.
        sizes: The two region sizes, in addresses.

    Returns:
        The line through the two measurements.
    """
    events = list(event_sources)
    counts = []
    for addresses in sizes:
        us, fi = split_addresses(addresses, fi_share)
        frames = generate_region(seed=seed, us_addresses=us, fi_addresses=fi)
        counts.append(
            (us + fi, in_scope_record_count(frames["truth_records"], execution_dt, events))
        )
    (a1, r1), (a2, r2) = counts
    slope = (r2 - r1) / (a2 - a1)
    return RecordsPerAddress(slope=slope, fixed=r1 - slope * a1)
