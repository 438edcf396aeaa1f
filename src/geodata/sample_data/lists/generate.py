"""Generate one labelled set of the `lists` family (see the package docstring)."""

from __future__ import annotations

import pandas as pd

from geodata.sample_data.lists import SPLITS
from geodata.sample_data.lists.sources import build_sources, records_per_address
from geodata.sample_data.lists.world import REGION_SHARES, build_lists_world
from geodata.sample_data.region import HARD_OUTPUT_PATHS
from geodata.sample_data.world import world_frames

MIN_SOURCE_RECORDS = 2000
MIN_REGION_ADDRESSES = 200


def address_totals(source_records: int) -> dict[str, int]:
    """True addresses per region for about `source_records` records in one run."""
    addresses = source_records / records_per_address()
    return {
        code: max(MIN_REGION_ADDRESSES, round(addresses * share))
        for code, share in REGION_SHARES.items()
    }


def generate_lists_set(
    seed: int = 42, source_records: int = 20_000, split: str = "tune"
) -> dict[str, pd.DataFrame]:
    """One labelled set of the family, keyed like `region.HARD_OUTPUT_PATHS`.

    Args:
        seed: Random seed; the same seed, size and split give identical frames.
        source_records: About how many source records a run reads (each source's latest
            delivery; the files also hold earlier ones); at least `MIN_SOURCE_RECORDS`.
        split: `tune` or `report`; the two never share a name or a random draw.

    Returns:
        The seven sources' deliveries, reference geodata (`roads`, `parcels`,
        `buildings`) and the truth (`truth_records`, `truth_addresses`).
    """
    if source_records < MIN_SOURCE_RECORDS:
        raise ValueError(f"source_records must be at least {MIN_SOURCE_RECORDS}")
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    lw = build_lists_world(seed, split, address_totals(source_records))
    frames = {**build_sources(lw, seed), **world_frames(lw.world)}
    return {name: frames[name] for name in HARD_OUTPUT_PATHS}
