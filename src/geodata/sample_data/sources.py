"""The demo region's sources: what each one delivers about the true addresses, and when.

Every record is rendered from the truth through its source's habits (spelling,
unit format, coordinate accuracy, coverage, deliveries) plus deliberate
noise: typos, duplicates under a new id, invalid records, and systematic
errors shared by every source that user corrections then fix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa

from geodata.sample_data.layout import UNIT_APT, UNIT_NONE, UNIT_STAIRCASE, UNIT_STE
from geodata.sample_data.variants import (
    apply_case,
    can_misspell,
    choose,
    map_unique,
    misspell,
    misspell_some,
    render_fi_street,
    render_gb_street,
    render_house_numbers,
    render_unique,
    render_units,
    render_us_street,
)
from geodata.sample_data.vocabulary import SWEDISH_STREET_NAMES
from geodata.sample_data.world import World, rng_for, title_words

US, FI, GB = "US-CA", "FI-18", "GB-ENG"
"""Region codes: the demo's two and the hard profile's British one."""
DATE_TYPE = pd.ArrowDtype(pa.date32())

DELIVERIES: dict[str, tuple[date | None, ...]] = {
    "county_gis": (date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)),
    "vendor_acme": (date(2026, 10, 15), date(2026, 11, 15)),
    "open_data": (None,),
    "fi_open_data": (date(2026, 8, 1), date(2026, 10, 1)),
}
"""Delivery dates per source (None: a source without a date column)."""

COVERAGE: dict[str, float] = {
    "county_gis": 0.90,
    "vendor_acme": 0.75,
    "open_data": 0.60,
    "fi_open_data": 0.85,
}
"""Share of the true addresses (of its regions) each source knows."""

CORRECTIONS_WINDOW = (date(2026, 9, 1), date(2026, 10, 31))
ADD_CORRECTIONS = 10
FIX_CORRECTIONS = {"postcode": 7, "street": 3, "house_number": 3, "locality": 2}
INVALID_KINDS = ("null_island", "latitude_out_of_range", "empty_street", "garbage_text")
GARBAGE = ("???", "N/A", "-", "UNKNOWN")
OUT_OF_RANGE_LATITUDES = (123.4, 95.25, -123.4)

VENDOR_US_UNITS: dict[int, dict[str, float]] = {
    UNIT_APT: {"APT ": 0.3, "Apt ": 0.2, "#": 0.15, "Unit ": 0.15, "": 0.1, "Apt. ": 0.1},
    UNIT_STE: {"STE ": 0.4, "Ste ": 0.2, "Suite ": 0.2, "#": 0.2},
}
"""How the commercial vendor spells US units (in both profiles)."""
OPEN_DATA_UNITS: dict[int, dict[str, float]] = {
    UNIT_APT: {"Apt ": 0.4, "#": 0.2, "Unit ": 0.2, "APT ": 0.2},
    UNIT_STE: {"Ste ": 0.4, "Suite ": 0.4, "#": 0.2},
}
"""How the city open-data export spells units (in both profiles)."""


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
        {
            "house_number": a["house_number"].astype(object),
            "suffix": a["suffix"].astype(object),
            "directional": a["directional"].astype(object),
            "street_name": a["street_name"].astype(object),
            "street_type": a["street_type"].astype(object),
            "unit_kind": a["unit_kind"].to_numpy(),
            "unit_id": a["unit_id"].astype(object),
            "staircase": a["staircase"].astype(object),
            "locality": a["locality"].astype(object),
            "postcode": a["postcode"].astype(object),
            "region": a["region"].astype(object),
            "face": a["face"].to_numpy(),
        }
    )
    obs["street"] = a["street"].astype(object)
    for fix in corrections.fix.itertuples(index=False):
        obs.loc[fix.address, fix.field] = fix.wrong
        if fix.field == "street":
            obs.loc[fix.address, "street_name"] = fix.wrong_name
    return obs


def coverage(world: World, corrections: Corrections, seed: int) -> dict[str, np.ndarray]:
    """Which addresses each source knows; every real address is known to at least one source.

    Added addresses are known to no source; fixed ones to every US source;
    phantoms only to the vendor.
    """
    a = world.addresses
    real = ~a["phantom"].to_numpy()
    us = (a["region"] == US).to_numpy()
    fi = (a["region"] == FI).to_numpy()
    added = np.isin(np.arange(len(a)), corrections.add)
    fixed = np.isin(np.arange(len(a)), corrections.fix["address"].to_numpy())
    known = real & ~added

    def draw(source: str, *others: str) -> np.ndarray:
        # Addresses no other source knows are given to this one below; draw fewer so
        # that the final share is the nominal coverage.
        left_over = float(np.prod([1 - COVERAGE[o] for o in others])) if others else 0.0
        share = (COVERAGE[source] - left_over) / (1 - left_over)
        return rng_for(seed, "coverage", source).random(len(a)) < share

    cover = {
        "county_gis": (us & known & draw("county_gis", "vendor_acme", "open_data")) | fixed,
        "vendor_acme": (known & draw("vendor_acme")) | fixed | ~real,
        "open_data": (us & known & draw("open_data")) | fixed,
        "fi_open_data": fi & known & draw("fi_open_data", "vendor_acme"),
    }
    unknown = known & ~np.logical_or.reduce(list(cover.values()))
    cover["county_gis"] |= unknown & us
    cover["fi_open_data"] |= unknown & fi
    return cover


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
    `invalid_share` of the records are invalid (no address, a template address
    to corrupt). Stable addresses are in every delivery.

    Returns:
        One row per record: `address` (-1 for invalid), `template`, `first` and
        `last` delivery index, `invalid_kind` (None for valid records).
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
    invalid = pd.DataFrame(
        {
            "address": -1,
            "first": 0,
            "last": n_deliveries - 1,
            "template": rng.choice(addresses, size=n_invalid),
            "invalid_kind": kinds,
        }
    )
    records = pd.concat([valid, invalid], ignore_index=True)
    records["order"] = rng.permutation(len(records))
    return records.sort_values(["first", "order"]).drop(columns="order").reset_index(drop=True)


POINT_KINDS: dict[str, str] = {
    "rooftop": "b",
    "parcel": "p",
    "interpolated": "i",
    "entrance": "e",
}
"""Point kind -> prefix of its plane coordinates in `World.addresses` (`bx, by`, ...)."""


def gaussian_offsets(
    rng: np.random.Generator, n: int, sigma: float | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """`n` plane offsets (dx, dy) with Gaussian noise of `sigma` metres on each axis."""
    return rng.normal(0.0, sigma, n), rng.normal(0.0, sigma, n)


def disc_offsets(rng: np.random.Generator, radius: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Plane offsets (dx, dy) `radius` metres away from the point, in uniform directions."""
    angle = rng.uniform(0, 2 * np.pi, len(radius))
    return radius * np.cos(angle), radius * np.sin(angle)


def locate(
    world: World, template: np.ndarray, kind: str, dx: np.ndarray, dy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Lon/lat (7 decimals) of each record's address point of `kind`, moved by (dx, dy) metres.

    `template` is the row in `world.addresses` per record. Kinds: `POINT_KINDS`, and
    `postal`: the mean building point of the address's postcode (where a postal
    geocoder puts it).
    """
    truth = world.addresses.iloc[template]
    if kind == "postal":
        centroids = world.addresses.groupby(["region", "postcode"], sort=False)[["bx", "by"]]
        key = pd.MultiIndex.from_arrays([truth["region"], truth["postcode"]])
        c = centroids.mean().reindex(key)
        x, y = c["bx"].to_numpy(), c["by"].to_numpy()
    else:
        column = POINT_KINDS[kind]
        x, y = truth[f"{column}x"].to_numpy(), truth[f"{column}y"].to_numpy()
    lon, lat = world.lonlat(truth["region"].to_numpy(), x + dx, y + dy)
    return np.round(lon, 7), np.round(lat, 7)


def points(
    world: World,
    template: np.ndarray,
    kind: str,
    rng: np.random.Generator,
    sigma: float | np.ndarray = 0.0,
    disc: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """`locate` with noise: Gaussian of `sigma` metres, or uniform up to `disc` metres away."""
    n = len(template)
    if disc:
        dx, dy = disc_offsets(rng, rng.uniform(0.0, disc, n))
    else:
        dx, dy = gaussian_offsets(rng, n, sigma)
    return locate(world, template, kind, dx, dy)


@dataclass(frozen=True)
class StreetNoise:
    """How a source spells streets: its styles per region and the noise it adds."""

    styles: dict[str, dict[str, float]]
    """Region code -> weighted styles (see `variants`). Each region's styles are drawn for
    every record, region after region in this order; a record gets its own region's."""
    typo_share: float | None = None
    """Share of records with a misspelled street name. None: no typo pass and no draws for
    it; 0.0 draws (as the demo does) but misspells nothing."""
    stale_share: float = 0.0
    """Share of records on a renamed street that still carry the old name."""
    swedish_share: float = 0.0
    """Share of Finnish records with the Swedish street name."""


def render_streets(
    rows: pd.DataFrame,
    noise: StreetNoise,
    rng: np.random.Generator,
    *,
    old_names: np.ndarray | None = None,
) -> np.ndarray:
    """Street text per record (`rows`: observed addresses) in a source's styles and noise.

    `old_names` (per record, None where the street was not renamed) is needed only with a
    `stale_share`. US streets are rendered by `render_us_street`, Finnish ones by
    `render_fi_street`, British ones by `render_gb_street`.
    """
    n = len(rows)
    region = rows["region"].to_numpy()
    names = rows["street_name"].to_numpy().astype(object).copy()
    if noise.stale_share:
        stale = pd.notna(old_names) & (rng.random(n) < noise.stale_share)
        names[stale] = old_names[stale]
    if noise.swedish_share:
        swedish = map_unique(names, SWEDISH_STREET_NAMES.get)
        use = (region == FI) & pd.notna(swedish) & (rng.random(n) < noise.swedish_share)
        names[use] = swedish[use]
    if noise.typo_share is not None:
        names, _ = misspell_some(names, noise.typo_share, rng)
    style = np.full(n, None, dtype=object)
    for code, weights in noise.styles.items():
        drawn = choose(rng, weights, n)
        style[region == code] = drawn[region == code]
    parts = pd.DataFrame(
        {
            "region": region,
            "directional": rows["directional"].to_numpy(),
            "name": names,
            "street_type": rows["street_type"].to_numpy(),
            "style": style,
        }
    )

    def render(region, directional, name, street_type, style):
        if region == FI:
            return render_fi_street(name, style)
        if region == GB:
            return render_gb_street(name, style)
        return render_us_street(directional, name, street_type, style)

    return render_unique(parts, render, list(parts.columns))


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
    address text), `garbage_text` writes one garbage value into `street` and every
    array of `other_text`. Valid records are left alone.
    """
    kind = records["invalid_kind"].to_numpy()
    rows = np.nonzero(kind == "null_island")[0]
    lon[rows], lat[rows] = 0.0, 0.0
    rows = np.nonzero(kind == "latitude_out_of_range")[0]
    lat[rows] = rng.choice(OUT_OF_RANGE_LATITUDES, size=len(rows))
    street[kind == "empty_street"] = ""
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


def address_line(
    first: np.ndarray, second: np.ndarray, unit: np.ndarray, *, unit_first: np.ndarray | None = None
) -> np.ndarray:
    """`first second unit` per record, the unit left out where it is None.

    `12 Main St Apt 4` (house number first) or `Fredrikinkatu 12 A 5` (street first);
    where `unit_first` is set, British style: `Flat 2, 10 High Street`.
    """
    line = np.char.add(np.char.add(first.astype(str), " "), second.astype(str))
    has_unit = pd.notna(unit)
    after = np.char.add(np.char.add(line, " "), unit.astype(str))
    out = np.where(has_unit, after, line).astype(object)
    if unit_first is not None:
        before = has_unit & unit_first
        out[before] = np.char.add(np.char.add(unit[before].astype(str), ", "), line[before])
    return out


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

    def rows_of(self, records: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame, pd.DataFrame]:
        """Per record of `records` (see `plan_records`): the row of its template address,
        the address as sources observe it and its truth (both indexed from 0)."""
        template = records["template"].to_numpy()
        rows = self.obs.iloc[template].reset_index(drop=True)
        truth = self.world.addresses.iloc[template].reset_index(drop=True)
        return template, rows, truth


@dataclass
class SourceRecords:
    """A source's delivered rows plus what the truth needs to know about each record."""

    frame: pd.DataFrame
    records: pd.DataFrame
    ids: np.ndarray
    dates: tuple


def county_gis_file(
    records: pd.DataFrame,
    dates: tuple[date, ...],
    house_number: np.ndarray,
    street: np.ndarray,
    unit: np.ndarray,
    city: np.ndarray,
    zip_code: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
) -> SourceRecords:
    """The county's address points file: numbered OBJECTIDs, one snapshot per date
    (`EDIT_DATE`, ISO text); an empty street is written as null."""
    ids = np.arange(1, len(records) + 1, dtype=np.int64)
    frame = pd.DataFrame(
        {
            "OBJECTID": ids,
            "ADDNUM": house_number,
            "FULLNAME": np.where(street == "", None, street),
            "UNIT": unit,
            "CITY": city,
            "STATE": "CA",
            "ZIP": zip_code,
            "X": lon,
            "Y": lat,
        }
    )
    delivered = repeat_deliveries(records, frame, [d.isoformat() for d in dates], "EDIT_DATE")
    return SourceRecords(delivered, records, ids.astype(str).astype(object), dates)


def vendor_acme_file(
    records: pd.DataFrame,
    dates: tuple[date, ...],
    house_number: np.ndarray,
    street: np.ndarray,
    unit: np.ndarray,
    city: np.ndarray,
    state: np.ndarray,
    postal: np.ndarray,
    country: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
) -> SourceRecords:
    """The vendor's file: `ACME-0000001` ids, one file per date (`file_dt`, a date)."""
    ids = np.array([f"ACME-{i:07d}" for i in range(1, len(records) + 1)], dtype=object)
    frame = pd.DataFrame(
        {
            "rec_id": ids,
            "house_no": house_number,
            "street_nm": street,
            "sec_unit": unit,
            "city_nm": city,
            "state_prov": state,
            "postal_cd": postal,
            "ctry": country.astype(object),
            "longitude": lon,
            "latitude": lat,
        }
    )
    delivered = repeat_deliveries(records, frame, dates, "file_dt")
    delivered["file_dt"] = delivered["file_dt"].astype(DATE_TYPE)
    return SourceRecords(delivered, records, ids, dates)


def open_data_file(
    records: pd.DataFrame, dates: tuple[None], address: np.ndarray, lon: np.ndarray, lat: np.ndarray
) -> SourceRecords:
    """The city's open-data export: numbered ids, one free-text address, no date column."""
    ids = np.arange(1, len(records) + 1, dtype=np.int64)
    frame = pd.DataFrame({"id": ids, "address": address, "lon": lon, "lat": lat})
    return SourceRecords(frame, records, ids.astype(str).astype(object), dates)


def fi_open_data_file(
    records: pd.DataFrame,
    dates: tuple[date, ...],
    text: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
) -> SourceRecords:
    """The Finnish register's file: ids from 1000001, one address text, one snapshot per
    date (`paivitetty`, ISO text)."""
    ids = np.arange(1_000_001, 1_000_001 + len(records), dtype=np.int64)
    frame = pd.DataFrame({"osoite_id": ids, "osoite": text, "lon": lon, "lat": lat})
    delivered = repeat_deliveries(records, frame, [d.isoformat() for d in dates], "paivitetty")
    return SourceRecords(delivered, records, ids.astype(str).astype(object), dates)


def county_gis(ctx: Context) -> SourceRecords:
    """County address points: rooftop accuracy, USPS spellings, three monthly snapshots."""
    rng = rng_for(ctx.seed, "county_gis")
    records = plan_records(ctx.cover["county_gis"], ctx.stable(), 3, rng)
    template, rows, _ = ctx.rows_of(records)
    n = len(records)
    street = render_streets(
        rows,
        StreetNoise({FI: {"title": 1}, US: {"usps": 0.92, "spelled": 0.05, "title": 0.03}}, 0.0),
        rng,
    )
    unit = render_units(
        rows,
        {
            UNIT_APT: {"APT ": 0.7, "#": 0.1, "Unit ": 0.1, "": 0.1},
            UNIT_STE: {"STE ": 0.85, "#": 0.15},
        },
        rng,
    )
    lon, lat = points(ctx.world, template, "rooftop", rng, 1.5)
    zip_code = rows["postcode"].to_numpy().copy()
    zip_code[(rng.random(n) < 0.03) & ~ctx.fixed("postcode")[template]] = None
    house_number = rows["house_number"].to_numpy().copy()
    corrupt_invalid(records, rng, lon, lat, street, house_number)
    city, dates = rows["locality"].to_numpy(), DELIVERIES["county_gis"]
    return county_gis_file(records, dates, house_number, street, unit, city, zip_code, lon, lat)


def vendor_acme(ctx: Context) -> SourceRecords:
    """A commercial file: parcel accuracy, heavy abbreviation, typos, ZIP+4, two deliveries."""
    rng = rng_for(ctx.seed, "vendor_acme")
    records = plan_records(ctx.cover["vendor_acme"], ctx.stable(), 2, rng)
    template, rows, _ = ctx.rows_of(records)
    n = len(records)
    us = (rows["region"] == US).to_numpy()
    street = render_streets(
        rows,
        StreetNoise(
            {
                FI: {"title": 0.6, "upper": 0.2, "ascii": 0.1, "lower": 0.05, "abbreviated": 0.05},
                US: {
                    "usps": 0.28,
                    "title": 0.22,
                    "spelled": 0.12,
                    "dotted": 0.10,
                    "spelled_upper": 0.04,
                    "alternate": 0.08,
                    "no_directional": 0.06,
                    "lower": 0.05,
                    "no_directional_spelled": 0.05,
                },
            },
            0.03,
        ),
        rng,
    )
    house_number = render_house_numbers(
        rows["house_number"].to_numpy(), rows["suffix"].to_numpy(), rng, spaced=0.15
    )
    unit = render_units(
        rows,
        {**VENDOR_US_UNITS, UNIT_STAIRCASE: {"L N": 0.7, "LN": 0.2, "l N": 0.1}},
        rng,
    )
    locality = rows["locality"].to_numpy().astype(object)
    us_city = choose(rng, {"upper": 0.5, "title": 0.5}, n) == "title"
    city = np.where(us & us_city, [title_words(c) for c in locality], locality)
    city = np.where(
        us, city, choose(rng, {"Helsinki": 0.6, "HELSINKI": 0.3, "Helsingfors": 0.1}, n)
    )
    state = np.where(us, choose(rng, {"CA": 0.7, "California": 0.3}, n), "Uusimaa")
    postcode = rows["postcode"].to_numpy().astype(object)
    plus4 = np.char.zfill(((rows["face"].to_numpy() * 7919 + 1234) % 10000).astype(str), 4)
    form = choose(rng, {"zip4": 0.7, "zip5": 0.27, "none": 0.03}, n)
    form = np.where(~us, np.where(rng.random(n) < 0.02, "none", "zip5"), form)
    form = np.where(ctx.fixed("postcode")[template] & (form == "none"), "zip5", form)
    postal = np.where(
        form == "zip4", np.char.add(np.char.add(postcode.astype(str), "-"), plus4), postcode
    )
    postal = np.where(form == "none", None, postal)
    lon, lat = points(ctx.world, template, "parcel", rng, disc=15.0)
    corrupt_invalid(records, rng, lon, lat, street, house_number)
    country, dates = np.where(us, "US", "FI"), DELIVERIES["vendor_acme"]
    return vendor_acme_file(
        records, dates, house_number, street, unit, city, state, postal, country, lon, lat
    )


def open_data(ctx: Context) -> SourceRecords:
    """A city open-data export: one free-text column, interpolated points, one delivery."""
    rng = rng_for(ctx.seed, "open_data")
    records = plan_records(ctx.cover["open_data"], ctx.stable(), 1, rng)
    template, rows, _ = ctx.rows_of(records)
    n = len(records)
    street = render_streets(
        rows,
        StreetNoise({FI: {"title": 1}, US: {"title": 0.6, "spelled": 0.25, "usps": 0.15}}, 0.03),
        rng,
    )
    unit = render_units(
        rows,
        OPEN_DATA_UNITS,
        rng,
    )
    line = address_line(rows["house_number"].to_numpy(), street, unit)
    city = pd.Series([title_words(c) for c in rows["locality"]], dtype=object)
    with_zip = (rng.random(n) < 0.85) | ctx.fixed("postcode")[template]
    commas = rng.random(n) < 0.7
    state_zip = np.where(with_zip, "CA " + rows["postcode"].astype(str), "CA")
    text = np.where(
        commas, line + ", " + city + ", " + state_zip, line + " " + city + " " + state_zip
    )
    case = choose(rng, {"asis": 0.6, "upper": 0.25, "lower": 0.15}, n)
    address = apply_case(pd.Series(text, dtype=object), case).to_numpy()
    lon, lat = points(ctx.world, template, "interpolated", rng, 3.0)
    corrupt_invalid(records, rng, lon, lat, address)
    return open_data_file(records, DELIVERIES["open_data"], address, lon, lat)


def fi_open_data(ctx: Context) -> SourceRecords:
    """The Finnish address register: entrance points, one formatted text, two deliveries."""
    rng = rng_for(ctx.seed, "fi_open_data")
    records = plan_records(ctx.cover["fi_open_data"], ctx.stable(), 2, rng)
    template, rows, _ = ctx.rows_of(records)
    street = np.array([title_words(s) for s in rows["street"]], dtype=object)
    unit = ctx.world.addresses["unit"].to_numpy()[template]
    line = address_line(street, rows["house_number"].to_numpy(), unit)
    text = (line + ", " + rows["postcode"].astype(object) + " Helsinki").to_numpy()
    lon, lat = points(ctx.world, template, "entrance", rng, 1.0)
    corrupt_invalid(records, rng, lon, lat, text)
    return fi_open_data_file(records, DELIVERIES["fi_open_data"], text, lon, lat)


def canonical_text(obs: pd.DataFrame, unit: np.ndarray) -> list[str]:
    """`12 N MAIN ST APT 4, SAN FRANCISCO, CA 94103`: an address as conflated output shows it."""
    return [
        f"{hn} {street}{' ' + u if u else ''}, {locality}, CA {postcode}"
        for hn, street, u, locality, postcode in zip(
            obs["house_number"], obs["street"], unit, obs["locality"], obs["postcode"], strict=True
        )
    ]


def user_corrections(ctx: Context) -> SourceRecords:
    """End users' adds (missing addresses), fixes (shared wrong values) and suppressions."""
    rng = rng_for(ctx.seed, "user_corrections")
    c = ctx.corrections
    fix = c.fix
    targets = np.concatenate([c.add, fix["address"].to_numpy(), c.suppress])
    actions = ["add"] * len(c.add) + ["fix"] * len(fix) + ["suppress"] * len(c.suppress)
    rows = ctx.obs.iloc[targets].reset_index(drop=True)
    truth = ctx.world.addresses.iloc[targets]
    n = len(targets)
    dx, dy = disc_offsets(rng, 4.5 * np.sqrt(rng.random(n)))
    lon, lat = locate(ctx.world, targets, "rooftop", dx, dy)
    frame = pd.DataFrame(
        {
            "action": actions,
            "address": canonical_text(rows, truth["unit"].to_numpy()),
            "lon": lon,
            "lat": lat,
            "target": targets,
        }
    )
    for field in ("house_number", "street", "unit", "postcode", "locality"):
        values = np.full(n, None, dtype=object)
        chosen = fix["field"].to_numpy() == field
        values[len(c.add) : len(c.add) + len(fix)][chosen] = fix["right"].to_numpy()[chosen]
        frame[f"new_{field}"] = values
    invalid = {
        "action": "fix",
        "address": "N/A",
        "lon": 0.0,
        "lat": 0.0,
        "target": -1,
        **{f"new_{f}": None for f in ("house_number", "street", "unit", "postcode", "locality")},
    }
    frame = pd.concat([frame, pd.DataFrame([invalid])], ignore_index=True)
    start, end = CORRECTIONS_WINDOW
    days = rng.integers(0, (end - start).days + 1, len(frame))
    frame["submitted_at"] = [(start + timedelta(days=int(d))).isoformat() for d in days]
    frame["order"] = rng.permutation(len(frame))
    frame = frame.sort_values(["submitted_at", "order"]).reset_index(drop=True)
    frame["correction_id"] = [f"UC-{i:06d}" for i in range(1, len(frame) + 1)]
    records = pd.DataFrame(
        {
            "address": frame["target"].to_numpy(),
            "first": 0,
            "last": 0,
            "template": frame["target"].to_numpy(),
            "invalid_kind": np.where(frame["target"] < 0, "null_island", None),
        }
    )
    out = frame[
        [
            "correction_id",
            "action",
            "submitted_at",
            "address",
            "lon",
            "lat",
            "new_house_number",
            "new_street",
            "new_unit",
            "new_postcode",
            "new_locality",
        ]
    ]
    dates = tuple(date.fromisoformat(d) for d in frame["submitted_at"])
    return SourceRecords(out, records, frame["correction_id"].to_numpy(), dates)


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


SOURCE_BUILDERS = {
    "county_gis": county_gis,
    "vendor_acme": vendor_acme,
    "open_data": open_data,
    "fi_open_data": fi_open_data,
    "user_corrections": user_corrections,
}


def build_sources(
    world: World,
    seed: int,
    *,
    builders: Mapping[str, Callable[[Context], SourceRecords]] | None = None,
    coverage_of: Callable[[World, Corrections, int], dict[str, np.ndarray]] = coverage,
    rng_key: tuple[str, ...] = (),
) -> dict[str, pd.DataFrame]:
    """Every source's delivered rows, keyed by source name, plus `truth_records`.

    Args:
        world: The truth the sources render.
        seed: Random seed.
        builders: Source name -> builder, in output order; default `SOURCE_BUILDERS`.
        coverage_of: Which addresses each source knows; default the demo's `coverage`.
        rng_key: Prefix of the corrections' random stream key (the hard profile's own).
    """
    corrections = plan_corrections(world, rng_for(seed, *rng_key, "corrections"))
    obs = observed_addresses(world, corrections)
    ctx = Context(world, obs, corrections, coverage_of(world, corrections, seed), seed)
    frames: dict[str, pd.DataFrame] = {}
    truth = []
    for name, build in (SOURCE_BUILDERS if builders is None else builders).items():
        source = build(ctx)
        frames[name] = source.frame.reset_index(drop=True)
        truth.append(truth_records(name, source, world))
    frames["truth_records"] = pd.concat(truth, ignore_index=True)
    return frames
