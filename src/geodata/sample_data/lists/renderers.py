"""How people write the parts of an address in each country, from the truth's facts.

A row is one address's facts (`world.ListsWorld.facts`) as a dict; every function returns
text as some source would write it. The sources (`sources`) choose how often each form
appears.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Mapping

from geodata.sample_data.lists.errors import cased, leading_zeros_lost, maybe, slip_in, weighted
from geodata.sample_data.lists.vocabulary import (
    GB_TYPE_ABBREVIATIONS,
    EnglishStreet,
    FinnishStreet,
)

Row = Mapping[str, object]
Streets = Mapping[str, FinnishStreet | EnglishStreet]

US_DIRECTIONS = {"N": "North", "S": "South", "E": "East", "W": "West"}


def _english(row: Row, streets: Streets) -> EnglishStreet:
    street = streets[str(row["street_key"])]
    assert isinstance(street, EnglishStreet)
    return street


def _finnish(row: Row, streets: Streets) -> FinnishStreet:
    street = streets[str(row["street_key"])]
    assert isinstance(street, FinnishStreet)
    return street


# --- United States -------------------------------------------------------------------------


def us_street(row: Row, streets: Streets, style: str) -> str:
    """A US street: `usps` (`N HARPER AVE`), `title` (`N Harper Ave`), `spelled` (`North
    Harper Avenue`), `dotted` (`N. Harper Ave.`), `lower`, or `no_directional` (`Harper Ave`,
    the directional forgotten)."""
    street = _english(row, streets)
    d = str(row["directional"] or "")
    if style == "no_directional":
        return f"{street.name} {street.usps_type.title()}"
    if style == "spelled":
        return " ".join(p for p in (US_DIRECTIONS.get(d, ""), street.name, street.type_word) if p)
    if style == "dotted":
        return " ".join(
            p for p in (f"{d}." if d else "", street.name, f"{street.usps_type.title()}.")
        )
    text = " ".join(p for p in (d, street.name.upper(), street.usps_type) if p)
    return cased(text, {"usps": "upper", "title": "title", "lower": "lower"}[style])


def us_house_number(row: Row, r: random.Random) -> str:
    """`123`, and for split lots `123A`, `123 A`, `123-A`, `123a`; `123 1/2` or `123½`."""
    base = str(row["hn_base"])
    if row["fraction"]:
        return f"{base}½" if maybe(r, 0.2) else f"{base} 1/2"
    letter = str(row["letter"] or "")
    if not letter:
        return base
    form = weighted(r, {"glued": 0.5, "space": 0.2, "hyphen": 0.15, "lower": 0.15})
    return {
        "glued": f"{base}{letter}",
        "space": f"{base} {letter}",
        "hyphen": f"{base}-{letter}",
        "lower": f"{base}{letter.lower()}",
    }[form]


US_UNIT_FORMS: dict[str, dict[str, float]] = {
    "APT": {
        "APT {}": 0.35,
        "Apt {}": 0.2,
        "Apt. {}": 0.1,
        "#{}": 0.15,
        "# {}": 0.05,
        "Apartment {}": 0.1,
        "Unit {}": 0.05,
    },
    "STE": {"STE {}": 0.35, "Suite {}": 0.35, "Ste. {}": 0.1, "#{}": 0.15, "Ste {}": 0.05},
}
"""How people write a US apartment or suite (the designator kept, shortened or a `#`)."""


def us_unit(row: Row, r: random.Random, forms: Mapping[str, Mapping[str, float]]) -> str | None:
    """The unit written in one of `forms` for its designator; None for no unit."""
    if row["unit"] is None:
        return None
    designator, _, ident = str(row["unit"]).partition(" ")
    return weighted(r, forms[designator]).format(ident)


def us_zip(row: Row, r: random.Random, plus4_share: float) -> str:
    """A ZIP, sometimes with a +4 add-on (made up from the street and number)."""
    zip5 = str(row["postcode"])
    if maybe(r, plus4_share):
        # The add-on names a block face: the same for neighbours, never looked up anywhere.
        add_on = zlib.crc32(str(row["street"]).encode()) % 100 * 100 + int(row["hn_base"]) % 100
        return f"{zip5}-{add_on:04d}"
    return zip5


# --- Finland -------------------------------------------------------------------------------


def fi_street(row: Row, streets: Streets, swedish: bool) -> str:
    """The street's Finnish name as written (`Agricolankatu`), or its Swedish one."""
    street = _finnish(row, streets)
    return street.swedish if swedish and street.swedish else street.finnish


def has_swedish(row: Row, streets: Streets) -> bool:
    """Whether the address's street has a Swedish name."""
    return _finnish(row, streets).swedish is not None


FI_LETTER_FORMS: dict[str, float] = {
    "15b": 0.45,
    "15 b": 0.2,
    "15 B": 0.15,
    "15B": 0.15,
    "15": 0.05,
}
"""A Finnish house letter: lower case glued by the rules, spaced or capital as people type it,
now and then dropped."""


def fi_house_number(
    row: Row, r: random.Random, forms: Mapping[str, float] = FI_LETTER_FORMS
) -> str:
    """`15`, or with the house's letter in one of `forms` (`15` drops the letter)."""
    base = str(row["hn_base"])
    letter = str(row["letter"] or "")
    if not letter:
        return base
    form = weighted(r, forms)
    return {
        "15b": f"{base}{letter.lower()}",
        "15 b": f"{base} {letter.lower()}",
        "15 B": f"{base} {letter}",
        "15B": f"{base}{letter}",
        "15": base,
    }[form]


FI_STAIRCASE_FORMS: dict[str, float] = {"B 12": 0.75, "B12": 0.13, "b 12": 0.12}
FI_AS_FORMS: dict[str, float] = {"as 2": 0.5, "as. 2": 0.3, "asunto 2": 0.1, "AS 2": 0.1}


def fi_unit(
    row: Row,
    r: random.Random,
    staircase_forms: Mapping[str, float] = FI_STAIRCASE_FORMS,
    as_forms: Mapping[str, float] = FI_AS_FORMS,
) -> str | None:
    """A staircase and apartment (`B 12`, `B12`, `b 12`) or an `as` apartment
    (`as 2`, `as. 2`, `asunto 2`); None for no unit."""
    if row["unit"] is None:
        return None
    unit = str(row["unit"])
    ident = str(row["unit_id"])
    if unit.startswith("AS "):
        form = weighted(r, as_forms)
        return {"as 2": "as {}", "as. 2": "as. {}", "asunto 2": "asunto {}", "AS 2": "AS {}"}[
            form
        ].format(ident)
    stair = str(row["staircase"])
    form = weighted(r, staircase_forms)
    return {
        "B 12": f"{stair} {ident}",
        "B12": f"{stair}{ident}",
        "b 12": f"{stair.lower()} {ident}",
    }[form]


def fi_postcode(row: Row, r: random.Random, zeros_lost_share: float) -> str:
    """`00100`, or `100` from a file that kept it as a number."""
    code = str(row["postcode"])
    return leading_zeros_lost(code) if maybe(r, zeros_lost_share) else code


def fi_town(swedish: bool, style: str = "asis") -> str:
    """`Helsinki`, or `Helsingfors` in a Swedish address, in `style` case."""
    return cased("Helsingfors" if swedish else "Helsinki", style)


def fi_line(
    row: Row, streets: Streets, r: random.Random, *, swedish: bool, slip_share: float = 0.0
) -> str:
    """`Agricolankatu 15b B 12`: street, number (with letter) and unit."""
    street = fi_street(row, streets, swedish)
    if maybe(r, slip_share):
        street = slip_in(street, r)
    unit = fi_unit(row, r)
    return " ".join(p for p in (street, fi_house_number(row, r), unit) if p)


# --- Great Britain -------------------------------------------------------------------------


def gb_street(row: Row, streets: Streets, key: str, style: str) -> str:
    """A British street (`street_key` or `parent_street`): `upper` (`FIR LANE`), `title`,
    `abbreviated` (`Fir Ln`) or `abbreviated_upper` (`FIR LN`)."""
    street = streets[str(row[key])]
    assert isinstance(street, EnglishStreet)
    type_word = street.type_word
    if type_word and style.startswith("abbreviated"):
        type_word = GB_TYPE_ABBREVIATIONS[type_word]
    text = " ".join(p for p in (street.name, type_word) if p)
    return text.upper() if style in ("upper", "abbreviated_upper") else text


GB_SUB_FORMS: dict[str, float] = {
    "FLAT 8": 0.75,
    "Flat 8": 0.15,
    "8": 0.05,
    "FLAT 8 (no space)": 0.05,
}


def gb_sub_building(
    row: Row, r: random.Random, forms: Mapping[str, float] = GB_SUB_FORMS
) -> str | None:
    """The flat as written: `FLAT 8`, `Flat 8`, a bare `8`, `FLAT8`; an apartment block's
    `APARTMENT 5` the same way (`Apartment 5`, `APT 5`)."""
    if row["unit"] is None:
        return None
    word = str(row["flat_word"])
    ident = str(row["unit_id"])
    form = weighted(r, forms)
    if form == "8":
        return ident
    if form == "FLAT 8 (no space)":
        return f"{'APT' if word == 'APARTMENT' else word}{ident}"
    text = f"{word} {ident}"
    return text.title() if form == "Flat 8" else text


def gb_number(row: Row, r: random.Random) -> str | None:
    """The building number (`12`, `12A`, `12a`), None for a building known by its name only."""
    if row["house_number"] is None:
        return None
    letter = str(row["letter"] or "")
    base = str(row["hn_base"])
    if letter and maybe(r, 0.3):
        return f"{base}{letter.lower()}"
    return f"{base}{letter}"


def gb_elements(
    row: Row,
    streets: Streets,
    r: random.Random,
    *,
    street_style: str,
    building_share: float,
    parent_share: float,
    dependent_locality_share: float,
    town: str | None,
    postcode: str | None,
    number_lost_share: float = 0.0,
) -> list[str | None]:
    """The address in Royal Mail's order: sub-building, building name, number and street,
    dependent thoroughfare's parent, dependent locality, post town, postcode.

    A building with a number may lose its name (`building_share`), or keep the name
    and lose the number (`number_lost_share` of those that keep it: a block's residents
    write its name); one without a number always keeps its name, as it is then the only
    thing that says which building.
    """
    number = gb_number(row, r)
    building = row["building_name"]
    if building is not None and number is not None:
        if not maybe(r, building_share):
            building = None
        elif number_lost_share > 0 and maybe(r, number_lost_share):
            number = None
    street = gb_street(row, streets, "street_key", street_style)
    parent = None
    if row["parent_street"] is not None and maybe(r, parent_share):
        parent = gb_street(row, streets, "parent_street", street_style)
    locality = row["dependent_locality"] if maybe(r, dependent_locality_share) else None
    # Names are written in the street's case.
    case = "upper" if street_style in ("upper", "abbreviated_upper") else "title"
    return [
        gb_sub_building(row, r),
        cased(str(building), case) if building else None,
        f"{number} {street}" if number else street,
        parent,
        cased(str(locality), case) if locality else None,
        town,
        postcode,
    ]


def gb_postcode(row: Row, r: random.Random, forms: Mapping[str, float]) -> str | None:
    """The postcode as `spaced` (`LE3 2AB`), `compact` (`LE32AB`), `lower` or `missing`."""
    form = weighted(r, forms)
    code = str(row["postcode"])
    return {
        "spaced": code,
        "compact": code.replace(" ", ""),
        "lower": code.lower(),
        "missing": None,
    }[form]
