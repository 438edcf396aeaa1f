"""Command line: `python -m geodata.sample_data --seed 42 --out data/01_raw`.

`--profile hard --records 200000` generates the hard evaluation profile instead.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from geodata.sample_data.region import (
    HARD_OUTPUT_PATHS,
    PROFILES,
    SampleDataParams,
    generate_region,
    write_region,
)

_DELIVERY_COLUMNS = {
    "county_gis": "EDIT_DATE",
    "vendor_acme": "file_dt",
    "fi_open_data": "paivitetty",
    "user_corrections": "action",
    "postal_directory": "as_of",
}


def _parser() -> argparse.ArgumentParser:
    defaults = SampleDataParams()
    parser = argparse.ArgumentParser(
        prog="python -m geodata.sample_data",
        description="Generate the deterministic demo region (sources, reference data, truth).",
    )
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default="demo",
        help="demo: the embedded demo region; hard: the evaluation profile (see --records)",
    )
    parser.add_argument(
        "--records",
        type=int,
        default=200_000,
        help="hard profile: about how many source records to generate",
    )
    parser.add_argument("--seed", type=int, default=defaults.seed, help="random seed")
    parser.add_argument(
        "--us-addresses", type=int, default=defaults.us_addresses, help="true US-CA addresses"
    )
    parser.add_argument(
        "--fi-addresses", type=int, default=defaults.fi_addresses, help="true FI-18 addresses"
    )
    parser.add_argument("--out", type=Path, default=Path("data/01_raw"), help="output directory")
    return parser


def _breakdown(name: str, frame: pd.DataFrame) -> str:
    column = _DELIVERY_COLUMNS.get(name)
    if column is None:
        return ""
    counts = frame.groupby(frame[column].astype(str), sort=True).size()
    return "  (" + ", ".join(f"{k}: {v}" for k, v in counts.items()) + ")"


def main(argv: list[str] | None = None) -> int:
    """Generate the region into `--out` and print each file with its row count and size."""
    args = _parser().parse_args(argv)
    params = SampleDataParams(
        seed=args.seed, us_addresses=args.us_addresses, fi_addresses=args.fi_addresses
    )
    started = time.perf_counter()
    frames = generate_region(
        params.seed,
        params.us_addresses,
        params.fi_addresses,
        profile=args.profile,
        source_records=args.records,
    )
    write_region(frames, args.out)
    elapsed = time.perf_counter() - started
    total = 0
    for name, frame in frames.items():
        path = args.out / HARD_OUTPUT_PATHS[name]
        size = path.stat().st_size
        total += size
        print(f"{path}  {len(frame):>9,} rows  {size / 1024:>9,.1f} KiB{_breakdown(name, frame)}")
    truth = frames["truth_addresses"]
    per_region = truth.groupby(["iso_3166_2", "phantom"]).size()
    print(
        "truth addresses: "
        + ", ".join(
            f"{region}{' phantom' if phantom else ''}: {count}"
            for (region, phantom), count in per_region.items()
        )
    )
    print(
        f"wrote {total / 1024 / 1024:.1f} MiB to {args.out} in {elapsed:.1f} s (seed {params.seed})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
