"""The hard evaluation profile: three countries, seven sources, heavy realistic noise.

Sized by the number of source records wanted. Adds to the demo's ingredients a
rural county area with coarse geometry, large floor-numbered apartment blocks,
British towns (`Flat 2, 10 High Street`), a second town per country that reuses
street names, renamed streets that some sources still carry under the old name,
Swedish street and town names in Finland, neighbourhood names for US cities, and
two more sources: a British address register and a postal directory whose points
are postcode centroids.

Its world is in `hard_world`, its sources in `hard_sources`; both build on the demo's.
"""

from __future__ import annotations

import pandas as pd

from geodata.sample_data.hard_sources import (
    DUPLICATE_SHARE,
    HARD_SOURCE_BUILDERS,
    INVALID_SHARE,
    SOURCE_PLANS,
    hard_coverage,
)
from geodata.sample_data.hard_world import REGION_SHARES, build_hard_world
from geodata.sample_data.sources import build_sources
from geodata.sample_data.towns import RegionSpec
from geodata.sample_data.world import world_frames

MIN_SOURCE_RECORDS = 3000


def records_per_address() -> float:
    """Expected records per true address in one run: the latest delivery of every source."""
    total = 0.0
    for region, share in REGION_SHARES.items():
        code = region.iso_3166_2
        total += share * sum(plan.coverage.get(code, 0.0) for plan in SOURCE_PLANS.values())
    return total * (1 + DUPLICATE_SHARE) / (1 - INVALID_SHARE)


def address_totals(source_records: int) -> dict[RegionSpec, int]:
    """True addresses per region for about `source_records` records in one run.

    A run (`run.execution_dt` on or after every source's last delivery) reads the latest
    delivery of each source; the files hold the earlier deliveries too.
    """
    addresses = source_records / records_per_address()
    return {region: max(300, round(addresses * share)) for region, share in REGION_SHARES.items()}


def generate_hard_region(seed: int = 42, source_records: int = 200_000) -> dict[str, pd.DataFrame]:
    """The hard profile's frames, keyed by logical name.

    Args:
        seed: Random seed; the same seed and size give identical frames.
        source_records: About how many source records a run reads (the latest delivery of
            every source; the files also hold earlier ones); at least `MIN_SOURCE_RECORDS`.

    Returns:
        Source deliveries (the demo's five plus `gb_open_data` and `postal_directory`),
        reference geodata (`roads`, `parcels`, `buildings`) and the truth (`truth_records`,
        `truth_addresses`).
    """
    if source_records < MIN_SOURCE_RECORDS:
        raise ValueError(f"source_records must be at least {MIN_SOURCE_RECORDS}")
    world = build_hard_world(seed, address_totals(source_records))
    frames = build_sources(
        world,
        seed,
        builders=HARD_SOURCE_BUILDERS,
        coverage_of=hard_coverage,
        rng_key=("hard",),
    )
    return {**frames, **world_frames(world)}
