"""The hard evaluation profile: three countries, seven sources, heavy realistic noise.

Sized by the number of source records wanted. Adds to the demo's ingredients a
rural county area with coarse geometry, large floor-numbered apartment blocks,
British towns (`Flat 2, 10 High Street`), a second town per country that reuses
street names, renamed streets that some sources still carry under the old name,
Swedish street and town names in Finland, neighbourhood names for US cities, and
two more sources: a British address register and a postal directory whose points
are postcode centroids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from geodata.sample_data import vocabulary as vocab
from geodata.sample_data.layout import (
    HUNDREDS_PROPORTIONAL,
    HUNDREDS_SEQUENTIAL,
    STREET_SEQUENTIAL,
    UNIT_APT,
    UNIT_FLAT,
    UNIT_STAIRCASE,
    UNIT_STE,
    DiagonalStreet,
    LocalitySpec,
    LotModel,
)
from geodata.sample_data.sources import (
    DATE_TYPE,
    FI,
    GB,
    OPEN_DATA_UNITS,
    US,
    VENDOR_US_UNITS,
    Context,
    Corrections,
    SourceRecords,
    StreetNoise,
    address_line,
    build_sources,
    corrupt_invalid,
    county_gis_file,
    fi_open_data_file,
    open_data_file,
    plan_records,
    points,
    render_streets,
    repeat_deliveries,
    user_corrections,
    vendor_acme_file,
)
from geodata.sample_data.variants import (
    apply_case,
    choose,
    map_unique,
    render_house_numbers,
    render_units,
)
from geodata.sample_data.world import (
    FI_LOTS,
    US_LOTS,
    Projection,
    RegionSpec,
    World,
    build_regions,
    rng_for,
    title_words,
    world_frames,
)

COUNTRY = {US: "US", FI: "FI", GB: "GB"}
RURAL_LOCALITY = "ROUND VALLEY"
MIN_SOURCE_RECORDS = 3000

HARD_US_LOTS = LotModel(
    single_width=US_LOTS.single_width,
    multi_width=(20.0, 60.0),
    multi_share=0.12,
    front_setback=US_LOTS.front_setback,
    side_setback=US_LOTS.side_setback,
    single_depth=US_LOTS.single_depth,
    multi_depth=(20.0, 32.0),
    letter_split_share=0.06,
    fraction_split_share=0.015,
    suite_share=0.15,
    unit_model="us",
    large_share=0.05,
    large_units=(100, 400),
)

RURAL_LOTS = LotModel(
    single_width=(60.0, 220.0),
    multi_width=(60.0, 120.0),
    multi_share=0.02,
    front_setback=(15.0, 80.0),
    side_setback=(8.0, 25.0),
    single_depth=(12.0, 20.0),
    multi_depth=(15.0, 25.0),
    letter_split_share=0.01,
    unit_model="us",
)

GB_LOTS = LotModel(
    single_width=(5.0, 9.0),
    multi_width=(14.0, 30.0),
    multi_share=0.22,
    front_setback=(1.0, 4.0),
    side_setback=(0.0, 0.3),
    single_depth=(8.0, 12.0),
    multi_depth=(12.0, 18.0),
    letter_split_share=0.03,
    unit_model="gb",
)

HARD_US_CA = RegionSpec(
    iso_3166_1="US",
    iso_3166_2=US,
    projection=Projection(lat0=37.745, lon0=-122.435),
    localities=(
        LocalitySpec(
            name="SAN FRANCISCO",
            share=0.36,
            postcodes=(("94112", "94134"), ("94131", "94110")),
            avenues=vocab.SAN_FRANCISCO_AVENUES,
            cross_streets=None,
            numbering=HUNDREDS_PROPORTIONAL,
            anchor=(0.0, 0.0, 0.0, 0.0),
            block_size=(140.0, 90.0),
            diagonals=(DiagonalStreet("MARKET", "ST", (0.1, 0.15), (0.9, 0.9)),),
            gap=0.0,
        ),
        LocalitySpec(
            name="DALY CITY",
            share=0.2,
            postcodes=(("94015", "94014"),),
            avenues=vocab.DALY_CITY_AVENUES,
            cross_streets=vocab.DALY_CITY_CROSS_STREETS,
            numbering=HUNDREDS_SEQUENTIAL,
            anchor=(0.0, 0.0, 0.0, 0.0),
            block_size=(130.0, 95.0),
            diagonals=(DiagonalStreet("MISSION", "ST", (0.0, 0.9), (0.85, 0.1)),),
            twin_avenues=True,
            middle_avenue=vocab.DALY_CITY_MAIN_STREET,
            gap=250.0,
        ),
        LocalitySpec(
            name="BRISBANE",
            share=0.1,
            postcodes=(("94005",),),
            avenues=vocab.BRISBANE_AVENUES,
            cross_streets=vocab.DALY_CITY_CROSS_STREETS[::-1],
            numbering=HUNDREDS_SEQUENTIAL,
            anchor=(0.0, 0.0, 0.0, 0.0),
            block_size=(120.0, 85.0),
            diagonals=(DiagonalStreet("BAYSHORE", "BLVD", (0.0, 0.1), (1.0, 0.75)),),
            gap=250.0,
        ),
        LocalitySpec(
            name="SOUTH SAN FRANCISCO",
            share=0.16,
            postcodes=(("94080",),),
            # The same street names as San Francisco, one town away.
            avenues=vocab.SAN_FRANCISCO_AVENUES[::-1],
            cross_streets=None,
            numbering=HUNDREDS_SEQUENTIAL,
            anchor=(0.0, 0.0, 0.0, 0.0),
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
            anchor=(0.0, 0.0, 0.0, 0.0),
            block_size=(1200.0, 900.0),
            half_width=5.0,
            lots=RURAL_LOTS,
            gap=8000.0,
        ),
    ),
    lots=HARD_US_LOTS,
    with_phantoms=True,
)

HARD_FI_18 = RegionSpec(
    iso_3166_1="FI",
    iso_3166_2=FI,
    projection=Projection(lat0=60.172, lon0=24.935),
    localities=(
        LocalitySpec(
            name="HELSINKI",
            share=0.7,
            postcodes=(
                ("00150", "00120", "00130"),
                ("00180", "00100", "00140"),
                ("00260", "00250", "00170"),
            ),
            avenues=tuple((n, "") for n in vocab.FINNISH_AVENUES),
            cross_streets=tuple((n, "") for n in vocab.FINNISH_CROSS_STREETS),
            numbering=STREET_SEQUENTIAL,
            anchor=(0.0, 0.0, 0.0, 0.0),
            block_size=(110.0, 85.0),
            half_width=9.0,
            diagonals=(
                DiagonalStreet(
                    "MANNERHEIMINTIE", "", (0.0, 0.0), (1.0, 1.0), half_width=16.0, lot_depth=22.0
                ),
            ),
            gap=0.0,
        ),
        LocalitySpec(
            name="ESPOO",
            share=0.3,
            postcodes=(("02100", "02150"), ("02600", "02650")),
            # Finnish towns reuse each other's street names.
            avenues=tuple((n, "") for n in vocab.FINNISH_CROSS_STREETS),
            cross_streets=tuple((n, "") for n in vocab.FINNISH_AVENUES),
            numbering=STREET_SEQUENTIAL,
            anchor=(0.0, 0.0, 0.0, 0.0),
            block_size=(120.0, 90.0),
            half_width=9.0,
            gap=600.0,
        ),
    ),
    lots=FI_LOTS,
    with_phantoms=False,
)

HARD_GB_ENG = RegionSpec(
    iso_3166_1="GB",
    iso_3166_2=GB,
    projection=Projection(lat0=51.47, lon0=-0.12),
    localities=(
        LocalitySpec(
            name="LONDON",
            share=0.6,
            postcodes=(("SE11", "SE17"), ("SW8", "SE1")),
            avenues=tuple((n, "") for n in vocab.GB_AVENUES),
            cross_streets=tuple((n, "") for n in vocab.GB_STREETS),
            numbering=STREET_SEQUENTIAL,
            anchor=(0.0, 0.0, 0.0, 0.0),
            block_size=(120.0, 70.0),
            half_width=7.0,
            diagonals=(DiagonalStreet("KENNINGTON ROAD", "", (0.0, 0.2), (1.0, 0.8)),),
            name_prefixes=vocab.GB_NAME_PREFIXES,
            gap=0.0,
        ),
        LocalitySpec(
            name="CROYDON",
            share=0.4,
            postcodes=(("CR0", "CR2"),),
            avenues=tuple((n, "") for n in vocab.GB_STREETS),
            cross_streets=tuple((n, "") for n in vocab.GB_AVENUES),
            numbering=STREET_SEQUENTIAL,
            anchor=(0.0, 0.0, 0.0, 0.0),
            block_size=(120.0, 70.0),
            half_width=7.0,
            name_prefixes=vocab.GB_NAME_PREFIXES,
            gap=900.0,
        ),
    ),
    lots=GB_LOTS,
    with_phantoms=False,
)

REGION_SHARES: dict[RegionSpec, float] = {HARD_US_CA: 0.55, HARD_FI_18: 0.2, HARD_GB_ENG: 0.25}
"""Share of the true addresses in each region."""


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
RENAMED_SHARE = 0.06
"""Share of the US (urban) and British streets renamed; some sources still use the old name."""


def records_per_address() -> float:
    """Expected records per true address in one run: the latest delivery of every source."""
    total = 0.0
    for region, share in REGION_SHARES.items():
        code = region.iso_3166_2
        total += share * sum(plan.coverage.get(code, 0.0) for plan in SOURCE_PLANS.values())
    return total * (1 + DUPLICATE_SHARE) / (1 - INVALID_SHARE)


def address_totals(source_records: int) -> dict[RegionSpec, int]:
    """True addresses per region for about `source_records` records in one run.

    A run (`run.execution_dt` on or after every source's last delivery) reads the latest
    delivery of each source; the files hold the earlier deliveries too.
    """
    addresses = source_records / records_per_address()
    return {region: max(300, round(addresses * share)) for region, share in REGION_SHARES.items()}


# --- The world -------------------------------------------------------------------------------

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


def build_hard_world(seed: int, source_records: int) -> World:
    """The ground truth of the hard profile for about `source_records` source records."""
    world = build_regions(seed, address_totals(source_records))
    a = world.addresses
    a["postcode"] = _gb_unit_postcodes(a)
    a["rural"] = (a["locality"] == RURAL_LOCALITY).to_numpy()
    _rename_streets(world, rng_for(seed, "hard", "renamed"))
    return world


# --- Rendering helpers -----------------------------------------------------------------------


CLEAN_STREETS = StreetNoise({US: {"usps": 1}, FI: {"title": 1}, GB: {"title": 1}})
"""A register's street spelling: USPS abbreviations in the US, title case elsewhere."""

UNIT_STYLES_CLEAN = {
    UNIT_APT: {"APT ": 1.0},
    UNIT_STE: {"STE ": 1.0},
    UNIT_STAIRCASE: {"L N": 1.0},
    UNIT_FLAT: {"Flat ": 1.0},
}


def render_localities(
    rows: pd.DataFrame,
    rng: np.random.Generator,
    *,
    alias_share: float,
    missing_share: float = 0.0,
    title_share: float = 0.0,
) -> np.ndarray:
    """Locality per record: sometimes a neighbourhood or Swedish name, title case, or missing."""
    n = len(rows)
    locality = rows["locality"].to_numpy().astype(object).copy()
    by_postcode = rows["postcode"].map(vocab.POSTCODE_PLACE_NAMES).to_numpy()
    by_town = rows["locality"].map(vocab.LOCALITY_ALIASES).to_numpy()
    alias = np.where(pd.notna(by_postcode), by_postcode, by_town)
    use = pd.notna(alias) & (rng.random(n) < alias_share)
    locality[use] = alias[use]
    title = rng.random(n) < title_share
    locality[title] = map_unique(locality[title], title_words)
    locality[rng.random(n) < missing_share] = None
    return locality


def _change_digit(code: str, rng_value: float, digit: int) -> str:
    """`code` with one digit (not the first) replaced: a keying slip in a postcode."""
    positions = [i for i, c in enumerate(code) if c.isdigit() and i > 0]
    if not positions:
        return code
    i = positions[int(rng_value * len(positions)) % len(positions)]
    new = str(digit if str(digit) != code[i] else (digit + 1) % 10)
    return code[:i] + new + code[i + 1 :]


def render_postcodes(
    rows: pd.DataFrame,
    protected: np.ndarray,
    rng: np.random.Generator,
    *,
    missing_share: float,
    typo_share: float = 0.0,
) -> np.ndarray:
    """Postcode per record: sometimes missing or with one digit wrong (never for `protected`)."""
    n = len(rows)
    postcode = rows["postcode"].to_numpy().astype(object).copy()
    typo = (rng.random(n) < typo_share) & ~protected
    values, digits = rng.random(n), rng.integers(0, 10, n)
    for i in np.nonzero(typo)[0]:
        postcode[i] = _change_digit(postcode[i], values[i], int(digits[i]))
    postcode[(rng.random(n) < missing_share) & ~protected] = None
    return postcode


def _plan(ctx: Context, name: str, rng: np.random.Generator) -> pd.DataFrame:
    return plan_records(
        ctx.cover[name],
        ctx.stable(),
        len(SOURCE_PLANS[name].deliveries),
        rng,
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


# --- The sources -----------------------------------------------------------------------------


def county_gis(ctx: Context) -> SourceRecords:
    """County address points (US, towns and the rural area): rooftop, USPS spellings."""
    rng = rng_for(ctx.seed, "hard", "county_gis")
    records = _plan(ctx, "county_gis", rng)
    template, rows, truth = ctx.rows_of(records)
    street = render_streets(
        rows,
        StreetNoise(
            {
                US: {"usps": 0.85, "spelled": 0.07, "title": 0.05, "dotted": 0.03},
                FI: {"title": 1},
                GB: {"upper": 1},
            },
            typo_share=0.005,
        ),
        rng,
    )
    unit = render_units(
        rows,
        {
            UNIT_APT: {"APT ": 0.6, "#": 0.15, "UNIT ": 0.1, "APT #": 0.1, "": 0.05},
            UNIT_STE: {"STE ": 0.8, "#": 0.1, "SUITE ": 0.1},
        },
        rng,
    )
    house_number = render_house_numbers(
        rows["house_number"].to_numpy(), rows["suffix"].to_numpy(), rng, spaced=0.1
    )
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
    rng = rng_for(ctx.seed, "hard", "vendor_acme")
    records = _plan(ctx, "vendor_acme", rng)
    template, rows, truth = ctx.rows_of(records)
    n = len(records)
    region = rows["region"].to_numpy()
    us, fi = region == US, region == FI
    street = render_streets(
        rows,
        StreetNoise(
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
                FI: {
                    "title": 0.55,
                    "upper": 0.2,
                    "ascii": 0.12,
                    "lower": 0.05,
                    "abbreviated": 0.08,
                },
                GB: {"title": 0.4, "abbreviated": 0.3, "upper": 0.15, "abbreviated_upper": 0.15},
            },
            typo_share=0.04,
            stale_share=0.5,
            swedish_share=0.05,
        ),
        rng,
        old_names=truth["old_street_name"].to_numpy(),
    )
    house_number = render_house_numbers(
        rows["house_number"].to_numpy(), rows["suffix"].to_numpy(), rng, spaced=0.2
    )
    unit = render_units(
        rows,
        {
            **VENDOR_US_UNITS,
            UNIT_STAIRCASE: {"L N": 0.75, "l N": 0.15, "LN": 0.1},
            UNIT_FLAT: {"Flat ": 0.6, "FLAT ": 0.2, "Apartment ": 0.1, "Unit ": 0.1},
        },
        rng,
    )
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
    rng = rng_for(ctx.seed, "hard", "open_data")
    records = _plan(ctx, "open_data", rng)
    template, rows, truth = ctx.rows_of(records)
    n = len(records)
    street = render_streets(
        rows,
        StreetNoise(
            {
                US: {"title": 0.55, "spelled": 0.25, "usps": 0.12, "no_directional_spelled": 0.08},
                FI: {"title": 1},
                GB: {"title": 1},
            },
            typo_share=0.03,
            stale_share=0.4,
        ),
        rng,
        old_names=truth["old_street_name"].to_numpy(),
    )
    unit = render_units(
        rows,
        OPEN_DATA_UNITS,
        rng,
    )
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
    rng = rng_for(ctx.seed, "hard", "fi_open_data")
    records = _plan(ctx, "fi_open_data", rng)
    template, rows, _ = ctx.rows_of(records)
    n = len(records)
    swedish = rng.random(n) < 0.08
    street = render_streets(
        rows,
        CLEAN_STREETS,
        rng,
    )
    names = map_unique(rows["street_name"].to_numpy(), vocab.SWEDISH_STREET_NAMES.get)
    swedish &= pd.notna(names)
    street[swedish] = map_unique(names[swedish], title_words)
    unit = render_units(rows, {UNIT_STAIRCASE: {"L N": 0.9, "l N": 0.1}}, rng)
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
    rng = rng_for(ctx.seed, "hard", "gb_open_data")
    records = _plan(ctx, "gb_open_data", rng)
    template, rows, _ = ctx.rows_of(records)
    n = len(records)
    street = render_streets(
        rows,
        StreetNoise({US: {"usps": 1}, FI: {"title": 1}, GB: {"upper": 0.8, "title": 0.2}}),
        rng,
    )
    unit = render_units(rows, {UNIT_FLAT: {"FLAT ": 0.85, "Flat ": 0.1, "APARTMENT ": 0.05}}, rng)
    house_number = render_house_numbers(
        rows["house_number"].to_numpy(), rows["suffix"].to_numpy(), rng, spaced=0.05
    )
    postcode = render_postcodes(rows, np.zeros(n, dtype=bool), rng, missing_share=0.01)
    lon, lat = points(ctx.world, template, "rooftop", rng, 1.0)
    corrupt_invalid(records, rng, lon, lat, street, house_number)
    ids = np.arange(10_000_000_001, 10_000_000_001 + n, dtype=np.int64)
    frame = pd.DataFrame(
        {
            "uprn": ids,
            "sub_building": unit,
            "building_number": house_number,
            "thoroughfare": np.where(street == "", None, street),
            "post_town": rows["locality"].to_numpy(),
            "postcode": postcode,
            "longitude": lon,
            "latitude": lat,
        }
    )
    return SourceRecords(
        frame, records, ids.astype(str).astype(object), SOURCE_PLANS["gb_open_data"].deliveries
    )


def postal_directory(ctx: Context) -> SourceRecords:
    """A postal directory for all three countries: clean one-line addresses, postcode-centroid
    points, one dated delivery."""
    rng = rng_for(ctx.seed, "hard", "postal_directory")
    records = _plan(ctx, "postal_directory", rng)
    template, rows, _ = ctx.rows_of(records)
    n = len(records)
    region = rows["region"].to_numpy()
    us, fi = region == US, region == FI
    street = render_streets(
        rows,
        CLEAN_STREETS,
        rng,
    )
    unit = render_units(rows, UNIT_STYLES_CLEAN, rng)
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
    ids = np.array([f"DP{i:09d}" for i in range(1, n + 1)], dtype=object)
    frame = pd.DataFrame(
        {
            "delivery_point_id": ids,
            "address_line": text,
            "admin_area": np.where(us, "CA", np.where(fi, "Uusimaa", "England")).astype(object),
            "country_code": np.where(us, "US", np.where(fi, "FI", "GB")).astype(object),
            "pc_lon": lon,
            "pc_lat": lat,
        }
    )
    dates = SOURCE_PLANS["postal_directory"].deliveries
    delivered = repeat_deliveries(records, frame, dates, "as_of")
    delivered["as_of"] = delivered["as_of"].astype(DATE_TYPE)
    return SourceRecords(delivered, records, ids, dates)


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


def generate_hard_region(seed: int = 42, source_records: int = 200_000) -> dict[str, pd.DataFrame]:
    """The hard profile's frames, keyed by logical name.

    Args:
        seed: Random seed; the same seed and size give identical frames.
        source_records: About how many source records a run reads (the latest delivery of
            every source; the files also hold earlier ones); at least `MIN_SOURCE_RECORDS`.

    Returns:
        Source deliveries (the demo's five plus `gb_open_data` and `postal_directory`),
        reference geodata (`roads`, `parcels`, `buildings`) and the truth (`truth_records`,
        `truth_addresses`).
    """
    if source_records < MIN_SOURCE_RECORDS:
        raise ValueError(f"source_records must be at least {MIN_SOURCE_RECORDS}")
    world = build_hard_world(seed, source_records)
    frames = build_sources(
        world,
        seed,
        builders=HARD_SOURCE_BUILDERS,
        coverage_of=hard_coverage,
        rng_key=("hard",),
    )
    return {**frames, **world_frames(world)}
