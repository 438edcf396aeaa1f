"""What end users correct: the addresses they add, fix and suppress, and the wrong values
every source shares for the fixed ones (both profiles)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodata.sample_data.lots import UNIT_APT, UNIT_NONE
from geodata.sample_data.variants import can_misspell, misspell
from geodata.sample_data.vocabulary import US
from geodata.sample_data.world import World

ADD_CORRECTIONS = 10

FIX_CORRECTIONS = {"postcode": 7, "street": 3, "house_number": 3, "locality": 2}

OBSERVED_COLUMNS: tuple[str, ...] = (
    "house_number",
    "suffix",
    "directional",
    "street_name",
    "street_type",
    "unit_kind",
    "unit_id",
    "staircase",
    "locality",
    "postcode",
    "region",
    "face",
    "street",
)
"""The address columns sources render from (`observed_addresses`)."""
NUMBERS = ("unit_kind", "face")
"""Observed columns that stay numbers; the others are text (object)."""


@dataclass
class Corrections:
    """Addresses end users act on, and the wrong values every source shares for fixes."""

    add: np.ndarray
    fix: pd.DataFrame
    """Columns: address (row in world.addresses), field, wrong, right, and for street
    fixes the misspelled name part (`wrong_name`)."""
    suppress: np.ndarray


def _street_key(a: pd.DataFrame) -> pd.Series:
    return a["street"] + "|" + a["locality"]


def plan_corrections(world: World, rng: np.random.Generator) -> Corrections:
    """Pick the added, fixed and suppressed addresses and each fix's shared wrong value."""
    a = world.addresses
    us_real = (a["region"] == US) & ~a["phantom"]
    plain = us_real & (a["suffix"] == "") & ~a["fraction"].astype(bool)
    taken = np.zeros(len(a), dtype=bool)

    def pick(mask: np.ndarray, count: int) -> np.ndarray:
        # At most one picked address per building: each correction is about another place.
        pool = np.nonzero(mask & ~taken)[0]
        pool = pool[~pd.Series(a["lot_index"].to_numpy()[pool]).duplicated().to_numpy()]
        chosen = np.sort(rng.choice(pool, size=min(count, len(pool)), replace=False))
        taken[np.isin(a["lot_index"].to_numpy(), a["lot_index"].to_numpy()[chosen])] = True
        return chosen

    numbers = set(zip(_street_key(a), a["hn_base"], strict=True))
    streets = set(a["street"])
    no_unit = (a["unit_kind"] == UNIT_NONE).to_numpy()
    locality_postcodes = a[us_real].groupby("locality")["postcode"].unique()
    several_postcodes = a["locality"].map(locality_postcodes.map(len)).fillna(0).to_numpy() > 1
    misspellable = a["street_name"].map(can_misspell).to_numpy()
    fixes = []
    for field, count in FIX_CORRECTIONS.items():
        mask = (plain & no_unit).to_numpy()
        if field == "postcode":
            mask &= several_postcodes
        if field == "street":
            mask &= misspellable
        for i in pick(mask, count):
            row = a.iloc[i]
            wrong_name = None
            if field == "postcode":
                others = sorted(set(locality_postcodes[row["locality"]]) - {row["postcode"]})
                wrong = str(rng.choice(others))
            elif field == "street":
                wrong = row["street"]
                while wrong in streets:  # a misspelling, not another real street
                    wrong_name = misspell(row["street_name"], rng)
                    parts = (row["directional"], wrong_name, row["street_type"])
                    wrong = " ".join(p for p in parts if p)
            elif field == "house_number":
                n = int(row["hn_base"])
                digits = str(n)
                options = [int(digits[::-1])] if len(set(digits)) > 1 else []
                options += [n + 100, n + 200, n + 300]
                # Far blocks as a last resort, for densely numbered streets.
                options += list(range(n + 1000, n + 100_000, 1000))
                key = row["street"] + "|" + row["locality"]
                wrong = str(next(o for o in options if o != n and (key, o) not in numbers))
            else:
                others = sorted(set(a.loc[us_real, "locality"]) - {row["locality"]})
                wrong = str(rng.choice(others))
            fixes.append(
                {
                    "address": i,
                    "field": field,
                    "wrong": wrong,
                    "right": row[field],
                    "wrong_name": wrong_name,
                }
            )
    fix = pd.DataFrame(fixes)

    fraction = (us_real & a["fraction"].astype(bool)).to_numpy()
    flats = (us_real & (a["unit_kind"] == UNIT_APT) & (a["n_units"] >= 3)).to_numpy()
    add = np.concatenate([pick(fraction, 3), pick(flats, 2)])
    add = np.sort(
        np.concatenate([add, pick((plain & no_unit).to_numpy(), ADD_CORRECTIONS - len(add))])
    )
    return Corrections(add=add, fix=fix, suppress=np.nonzero(a["phantom"].to_numpy())[0])


def observed_addresses(world: World, corrections: Corrections) -> pd.DataFrame:
    """The addresses as sources know them: the truth with each fix's shared wrong value."""
    a = world.addresses
    obs = pd.DataFrame(
        {c: a[c].to_numpy() if c in NUMBERS else a[c].astype(object) for c in OBSERVED_COLUMNS}
    )
    for fix in corrections.fix.itertuples(index=False):
        obs.loc[fix.address, fix.field] = fix.wrong
        if fix.field == "street":
            obs.loc[fix.address, "street_name"] = fix.wrong_name
    return obs
