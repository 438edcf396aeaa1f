"""Sample-data node: the demo region's frames from its seed and size."""

from __future__ import annotations

import pandas as pd

from geodata.sample_data import SampleDataParams, generate_region


def generate_demo_region(params: SampleDataParams) -> dict[str, pd.DataFrame]:
    """Every frame of the demo region, keyed by logical name (sources, reference data, truth).

    Rows out: each source's records over all its deliveries, the reference
    roads/parcels/buildings and the truth tables; the same seed gives the same rows.
    """
    return generate_region(params.seed, params.us_addresses, params.fi_addresses)
