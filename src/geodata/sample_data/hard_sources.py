"""The hard profile's sources: the demo's five with heavier noise, plus a British address
register and a postal directory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from geodata.sample_data import vocabulary as vocab
from geodata.sample_data.corrections import Corrections
from geodata.sample_data.files import (
    county_gis_file,
    fi_open_data_file,
    gb_open_data_file,
    open_data_file,
    postal_directory_file,
    vendor_acme_file,
)
from geodata.sample_data.lots import UNIT_APT, UNIT_FLAT, UNIT_STAIRCASE, UNIT_STE
from geodata.sample_data.points import points
from geodata.sample_data.records import Context, Draft, SourceRecords, corrupt_invalid
from geodata.sample_data.sources import OPEN_DATA_UNITS, VENDOR_US_UNITS, user_corrections
from geodata.sample_data.variants import (
    StreetNoise,
    address_line,
    apply_case,
    choose,
    map_unique,
    render_house_numbers,
    render_localities,
    render_postcodes,
    render_streets,
    render_units,
    title_words,
)
from geodata.sample_data.vocabulary import FI, GB, US
from geodata.sample_data.world import World, rng_for


@dataclass(frozen=True)
class SourcePlan:
    """Which regions a source covers, how much of each, and how many deliveries it has."""

    coverage: dict[str, float]
    deliveries: tuple[date | None, ...]


SOURCE_PLANS: dict[str, SourcePlan] = {
    "county_gis": SourcePlan({US: 0.88}, (date(2026, 10, 1), date(2026, 11, 1))),
    "vendor_acme": SourcePlan(
        {US: 0.72, FI: 0.7, GB: 0.6}, (date(2026, 9, 15), date(2026, 10, 15))
    ),
    "open_data": SourcePlan({US: 0.55}, (None,)),
    "fi_open_data": SourcePlan({FI: 0.85}, (date(2026, 8, 1), date(2026, 10, 1))),
    "gb_open_data": SourcePlan({GB: 0.85}, (None,)),
    "postal_directory": SourcePlan({US: 0.45, FI: 0.45, GB: 0.5}, (date(2026, 9, 30),)),
}
"""The address sources of the hard profile (user corrections come on top)."""

DUPLICATE_SHARE = 0.02
INVALID_SHARE = 0.01

CLEAN_STREETS = StreetNoise({US: {"usps": 1}, FI: {"title": 1}, GB: {"title": 1}})
"""A register's street spelling: USPS abbreviations in the US, title case elsewhere."""

STREETS: dict[str, StreetNoise] = {
    "county_gis": StreetNoise(
        {
            US: {"usps": 0.85, "spelled": 0.07, "title": 0.05, "dotted": 0.03},
            FI: {"title": 1},
            GB: {"upper": 1},
        },
        typo_share=0.005,
    ),
    "vendor_acme": StreetNoise(
        {
            US: {
                "usps": 0.26,
                "title": 0.22,
                "spelled": 0.12,
                "dotted": 0.1,
                "spelled_upper": 0.05,
                "alternate": 0.08,
                "no_directional": 0.06,
                "lower": 0.05,
                "no_directional_spelled": 0.06,
            },
            FI: {"title": 0.55, "upper": 0.2, "ascii": 0.12, "lower": 0.05, "abbreviated": 0.08},
            GB: {"title": 0.4, "abbreviated": 0.3, "upper": 0.15, "abbreviated_upper": 0.15},
        },
        typo_share=0.04,
        stale_share=0.5,
        swedish_share=0.05,
    ),
    "open_data": StreetNoise(
        {
            US: {"title": 0.55, "spelled": 0.25, "usps": 0.12, "no_directional_spelled": 0.08},
            FI: {"title": 1},
            GB: {"title": 1},
        },
        typo_share=0.03,
        stale_share=0.4,
    ),
    "fi_open_data": CLEAN_STREETS,
    "gb_open_data": StreetNoise(
        {US: {"usps": 1}, FI: {"title": 1}, GB: {"upper": 0.8, "title": 0.2}}
    ),
    "postal_directory": CLEAN_STREETS,
}
"""How each source spells streets."""

UNITS: dict[str, dict[int, dict[str, float]]] = {
    "county_gis": {
        UNIT_APT: {"APT ": 0.6, "#": 0.15, "UNIT ": 0.1, "APT #": 0.1, "": 0.05},
        UNIT_STE: {"STE ": 0.8, "#": 0.1, "SUITE ": 0.1},
    },
    "vendor_acme": {
        **VENDOR_US_UNITS,
        UNIT_STAIRCASE: {"L N": 0.75, "l N": 0.15, "LN": 0.1},
        UNIT_FLAT: {"Flat ": 0.6, "FLAT ": 0.2, "Apartment ": 0.1, "Unit ": 0.1},
    },
    "open_data": OPEN_DATA_UNITS,
    "fi_open_data": {UNIT_STAIRCASE: {"L N": 0.9, "l N": 0.1}},
    "gb_open_data": {UNIT_FLAT: {"FLAT ": 0.85, "Flat ": 0.1, "APARTMENT ": 0.05}},
    "postal_directory": {
        UNIT_APT: {"APT ": 1.0},
        UNIT_STE: {"STE ": 1.0},
        UNIT_STAIRCASE: {"L N": 1.0},
        UNIT_FLAT: {"Flat ": 1.0},
    },
}
"""How each source spells units."""


def _draft(ctx: Context, name: str) -> Draft:
    """Start a source with the hard profile's random stream, deliveries and record noise."""
    return ctx.draft(
        name,
        len(SOURCE_PLANS[name].deliveries),
        rng_key=("hard",),
        new_share=0.01,
        drop_share=0.003,
        duplicate_share=DUPLICATE_SHARE,
        invalid_share=INVALID_SHARE,
    )


def _unit_in_street(
    street: np.ndarray, unit: np.ndarray, eligible: np.ndarray, share: float, rng
) -> np.ndarray:
    """Move the unit into the street field (`Main St Apt 4`) for `share` of the `eligible`
    records that have one."""
    moved = eligible & pd.notna(unit) & (rng.random(len(unit)) < share)
    street[moved] = np.char.add(
        np.char.add(street[moved].astype(str), " "), unit[moved].astype(str)
    )
    unit[moved] = None
    return moved


def county_gis(ctx: Context) -> SourceRecords:
    """County address points (US, towns and the rural area): rooftop, USPS spellings."""
    rng, records, template, rows, truth = _draft(ctx, "county_gis")
    street = render_streets(rows, STREETS["county_gis"], rng)
    unit = render_units(rows, UNITS["county_gis"], rng)
    house_number = render_house_numbers(rows, rng, spaced=0.1)
    locality = render_localities(rows, rng, alias_share=0.04)
    zip_code = render_postcodes(
        rows, ctx.fixed("postcode")[template], rng, missing_share=0.03, typo_share=0.003
    )
    # Rural points sit on the structure less precisely.
    sigma = np.where(truth["rural"].to_numpy(), 6.0, 1.5)
    lon, lat = points(ctx.world, template, "rooftop", rng, sigma)
    corrupt_invalid(records, rng, lon, lat, street, house_number)
    dates = SOURCE_PLANS["county_gis"].deliveries
    return county_gis_file(records, dates, house_number, street, unit, locality, zip_code, lon, lat)


def vendor_acme(ctx: Context) -> SourceRecords:
    """A commercial file for all three countries: parcel points, heavy abbreviation, typos,
    stale street names, units in the street field, ZIP+4."""
    rng, records, template, rows, truth = _draft(ctx, "vendor_acme")
    n = len(records)
    region = rows["region"].to_numpy()
    us, fi = region == US, region == FI
    street = render_streets(
        rows, STREETS["vendor_acme"], rng, old_names=truth["old_street_name"].to_numpy()
    )
    house_number = render_house_numbers(rows, rng, spaced=0.2)
    unit = render_units(rows, UNITS["vendor_acme"], rng)
    # A few records lose their unit (a known gap of commercial files).
    unit[pd.notna(unit) & (rng.random(n) < 0.005)] = None
    _unit_in_street(street, unit, us, 0.1, rng)
    locality = render_localities(rows, rng, alias_share=0.08, missing_share=0.02, title_share=0.5)
    state = np.where(
        us,
        choose(rng, {"CA": 0.7, "California": 0.3}, n),
        np.where(fi, "Uusimaa", choose(rng, {"England": 0.7, "ENG": 0.3}, n)),
    )
    postcode = render_postcodes(
        rows, ctx.fixed("postcode")[template], rng, missing_share=0.03, typo_share=0.005
    )
    plus4 = np.char.zfill(((rows["face"].to_numpy() * 7919 + 1234) % 10000).astype(str), 4)
    zip4 = us & pd.notna(postcode) & (rng.random(n) < 0.6)
    postcode[zip4] = np.char.add(np.char.add(postcode[zip4].astype(str), "-"), plus4[zip4])
    gb_compact = (region == GB) & pd.notna(postcode) & (rng.random(n) < 0.3)
    postcode[gb_compact] = np.char.replace(postcode[gb_compact].astype(str), " ", "")
    country = np.where(us, "US", np.where(fi, "FI", choose(rng, {"GB": 0.6, "UK": 0.4}, n)))
    lon, lat = points(ctx.world, template, "parcel", rng, disc=15.0)
    corrupt_invalid(records, rng, lon, lat, street, house_number)
    dates = SOURCE_PLANS["vendor_acme"].deliveries
    return vendor_acme_file(
        records, dates, house_number, street, unit, locality, state, postcode, country, lon, lat
    )


def open_data(ctx: Context) -> SourceRecords:
    """A city open-data export (US): one free-text column, interpolated points, stale names."""
    rng, records, template, rows, truth = _draft(ctx, "open_data")
    n = len(records)
    street = render_streets(
        rows, STREETS["open_data"], rng, old_names=truth["old_street_name"].to_numpy()
    )
    unit = render_units(rows, UNITS["open_data"], rng)
    house_number = rows["house_number"].to_numpy().astype(object)
    line = address_line(house_number, street, unit)
    city = render_localities(rows, rng, alias_share=0.06, title_share=1.0)
    postcode = render_postcodes(
        rows, ctx.fixed("postcode")[template], rng, missing_share=0.15, typo_share=0.005
    )
    city_text = np.where(pd.notna(city), city, "").astype(str)
    state_zip = np.where(pd.notna(postcode), np.char.add("CA ", postcode.astype(str)), "CA")
    commas = rng.random(n) < 0.7
    with_city = np.where(
        pd.notna(city),
        np.char.add(np.char.add(line.astype(str), np.where(commas, ", ", " ")), city_text),
        line.astype(str),
    )
    text = np.char.add(np.char.add(with_city, np.where(commas, ", ", " ")), state_zip)
    case = choose(rng, {"asis": 0.6, "upper": 0.25, "lower": 0.15}, n)
    address = apply_case(pd.Series(text, dtype=object), case).to_numpy()
    lon, lat = points(ctx.world, template, "interpolated", rng, 3.0)
    corrupt_invalid(records, rng, lon, lat, address)
    return open_data_file(records, SOURCE_PLANS["open_data"].deliveries, address, lon, lat)


def fi_open_data(ctx: Context) -> SourceRecords:
    """The Finnish address register: entrance points, one text, Finnish or Swedish names."""
    rng, records, template, rows, _ = _draft(ctx, "fi_open_data")
    n = len(records)
    swedish = rng.random(n) < 0.08
    street = render_streets(rows, STREETS["fi_open_data"], rng)
    names = map_unique(rows["street_name"].to_numpy(), vocab.SWEDISH_STREET_NAMES.get)
    swedish &= pd.notna(names)
    street[swedish] = map_unique(names[swedish], title_words)
    unit = render_units(rows, UNITS["fi_open_data"], rng)
    line = address_line(street, rows["house_number"].to_numpy().astype(object), unit)
    town = rows["locality"].to_numpy().astype(object)
    town = np.where(swedish, rows["locality"].map(vocab.LOCALITY_ALIASES).to_numpy(), town)
    town_text = map_unique(town, title_words)
    text = np.char.add(
        np.char.add(np.char.add(line.astype(str), ", "), rows["postcode"].to_numpy().astype(str)),
        np.char.add(" ", town_text.astype(str)),
    ).astype(object)
    lon, lat = points(ctx.world, template, "entrance", rng, 1.0)
    corrupt_invalid(records, rng, lon, lat, text)
    dates = SOURCE_PLANS["fi_open_data"].deliveries
    return fi_open_data_file(records, dates, text, lon, lat)


def gb_open_data(ctx: Context) -> SourceRecords:
    """A British address register: rooftop points, flats as sub-building names, one delivery."""
    rng, records, template, rows, _ = _draft(ctx, "gb_open_data")
    n = len(records)
    street = render_streets(rows, STREETS["gb_open_data"], rng)
    unit = render_units(rows, UNITS["gb_open_data"], rng)
    house_number = render_house_numbers(rows, rng, spaced=0.05)
    postcode = render_postcodes(rows, np.zeros(n, dtype=bool), rng, missing_share=0.01)
    lon, lat = points(ctx.world, template, "rooftop", rng, 1.0)
    corrupt_invalid(records, rng, lon, lat, street, house_number)
    town, dates = rows["locality"].to_numpy(), SOURCE_PLANS["gb_open_data"].deliveries
    return gb_open_data_file(records, dates, unit, house_number, street, town, postcode, lon, lat)


def postal_directory(ctx: Context) -> SourceRecords:
    """A postal directory for all three countries: clean one-line addresses, postcode-centroid
    points, one dated delivery."""
    rng, records, template, rows, _ = _draft(ctx, "postal_directory")
    n = len(records)
    region = rows["region"].to_numpy()
    us, fi = region == US, region == FI
    street = render_streets(rows, STREETS["postal_directory"], rng)
    unit = render_units(rows, UNITS["postal_directory"], rng)
    house_number = rows["house_number"].to_numpy().astype(object)
    town = rows["locality"].to_numpy().astype(object)
    postcode = rows["postcode"].to_numpy().astype(str)
    us_line = address_line(house_number, street, unit)
    us_text = np.char.add(
        np.char.add(np.char.add(us_line.astype(str), ", "), town.astype(str)),
        np.char.add(" CA ", postcode),
    )
    fi_line = address_line(street, house_number, unit)
    fi_text = np.char.add(
        np.char.add(fi_line.astype(str), ", "),
        np.char.add(np.char.add(postcode, " "), town.astype(str)),
    )
    gb_line = address_line(house_number, street, unit, unit_first=np.ones(n, dtype=bool))
    gb_text = np.char.add(
        np.char.add(np.char.add(gb_line.astype(str), ", "), town.astype(str)),
        np.char.add(", ", postcode),
    )
    text = np.where(us, us_text, np.where(fi, fi_text, gb_text)).astype(object)
    lon, lat = points(ctx.world, template, "postal", rng, 5.0)
    corrupt_invalid(records, rng, lon, lat, text)
    admin_area = np.where(us, "CA", np.where(fi, "Uusimaa", "England"))
    country = np.where(us, "US", np.where(fi, "FI", "GB"))
    dates = SOURCE_PLANS["postal_directory"].deliveries
    return postal_directory_file(records, dates, text, admin_area, country, lon, lat)


HARD_SOURCE_BUILDERS = {
    "county_gis": county_gis,
    "vendor_acme": vendor_acme,
    "open_data": open_data,
    "fi_open_data": fi_open_data,
    "gb_open_data": gb_open_data,
    "postal_directory": postal_directory,
    "user_corrections": user_corrections,
}
"""Builders of the hard profile's sources, in output order."""


def hard_coverage(world: World, corrections: Corrections, seed: int) -> dict[str, np.ndarray]:
    """Which addresses each source knows; every real address is known to at least one source.

    Added addresses are known to no source; fixed ones to every US source with structured
    fields (county, vendor, open data); phantoms only to the vendor.
    """
    a = world.addresses
    n = len(a)
    region = a["region"].to_numpy()
    real = ~a["phantom"].to_numpy()
    added = np.isin(np.arange(n), corrections.add)
    fixed = np.isin(np.arange(n), corrections.fix["address"].to_numpy())
    known = real & ~added
    cover = {}
    for name, plan in SOURCE_PLANS.items():
        draw = rng_for(seed, "hard", "coverage", name).random(n)
        share = pd.Series(region).map(plan.coverage).fillna(0.0).to_numpy()
        cover[name] = known & (draw < share)
    for name in ("county_gis", "vendor_acme", "open_data"):
        cover[name] |= fixed
    cover["postal_directory"] &= ~fixed
    cover["vendor_acme"] |= ~real
    unknown = known & ~np.logical_or.reduce(list(cover.values()))
    home = {US: "county_gis", FI: "fi_open_data", GB: "gb_open_data"}
    for code, name in home.items():
        cover[name] |= unknown & (region == code)
    return cover
