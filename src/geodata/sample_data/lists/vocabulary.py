"""The `lists` family's names, read from faker's locale data and halved between the splits.

Every list is split by a stable hash of each entry, so the `tune` and `report` splits never
share a street name, town, postcode area or building name, whatever the seed. Street types,
building words and unit designators are shared: there are too few of them to halve.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from faker.providers.address.en_GB import Provider as GbAddress
from faker.providers.address.en_US import Provider as UsAddress
from faker.providers.address.fi_FI import Provider as FiAddress
from faker.providers.address.sv_SE import Provider as SvAddress
from faker.providers.company.fi_FI import Provider as FiCompany
from faker.providers.person.en_GB import Provider as GbPerson
from faker.providers.person.en_US import Provider as UsPerson
from faker.providers.person.fi_FI import Provider as FiPerson

from geodata.sample_data.lists import SPLITS

USPS_SUFFIXES: dict[str, str] = {
    "Alley": "ALY",
    "Avenue": "AVE",
    "Bypass": "BYP",
    "Circle": "CIR",
    "Court": "CT",
    "Cove": "CV",
    "Creek": "CRK",
    "Crescent": "CRES",
    "Crossing": "XING",
    "Drive": "DR",
    "Gardens": "GDNS",
    "Glen": "GLN",
    "Green": "GRN",
    "Grove": "GRV",
    "Heights": "HTS",
    "Highway": "HWY",
    "Hill": "HL",
    "Hollow": "HOLW",
    "Lane": "LN",
    "Loop": "LOOP",
    "Manor": "MNR",
    "Meadows": "MDWS",
    "Park": "PARK",
    "Parkway": "PKWY",
    "Pass": "PASS",
    "Path": "PATH",
    "Place": "PL",
    "Plaza": "PLZ",
    "Point": "PT",
    "Ridge": "RDG",
    "Road": "RD",
    "Row": "ROW",
    "Run": "RUN",
    "Square": "SQ",
    "Street": "ST",
    "Terrace": "TER",
    "Trail": "TRL",
    "View": "VW",
    "Vista": "VIS",
    "Walk": "WALK",
    "Way": "WAY",
}
"""USPS Publication 28 (Appendix C1) abbreviations of the suffixes a US street here may take;
only those faker's en_US list also holds are used."""

GB_TYPE_ABBREVIATIONS: dict[str, str] = {
    "Avenue": "Ave",
    "Court": "Ct",
    "Crescent": "Cres",
    "Drive": "Dr",
    "Gardens": "Gdns",
    "Green": "Grn",
    "Grove": "Gr",
    "Hill": "Hill",
    "Lane": "Ln",
    "Mews": "Mews",
    "Park": "Pk",
    "Place": "Pl",
    "Road": "Rd",
    "Row": "Row",
    "Square": "Sq",
    "Street": "St",
    "Terrace": "Terr",
    "View": "View",
    "Walk": "Walk",
    "Way": "Way",
}
"""British thoroughfare types (those of faker's en_GB suffixes in use in England) and the
abbreviations people write for them."""

GB_UNTYPED_SHARE = 0.1
"""Share of British streets whose name has no thoroughfare type (BS 7666 and Royal Mail
do not require one: a street may be named like a field or a farm)."""

GB_UNTYPED_WORDS: tuple[str, ...] = (
    "Meadow",
    "Orchard",
    "Acre",
    "Paddock",
    "Grange",
    "Heath",
    "Spinney",
    "Leys",
)
"""Last words of British street names without a thoroughfare type (`Harper Meadow`): the
land they were built on, none of them a thoroughfare type."""

GB_BUILDING_WORDS: tuple[str, ...] = ("COURT", "HOUSE", "LODGE", "MILL", "HALL", "MANSIONS")
"""Last words of the names of British blocks of flats (`HARPER COURT`, `WINTER MILL`)."""

GB_HOUSE_WORDS: tuple[str, ...] = ("COTTAGE", "HOUSE", "LODGE", "BARN", "FARM")
"""Last words of the names of British houses (`BAILEY COTTAGE`)."""

GB_TOWN_SUFFIXES: tuple[str, ...] = (
    "borough",
    "bury",
    "chester",
    "haven",
    "land",
    "mouth",
    "port",
    "side",
    "ton",
)
"""The English ones among faker's en_GB town suffixes."""

NON_ENGLISH_POSTCODE_AREAS: frozenset[str] = frozenset(
    {
        *("AB", "DD", "DG", "EH", "FK", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "TD", "ZE"),
        *("BT", "CF", "LD", "LL", "NP", "SA", "GY", "IM", "JE"),
    }
)
"""Postcode areas in Scotland, Northern Ireland, Wales and the Crown dependencies."""

SWEDISH_TYPES: dict[str, str] = {
    "katu": "gatan",
    "tie": "vägen",
    "kuja": "gränd",
    "polku": "stigen",
}
"""Finnish street type -> its Swedish one in Helsinki's bilingual names (from faker's sv_SE
suffixes); a `bulevardi` keeps no Swedish name here."""

FI_TYPE_WEIGHTS: dict[str, float] = {
    "katu": 0.42,
    "tie": 0.3,
    "kuja": 0.12,
    "polku": 0.12,
    "bulevardi": 0.04,
}
"""How often each of faker's Finnish street types ends a Helsinki street."""


def split_of(entry: str) -> str:
    """The split a vocabulary entry belongs to: the parity of its folded name's SHA-1."""
    digest = hashlib.sha1(entry.strip().casefold().encode()).digest()
    return SPLITS[digest[0] % 2]


def in_split(entries: Iterable[str], split: str) -> list[str]:
    """The distinct entries of `split`, sorted (so faker's list order does not matter)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    return sorted({e for e in entries if split_of(e) == split})


@dataclass(frozen=True)
class FinnishStreet:
    """A Helsinki street: its Finnish name as written (`Agricolankatu`) and its Swedish one."""

    finnish: str
    swedish: str | None

    @property
    def canonical(self) -> str:
        """The street as the engine prints it: `AGRICOLANKATU`."""
        return self.finnish.upper()


@dataclass(frozen=True)
class EnglishStreet:
    """A British or US street: the name (`Harper`) and its type word (`Road`; empty for a
    British street named without one)."""

    name: str
    type_word: str

    @property
    def gb_canonical(self) -> str:
        """`HARPER ROAD`: British types spelled out (`HARPER MEADOW` has none)."""
        return " ".join(p for p in (self.name, self.type_word) if p).upper()

    @property
    def usps_type(self) -> str:
        """The type's USPS abbreviation (`AVE`)."""
        return USPS_SUFFIXES[self.type_word]

    @property
    def us_canonical(self) -> str:
        """`HARPER AVE`: USPS abbreviation (without a directional)."""
        return f"{self.name.upper()} {self.usps_type}"


def _draw_combinations(
    names: list[str], types: dict[str, float], count: int, rng: np.random.Generator
) -> list[tuple[str, str]]:
    """`count` distinct (name, type) pairs: every name once with a drawn type, then again
    with another type, ... (as `Agricolankatu` and `Agricolankuja` both exist)."""
    kinds = list(types)
    pairs: list[tuple[str, str]] = []
    taken: set[tuple[str, str]] = set()
    for _ in range(len(kinds)):
        for name in rng.permutation(names):
            free = [k for k in kinds if (name, k) not in taken]
            p = np.array([types[k] for k in free]) / sum(types[k] for k in free)
            kind = str(rng.choice(free, p=p))
            taken.add((str(name), kind))
            pairs.append((str(name), kind))
            if len(pairs) == count:
                return pairs
    return pairs


def finnish_streets(split: str, count: int, rng: np.random.Generator) -> list[FinnishStreet]:
    """Helsinki streets from faker's fi_FI street prefixes (parsed from Helsinki's street list)
    and types; a one-word name also gets its Swedish form (`Agricolagatan`)."""
    swedish_suffixes = set(SvAddress.street_suffixes)
    prefixes = in_split(FiAddress.street_prefixes, split)
    types = {t: FI_TYPE_WEIGHTS[t] for t in dict.fromkeys(FiAddress.street_suffixes)}
    streets = []
    for prefix, kind in _draw_combinations(prefixes, types, count, rng):
        sv_type = SWEDISH_TYPES.get(kind)
        swedish = None
        if sv_type in swedish_suffixes and not prefix.endswith(" ") and " " not in prefix:
            # The Finnish genitive's -n goes: Agricolankatu / Agricolagatan.
            stem = prefix[:-1] if prefix.endswith("n") else prefix
            swedish = f"{stem}{sv_type}"
        streets.append(FinnishStreet(f"{prefix}{kind}", swedish))
    return streets


def _english_streets(
    names: list[str], words: Iterable[str], count: int, rng: np.random.Generator
) -> list[EnglishStreet]:
    types = dict.fromkeys(words, 1.0)
    # Streets and roads outnumber the rest.
    for common in ("Street", "Road", "Avenue", "Lane"):
        if common in types:
            types[common] = 4.0
    return [EnglishStreet(n, t) for n, t in _draw_combinations(names, types, count, rng)]


def british_streets(
    split: str, count: int, rng: np.random.Generator, untyped: np.random.Generator
) -> list[EnglishStreet]:
    """British streets: en_GB surnames with the English thoroughfare types of en_GB's list,
    a share (`GB_UNTYPED_SHARE`, drawn from `untyped`) with a word for the land instead
    (`GB_UNTYPED_WORDS`)."""
    words = [w for w in GbAddress.street_suffixes if w in GB_TYPE_ABBREVIATIONS]
    streets = _english_streets(british_surnames(split), words, count, rng)
    # Drawn apart, so that the other streets and names are those drawn without them.
    plain_names = untyped.random(len(streets)) < GB_UNTYPED_SHARE
    land = untyped.choice(GB_UNTYPED_WORDS, size=len(streets))
    named: list[EnglishStreet] = []
    for street, plain, word in zip(streets, plain_names, land, strict=True):
        instead = EnglishStreet(f"{street.name} {word}", "")
        # Another of the name's streets may have been given the same word.
        named.append(instead if plain and instead not in named else street)
    return named


def us_streets(split: str, count: int, rng: np.random.Generator) -> list[EnglishStreet]:
    """US streets: en_US surnames and first names with en_US suffixes that have a Pub 28
    abbreviation here."""
    words = [w for w in UsAddress.street_suffixes if w in USPS_SUFFIXES]
    names = in_split(_plain_names([*UsPerson.last_names, *UsPerson.first_names_female]), split)
    return _english_streets(names, words, count, rng)


def _plain_names(names: Iterable[str]) -> list[str]:
    """Names of letters only (an apostrophe's canonical form differs between countries)."""
    return [n for n in names if n.isalpha()]


def british_surnames(split: str) -> list[str]:
    """en_GB surnames of the split (building and place names)."""
    return in_split(_plain_names(GbPerson.last_names), split)


def british_towns(split: str, count: int, rng: np.random.Generator) -> list[str]:
    """`count` English-looking town names: an en_GB surname and an English town suffix."""
    surnames = rng.permutation(british_surnames(split))
    suffixes = [s for s in dict.fromkeys(GbAddress.city_suffixes) if s in GB_TOWN_SUFFIXES]
    return [f"{s}{suffixes[k % len(suffixes)]}".upper() for k, s in enumerate(surnames[:count])]


def postcode_areas(split: str) -> list[str]:
    """English two-letter postcode areas from faker's en_GB `POSTAL_ZONES`."""
    return in_split(
        (a for a in GbAddress.POSTAL_ZONES if len(a) == 2 and a not in NON_ENGLISH_POSTCODE_AREAS),
        split,
    )


def us_towns(split: str, count: int, rng: np.random.Generator) -> list[str]:
    """`count` US town names in faker's en_US `{{city_prefix}} {{last_name}}{{city_suffix}}`
    form (`NORTH HARPERVILLE`)."""
    surnames = rng.permutation(in_split(_plain_names(UsPerson.last_names), split))
    prefixes = list(dict.fromkeys(UsAddress.city_prefixes))
    suffixes = list(dict.fromkeys(UsAddress.city_suffixes))
    return [
        f"{prefixes[k % len(prefixes)]} {s}{suffixes[(3 * k) % len(suffixes)]}".upper()
        for k, s in enumerate(surnames[:count])
    ]


def california_zips(split: str, count: int, rng: np.random.Generator) -> list[str]:
    """`count` ZIP codes of the split's half of every seventh code in faker's en_US range
    for California."""
    low, high = UsAddress.states_postcode["CA"]
    codes = in_split((f"{z:05d}" for z in range(low, high + 1, 7)), split)
    return sorted(str(c) for c in rng.choice(codes, size=count, replace=False))


def helsinki_postcodes(split: str, count: int, rng: np.random.Generator) -> list[str]:
    """`count` Helsinki postcodes (`00100` ... `00990`, tens) of the split's half."""
    codes = in_split((f"00{n:03d}" for n in range(100, 1000, 10)), split)
    return sorted(str(c) for c in rng.choice(codes, size=count, replace=False))


def finnish_venues(split: str, count: int, rng: np.random.Generator) -> list[str]:
    """`count` Finnish business names (`Aaltonen Oy`) from faker's fi_FI surnames and company
    suffixes, as written before the street by business directories."""
    surnames = rng.permutation(in_split(FiPerson.last_names, split))
    suffixes = [s for s in dict.fromkeys(FiCompany.company_suffixes) if s != "As Oy"]
    return [f"{s} {suffixes[k % len(suffixes)]}" for k, s in enumerate(surnames[:count])]
