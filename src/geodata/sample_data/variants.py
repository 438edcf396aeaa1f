"""How sources spell addresses: street, unit and house-number variants, typos, free text.

Each renderer takes canonical parts (uppercase, as in the truth) and a style
or a random generator, and returns what a source would write.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from geodata.sample_data.vocabulary import (
    ALTERNATE_TYPE_ABBREVIATIONS,
    ASCII_FOLDING,
    DIRECTIONALS,
    FINNISH_ABBREVIATED_ENDINGS,
    GB_TYPE_ABBREVIATIONS,
    KEYBOARD_NEIGHBOURS,
    USPS_STREET_TYPES,
)
from geodata.sample_data.world import title_words

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


def render_house_numbers(
    house_number: np.ndarray, suffix: np.ndarray, rng: np.random.Generator, spaced: float
) -> np.ndarray:
    """House numbers with letter suffixes sometimes spaced (`12 A`) or lowercase (`12a`)."""
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
