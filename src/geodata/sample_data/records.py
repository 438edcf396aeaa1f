"""A source's records: planned over its deliveries, some invalid, delivered, traced to the truth.

Shared by the demo's and the hard profile's source builders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from geodata.sample_data.corrections import Corrections
from geodata.sample_data.world import World, rng_for

DATE_TYPE = pd.ArrowDtype(pa.date32())

INVALID_KINDS = ("null_island", "latitude_out_of_range", "empty_street", "garbage_text")
"""How a planned record is spoiled (`corrupt_invalid`)."""

POINT_ONLY_KINDS = ("null_island", "latitude_out_of_range")
"""Kinds that spoil only the point: the record still writes its template's address, so
it is that address (conflated on its text) and not an invalid record."""

GARBAGE = ("???", "N/A", "-", "UNKNOWN")

OUT_OF_RANGE_LATITUDES = (123.4, 95.25, -123.4)


def plan_records(
    covered: np.ndarray,
    stable: np.ndarray,
    n_deliveries: int,
    rng: np.random.Generator,
    *,
    new_share: float = 0.01,
    drop_share: float = 0.002,
    duplicate_share: float = 0.01,
    invalid_share: float = 0.01,
) -> pd.DataFrame:
    """A source's records over its deliveries, in id order.

    Each later delivery adds about `new_share` addresses and drops a few; about
    `duplicate_share` addresses get a second record under another id, and about
    `invalid_share` of the records are spoiled copies of a template address
    (`INVALID_KINDS`): invalid records (no address), except that a copy whose only
    flaw is its point (`POINT_ONLY_KINDS`) is still its template's address. Stable
    addresses are in every delivery.

    Returns:
        One row per record: `address` (-1 for invalid), `template`, `first` and
        `last` delivery index, `invalid_kind` (None for unspoiled records).
    """
    addresses = np.nonzero(covered)[0]
    n = len(addresses)
    first = np.zeros(n, dtype=np.int64)
    last = np.full(n, n_deliveries - 1, dtype=np.int64)
    movable = ~stable[addresses]
    for d in range(1, n_deliveries):
        pool = np.nonzero(movable & (first == 0) & (last == n_deliveries - 1))[0]
        new = rng.choice(pool, size=round(new_share * n), replace=False)
        first[new] = d
        pool = np.nonzero(movable & (first == 0) & (last == n_deliveries - 1))[0]
        dropped = rng.choice(pool, size=max(2, round(drop_share * n)), replace=False)
        last[dropped] = d - 1
    duplicated = np.sort(
        rng.choice(np.nonzero(movable)[0], size=round(duplicate_share * n), replace=False)
    )
    valid = pd.DataFrame(
        {
            "address": np.concatenate([addresses, addresses[duplicated]]),
            "first": np.concatenate([first, first[duplicated]]),
            "last": np.concatenate([last, last[duplicated]]),
        }
    )
    valid["template"] = valid["address"]
    valid["invalid_kind"] = None
    n_invalid = max(1, round(invalid_share * len(valid) / (1 - invalid_share)))
    kinds = np.array(INVALID_KINDS, dtype=object)[
        rng.permutation(np.arange(n_invalid) % len(INVALID_KINDS))
    ]
    template = rng.choice(addresses, size=n_invalid)
    invalid = pd.DataFrame(
        {
            "address": np.where(np.isin(kinds, POINT_ONLY_KINDS), template, -1),
            "first": 0,
            "last": n_deliveries - 1,
            "template": template,
            "invalid_kind": kinds,
        }
    )
    records = pd.concat([valid, invalid], ignore_index=True)
    records["order"] = rng.permutation(len(records))
    return records.sort_values(["first", "order"]).drop(columns="order").reset_index(drop=True)


def corrupt_invalid(
    records: pd.DataFrame,
    rng: np.random.Generator,
    lon: np.ndarray,
    lat: np.ndarray,
    street: np.ndarray,
    *other_text: np.ndarray,
) -> None:
    """Turn a source's invalid records into what their `invalid_kind` names, in place.

    `lon`, `lat` and the text arrays hold one value per row of `records` (see
    `plan_records`): `null_island` zeroes the point, `latitude_out_of_range` puts the
    latitude off the globe, `empty_street` blanks `street` (the street or the whole
    address text) and every array of `other_text`, `garbage_text` writes one garbage
    value into them. Those two lose their point too: a record with a house number, a
    street or a usable point is an address, so an invalid record has none of them.
    Valid records are left alone.
    """
    kind = records["invalid_kind"].to_numpy()
    rows = np.nonzero(kind == "null_island")[0]
    lon[rows], lat[rows] = 0.0, 0.0
    rows = np.nonzero(kind == "latitude_out_of_range")[0]
    lat[rows] = rng.choice(OUT_OF_RANGE_LATITUDES, size=len(rows))
    rows = np.nonzero((kind == "empty_street") | (kind == "garbage_text"))[0]
    lon[rows], lat[rows] = np.nan, np.nan
    for values in (street, *other_text):
        values[kind == "empty_street"] = ""
    rows = np.nonzero(kind == "garbage_text")[0]
    garbage = rng.choice(np.array(GARBAGE, dtype=object), size=len(rows))
    for values in (street, *other_text):
        values[rows] = garbage


def repeat_deliveries(
    records: pd.DataFrame, frame: pd.DataFrame, dates, column: str | None
) -> pd.DataFrame:
    """A source's delivered rows: `frame` (one row per record) once per delivery a record is in.

    Delivery `d` holds the records with `first <= d <= last`; its rows get `dates[d]` in
    `column` (None: the file has no date column). Deliveries follow one another in order.
    """
    parts = []
    for d, when in enumerate(dates):
        present = ((records["first"] <= d) & (records["last"] >= d)).to_numpy()
        part = frame[present]
        if column is not None:
            part = part.assign(**{column: when})
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


@dataclass
class Context:
    """What every source builder reads: the truth, the observed view, coverage, the seed."""

    world: World
    obs: pd.DataFrame
    corrections: Corrections
    cover: dict[str, np.ndarray]
    seed: int

    def fixed(self, field: str | None = None) -> np.ndarray:
        """Per address: it carries a shared wrong value (of `field`, or of any field)."""
        fix = self.corrections.fix
        if field is not None:
            fix = fix[fix["field"] == field]
        return np.isin(np.arange(len(self.obs)), fix["address"].to_numpy())

    def stable(self) -> np.ndarray:
        """Addresses present in every delivery: the fixed ones and the phantoms."""
        return self.fixed() | self.world.addresses["phantom"].to_numpy()

    def draft(
        self, name: str, n_deliveries: int, *, rng_key: tuple[str, ...] = (), **plan_options
    ) -> Draft:
        """Start building source `name`: its random stream (`rng_for(seed, *rng_key, name)`)
        and its records planned over `n_deliveries` (`plan_records` with `plan_options`)."""
        rng = rng_for(self.seed, *rng_key, name)
        records = plan_records(self.cover[name], self.stable(), n_deliveries, rng, **plan_options)
        template = records["template"].to_numpy()
        rows = self.obs.iloc[template].reset_index(drop=True)
        truth = self.world.addresses.iloc[template].reset_index(drop=True)
        return Draft(rng, records, template, rows, truth)


class Draft(NamedTuple):
    """A source being built (`Context.draft`): its random stream, its planned records and,
    per record, the row of its template address, the address as sources observe it and
    its truth (both indexed from 0)."""

    rng: np.random.Generator
    records: pd.DataFrame
    template: np.ndarray
    rows: pd.DataFrame
    truth: pd.DataFrame


@dataclass
class SourceRecords:
    """A source's delivered rows plus what the truth needs to know about each record."""

    frame: pd.DataFrame
    records: pd.DataFrame
    ids: np.ndarray
    dates: tuple


def truth_records(name: str, source: SourceRecords, world: World) -> pd.DataFrame:
    """One row per (source, record id, delivery) with the true address it refers to."""
    ids = world.addresses["truth_address_id"].to_numpy()
    address = source.records["address"].to_numpy()
    truth_id = np.where(address >= 0, ids[np.maximum(address, 0)], None)
    if name == "user_corrections":
        parts = [(np.ones(len(address), dtype=bool), np.array(source.dates, dtype=object))]
    else:
        parts = [
            (
                ((source.records["first"] <= d) & (source.records["last"] >= d)).to_numpy(),
                np.full(len(address), when, dtype=object),
            )
            for d, when in enumerate(source.dates)
        ]
    frames = [
        pd.DataFrame(
            {
                "source": name,
                "source_record_id": source.ids[present],
                "dt": pd.array(list(when[present]), dtype=DATE_TYPE),
                "truth_address_id": truth_id[present],
                "invalid": address[present] < 0,
            }
        )
        for present, when in parts
    ]
    return pd.concat(frames, ignore_index=True)
