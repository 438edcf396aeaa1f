"""The demo region's sources: what each one delivers about the true addresses, and when.

Every record is rendered from the truth through its source's habits (spelling,
unit format, coordinate accuracy, coverage, deliveries) plus deliberate
noise: typos, duplicates under a new id, invalid records, and systematic
errors shared by every source that user corrections then fix.

The parts the hard profile shares live in `corrections`, `records`, `points`, `files`
and `variants`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta

import numpy as np
import pandas as pd

from geodata.sample_data.corrections import Corrections, observed_addresses, plan_corrections
from geodata.sample_data.files import (
    county_gis_file,
    fi_open_data_file,
    open_data_file,
    vendor_acme_file,
)
from geodata.sample_data.lots import UNIT_APT, UNIT_STAIRCASE, UNIT_STE
from geodata.sample_data.points import disc_offsets, locate, points
from geodata.sample_data.records import Context, SourceRecords, corrupt_invalid, truth_records
from geodata.sample_data.variants import (
    StreetNoise,
    address_line,
    apply_case,
    choose,
    render_house_numbers,
    render_streets,
    render_units,
    title_words,
)
from geodata.sample_data.vocabulary import FI, US
from geodata.sample_data.world import World, rng_for

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

STREETS: dict[str, StreetNoise] = {
    "county_gis": StreetNoise(
        {FI: {"title": 1}, US: {"usps": 0.92, "spelled": 0.05, "title": 0.03}}, typo_share=0.0
    ),
    "vendor_acme": StreetNoise(
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
        typo_share=0.03,
    ),
    "open_data": StreetNoise(
        {FI: {"title": 1}, US: {"title": 0.6, "spelled": 0.25, "usps": 0.15}}, typo_share=0.03
    ),
}
"""How each source spells streets (the demo draws Finland's styles first)."""

UNITS: dict[str, dict[int, dict[str, float]]] = {
    "county_gis": {
        UNIT_APT: {"APT ": 0.7, "#": 0.1, "Unit ": 0.1, "": 0.1},
        UNIT_STE: {"STE ": 0.85, "#": 0.15},
    },
    "vendor_acme": {**VENDOR_US_UNITS, UNIT_STAIRCASE: {"L N": 0.7, "LN": 0.2, "l N": 0.1}},
    "open_data": OPEN_DATA_UNITS,
}
"""How each source spells units."""


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


def county_gis(ctx: Context) -> SourceRecords:
    """County address points: rooftop accuracy, USPS spellings, three monthly snapshots."""
    rng, records, template, rows, _ = ctx.draft("county_gis", 3)
    street = render_streets(rows, STREETS["county_gis"], rng)
    unit = render_units(rows, UNITS["county_gis"], rng)
    lon, lat = points(ctx.world, template, "rooftop", rng, 1.5)
    zip_code = rows["postcode"].to_numpy().copy()
    zip_code[(rng.random(len(records)) < 0.03) & ~ctx.fixed("postcode")[template]] = None
    house_number = rows["house_number"].to_numpy().copy()
    corrupt_invalid(records, rng, lon, lat, street, house_number)
    city, dates = rows["locality"].to_numpy(), DELIVERIES["county_gis"]
    return county_gis_file(records, dates, house_number, street, unit, city, zip_code, lon, lat)


def vendor_acme(ctx: Context) -> SourceRecords:
    """A commercial file: parcel accuracy, heavy abbreviation, typos, ZIP+4, two deliveries."""
    rng, records, template, rows, _ = ctx.draft("vendor_acme", 2)
    n = len(records)
    us = (rows["region"] == US).to_numpy()
    street = render_streets(rows, STREETS["vendor_acme"], rng)
    house_number = render_house_numbers(rows, rng, spaced=0.15)
    unit = render_units(rows, UNITS["vendor_acme"], rng)
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
    rng, records, template, rows, _ = ctx.draft("open_data", 1)
    n = len(records)
    street = render_streets(rows, STREETS["open_data"], rng)
    unit = render_units(rows, UNITS["open_data"], rng)
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
    rng, records, template, rows, _ = ctx.draft("fi_open_data", 2)
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
