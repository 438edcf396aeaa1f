"""Generate the demo region (truth, sources, reference geodata) and write its file layout."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from geodata.sample_data.sources import build_sources
from geodata.sample_data.world import build_world, world_frames

OUTPUT_PATHS: dict[str, str] = {
    "county_gis": "county_gis/addresses.csv",
    "vendor_acme": "vendor_acme/addresses.parquet",
    "open_data": "open_data/addresses.csv",
    "fi_open_data": "fi_open_data/addresses.csv",
    "user_corrections": "user_corrections/corrections.jsonl",
    "roads": "reference/roads.parquet",
    "parcels": "reference/parcels.parquet",
    "buildings": "reference/buildings.parquet",
    "truth_records": "truth/records.parquet",
    "truth_addresses": "truth/addresses.parquet",
}
"""Logical frame name -> file path under the output directory (the catalog uses the same)."""

FRAME_NAMES: tuple[str, ...] = tuple(OUTPUT_PATHS)

HARD_OUTPUT_PATHS: dict[str, str] = {
    **{name: OUTPUT_PATHS[name] for name in FRAME_NAMES[:4]},
    "gb_open_data": "gb_open_data/addresses.csv",
    "postal_directory": "postal_directory/addresses.parquet",
    **{name: OUTPUT_PATHS[name] for name in FRAME_NAMES[4:]},
}
"""The hard profile's frames -> file paths: the demo's plus its two extra sources."""

PROFILES: tuple[str, ...] = ("demo", "hard")

MIN_US_ADDRESSES = 300
MIN_FI_ADDRESSES = 50


class SampleDataParams(BaseModel):
    """`sample_data:` parameters: the seed and size of the demo region."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seed: int = Field(42, ge=0, description="Same seed, same region (byte for byte).")
    us_addresses: int = Field(
        5000, ge=MIN_US_ADDRESSES, description="True US-CA addresses (each unit counts)."
    )
    fi_addresses: int = Field(800, ge=MIN_FI_ADDRESSES, description="True FI-18 addresses.")


def generate_region(
    seed: int = 42,
    us_addresses: int = 5000,
    fi_addresses: int = 800,
    *,
    profile: str = "demo",
    source_records: int = 200_000,
) -> dict[str, pd.DataFrame]:
    """The region's frames, keyed by logical name (see `OUTPUT_PATHS`, `HARD_OUTPUT_PATHS`).

    Args:
        seed: Random seed; the same seed gives identical frames.
        us_addresses: Real US-CA addresses to create (phantoms come on top); demo only.
        fi_addresses: Real FI-18 addresses to create; demo only.
        profile: `demo` (the embedded demo region) or `hard` (the evaluation profile, see
            `geodata.sample_data.hard`).
        source_records: About how many source records the hard profile generates.

    Returns:
        Source deliveries (`county_gis`, `vendor_acme`, `open_data`,
        `fi_open_data`, `user_corrections`, and for `hard` also `gb_open_data` and
        `postal_directory`), reference geodata (`roads`, `parcels`, `buildings`) and the
        truth (`truth_records`, `truth_addresses`).
    """
    if profile == "hard":
        from geodata.sample_data.hard import generate_hard_region

        frames = generate_hard_region(seed, source_records)
        return {name: frames[name] for name in HARD_OUTPUT_PATHS}
    if profile != "demo":
        raise ValueError(f"unknown profile {profile!r}; expected one of {PROFILES}")
    params = SampleDataParams(seed=seed, us_addresses=us_addresses, fi_addresses=fi_addresses)
    world = build_world(params.seed, params.us_addresses, params.fi_addresses)
    frames = {**build_sources(world, params.seed), **world_frames(world)}
    return {name: frames[name] for name in FRAME_NAMES}


def write_frame(name: str, frame: pd.DataFrame, path: Path) -> None:
    """Write one frame the way its catalog entry does (same pandas call and arguments)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    elif path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    elif path.suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True)
    else:
        raise ValueError(f"no writer for {name} ({path.suffix})")


def write_region(frames: dict[str, pd.DataFrame], out_dir: Path) -> None:
    """Write `frames` (as returned by `generate_region`) to their files under `out_dir`."""
    out_dir = Path(out_dir)
    for name, frame in frames.items():
        write_frame(name, frame, out_dir / HARD_OUTPUT_PATHS[name])
