"""Lots along a locality's block faces: cut, numbered, split, with their units and buildings.

A lot is a row of a frame; positions are (s, t) on its block face: s metres along the
street from the face's origin, t metres off the street's centreline (`face_points`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

HUNDREDS_PROPORTIONAL = "hundreds_proportional"
"""US block numbering: block k holds 100k..100k+99, numbers proportional to position."""

HUNDREDS_SEQUENTIAL = "hundreds_sequential"
"""US block numbering: block k holds 100k+1, 100k+2, ... in lot order."""

STREET_SEQUENTIAL = "street_sequential"
"""Nordic numbering: 1, 3, 5 ... on one side and 2, 4, 6 ... on the other, whole street."""

UNIT_NONE, UNIT_APT, UNIT_STE, UNIT_STAIRCASE, UNIT_FLAT = 0, 1, 2, 3, 4
"""Unit kinds: none, apartment (APT 4), suite (STE 101), Finnish staircase (A 5), flat (FLAT 2)."""

_SUITES_PER_FLOOR = 8

_FLATS_PER_FLOOR = 12

_FLOOR_NUMBERED_FROM = 61
"""Apartment blocks this large number their flats by floor (APT 101, 102, ... 201)."""

_PROPORTIONAL_SLOTS = 48


@dataclass(frozen=True)
class LotModel:
    """How lots are cut along a block face and what stands on them."""

    single_width: tuple[float, float]
    multi_width: tuple[float, float]
    multi_share: float
    front_setback: tuple[float, float]
    side_setback: tuple[float, float]
    single_depth: tuple[float, float]
    multi_depth: tuple[float, float]
    letter_split_share: float = 0.0
    fraction_split_share: float = 0.0
    suite_share: float = 0.0
    unit_model: str = "us"
    large_share: float = 0.0
    """Share of multi-unit lots that are large apartment blocks (US model)."""
    large_units: tuple[int, int] = (100, 400)
    """Unit count range of a large apartment block."""


def face_points(
    faces: pd.DataFrame, face: np.ndarray, s: np.ndarray, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Plane coordinates of (s metres along, t metres off the centreline) on each face."""
    f = faces.iloc[face]
    x = f["ox"].to_numpy() + f["ux"].to_numpy() * s + f["nx"].to_numpy() * t
    y = f["oy"].to_numpy() + f["uy"].to_numpy() * s + f["ny"].to_numpy() * t
    return x, y


def rectangle_corners(lots: pd.DataFrame, faces: pd.DataFrame, s_l, s_r, t0, t1) -> np.ndarray:
    """(n, 5, 2) closed counter-clockwise rings of the (s, t) rectangles on each lot's face."""
    f = faces.iloc[lots["face"].to_numpy()]
    ccw = (f["ux"].to_numpy() * f["ny"].to_numpy() - f["uy"].to_numpy() * f["nx"].to_numpy()) > 0
    ring_s = [s_l, s_r, s_r, s_l]
    ring_t = [t0, t0, t1, t1]
    corners = np.empty((len(lots), 5, 2))
    for c in range(4):
        k = np.where(ccw, c, 3 - c)
        s = np.choose(k, ring_s)
        t = np.choose(k, ring_t)
        corners[:, c, 0], corners[:, c, 1] = face_points(faces, lots["face"].to_numpy(), s, t)
    corners[:, 4] = corners[:, 0]
    return corners


def parcel_rings(lots: pd.DataFrame, faces: pd.DataFrame) -> np.ndarray:
    """(n, 5, 2) rings of the lots' parcels: from the face's setback line to its depth."""
    f = faces.iloc[lots["face"].to_numpy()]
    h = f["h"].to_numpy()
    return rectangle_corners(
        lots, faces, lots["s_l"].to_numpy(), lots["s_r"].to_numpy(), h, h + f["depth"].to_numpy()
    )


def cut_lots(faces: pd.DataFrame, model: LotModel, rng: np.random.Generator) -> pd.DataFrame:
    """Lots along every face: random widths filling the face exactly, in face order."""
    length = (faces["s1"] - faces["s0"]).to_numpy()
    n_faces = len(faces)
    slots = math.ceil(length.max() / model.single_width[0]) + 2
    multi = rng.random((n_faces, slots)) < model.multi_share
    width = np.where(
        multi,
        rng.uniform(*model.multi_width, (n_faces, slots)),
        rng.uniform(*model.single_width, (n_faces, slots)),
    )
    keep = np.cumsum(width, axis=1) <= length[:, None]
    count = keep.sum(axis=1)
    leftover = length - np.where(keep, width, 0.0).sum(axis=1)
    # A remainder wide enough for a house becomes one more lot; a sliver is shared out.
    extra = leftover >= model.single_width[0]
    rows = np.nonzero(extra)[0]
    width[rows, count[rows]] = leftover[rows]
    multi[rows, count[rows]] = False
    keep[rows, count[rows]] = True
    width = np.where(keep, width, 0.0)
    scale = np.divide(length, width.sum(axis=1), out=np.zeros(n_faces), where=width.sum(1) > 0)
    width *= scale[:, None]
    right = np.cumsum(width, axis=1)
    face_idx, slot = np.nonzero(keep)
    s_r = faces["s0"].to_numpy()[face_idx] + right[face_idx, slot]
    return pd.DataFrame(
        {
            "face": face_idx,
            "s_l": s_r - width[face_idx, slot],
            "s_r": s_r,
            "multi": multi[face_idx, slot],
        }
    )


def _number_lots(lots: pd.DataFrame, faces: pd.DataFrame, numbering: str) -> pd.DataFrame:
    """House number bases: even on the left of the direction numbers grow in, odd on the right."""
    f = faces.iloc[lots["face"].to_numpy()]
    even = (f["nx"].to_numpy() * -f["uy"].to_numpy() + f["ny"].to_numpy() * f["ux"].to_numpy()) > 0
    centre = (lots["s_l"].to_numpy() + lots["s_r"].to_numpy()) / 2
    lots = lots.assign(even=even, street=f["street"].to_numpy())
    if numbering == HUNDREDS_PROPORTIONAL:
        s0, s1 = f["s0"].to_numpy(), f["s1"].to_numpy()
        slot = np.clip(1 + np.floor((centre - s0) / (s1 - s0) * _PROPORTIONAL_SLOTS), 1, 48)
        number = 100 * f["block"].to_numpy() + np.where(even, 2 * slot, 2 * slot - 1)
    elif numbering == HUNDREDS_SEQUENTIAL:
        rank = lots.assign(c=centre).groupby("face")["c"].rank(method="first").to_numpy() - 1
        number = 100 * f["block"].to_numpy() + np.where(even, 2 * rank + 2, 2 * rank + 1)
    elif numbering == STREET_SEQUENTIAL:
        position = f["offset"].to_numpy() + centre
        rank = (
            lots.assign(p=position).groupby(["street", "even"])["p"].rank(method="first")
        ).to_numpy() - 1
        number = np.where(even, 2 * rank + 2, 2 * rank + 1)
    else:
        raise ValueError(f"unknown numbering {numbering!r}")
    lots["hn_base"] = number.astype(np.int64)
    return lots.sort_values(["face", "s_l"], kind="stable").reset_index(drop=True)


def _split_lots(lots: pd.DataFrame, model: LotModel, rng: np.random.Generator) -> pd.DataFrame:
    """Some houses' lots split in two: `12A`/`12B`, or a `10 1/2` squeezed in before `12`."""
    lots = lots.assign(suffix="", fraction=False)
    if not (model.letter_split_share or model.fraction_split_share):
        return lots
    first_in_face = lots["face"].ne(lots["face"].shift())
    previous_number = lots["hn_base"].shift(fill_value=0).to_numpy()
    eligible = (~lots["multi"] & (lots["s_r"] - lots["s_l"] >= 11.0)).to_numpy()
    draw = rng.random(len(lots))
    letter = eligible & (draw < model.letter_split_share)
    fraction = (
        eligible
        & ~first_in_face.to_numpy()
        & (draw >= model.letter_split_share)
        & (draw < model.letter_split_share + model.fraction_split_share)
    )
    split = letter | fraction
    source = np.repeat(np.arange(len(lots)), np.where(split, 2, 1))
    half = np.zeros(len(source), dtype=np.int64)
    half[1:] = (source[1:] == source[:-1]).astype(np.int64)
    out = lots.iloc[source].reset_index(drop=True)
    is_split = split[source]
    mid = ((out["s_l"] + out["s_r"]) / 2).to_numpy()
    out["s_r"] = np.where(is_split & (half == 0), mid, out["s_r"])
    out["s_l"] = np.where(is_split & (half == 1), mid, out["s_l"])
    is_letter = letter[source]
    out["suffix"] = np.where(is_letter, np.where(half == 0, "A", "B"), "")
    left_fraction = fraction[source] & (half == 0)
    out["fraction"] = left_fraction
    out["hn_base"] = np.where(left_fraction, previous_number[source], out["hn_base"])
    return out


def _draw_units(lots: pd.DataFrame, model: LotModel, rng: np.random.Generator) -> pd.DataFrame:
    """Units per lot: 1 for houses; 2-60 apartments or suites, or Finnish staircases."""
    n = len(lots)
    multi = lots["multi"].to_numpy()
    if model.unit_model == "us":
        size_class = rng.random(n)
        units = np.where(
            size_class < 0.6,
            rng.integers(2, 7, n),
            np.where(size_class < 0.9, rng.integers(7, 21, n), rng.integers(21, 61, n)),
        )
        kind = np.where(rng.random(n) < model.suite_share, UNIT_STE, UNIT_APT)
        if model.large_share:
            large = rng.random(n) < model.large_share
            units = np.where(large, rng.integers(*model.large_units, n), units)
            kind = np.where(large, UNIT_APT, kind)
        per_staircase = np.zeros(n, dtype=np.int64)
    elif model.unit_model == "gb":
        units = np.where(rng.random(n) < 0.8, rng.integers(2, 7, n), rng.integers(7, 31, n))
        kind = np.full(n, UNIT_FLAT)
        per_staircase = np.zeros(n, dtype=np.int64)
    else:
        staircases = rng.choice([1, 2, 3], size=n, p=[0.3, 0.45, 0.25])
        per_staircase = rng.integers(3, 10, n)
        units = staircases * per_staircase
        kind = np.full(n, UNIT_STAIRCASE)
    return lots.assign(
        n_units=np.where(multi, units, 1).astype(np.int64),
        unit_kind=np.where(multi, kind, UNIT_NONE).astype(np.int64),
        per_staircase=np.where(multi, per_staircase, 0).astype(np.int64),
    )


def _place_buildings(
    lots: pd.DataFrame, faces: pd.DataFrame, model: LotModel, rng: np.random.Generator
) -> pd.DataFrame:
    """A building rectangle inside each lot, set back from the street and the side lines."""
    n = len(lots)
    f = faces.iloc[lots["face"].to_numpy()]
    h, depth = f["h"].to_numpy(), f["depth"].to_numpy()
    multi = lots["multi"].to_numpy()
    front = rng.uniform(*model.front_setback, n)
    side = rng.uniform(*model.side_setback, n)
    building_depth = np.where(
        multi, rng.uniform(*model.multi_depth, n), rng.uniform(*model.single_depth, n)
    )
    building_depth = np.minimum(building_depth, depth - front - 2.0)
    return lots.assign(
        b_l=lots["s_l"] + side,
        b_r=lots["s_r"] - side,
        b_t0=h + front,
        b_t1=h + front + building_depth,
    )


def develop_lots(
    lots: pd.DataFrame,
    faces: pd.DataFrame,
    model: LotModel,
    numbering: str,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Number the cut lots (`numbering`), split some, note each face's number range, draw
    each lot's units and place its building."""
    lots = _number_lots(lots, faces, numbering)
    lots = _split_lots(lots, model, rng)
    # The face's official number range, before any lot is left vacant (what geocoders use).
    lots["face_lo"] = lots.groupby("face")["hn_base"].transform("min")
    lots["face_hi"] = lots.groupby("face")["hn_base"].transform("max")
    centre = (lots["s_l"] + lots["s_r"]) / 2
    lots["face_s_lo"] = centre.groupby(lots["face"]).transform("min")
    lots["face_s_hi"] = centre.groupby(lots["face"]).transform("max")
    lots = _draw_units(lots, model, rng)
    return _place_buildings(lots, faces, model, rng)


def select_lots(lots: pd.DataFrame, target: int, rng: np.random.Generator) -> pd.DataFrame:
    """Lots holding exactly `target` addresses; the rest stay vacant (dropped).

    The last lot taken keeps only as many units as are still needed.
    """
    order = rng.permutation(len(lots))
    counts = lots["n_units"].to_numpy()[order]
    cumulative = np.cumsum(counts)
    if cumulative[-1] < target:
        raise ValueError(f"layout holds {cumulative[-1]} addresses, fewer than {target}")
    last = int(np.searchsorted(cumulative, target))
    chosen = lots.iloc[np.sort(order[: last + 1])].copy()
    needed = target - (int(cumulative[last - 1]) if last else 0)
    position = chosen.index.get_loc(lots.index[order[last]])
    n_units = chosen["n_units"].to_numpy().copy()
    n_units[position] = needed
    chosen["n_units"] = n_units
    if needed == 1:
        for column, value in (("multi", False), ("unit_kind", UNIT_NONE), ("per_staircase", 0)):
            values = chosen[column].to_numpy().copy()
            values[position] = value
            chosen[column] = values
    return chosen.reset_index(drop=True)


def addresses_of_lots(lots: pd.DataFrame) -> pd.DataFrame:
    """One row per address: each lot's units (or the lot itself), with canonical unit text."""
    n_units = lots["n_units"].to_numpy()
    lot = np.repeat(np.arange(len(lots)), n_units)
    index = np.arange(len(lot)) - (np.cumsum(n_units) - n_units)[lot]
    kind = lots["unit_kind"].to_numpy()[lot]
    per = np.maximum(lots["per_staircase"].to_numpy()[lot], 1)
    suite = (1 + index // _SUITES_PER_FLOOR) * 100 + index % _SUITES_PER_FLOOR
    flat = (1 + index // _FLATS_PER_FLOOR) * 100 + index % _FLATS_PER_FLOOR + 1
    floor_numbered = (kind == UNIT_APT) & (n_units[lot] >= _FLOOR_NUMBERED_FROM)
    unit_id = np.where(kind == UNIT_STE, suite, np.where(floor_numbered, flat, index + 1)).astype(
        str
    )
    letters = np.array([chr(ord("A") + s) for s in range(26)])
    letter = letters[np.minimum(index // per, 25)]
    prefix = np.where(
        kind == UNIT_APT,
        "APT ",
        np.where(
            kind == UNIT_STE,
            "STE ",
            np.where(kind == UNIT_FLAT, "FLAT ", np.char.add(letter, " ")),
        ),
    )
    none = kind == UNIT_NONE
    return pd.DataFrame(
        {
            "lot": lot,
            "unit_index": index,
            "unit_kind": kind,
            "unit_id": np.where(none, None, unit_id),
            "staircase": np.where(kind == UNIT_STAIRCASE, letter, None),
            "unit": np.where(none, None, np.char.add(prefix, unit_id)),
        }
    )
