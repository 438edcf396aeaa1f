"""The `lists` family's ground truth: a British post town, Helsinki and two Californian towns.

The towns are laid out by the shared layout code (streets, lots, buildings, reference
geodata) and named from faker's locale lists (`vocabulary`); on top come what real
addresses carry and the layout has not: British building names (some without a number),
dependent localities and thoroughfares and full postcodes, Finnish house letters,
`as` apartments, Swedish street names and businesses, and new buildings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from geodata.sample_data.hard_world import GB_LOTS
from geodata.sample_data.layout import DiagonalStreet, LocalitySpec, grid_dimensions
from geodata.sample_data.lists import SPLITS
from geodata.sample_data.lists import vocabulary as vocab
from geodata.sample_data.lots import (
    HUNDREDS_PROPORTIONAL,
    HUNDREDS_SEQUENTIAL,
    STREET_SEQUENTIAL,
    UNIT_NONE,
    UNIT_STAIRCASE,
)
from geodata.sample_data.towns import FI_LOTS, US_LOTS, Projection, RegionSpec
from geodata.sample_data.world import World, build_regions, rng_for

GB, FI, US = "GB-ENG", "FI-18", "US-CA"

REGION_SHARES: dict[str, float] = {GB: 0.4, FI: 0.3, US: 0.3}
"""Share of the true addresses in each region."""

NEW_BUILD_SHARE = 0.015
"""Share of buildings finished after the older deliveries were made."""

GB_FLATS_NAMED_SHARE = 0.75
GB_HOUSES_NAMED_SHARE = 0.06
GB_NAMED_WITHOUT_NUMBER_SHARE = {True: 0.2, False: 0.6}
"""Of named blocks of flats (True) and named houses (False), the share without a number."""
GB_APARTMENT_SHARE = 0.3
"""Blocks whose flats are `APARTMENT n` rather than `FLAT n`."""
GB_DEPENDENT_THOROUGHFARE_SHARE = 0.12
FI_AS_SHARE = 0.4
"""Single-staircase Finnish blocks whose apartments are `as 3` rather than `A 3`."""
FI_VENUE_SHARE = 0.35
"""Finnish single-address buildings that house a business named in directories."""

_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
"""Letters Royal Mail uses in the unit part of an inward code."""

_STREET_NAME_MARGIN = 4
"""Street names drawn per grid line a layout is expected to need (it may grow)."""


@dataclass
class ListsWorld:
    """A split's ground truth: the shared `World`, the renderers' facts per address (same row
    order as `world.addresses`) and each street's parts by its name without a directional."""

    world: World
    facts: pd.DataFrame
    streets: dict[str, vocab.FinnishStreet | vocab.EnglishStreet]
    split: str


def world_seed(seed: int, split: str) -> int:
    """The layout's seed: 2 * seed for `tune`, 2 * seed + 1 for `report` (never shared)."""
    return 2 * seed + SPLITS.index(split)


def _names_needed(target: int, block_size: tuple[float, float]) -> int:
    blocks = max(9, math.ceil(target / 20))
    nx, ny = grid_dimensions(blocks, block_size)
    return _STREET_NAME_MARGIN * (nx + ny + 2) + 10


def _pairs(names: list[str]) -> tuple[tuple[str, str], ...]:
    return tuple((n, "") for n in names)


def _halves(names: list[str]) -> tuple[list[str], list[str]]:
    return names[0::2], names[1::2]


def region_specs(
    split: str, totals: dict[str, int], rng: np.random.Generator, untyped: np.random.Generator
) -> tuple[dict[str, RegionSpec], dict[str, vocab.FinnishStreet | vocab.EnglishStreet]]:
    """The three regions of a split, sized for `totals` addresses, and their streets' parts
    (`untyped` draws the British streets named without a type)."""
    parts: dict[str, vocab.FinnishStreet | vocab.EnglishStreet] = {}

    gb_block = (120.0, 70.0)
    gb_streets = vocab.british_streets(split, _names_needed(totals[GB], gb_block) + 1, rng, untyped)
    parts.update((s.gb_canonical, s) for s in gb_streets)
    gb_names = [s.gb_canonical for s in gb_streets]
    area = str(rng.choice(vocab.postcode_areas(split)))
    avenues, cross = _halves(gb_names[1:])
    town = LocalitySpec(
        name=vocab.british_towns(split, 1, rng)[0],
        share=1.0,
        postcodes=tuple(tuple(f"{area}{row * 3 + col + 1}" for col in range(3)) for row in (0, 1)),
        avenues=_pairs(avenues),
        cross_streets=_pairs(cross),
        numbering=STREET_SEQUENTIAL,
        block_size=gb_block,
        half_width=7.0,
        diagonals=(
            DiagonalStreet(gb_names[0], "", (0.0, 0.2), (1.0, 0.8), half_width=9.0, lot_depth=20.0),
        ),
        name_prefixes=(),
    )
    gb = RegionSpec("GB", GB, Projection(52.63, -1.13), (town,), GB_LOTS, with_phantoms=False)

    fi_block = (110.0, 85.0)
    fi_streets = vocab.finnish_streets(split, _names_needed(totals[FI], fi_block) + 1, rng)
    parts.update((s.canonical, s) for s in fi_streets)
    fi_names = [s.canonical for s in fi_streets]
    avenues, cross = _halves(fi_names[1:])
    codes = vocab.helsinki_postcodes(split, 9, rng)
    helsinki = LocalitySpec(
        name="HELSINKI",
        share=1.0,
        postcodes=tuple(tuple(codes[row * 3 : row * 3 + 3]) for row in range(3)),
        avenues=_pairs(avenues),
        cross_streets=_pairs(cross),
        numbering=STREET_SEQUENTIAL,
        block_size=fi_block,
        half_width=9.0,
        diagonals=(
            DiagonalStreet(
                fi_names[0], "", (0.0, 0.0), (1.0, 1.0), half_width=14.0, lot_depth=22.0
            ),
        ),
        name_prefixes=(),
    )
    fi_lots = replace(FI_LOTS, letter_split_share=0.2)
    fi = RegionSpec("FI", FI, Projection(60.19, 24.95), (helsinki,), fi_lots, with_phantoms=False)

    towns = vocab.us_towns(split, 2, rng)
    zips = vocab.california_zips(split, 6, rng)
    shares = (0.6, 0.4)
    us_localities = []
    for k, (name, share) in enumerate(zip(towns, shares, strict=True)):
        block = (140.0, 90.0) if k == 0 else (125.0, 90.0)
        streets = vocab.us_streets(split, _names_needed(round(totals[US] * share), block), rng)
        streets = [s for s in streets if s.us_canonical not in parts]
        parts.update((s.us_canonical, s) for s in streets)
        avenues, cross = _halves([s.us_canonical for s in streets])
        us_localities.append(
            LocalitySpec(
                name=name,
                share=share,
                postcodes=((zips[0], zips[1]), (zips[2], zips[3]))
                if k == 0
                else ((zips[4], zips[5]),),
                avenues=_pairs(avenues),
                cross_streets=_pairs(cross),
                numbering=HUNDREDS_PROPORTIONAL if k == 0 else HUNDREDS_SEQUENTIAL,
                block_size=block,
                twin_avenues=k == 0,
                name_prefixes=(),
                gap=0.0 if k == 0 else 400.0,
            )
        )
    us = RegionSpec(
        "US", US, Projection(34.05, -117.75), tuple(us_localities), US_LOTS, with_phantoms=False
    )
    return {GB: gb, FI: fi, US: us}, parts


def _lot_draw(a: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """One uniform draw per lot (building), repeated for each of its addresses."""
    key = a["region"].astype(str) + ":" + a["lot_index"].astype(str)
    codes, uniques = pd.factorize(key)
    return rng.random(len(uniques))[codes]


def _gb_postcodes(a: pd.DataFrame, gb: np.ndarray) -> np.ndarray:
    """Full postcodes: the district's outward code and one inward code per block face (a
    unit covers a stretch of street), the faces spread over the district's sectors."""
    postcode = a["postcode"].to_numpy().astype(object)
    frame = pd.DataFrame({"outward": postcode[gb], "face": a["face"].to_numpy()[gb]})
    rank = frame.groupby("outward")["face"].rank(method="dense").to_numpy().astype(int) - 1
    sector = 1 + rank % 9
    # Units of a sector take letter pairs spread over the alphabet, not AA, AB, AD, ...
    unit = (rank // 9 * 149 + 23) % 400
    letters = np.array(list(_INWARD_LETTERS))
    inward = [f"{s}{letters[v // 20]}{letters[v % 20]}" for s, v in zip(sector, unit, strict=True)]
    postcode[gb] = [f"{o} {i}" for o, i in zip(frame["outward"], inward, strict=True)]
    return postcode


def _parent_streets(a: pd.DataFrame, gb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The thoroughfare a dependent thoroughfare leads off: the nearest other street."""
    parent = np.full(len(a), None, dtype=object)
    streets = a[gb].groupby("street")[["ix", "iy"]].mean()
    names = streets.index.to_numpy()
    if len(names) < 2:
        return parent
    xy = streets.to_numpy()
    distance = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    np.fill_diagonal(distance, np.inf)
    nearest = names[distance.argmin(axis=1)]
    dependent = rng.random(len(names)) < GB_DEPENDENT_THOROUGHFARE_SHARE
    of_street = dict(zip(names[dependent], nearest[dependent], strict=True))
    values = a["street"].map(of_street).to_numpy()
    parent[gb] = values[gb]
    return np.where(pd.isna(parent), None, parent)


def _gb_buildings(
    a: pd.DataFrame, gb: np.ndarray, split: str, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Building names (unique in the town), which named buildings have no number, and the
    sub-building word of each block of flats."""
    n = len(a)
    multi = (a["unit_kind"] != UNIT_NONE).to_numpy()
    draw, no_number, apartments = (_lot_draw(a, rng) for _ in range(3))
    named = gb & (draw < np.where(multi, GB_FLATS_NAMED_SHARE, GB_HOUSES_NAMED_SHARE))
    share_without = np.where(
        multi, GB_NAMED_WITHOUT_NUMBER_SHARE[True], GB_NAMED_WITHOUT_NUMBER_SHARE[False]
    )
    unnumbered = named & (no_number < share_without)
    lots = pd.Series(a["lot_index"].to_numpy()[named]).unique()
    surnames = [s.upper() for s in rng.permutation(vocab.british_surnames(split))]
    lot_multi = dict(zip(a["lot_index"].to_numpy()[named], multi[named], strict=True))
    names, taken = {}, set()
    for k, lot in enumerate(lots):
        words = vocab.GB_BUILDING_WORDS if lot_multi[lot] else vocab.GB_HOUSE_WORDS
        # Surnames and words in turn until the name is new in the town (never a number,
        # which would read as a house number).
        for attempt in range(len(surnames) * len(words)):
            surname = surnames[(k + attempt) % len(surnames)]
            name = f"{surname} {words[(int(rng.integers(len(words))) + attempt) % len(words)]}"
            if name not in taken:
                break
        taken.add(name)
        names[lot] = name
    building = np.full(n, None, dtype=object)
    building[named] = [names[lot] for lot in a["lot_index"].to_numpy()[named]]
    word = np.where(gb & multi & (apartments < GB_APARTMENT_SHARE), "APARTMENT", "FLAT")
    return {"building_name": building, "unnumbered": unnumbered, "flat_word": word}


def _dependent_localities(
    a: pd.DataFrame, gb: np.ndarray, split: str, rng: np.random.Generator
) -> np.ndarray:
    """A dependent locality per postcode district except the town centre's (the first)."""
    outward = a["postcode"].str.split(" ").str[0].to_numpy()
    districts = sorted(set(outward[gb]))
    town = a.loc[gb, "locality"].iloc[0] if gb.any() else ""
    names = [t for t in vocab.british_towns(split, len(districts) + 2, rng) if t != town]
    of_district = {d: (names[k - 1] if k else None) for k, d in enumerate(districts)}
    return np.where(gb, pd.Series(outward).map(of_district).to_numpy(), None)


def _finnish_units(a: pd.DataFrame, fi: np.ndarray, rng: np.random.Generator) -> None:
    """Single-staircase blocks numbering their apartments `as 3` (canonical `AS 3`)."""
    staircases = a.groupby(["region", "lot_index"])["staircase"].transform("nunique").to_numpy()
    single = fi & (a["unit_kind"] == UNIT_STAIRCASE).to_numpy() & (staircases == 1)
    as_units = single & (_lot_draw(a, rng) < FI_AS_SHARE)
    a.loc[as_units, "unit"] = "AS " + a.loc[as_units, "unit_id"].astype(str)
    a.loc[as_units, "staircase"] = None


def build_lists_world(seed: int, split: str, totals: dict[str, int]) -> ListsWorld:
    """The ground truth of one split with `totals` addresses per region (GB-ENG, FI-18,
    US-CA).

    A named British building without a number is identified by its name: the truth
    (`world.addresses`) carries it in `house_number`, where the canonical record puts a
    premise's name when there is no number (its flats are in `unit`); the facts the
    sources are written from keep `house_number` null for it.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    rng = rng_for(seed, "lists", split, "vocabulary")
    specs, parts = region_specs(
        split, totals, rng, rng_for(seed, "lists", split, "untyped streets")
    )
    world = build_regions(world_seed(seed, split), {specs[c]: totals[c] for c in REGION_SHARES})
    a = world.addresses
    region = a["region"].to_numpy()
    gb, fi = region == GB, region == FI

    extra = rng_for(seed, "lists", split, "extras")
    a["postcode"] = _gb_postcodes(a, gb)
    buildings = _gb_buildings(a, gb, split, extra)
    a["house_number"] = np.where(buildings["unnumbered"], None, a["house_number"].to_numpy())
    apartment = gb & (buildings["flat_word"] == "APARTMENT")
    a.loc[apartment, "unit"] = "APT " + a.loc[apartment, "unit_id"].astype(str)
    _finnish_units(a, fi, extra)

    single = (a["unit_kind"] == UNIT_NONE).to_numpy()
    venues = vocab.finnish_venues(split, 400, extra)
    venue_lot = fi & single & (_lot_draw(a, extra) < FI_VENUE_SHARE)
    venue = np.full(len(a), None, dtype=object)
    venue[venue_lot] = [venues[int(lot) % len(venues)] for lot in a["lot_index"][venue_lot]]

    facts = pd.DataFrame(
        {
            "truth_address_id": a["truth_address_id"].to_numpy(),
            "region": region,
            "house_number": a["house_number"].to_numpy(),
            "hn_base": a["hn_base"].to_numpy(),
            "letter": a["suffix"].to_numpy(),
            "fraction": a["fraction"].to_numpy(),
            "unit": a["unit"].to_numpy(),
            "unit_kind": a["unit_kind"].to_numpy(),
            "unit_id": a["unit_id"].to_numpy(),
            "staircase": a["staircase"].to_numpy(),
            "street": a["street"].to_numpy(),
            "directional": a["directional"].to_numpy(),
            "street_key": a["street_name"].to_numpy(),
            "locality": a["locality"].to_numpy(),
            "postcode": a["postcode"].to_numpy(),
            "building_name": buildings["building_name"],
            "flat_word": buildings["flat_word"],
            "dependent_locality": _dependent_localities(a, gb, split, extra),
            "parent_street": _parent_streets(a, gb, extra),
            "venue": venue,
            "new_build": _lot_draw(a, extra) < NEW_BUILD_SHARE,
        }
    )
    a["house_number"] = np.where(
        buildings["unnumbered"], buildings["building_name"], facts["house_number"].to_numpy()
    )
    return ListsWorld(world, facts, parts, split)
