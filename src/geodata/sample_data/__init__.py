"""Deterministic demo region: a US-CA town cluster and a Helsinki-like FI-18 area.

Five address sources, reference geodata (roads, parcels, buildings) and the
ground truth the sources were rendered from; see `generate_region`.
"""

from geodata.sample_data.region import (
    FRAME_NAMES,
    OUTPUT_PATHS,
    SampleDataParams,
    generate_region,
    write_region,
)

__all__ = ["FRAME_NAMES", "OUTPUT_PATHS", "SampleDataParams", "generate_region", "write_region"]
