"""The hard profile's world: more towns per country, British towns, renamed streets.

The demo's towns come back with other shares, placed in a row, next to a town that
reuses their street names, a rural county area with coarse geometry and two
British towns with full postcodes.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from geodata.sample_data import vocabulary as vocab
from geodata.sample_data.layout import DiagonalStreet, LocalitySpec
from geodata.sample_data.lots import (
    HUNDREDS_PROPORTIONAL,
    HUNDREDS_SEQUENTIAL,
    STREET_SEQUENTIAL,
    LotModel,
)
from geodata.sample_data.towns import (
    BRISBANE,
    DALY_CITY,
    FI_18,
    HELSINKI,
    SAN_FRANCISCO,
    US_CA,
    US_LOTS,
    Projection,
    RegionSpec,
)
from geodata.sample_data.vocabulary import GB, US
from geodata.sample_data.world import World, build_regions, rng_for

RURAL_LOCALITY = "ROUND VALLEY"

HARD_US_LOTS = replace(
    US_LOTS,
    multi_width=(20.0, 60.0),
    multi_share=0.12,
    multi_depth=(20.0, 32.0),
    letter_split_share=0.06,
    fraction_split_share=0.015,
    suite_share=0.15,
    large_share=0.05,
)
"""The demo's US lots with more and bigger apartment buildings, some large blocks."""

LOT_MODELS: dict[str, tuple] = {
    # field: (the rural county area, British towns)
    "single_width": ((60.0, 220.0), (5.0, 9.0)),
    "multi_width": ((60.0, 120.0), (14.0, 30.0)),
    "multi_share": (0.02, 0.22),
    "front_setback": ((15.0, 80.0), (1.0, 4.0)),
    "side_setback": ((8.0, 25.0), (0.0, 0.3)),
    "single_depth": ((12.0, 20.0), (8.0, 12.0)),
    "multi_depth": ((15.0, 25.0), (12.0, 18.0)),
    "letter_split_share": (0.01, 0.03),
    "unit_model": ("us", "gb"),
}
"""The hard profile's own lot models side by side: wide rural lots with buildings far back
from the road, narrow British terraces and blocks of flats."""
RURAL_LOTS, GB_LOTS = (LotModel(**{f: v[i] for f, v in LOT_MODELS.items()}) for i in (0, 1))

HARD_US_CA = replace(
    US_CA,
    # The demo's towns in a row, with other shares.
    localities=(
        replace(SAN_FRANCISCO, share=0.36, gap=0.0),
        replace(DALY_CITY, share=0.2, gap=250.0),
        replace(BRISBANE, share=0.1, cross_streets=vocab.DALY_CITY_CROSS_STREETS[::-1], gap=250.0),
        LocalitySpec(
            name="SOUTH SAN FRANCISCO",
            share=0.16,
            postcodes=(("94080",),),
            # The same street names as San Francisco, one town away.
            avenues=vocab.SAN_FRANCISCO_AVENUES[::-1],
            cross_streets=None,
            numbering=HUNDREDS_SEQUENTIAL,
            block_size=(130.0, 90.0),
            twin_avenues=True,
            middle_avenue=("LINDEN", "AVE"),
            gap=250.0,
        ),
        LocalitySpec(
            name=RURAL_LOCALITY,
            share=0.18,
            postcodes=(("95490", "95470"), ("95428", "95490")),
            avenues=vocab.RURAL_ROADS,
            cross_streets=vocab.RURAL_ROADS[::-1],
            numbering=HUNDREDS_PROPORTIONAL,
            block_size=(1200.0, 900.0),
            half_width=5.0,
            lots=RURAL_LOTS,
            gap=8000.0,
        ),
    ),
    lots=HARD_US_LOTS,
)

HARD_FI_18 = replace(
    FI_18,
    localities=(
        replace(HELSINKI, share=0.7, gap=0.0),
        # Finnish towns reuse each other's street names.
        replace(
            HELSINKI,
            name="ESPOO",
            share=0.3,
            postcodes=(("02100", "02150"), ("02600", "02650")),
            avenues=HELSINKI.cross_streets,
            cross_streets=HELSINKI.avenues,
            block_size=(120.0, 90.0),
            diagonals=(),
            gap=600.0,
        ),
    ),
)

LONDON = LocalitySpec(
    name="LONDON",
    share=0.6,
    postcodes=(("SE11", "SE17"), ("SW8", "SE1")),
    avenues=tuple((n, "") for n in vocab.GB_AVENUES),
    cross_streets=tuple((n, "") for n in vocab.GB_STREETS),
    numbering=STREET_SEQUENTIAL,
    block_size=(120.0, 70.0),
    half_width=7.0,
    diagonals=(DiagonalStreet("KENNINGTON ROAD", "", (0.0, 0.2), (1.0, 0.8)),),
    name_prefixes=vocab.GB_NAME_PREFIXES,
    gap=0.0,
)

HARD_GB_ENG = RegionSpec(
    iso_3166_1="GB",
    iso_3166_2=GB,
    projection=Projection(lat0=51.47, lon0=-0.12),
    localities=(
        LONDON,
        # Laid out like London, with its street names the other way round.
        replace(
            LONDON,
            name="CROYDON",
            share=0.4,
            postcodes=(("CR0", "CR2"),),
            avenues=LONDON.cross_streets,
            cross_streets=LONDON.avenues,
            diagonals=(),
            gap=900.0,
        ),
    ),
    lots=GB_LOTS,
    with_phantoms=False,
)

REGION_SHARES: dict[RegionSpec, float] = {HARD_US_CA: 0.55, HARD_FI_18: 0.2, HARD_GB_ENG: 0.25}
"""Share of the true addresses in each region."""

RENAMED_SHARE = 0.06
"""Share of the US (urban) and British streets renamed; some sources still use the old name."""

_INWARD_LETTERS = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))


def _gb_unit_postcodes(a: pd.DataFrame) -> np.ndarray:
    """Full British postcodes: the zone's outward code plus one inward code per block face.

    A Royal Mail postcode unit covers a street segment of about fifteen addresses.
    """
    postcode = a["postcode"].to_numpy().astype(object)
    gb = np.nonzero((a["region"] == GB).to_numpy())[0]
    if not len(gb):
        return postcode
    frame = pd.DataFrame({"outward": postcode[gb], "face": a["face"].to_numpy()[gb]})
    # Faces numbered in order within each outward code.
    rank = frame.groupby("outward")["face"].rank(method="dense").to_numpy().astype(int) - 1
    digit = 1 + (rank // 400) % 9
    first = _INWARD_LETTERS[(rank // 20) % 20]
    second = _INWARD_LETTERS[rank % 20]
    inward = np.char.add(np.char.add(digit.astype(str), first), second)
    postcode[gb] = np.char.add(np.char.add(frame["outward"].to_numpy().astype(str), " "), inward)
    return postcode


def _rename_streets(world: World, rng: np.random.Generator) -> None:
    """Pick renamed streets; `old_street` / `old_street_name` hold each address's former name."""
    streets = world.streets
    a = world.addresses
    used = a.groupby("street_index").size()
    region = streets["region"].to_numpy()
    eligible = np.zeros(len(streets), dtype=bool)
    eligible[used.index.to_numpy()] = True
    eligible &= ((region == US) & (streets["locality"] != RURAL_LOCALITY).to_numpy()) | (
        region == GB
    )
    old_street = np.full(len(streets), None, dtype=object)
    old_name = np.full(len(streets), None, dtype=object)
    for code, names in ((US, vocab.OLD_US_STREET_NAMES), (GB, vocab.OLD_GB_STREET_NAMES)):
        pool = np.nonzero(eligible & (region == code))[0]
        count = min(len(names) * 4, max(1, round(RENAMED_SHARE * len(pool))))
        picked = np.sort(rng.choice(pool, size=min(count, len(pool)), replace=False))
        taken = set(streets.loc[streets["region"] == code, "canonical"])
        for k, s in enumerate(picked):
            row = streets.iloc[s]
            name = names[k % len(names)]
            parts = (row["directional"], name, row["street_type"])
            text = " ".join(p for p in parts if p)
            cycle = k // len(names)
            while text in taken:  # the same old name on two streets of one town is fine
                cycle += 1
                name = f"{names[k % len(names)]} {cycle}" if code == US else f"OLD {name}"
                parts = (row["directional"], name, row["street_type"])
                text = " ".join(p for p in parts if p)
            taken.add(text)
            old_street[s], old_name[s] = text, name
    index = a["street_index"].to_numpy()
    a["old_street"] = old_street[index]
    a["old_street_name"] = old_name[index]


def build_hard_world(seed: int, totals: dict[RegionSpec, int]) -> World:
    """The ground truth of the hard profile with `totals` real addresses per region."""
    world = build_regions(seed, totals)
    a = world.addresses
    a["postcode"] = _gb_unit_postcodes(a)
    a["rural"] = (a["locality"] == RURAL_LOCALITY).to_numpy()
    _rename_streets(world, rng_for(seed, "hard", "renamed"))
    return world
