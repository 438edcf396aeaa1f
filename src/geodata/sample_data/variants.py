"""How sources spell addresses: street, unit and house-number variants, typos, free text.

Each renderer takes canonical parts (uppercase, as in the truth) and a style
or a random generator, and returns what a source would write.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodata.sample_data.vocabulary import (
    ALTERNATE_TYPE_ABBREVIATIONS,
    ASCII_FOLDING,
    DIRECTIONALS,
    FI,
    FINNISH_ABBREVIATED_ENDINGS,
    GB,
    GB_TYPE_ABBREVIATIONS,
    KEYBOARD_NEIGHBOURS,
    LOCALITY_ALIASES,
    POSTCODE_PLACE_NAMES,
    SWEDISH_STREET_NAMES,
    USPS_STREET_TYPES,
)


def title_words(text: str) -> str:
    """`N MAIN ST` -> `N Main St`, `24TH ST` -> `24th St`, `LÖNNROTINKATU` -> `Lönnrotinkatu`."""
    return " ".join(w.lower() if w[:1].isdigit() else w.capitalize() for w in text.split(" "))


def street_text(directional: str, name: str, street_type: str) -> str:
    """Canonical street: `N MAIN ST`, `MANNERHEIMINTIE`."""
    return " ".join(part for part in (directional, name, street_type) if part)


US_STREET_STYLES: tuple[str, ...] = (
    "usps",  # N MAIN ST
    "title",  # N Main St
    "spelled",  # North Main Street
    "dotted",  # N. Main St.
    "spelled_upper",  # NORTH MAIN STREET
    "alternate",  # N MAIN AV
    "no_directional",  # MAIN ST
    "lower",  # n main st
    "no_directional_spelled",  # Main Street
)

FI_STREET_STYLES: tuple[str, ...] = ("upper", "title", "ascii", "lower", "abbreviated")

GB_STREET_STYLES: tuple[str, ...] = ("upper", "title", "lower", "abbreviated", "abbreviated_upper")


def render_us_street(directional: str, name: str, street_type: str, style: str) -> str:
    """A US street in one of `US_STREET_STYLES`, from canonical parts."""
    if style in ("no_directional", "no_directional_spelled"):
        directional = ""
    if style in ("spelled", "spelled_upper", "no_directional_spelled"):
        directional = DIRECTIONALS.get(directional, directional)
        street_type = USPS_STREET_TYPES.get(street_type, street_type)
    elif style == "alternate":
        street_type = ALTERNATE_TYPE_ABBREVIATIONS.get(street_type, street_type)
    elif style == "dotted":
        directional = f"{directional}." if directional else ""
        street_type = f"{street_type}." if street_type else ""
    text = " ".join(p for p in (directional, name, street_type) if p)
    if style in ("title", "spelled", "dotted", "no_directional_spelled"):
        return title_words(text)
    if style == "lower":
        return text.lower()
    return text


def render_fi_street(name: str, style: str) -> str:
    """A Finnish street in one of `FI_STREET_STYLES`: `Fredrikinkatu`, `Fredrikink.`, ..."""
    title = title_words(name)
    if style == "upper":
        return name
    if style == "ascii":
        return title.translate(ASCII_FOLDING)
    if style == "lower":
        return title.lower()
    if style == "abbreviated":
        for ending, short in FINNISH_ABBREVIATED_ENDINGS:
            if name.endswith(ending) and len(name) > len(ending) + 3:
                return title[: -len(ending)] + short.lower()
        return title
    return title


def render_gb_street(name: str, style: str) -> str:
    """A British street in one of `GB_STREET_STYLES`: `HIGH STREET`, `High Street`, `High St`."""
    if style in ("abbreviated", "abbreviated_upper"):
        *head, last = name.split(" ")
        if head and last in GB_TYPE_ABBREVIATIONS:
            name = " ".join([*head, GB_TYPE_ABBREVIATIONS[last].upper()])
        return name if style == "abbreviated_upper" else title_words(name)
    if style == "upper":
        return name
    if style == "lower":
        return title_words(name).lower()
    return title_words(name)


def can_misspell(name: str) -> bool:
    """Typos go only into alphabetic names of four or more letters (never into numbers)."""
    letters = name.replace(" ", "")
    return len(letters) >= 4 and letters.isalpha()


def misspell(name: str, rng: np.random.Generator) -> str:
    """`name` with one slip: a neighbouring key, a dropped, doubled or swapped letter.

    The first letter is kept, as it usually is in real typos.
    """
    positions = [i for i, c in enumerate(name) if i > 0 and "A" <= c <= "Z"]
    for _ in range(20):
        i = int(rng.choice(positions))
        kind = int(rng.integers(4))
        if kind == 0:
            new = name[:i] + str(rng.choice(list(KEYBOARD_NEIGHBOURS[name[i]]))) + name[i + 1 :]
        elif kind == 1:
            new = name[:i] + name[i + 1 :]
        elif kind == 2:
            new = name[: i + 1] + name[i] + name[i + 1 :]
        elif i + 1 < len(name) and name[i + 1] != " ":
            new = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        else:
            continue
        if new != name and "  " not in new and not new.endswith(" "):
            return new
    return name[:-1] + ("E" if name[-1] != "E" else "A")


def choose(rng: np.random.Generator, options: dict[str, float], n: int) -> np.ndarray:
    """`n` draws from the keys of `options`, weighted by its values (normalised)."""
    keys = list(options)
    weights = np.array([options[k] for k in keys], dtype=float)
    picks = rng.choice(len(keys), size=n, p=weights / weights.sum())
    return np.array(keys, dtype=object)[picks]


def render_unique(
    parts: pd.DataFrame, render: Callable[..., str], columns: Sequence[str]
) -> np.ndarray:
    """`render(*row)` for every row of `parts[columns]`, computed once per distinct row."""
    if parts.empty:
        return np.array([], dtype=object)
    codes, uniques = pd.MultiIndex.from_frame(parts[list(columns)]).factorize()
    rendered = np.array([render(*u) for u in uniques], dtype=object)
    return rendered[codes]


def map_unique(values: np.ndarray, func) -> np.ndarray:
    """`func` of every value, computed once per distinct value (None stays None)."""
    series = pd.Series(values, dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    mapped = np.array([func(u) for u in uniques] + [None], dtype=object)
    return mapped[codes]


def misspell_some(
    names: np.ndarray, share: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """`names` with about `share` of all of them misspelled (where they can be), and which.

    Numbered names (24TH) cannot be misspelled, so the others take their part.
    """
    names = names.astype(object).copy()
    eligible = np.fromiter((can_misspell(n) for n in names), dtype=bool, count=len(names))
    rate = min(1.0, share / eligible.mean()) if eligible.any() else 0.0
    hit = eligible & (rng.random(len(names)) < rate)
    for i in np.nonzero(hit)[0]:
        names[i] = misspell(names[i], rng)
    return names, hit


def render_units(
    rows: pd.DataFrame, styles: dict[int, dict[str, float]], rng: np.random.Generator
) -> np.ndarray:
    """Unit text per record of `rows` (`unit_kind`, `unit_id`, `staircase` columns);
    `styles` maps a unit kind to weighted prefix templates.

    A template is a prefix put before the unit id; for Finnish staircases the
    templates are `L N` (A 5), `LN` (A5) and `l N` (a 5). Kinds without styles get None.
    """
    kind = rows["unit_kind"].to_numpy()
    unit_id = rows["unit_id"].to_numpy()
    staircase = rows["staircase"].to_numpy()
    out = np.full(len(kind), None, dtype=object)
    for unit_kind, options in styles.items():
        rows = np.nonzero(kind == unit_kind)[0]
        if not len(rows):
            continue
        template = choose(rng, options, len(rows))
        ids = unit_id[rows].astype(str)
        letters = staircase[rows].astype(str)
        rendered = np.where(
            template == "L N",
            np.char.add(np.char.add(letters, " "), ids),
            np.where(
                template == "LN",
                np.char.add(letters, ids),
                np.where(
                    template == "l N",
                    np.char.add(np.char.add(np.char.lower(letters), " "), ids),
                    np.char.add(template.astype(str), ids),
                ),
            ),
        )
        out[rows] = rendered
    return out


def render_house_numbers(rows: pd.DataFrame, rng: np.random.Generator, spaced: float) -> np.ndarray:
    """House numbers of `rows` (`house_number`, `suffix` columns), letter suffixes `spaced`
    of the time spaced (`12 A`) and as often lowercase (`12a`)."""
    house_number, suffix = rows["house_number"].to_numpy(), rows["suffix"].to_numpy()
    out = house_number.astype(object).copy()
    rows = np.nonzero(suffix != "")[0]
    draw = rng.random(len(rows))
    for i, u in zip(rows, draw, strict=True):
        base = out[i][: -len(suffix[i])]
        if u < spaced:
            out[i] = f"{base} {suffix[i]}"
        elif u < 2 * spaced:
            out[i] = f"{base}{suffix[i].lower()}"
    return out


def apply_case(text: pd.Series, case: np.ndarray) -> pd.Series:
    """Whole-string case per row: `upper`, `lower` or `asis`."""
    out = text.copy()
    upper, lower = case == "upper", case == "lower"
    out[upper] = text[upper].str.upper()
    out[lower] = text[lower].str.lower()
    return out


@dataclass(frozen=True)
class StreetNoise:
    """How a source spells streets: its styles per region and the noise it adds."""

    styles: dict[str, dict[str, float]]
    """Region code -> weighted styles (`US_STREET_STYLES`, ...). Each region's styles are
    drawn for every record, region after region in this order; a record gets its own
    region's."""
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
        drawn, mine = choose(rng, weights, n), region == code
        style[mine] = drawn[mine]
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
    by_postcode = rows["postcode"].map(POSTCODE_PLACE_NAMES).to_numpy()
    by_town = rows["locality"].map(LOCALITY_ALIASES).to_numpy()
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
