"""Demo regions shared by the sample-data tests (generated once per test session)."""

from __future__ import annotations

import pandas as pd
import pytest

from geodata.sample_data import generate_region

SMALL = {"seed": 7, "us_addresses": 600, "fi_addresses": 120}


@pytest.fixture(scope="session")
def small_region() -> dict[str, pd.DataFrame]:
    """A small region, quick to generate, for the structural checks."""
    return generate_region(**SMALL)


@pytest.fixture(scope="session")
def demo_region() -> dict[str, pd.DataFrame]:
    """The default (committed) demo region."""
    return generate_region()
