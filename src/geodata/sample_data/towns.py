"""The demo's regions: map projection, region spec, and the US-CA and FI-18 towns and lots.

Projections are equirectangular around the region's reference point, metres on a
sphere of the mean Earth radius, so haversine distances match the layout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from geodata.sample_data import vocabulary as vocab
from geodata.sample_data.layout import DiagonalStreet, LocalitySpec
from geodata.sample_data.lots import (
    HUNDREDS_PROPORTIONAL,
    HUNDREDS_SEQUENTIAL,
    STREET_SEQUENTIAL,
    LotModel,
)
from geodata.sample_data.vocabulary import FI, US

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180


@dataclass(frozen=True)
class Projection:
    """Local metre plane around (lat0, lon0) <-> lon/lat degrees."""

    lat0: float
    lon0: float

    def to_lonlat(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """Lon/lat of plane points (x east, y north, metres)."""
        lat = self.lat0 + np.asarray(y, dtype=float) / METRES_PER_DEGREE
        metres_per_degree_lon = METRES_PER_DEGREE * math.cos(math.radians(self.lat0))
        lon = self.lon0 + np.asarray(x, dtype=float) / metres_per_degree_lon
        return lon, lat


@dataclass(frozen=True)
class RegionSpec:
    """A region of the demo: its codes, localities, lot model and projection."""

    iso_3166_1: str
    iso_3166_2: str
    projection: Projection
    localities: tuple[LocalitySpec, ...]
    lots: LotModel
    with_phantoms: bool


US_LOTS = LotModel(
    single_width=(7.5, 14.0),
    multi_width=(18.0, 36.0),
    multi_share=0.11,
    front_setback=(2.0, 6.0),
    side_setback=(0.6, 1.5),
    single_depth=(10.0, 18.0),
    multi_depth=(18.0, 28.0),
    letter_split_share=0.035,
    fraction_split_share=0.012,
    suite_share=0.2,
    unit_model="us",
)

FI_LOT_WIDTH, FI_BUILDING_DEPTH = (18.0, 34.0), (12.0, 16.0)
"""Finnish houses and blocks of flats alike: the lot widths and building depths."""
FI_LOTS = LotModel(
    single_width=FI_LOT_WIDTH,
    multi_width=FI_LOT_WIDTH,
    multi_share=0.78,
    front_setback=(0.5, 1.5),
    side_setback=(0.3, 0.6),
    single_depth=FI_BUILDING_DEPTH,
    multi_depth=FI_BUILDING_DEPTH,
    unit_model="fi",
)

SAN_FRANCISCO = LocalitySpec(
    name="SAN FRANCISCO",
    share=0.55,
    postcodes=(("94112", "94134"), ("94131", "94110")),
    avenues=vocab.SAN_FRANCISCO_AVENUES,
    cross_streets=None,
    numbering=HUNDREDS_PROPORTIONAL,
    anchor=(0.0, 0.0, 0.5, 0.0),
    block_size=(140.0, 90.0),
    diagonals=(DiagonalStreet("MARKET", "ST", (0.1, 0.15), (0.9, 0.9)),),
)

DALY_CITY = LocalitySpec(
    name="DALY CITY",
    share=0.28,
    postcodes=(("94015", "94014"),),
    avenues=vocab.DALY_CITY_AVENUES,
    cross_streets=vocab.DALY_CITY_CROSS_STREETS,
    numbering=HUNDREDS_SEQUENTIAL,
    anchor=(-150.0, -250.0, 1.0, 1.0),
    block_size=(130.0, 95.0),
    diagonals=(DiagonalStreet("MISSION", "ST", (0.0, 0.9), (0.85, 0.1)),),
    twin_avenues=True,
    middle_avenue=vocab.DALY_CITY_MAIN_STREET,
)

BRISBANE = LocalitySpec(
    name="BRISBANE",
    share=0.17,
    postcodes=(("94005",),),
    avenues=vocab.BRISBANE_AVENUES,
    cross_streets=None,
    numbering=HUNDREDS_SEQUENTIAL,
    anchor=(150.0, -250.0, 0.0, 1.0),
    block_size=(120.0, 85.0),
    diagonals=(DiagonalStreet("BAYSHORE", "BLVD", (0.0, 0.1), (1.0, 0.75)),),
)

US_CA = RegionSpec(
    iso_3166_1="US",
    iso_3166_2=US,
    projection=Projection(lat0=37.745, lon0=-122.435),
    localities=(SAN_FRANCISCO, DALY_CITY, BRISBANE),
    lots=US_LOTS,
    with_phantoms=True,
)

HELSINKI = LocalitySpec(
    name="HELSINKI",
    share=1.0,
    postcodes=(
        ("00150", "00120", "00130"),
        ("00180", "00100", "00140"),
        ("00260", "00250", "00170"),
    ),
    avenues=tuple((n, "") for n in vocab.FINNISH_AVENUES),
    cross_streets=tuple((n, "") for n in vocab.FINNISH_CROSS_STREETS),
    numbering=STREET_SEQUENTIAL,
    anchor=(0.0, 0.0, 0.5, 0.5),
    block_size=(110.0, 85.0),
    half_width=9.0,
    diagonals=(
        DiagonalStreet(
            "MANNERHEIMINTIE", "", (0.0, 0.0), (1.0, 1.0), half_width=16.0, lot_depth=22.0
        ),
    ),
)

FI_18 = RegionSpec(
    iso_3166_1="FI",
    iso_3166_2=FI,
    projection=Projection(lat0=60.172, lon0=24.935),
    localities=(HELSINKI,),
    lots=FI_LOTS,
    with_phantoms=False,
)

REGIONS: tuple[RegionSpec, ...] = (US_CA, FI_18)
