"""The `lists` family's sources: who knows which address, when, and how each writes it.

The seven source slots of the `evaluation` Kedro environment (their file layouts and
declarations are shared with the hard profile) play these parts here:

- `county_gis`: US county address points, rooftop, USPS spellings;
- `vendor_acme`: a customer file for all three countries, addresses as typed into web
  forms (whole lines in the street field, no commas, capitals, typos, missing postcodes,
  dependent localities for towns), geocoded to parcels, postcodes or the town, and stale:
  its last delivery predates the newest buildings;
- `open_data`: a US permits export, one free-text column, interpolated points;
- `fi_open_data`: Helsinki's address register, Finnish or Swedish, entrance points;
- `gb_open_data`: a British register in the BS 7666 shape (sub-building, primary object:
  number or building name, street, post town, postcode), rooftop points;
- `postal_directory`: delivery points for all three countries in each country's postal
  order (Royal Mail's for Britain, with or without commas; businesses before the street in
  Finland), postcode-centroid points;
- `user_corrections`: US addresses users add because no file has them yet.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from geodata.sample_data.files import (
    county_gis_file,
    fi_open_data_file,
    gb_open_data_file,
    open_data_file,
    postal_directory_file,
    vendor_acme_file,
)
from geodata.sample_data.lists import renderers as rd
from geodata.sample_data.lists.errors import cased, joined, maybe, slip_in, weighted
from geodata.sample_data.lists.world import FI, GB, REGION_SHARES, US, ListsWorld
from geodata.sample_data.points import gaussian_offsets, locate
from geodata.sample_data.records import SourceRecords, truth_records
from geodata.sample_data.world import rng_for


@dataclass(frozen=True)
class SourcePlan:
    """A source's coverage per region, deliveries and record-level habits."""

    coverage: dict[str, float]
    deliveries: tuple[date | None, ...]
    knows_new_builds: bool
    """False for a source whose last delivery predates the newest buildings."""
    duplicate_share: float
    """Addresses the source holds twice, under two ids (written independently)."""
    invalid_share: float
    retired_share: float = 0.0
    """Addresses of the earlier delivery the source has lost in the latest one."""


SOURCE_PLANS: dict[str, SourcePlan] = {
    "county_gis": SourcePlan({US: 0.9}, (date(2026, 10, 1), date(2026, 11, 1)), True, 0.004, 0.004),
    "vendor_acme": SourcePlan(
        {US: 0.5, FI: 0.55, GB: 0.6},
        (date(2026, 8, 14), date(2026, 9, 15)),
        False,
        0.03,
        0.015,
        retired_share=0.01,
    ),
    "open_data": SourcePlan({US: 0.5}, (None,), False, 0.01, 0.01),
    "fi_open_data": SourcePlan(
        {FI: 0.9}, (date(2026, 9, 1), date(2026, 11, 2)), True, 0.003, 0.003
    ),
    "gb_open_data": SourcePlan({GB: 0.88}, (None,), True, 0.003, 0.003),
    "postal_directory": SourcePlan(
        {US: 0.45, FI: 0.5, GB: 0.55}, (date(2026, 10, 30),), True, 0.01, 0.005
    ),
}
"""The address files of the family (user corrections come on top)."""

REGISTERS: dict[str, str] = {US: "county_gis", FI: "fi_open_data", GB: "gb_open_data"}
"""The source that knows every address of its region no other file has."""

USER_ADDED_SHARE = 0.25
"""Share of new US buildings known to no file, only added by users."""

CORRECTIONS_WINDOW = (date(2026, 10, 1), date(2026, 11, 2))

LATE_SHARE = 0.01
"""Addresses (old buildings) a source with several deliveries only has in the latest."""

INVALID_KINDS = ("blank", "placeholder", "keyboard", "postcode_only")
"""What an invalid record is: no address at all, a placeholder for one, keyboard mash, or
only a postcode (and town); none has a usable point."""

PLACEHOLDERS = ("UNKNOWN", "TBC", "N/A", "NOT KNOWN", "-", "NONE")
KEYBOARD_MASH = ("ASDF", "QWERTY", "XXXXX", "???", ".", "ZZZ")


def records_per_address() -> float:
    """About how many in-scope records a true address has (for sizing a set)."""
    total = 0.0
    for plan in SOURCE_PLANS.values():
        per = sum(REGION_SHARES[code] * share for code, share in plan.coverage.items())
        total += per * (1 + plan.duplicate_share) / (1 - plan.invalid_share)
    return total


def coverage(lw: ListsWorld, seed: int) -> dict[str, np.ndarray]:
    """Which addresses each source knows; `user_corrections` holds the US new buildings only
    users add. Every other address is known to at least one file (its region's register)."""
    facts = lw.facts
    n = len(facts)
    region = facts["region"].to_numpy()
    new = facts["new_build"].to_numpy()
    user_added = (
        new
        & (region == US)
        & (rng_for(seed, "lists", lw.split, "user_added").random(n) < USER_ADDED_SHARE)
    )
    cover: dict[str, np.ndarray] = {}
    for name, plan in SOURCE_PLANS.items():
        draw = rng_for(seed, "lists", lw.split, "coverage", name).random(n)
        share = pd.Series(region).map(plan.coverage).fillna(0.0).to_numpy()
        known = (draw < share) & ~user_added
        cover[name] = known if plan.knows_new_builds else known & ~new
    unknown = ~np.logical_or.reduce(list(cover.values())) & ~user_added
    for code, name in REGISTERS.items():
        cover[name] |= unknown & (region == code)
    cover["user_corrections"] = user_added
    return cover


def plan_records(
    covered: np.ndarray,
    new_build: np.ndarray,
    plan: SourcePlan,
    rng: np.random.Generator,
    known_elsewhere: np.ndarray | None = None,
) -> pd.DataFrame:
    """A source's records over its deliveries (see `records.truth_records`).

    New buildings and a few late-comers are only in the latest delivery; retired addresses
    only in the earlier one (never one that no other source knows: every address stays in
    some file's latest delivery); duplicates under a second id; invalid records in every
    delivery.

    Returns:
        One row per record: `address` (-1 for invalid), `template` (the address an invalid
        record borrows its country from), `first` and `last` delivery, `invalid_kind`.
    """
    addresses = np.nonzero(covered)[0]
    n = len(addresses)
    latest = len(plan.deliveries) - 1
    first = np.where(new_build[addresses] | (rng.random(n) < LATE_SHARE), latest, 0)
    last = np.full(n, latest)
    if latest:
        retired = (first == 0) & (rng.random(n) < plan.retired_share)
        if known_elsewhere is not None:
            retired &= known_elsewhere[addresses]
        last[retired] = latest - 1
    twice = rng.random(n) < plan.duplicate_share
    valid = pd.DataFrame(
        {
            "address": np.concatenate([addresses, addresses[twice]]),
            "first": np.concatenate([first, first[twice]]),
            "last": np.concatenate([last, last[twice]]),
        }
    )
    valid["template"] = valid["address"]
    valid["invalid_kind"] = None
    n_invalid = max(1, round(plan.invalid_share * len(valid) / (1 - plan.invalid_share)))
    kinds = np.array(INVALID_KINDS, dtype=object)[
        rng.permutation(np.arange(n_invalid) % len(INVALID_KINDS))
    ]
    invalid = pd.DataFrame(
        {
            "address": -1,
            "first": 0,
            "last": latest,
            "template": rng.choice(addresses, size=n_invalid) if n else 0,
            "invalid_kind": kinds,
        }
    )
    records = pd.concat([valid, invalid], ignore_index=True)
    records["order"] = rng.permutation(len(records))
    return records.sort_values(["first", "order"]).drop(columns="order").reset_index(drop=True)


POINT_NOISE: dict[str, float] = {
    "rooftop": 1.5,
    "parcel": 4.0,
    "interpolated": 3.0,
    "entrance": 1.0,
    "postal": 0.0,
}
"""Gaussian noise (metres per axis) of each way a source places a point."""


def place(
    lw: ListsWorld, template: np.ndarray, modes: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Lon/lat per record by how its source placed it (object arrays, None where missing).

    Modes: the kinds of `points.locate` with `POINT_NOISE`; `town` (a geocoder that only
    found the town: its centre), `swapped` (rooftop with latitude and longitude swapped),
    `null_island` (0, 0) and `missing`.
    """
    world = lw.world
    n = len(template)
    lon, lat = np.full(n, np.nan), np.full(n, np.nan)
    for kind, sigma in POINT_NOISE.items():
        rows = np.nonzero((modes == kind) | ((modes == "swapped") & (kind == "rooftop")))[0]
        if len(rows):
            dx, dy = gaussian_offsets(rng, len(rows), sigma)
            lon[rows], lat[rows] = locate(world, template[rows], kind, dx, dy)
    rows = np.nonzero(modes == "swapped")[0]
    lon[rows], lat[rows] = lat[rows].copy(), lon[rows].copy()
    rows = np.nonzero(modes == "town")[0]
    if len(rows):
        a = world.addresses
        centres = a.groupby(["region", "locality"])[["bx", "by"]].mean()
        truth = a.iloc[template[rows]]
        key = pd.MultiIndex.from_arrays([truth["region"], truth["locality"]])
        c = centres.reindex(key)
        x, y = world.lonlat(truth["region"].to_numpy(), c["bx"].to_numpy(), c["by"].to_numpy())
        lon[rows], lat[rows] = np.round(x, 7), np.round(y, 7)
    rows = np.nonzero(modes == "null_island")[0]
    lon[rows], lat[rows] = 0.0, 0.0
    as_object = [np.where(np.isnan(v), None, v).astype(object) for v in (lon, lat)]
    return as_object[0], as_object[1]


@dataclass
class Draft:
    """A source being built: its random streams, planned records and template facts."""

    r: random.Random
    rng: np.random.Generator
    records: pd.DataFrame
    template: np.ndarray
    rows: list[dict]

    def each(self) -> Iterator[tuple[dict, str | None]]:
        """(facts of the template address, invalid kind or None) per record."""
        return zip(self.rows, self.records["invalid_kind"].tolist(), strict=True)


@dataclass
class Context:
    """What every builder reads: the world, coverage and the seed."""

    lw: ListsWorld
    cover: dict[str, np.ndarray]
    seed: int

    def draft(self, name: str) -> Draft:
        rng = rng_for(self.seed, "lists", self.lw.split, name)
        new = self.lw.facts["new_build"].to_numpy()
        others = [known for other, known in self.cover.items() if other != name]
        elsewhere = np.logical_or.reduce(others) if others else None
        records = plan_records(self.cover[name], new, SOURCE_PLANS[name], rng, elsewhere)
        template = records["template"].to_numpy()
        rows = self.lw.facts.iloc[template].to_dict("records")
        return Draft(random.Random(int(rng.integers(2**62))), rng, records, template, rows)


def _invalid_text(row: dict, kind: str, r: random.Random) -> str | None:
    """The text an invalid record carries in its main address field."""
    if kind == "placeholder":
        return r.choice(PLACEHOLDERS)
    if kind == "keyboard":
        return r.choice(KEYBOARD_MASH)
    return None


def _invalid_mode(r: random.Random) -> str:
    return "null_island" if maybe(r, 0.3) else "missing"


def _array(values: list) -> np.ndarray:
    return np.array(values, dtype=object)


# --- County address points (US) ------------------------------------------------------------

COUNTY_UNITS = {
    "APT": {"APT {}": 0.8, "#{}": 0.1, "UNIT {}": 0.1},
    "STE": {"STE {}": 0.9, "#{}": 0.1},
}


def county_gis(ctx: Context) -> SourceRecords:
    """County address points: rooftop, USPS spellings, ZIP now and then left empty."""
    d = ctx.draft("county_gis")
    cols: dict[str, list] = defaultdict(list)
    modes = []
    for row, kind in d.each():
        if kind:
            street = _invalid_text(row, kind, d.r)
            cols["house_number"].append(None)
            cols["street"].append(street)
            cols["unit"].append(None)
            cols["city"].append(row["locality"] if kind == "postcode_only" else None)
            cols["zip"].append(row["postcode"] if kind == "postcode_only" else None)
            modes.append(_invalid_mode(d.r))
            continue
        style = weighted(d.r, {"usps": 0.9, "spelled": 0.05, "title": 0.05})
        cols["house_number"].append(rd.us_house_number(row, d.r))
        cols["street"].append(rd.us_street(row, ctx.lw.streets, style))
        cols["unit"].append(rd.us_unit(row, d.r, COUNTY_UNITS))
        cols["city"].append(row["locality"])
        cols["zip"].append(None if maybe(d.r, 0.03) else row["postcode"])
        modes.append("rooftop")
    lon, lat = place(ctx.lw, d.template, np.array(modes), d.rng)
    return county_gis_file(
        d.records,
        SOURCE_PLANS["county_gis"].deliveries,
        *(_array(cols[c]) for c in ("house_number", "street", "unit", "city", "zip")),
        lon,
        lat,
    )


# --- The customer file (all three countries) -----------------------------------------------

VENDOR_FIELDS = ("house_no", "street_nm", "sec_unit", "city_nm", "state_prov", "postal_cd", "ctry")


VENDOR_POINTS = {"parcel": 0.78, "postal": 0.14, "town": 0.05, "missing": 0.03}
"""How the customer file's geocoder placed its points: the parcel, the postcode's centroid,
the town's centre (only the town matched), or not at all."""
VENDOR_POINTS_WITHOUT_POSTCODE = {"parcel": 0.9, "town": 0.07, "missing": 0.03}


def _vendor_us(row: dict, ctx: Context, r: random.Random) -> dict:
    streets = ctx.lw.streets
    style = weighted(
        r,
        {
            "usps": 0.3,
            "title": 0.3,
            "spelled": 0.15,
            "dotted": 0.1,
            "lower": 0.08,
            "no_directional": 0.07,
        },
    )
    street = rd.us_street(row, streets, style)
    if maybe(r, 0.04):
        street = slip_in(street, r)
    unit = rd.us_unit(row, r, rd.US_UNIT_FORMS)
    number = rd.us_house_number(row, r)
    if unit and maybe(r, 0.01):
        unit = None  # the form had no field for it
    if unit and maybe(r, 0.12):
        street, unit = f"{street} {unit}", None
    if maybe(r, 0.1):
        street, number = f"{number} {street}", None
    city = cased(str(row["locality"]), weighted(r, {"upper": 0.45, "title": 0.45, "lower": 0.1}))
    if maybe(r, 0.02):
        city = slip_in(city, r)
    postcode = rd.us_zip(row, r, 0.4) if not maybe(r, 0.12) else None
    return {
        "house_no": number,
        "street_nm": street,
        "sec_unit": unit,
        "city_nm": None if maybe(r, 0.04) else city,
        "state_prov": weighted(r, {"CA": 0.7, "California": 0.2, "Calif.": 0.05, "ca": 0.05}),
        "postal_cd": postcode,
        "ctry": weighted(r, {"US": 0.6, "USA": 0.25, "United States": 0.15}),
        "mode": weighted(r, VENDOR_POINTS),
    }


def _vendor_fi(row: dict, ctx: Context, r: random.Random) -> dict:
    streets = ctx.lw.streets
    swedish = rd.has_swedish(row, streets) and maybe(r, 0.08)
    street = rd.fi_street(row, streets, swedish)
    street = cased(street, weighted(r, {"asis": 0.7, "upper": 0.2, "lower": 0.1}))
    if maybe(r, 0.04):
        street = slip_in(street, r)
    number = rd.fi_house_number(row, r)
    unit = rd.fi_unit(row, r)
    shape = weighted(r, {"fields": 0.6, "line": 0.32, "number_first": 0.03, "venue": 0.05})
    if shape == "line":
        street, number, unit = " ".join(p for p in (street, number, unit) if p), None, None
    elif shape == "number_first":
        street, number = f"{number} {street}", None
    elif shape == "venue" and row["venue"]:
        street = f"{row['venue']}, {street}"
    postcode = None if maybe(r, 0.15) else rd.fi_postcode(row, r, 0.3)
    return {
        "house_no": number,
        "street_nm": street,
        "sec_unit": unit,
        "city_nm": None
        if maybe(r, 0.05)
        else rd.fi_town(swedish, weighted(r, {"asis": 0.6, "upper": 0.35, "lower": 0.05})),
        "state_prov": weighted(r, {"Uusimaa": 0.9, "": 0.1}) or None,
        "postal_cd": postcode,
        "ctry": weighted(r, {"FI": 0.6, "Finland": 0.25, "Suomi": 0.15}),
        "mode": weighted(r, VENDOR_POINTS),
    }


def _vendor_gb(row: dict, ctx: Context, r: random.Random) -> dict:
    streets = ctx.lw.streets
    style = weighted(
        r, {"title": 0.4, "upper": 0.25, "abbreviated": 0.25, "abbreviated_upper": 0.1}
    )
    town = str(row["locality"])
    if row["dependent_locality"] and maybe(r, 0.15):
        town = str(row["dependent_locality"])  # where people say they live
    town = cased(town, "title" if style in ("title", "abbreviated") else "upper")
    postcode = rd.gb_postcode(
        row, r, {"spaced": 0.4, "compact": 0.12, "lower": 0.03, "missing": 0.45}
    )
    case = "upper" if style.endswith("upper") or style == "upper" else "asis"
    shape = weighted(r, {"fields": 0.5, "line": 0.35, "one_field": 0.15})
    elements = rd.gb_elements(
        row,
        streets,
        r,
        street_style=style,
        building_share=0.5,
        number_lost_share=0.2,
        parent_share=0.3,
        dependent_locality_share=0.4 if shape == "one_field" else 0.0,
        town=town if shape == "one_field" else None,
        postcode=postcode if shape == "one_field" else None,
    )
    sub, building, line = elements[0], elements[1], elements[2]
    if sub and maybe(r, 0.015):
        sub = None  # the flat left out
    if maybe(r, 0.04):
        line = slip_in(line, r)
    fields = {"house_no": None, "sec_unit": None}
    if shape == "fields":
        number = rd.gb_number(row, r)
        street = rd.gb_street(row, streets, "street_key", style)
        if number is None or (building and maybe(r, 0.4)):
            street = joined([building, street], commas=maybe(r, 0.6))
        fields = {"house_no": number, "sec_unit": sub}
        text = street
    else:
        text = joined(
            [sub, building, line, *elements[3:]], commas=shape == "line" and maybe(r, 0.5)
        )
    return {
        **fields,
        "street_nm": cased(text, case),
        "city_nm": None if shape == "one_field" or maybe(r, 0.08) else town,
        "state_prov": weighted(r, {"England": 0.75, "ENG": 0.15, "": 0.1}) or None,
        "postal_cd": None if shape == "one_field" else postcode,
        "ctry": weighted(r, {"GB": 0.5, "UK": 0.3, "United Kingdom": 0.19, "": 0.01}) or None,
        # A geocoder needs the postcode to place a point at its centroid.
        "mode": weighted(r, VENDOR_POINTS if postcode else VENDOR_POINTS_WITHOUT_POSTCODE),
    }


VENDOR_REGIONS: dict[str, Callable[[dict, Context, random.Random], dict]] = {
    US: _vendor_us,
    FI: _vendor_fi,
    GB: _vendor_gb,
}
VENDOR_COUNTRIES = {US: "US", FI: "FI", GB: "GB"}


def vendor_acme(ctx: Context) -> SourceRecords:
    """The customer file: every country's addresses as typed into forms (see the module)."""
    d = ctx.draft("vendor_acme")
    cols: dict[str, list] = defaultdict(list)
    for row, kind in d.each():
        if kind:
            fields = dict.fromkeys(VENDOR_FIELDS)
            fields["street_nm"] = _invalid_text(row, kind, d.r)
            fields["ctry"] = VENDOR_COUNTRIES[row["region"]]
            if kind == "postcode_only":
                fields["postal_cd"], fields["city_nm"] = row["postcode"], row["locality"]
            fields["mode"] = _invalid_mode(d.r)
        else:
            fields = VENDOR_REGIONS[row["region"]](row, ctx, d.r)
            if fields["mode"] != "missing" and maybe(d.r, 0.002):
                fields["mode"] = "swapped"
        for key, value in fields.items():
            cols[key].append(value)
    lon, lat = place(ctx.lw, d.template, np.array(cols["mode"]), d.rng)
    return vendor_acme_file(
        d.records,
        SOURCE_PLANS["vendor_acme"].deliveries,
        *(_array(cols[c]) for c in VENDOR_FIELDS),
        lon,
        lat,
    )


# --- Free-text sources ---------------------------------------------------------------------

OPEN_DATA_UNITS = {
    "APT": {"Apt {}": 0.4, "APT {}": 0.2, "#{}": 0.25, "Unit {}": 0.15},
    "STE": {"Suite {}": 0.5, "Ste {}": 0.3, "#{}": 0.2},
}


def open_data(ctx: Context) -> SourceRecords:
    """A US permits export: `123 N Harper Ave Apt 4, North Harperville, CA 91702`, in any
    case, with or without commas, ZIP or state."""
    d = ctx.draft("open_data")
    texts, modes = [], []
    for row, kind in d.each():
        if kind:
            text = _invalid_text(row, kind, d.r)
            if kind == "postcode_only":
                text = f"{row['locality']}, CA {row['postcode']}"
            texts.append(text)
            modes.append(_invalid_mode(d.r))
            continue
        style = weighted(d.r, {"title": 0.5, "usps": 0.2, "spelled": 0.2, "no_directional": 0.1})
        street = rd.us_street(row, ctx.lw.streets, style)
        if maybe(d.r, 0.02):
            street = slip_in(street, d.r)
        unit = rd.us_unit(row, d.r, OPEN_DATA_UNITS)
        number = rd.us_house_number(row, d.r)
        line = joined([number, street, unit], commas=False)
        if unit and maybe(d.r, 0.03):
            line = joined([unit, number, street], commas=False)  # the unit first
        city = cased(str(row["locality"]), "title")
        tail = weighted(d.r, {"state_zip": 0.78, "state": 0.17, "zip": 0.03, "none": 0.02})
        state_zip = {
            "state_zip": f"CA {row['postcode']}",
            "state": "CA",
            "zip": str(row["postcode"]),
            "none": None,
        }[tail]
        commas = maybe(d.r, 0.7)
        text = joined([line, None if maybe(d.r, 0.05) else city, state_zip], commas)
        texts.append(cased(text, weighted(d.r, {"asis": 0.6, "upper": 0.3, "lower": 0.1})))
        modes.append("missing" if maybe(d.r, 0.01) else "interpolated")
    lon, lat = place(ctx.lw, d.template, np.array(modes), d.rng)
    return open_data_file(d.records, SOURCE_PLANS["open_data"].deliveries, _array(texts), lon, lat)


def fi_open_data(ctx: Context) -> SourceRecords:
    """Helsinki's register: `Agricolankatu 15b B 12, 00100 Helsinki` (some records in
    Swedish: `Agricolagatan 15b B 12, 00100 Helsingfors`), entrance points."""
    d = ctx.draft("fi_open_data")
    texts, modes = [], []
    register_letters = {"15b": 0.9, "15 b": 0.1}
    for row, kind in d.each():
        if kind:
            text = _invalid_text(row, kind, d.r)
            if kind == "postcode_only":
                text = f"{row['postcode']} Helsinki"
            texts.append(text)
            modes.append(_invalid_mode(d.r))
            continue
        swedish = rd.has_swedish(row, ctx.lw.streets) and maybe(d.r, 0.1)
        street = rd.fi_street(row, ctx.lw.streets, swedish)
        number = rd.fi_house_number(row, d.r, register_letters)
        unit = rd.fi_unit(row, d.r, {"B 12": 1.0}, {"as 2": 1.0})
        line = joined([street, number, unit], commas=False)
        texts.append(f"{line}, {row['postcode']} {rd.fi_town(swedish)}")
        modes.append("entrance")
    lon, lat = place(ctx.lw, d.template, np.array(modes), d.rng)
    dates = SOURCE_PLANS["fi_open_data"].deliveries
    return fi_open_data_file(d.records, dates, _array(texts), lon, lat)


def gb_open_data(ctx: Context) -> SourceRecords:
    """A British register: the sub-building (`FLAT 8`), the primary object (a number or,
    without one, the building's name), street, post town and postcode; rooftop points."""
    d = ctx.draft("gb_open_data")
    cols: dict[str, list] = defaultdict(list)
    modes = []
    for row, kind in d.each():
        if kind:
            cols["sub"].append(None)
            cols["number"].append(None)
            cols["street"].append(_invalid_text(row, kind, d.r) or "")
            cols["town"].append(row["locality"] if kind == "postcode_only" else None)
            cols["postcode"].append(row["postcode"] if kind == "postcode_only" else None)
            modes.append(_invalid_mode(d.r))
            continue
        style = "upper" if maybe(d.r, 0.95) else "title"
        number = rd.gb_number(row, d.r)
        cols["sub"].append(rd.gb_sub_building(row, d.r, {"FLAT 8": 0.97, "Flat 8": 0.03}))
        cols["number"].append(number if number else row["building_name"])
        cols["street"].append(rd.gb_street(row, ctx.lw.streets, "street_key", style))
        cols["town"].append(row["locality"])
        cols["postcode"].append(None if maybe(d.r, 0.01) else row["postcode"])
        modes.append("rooftop")
    lon, lat = place(ctx.lw, d.template, np.array(modes), d.rng)
    return gb_open_data_file(
        d.records,
        SOURCE_PLANS["gb_open_data"].deliveries,
        *(_array(cols[c]) for c in ("sub", "number", "street", "town", "postcode")),
        lon,
        lat,
    )


def _postal_gb(row: dict, ctx: Context, r: random.Random) -> tuple[str, str | None]:
    commas = maybe(r, 0.65)
    elements = rd.gb_elements(
        row,
        ctx.lw.streets,
        r,
        street_style="upper",
        building_share=0.95,
        parent_share=0.7,
        dependent_locality_share=0.85,
        town=str(row["locality"]),
        postcode=None if maybe(r, 0.05) else str(row["postcode"]),
    )
    text = joined(elements, commas)
    return (text.title() if maybe(r, 0.1) else text), (
        weighted(r, {"England": 0.95, "": 0.05}) or None
    )


def _postal_fi(row: dict, ctx: Context, r: random.Random) -> tuple[str, str | None]:
    swedish = rd.has_swedish(row, ctx.lw.streets) and maybe(r, 0.08)
    line = rd.fi_line(row, ctx.lw.streets, r, swedish=swedish)
    venue = row["venue"] if row["venue"] and maybe(r, 0.7) else None
    text = joined([venue, line, f"{row['postcode']} {rd.fi_town(swedish)}"], commas=True)
    if maybe(r, 0.05):  # the town before the postcode
        text = joined([venue, line, f"{rd.fi_town(swedish)} {row['postcode']}"], commas=True)
    return text, weighted(r, {"Uusimaa": 0.95, "": 0.05}) or None


POSTAL_US_UNITS = {"APT": {"APT {}": 1.0}, "STE": {"STE {}": 1.0}}


def _postal_us(row: dict, ctx: Context, r: random.Random) -> tuple[str, str | None]:
    street = rd.us_street(row, ctx.lw.streets, "usps")
    line = joined([str(row["house_number"]), street, rd.us_unit(row, r, POSTAL_US_UNITS)], False)
    return f"{line}, {row['locality']} CA {rd.us_zip(row, r, 0.5)}", "CA"


POSTAL_REGIONS = {US: _postal_us, FI: _postal_fi, GB: _postal_gb}


def postal_directory(ctx: Context) -> SourceRecords:
    """Delivery points for all three countries in postal order; postcode-centroid points."""
    d = ctx.draft("postal_directory")
    texts, areas, countries, modes = [], [], [], []
    for row, kind in d.each():
        countries.append(VENDOR_COUNTRIES[row["region"]])
        if kind:
            text = _invalid_text(row, kind, d.r)
            texts.append(row["postcode"] if kind == "postcode_only" else text)
            areas.append(None)
            modes.append(_invalid_mode(d.r))
            continue
        text, area = POSTAL_REGIONS[row["region"]](row, ctx, d.r)
        texts.append(text)
        areas.append(area)
        modes.append("postal")
    lon, lat = place(ctx.lw, d.template, np.array(modes), d.rng)
    return postal_directory_file(
        d.records,
        SOURCE_PLANS["postal_directory"].deliveries,
        _array(texts),
        _array(areas),
        _array(countries),
        lon,
        lat,
    )


# --- User corrections ----------------------------------------------------------------------


def user_corrections(ctx: Context) -> SourceRecords:
    """US addresses users add (new buildings no file has yet), typed the way people do, and
    one correction with nothing in it."""
    rng = rng_for(ctx.seed, "lists", ctx.lw.split, "user_corrections")
    r = random.Random(int(rng.integers(2**62)))
    targets = np.nonzero(ctx.cover["user_corrections"])[0]
    rows = ctx.lw.facts.iloc[targets].to_dict("records")
    texts = []
    for row in rows:
        style = weighted(r, {"title": 0.6, "usps": 0.2, "spelled": 0.2})
        line = joined(
            [
                rd.us_house_number(row, r),
                rd.us_street(row, ctx.lw.streets, style),
                rd.us_unit(row, r, rd.US_UNIT_FORMS),
            ],
            commas=False,
        )
        texts.append(f"{line}, {cased(str(row['locality']), 'title')}, CA {row['postcode']}")
    modes = np.array(["rooftop"] * len(targets))
    lon, lat = place(ctx.lw, targets, modes, rng)
    n = len(targets) + 1
    start, end = CORRECTIONS_WINDOW
    days = rng.integers(0, (end - start).days + 1, n)
    frame = pd.DataFrame(
        {
            "action": "add",
            "submitted_at": [(start + timedelta(days=int(k))).isoformat() for k in days],
            "address": [*texts, "N/A"],
            "lon": [*lon, 0.0],
            "lat": [*lat, 0.0],
            "target": [*targets, -1],
        }
    )
    for field in ("house_number", "street", "unit", "postcode", "locality"):
        frame[f"new_{field}"] = None
    frame["order"] = rng.permutation(n)
    frame = frame.sort_values(["submitted_at", "order"]).reset_index(drop=True)
    frame["correction_id"] = [f"UC-{i:06d}" for i in range(1, n + 1)]
    target = frame["target"].to_numpy()
    records = pd.DataFrame(
        {
            "address": target,
            "first": 0,
            "last": 0,
            "template": np.maximum(target, 0),
            "invalid_kind": np.where(target < 0, "blank", None),
        }
    )
    columns = [
        "correction_id",
        "action",
        "submitted_at",
        "address",
        "lon",
        "lat",
        *(f"new_{f}" for f in ("house_number", "street", "unit", "postcode", "locality")),
    ]
    dates = tuple(date.fromisoformat(s) for s in frame["submitted_at"])
    return SourceRecords(frame[columns], records, frame["correction_id"].to_numpy(), dates)


SOURCE_BUILDERS: dict[str, Callable[[Context], SourceRecords]] = {
    "county_gis": county_gis,
    "vendor_acme": vendor_acme,
    "open_data": open_data,
    "fi_open_data": fi_open_data,
    "gb_open_data": gb_open_data,
    "postal_directory": postal_directory,
    "user_corrections": user_corrections,
}
"""Builders of the family's sources, in output order."""


def build_sources(lw: ListsWorld, seed: int) -> dict[str, pd.DataFrame]:
    """Every source's delivered rows, keyed by source name, plus `truth_records`."""
    ctx = Context(lw, coverage(lw, seed), seed)
    frames: dict[str, pd.DataFrame] = {}
    truth = []
    for name, build in SOURCE_BUILDERS.items():
        source = build(ctx)
        frames[name] = source.frame.reset_index(drop=True)
        truth.append(truth_records(name, source, lw.world))
    frames["truth_records"] = pd.concat(truth, ignore_index=True)
    return frames
