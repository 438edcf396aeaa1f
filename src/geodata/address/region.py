"""Country (ISO 3166-1 alpha-2) and region (ISO 3166-2) resolution through pycountry.

pycountry lookups are slow, so every public function here is cached.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import pycountry

from geodata.address.tables import COUNTRY_ALIASES
from geodata.address.text import fold

_ISO_3166_2 = re.compile(r"([A-Z]{2})-([A-Z0-9]{1,3})")
_DOTS_AND_SPACES = re.compile(r"[.\s]+")
_NAME_PUNCTUATION = re.compile(r"[^\w\s]|_")
# The longest US state/territory name has 4 words ("United States Minor Outlying Islands").
_MAX_NAME_WORDS = 4


def _name_key(name: str) -> str:
    """Accent-free, casefolded, punctuation-free form of a place name for lookups."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NAME_PUNCTUATION.sub(" ", stripped).split())


@lru_cache(maxsize=1024)
def resolve_country(raw: str) -> str | None:
    """ISO 3166-1 alpha-2 code of a country given by code or name.

    Args:
        raw: "US", "usa", "United States", "U.K.", "Finland", "Suomi", "FIN", ...

    Returns:
        The alpha-2 code ("US", "GB", "FI"), or None if the country is not recognised.
    """
    key = " ".join(_DOTS_AND_SPACES.sub(" ", raw.casefold()).split())
    if not key:
        return None
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    try:
        return pycountry.countries.lookup(key).alpha_2
    except LookupError:
        return None


US_STATE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "AL": ("ALA",),
    "AZ": ("ARIZ",),
    "AR": ("ARK",),
    "CA": ("CALIF", "CAL"),
    "CO": ("COLO",),
    "CT": ("CONN",),
    "DE": ("DEL",),
    "FL": ("FLA",),
    "IL": ("ILL",),
    "IN": ("IND",),
    "KS": ("KAN", "KANS"),
    "MA": ("MASS",),
    "MI": ("MICH",),
    "MN": ("MINN",),
    "MS": ("MISS",),
    "MT": ("MONT",),
    "NE": ("NEB", "NEBR"),
    "NV": ("NEV",),
    "NH": ("N H",),
    "NJ": ("N J",),
    "NM": ("N M", "N MEX"),
    "NY": ("N Y",),
    "NC": ("N C",),
    "ND": ("N D", "N DAK"),
    "OK": ("OKLA",),
    "OR": ("ORE", "OREG"),
    "PA": ("PENN", "PENNA"),
    "RI": ("R I",),
    "SC": ("S C",),
    "SD": ("S D", "S DAK"),
    "TN": ("TENN",),
    "TX": ("TEX",),
    "WA": ("WASH",),
    "WV": ("W VA",),
    "WI": ("WIS", "WISC"),
    "WY": ("WYO",),
}
"""The traditional abbreviations of US states (the Government Printing Office's style
manual, before the two-letter codes), as people still write them ("Calif.", "N.Y."),
dots read as spaces."""


@lru_cache(maxsize=512)
def _subdivisions(iso_3166_1: str) -> tuple[frozenset[str], dict[str, str]]:
    """All ISO 3166-2 codes of a country and a name-key -> code map."""
    codes: set[str] = set()
    names: dict[str, str] = {}
    if iso_3166_1 == "US":
        for local, abbreviations in US_STATE_ABBREVIATIONS.items():
            names.update({_name_key(written): f"US-{local}" for written in abbreviations})
    translations = [
        gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language], fallback=True)
        for language in SUBDIVISION_LANGUAGES.get(iso_3166_1, ())
    ]
    for subdivision in pycountry.subdivisions.get(country_code=iso_3166_1) or ():
        codes.add(subdivision.code)
        # Some names carry a local form in brackets: "Torfaen [Tor-faen]"; a country
        # of two languages names its regions in both ("Uusimaa", "Nyland").
        written = [subdivision.name, *(t.gettext(subdivision.name) for t in translations)]
        for name in " [".join(written).replace("]", "").split("["):
            key = _name_key(name)
            if key:
                names.setdefault(key, subdivision.code)
    return frozenset(codes), names


SUBDIVISION_LANGUAGES: dict[str, tuple[str, ...]] = {"FI": ("fi", "sv")}
"""The official languages a country's regions are also named in, besides the names of
ISO 3166-2 (the translations of the iso-codes project that pycountry ships): Finland's
regions in Finnish and Swedish ("Uusimaa", "Nyland")."""


GB_POSTAL_COUNTIES = frozenset(
    {
        # Counties that are no ISO 3166-2 subdivision of GB: the metropolitan counties,
        # counties named in postal addresses until 1996, the preserved counties of Wales
        # and the counties of Northern Ireland.
        *("GREATER LONDON", "GREATER MANCHESTER", "MERSEYSIDE", "WEST MIDLANDS"),
        *("SOUTH YORKSHIRE", "WEST YORKSHIRE", "TYNE AND WEAR", "TYNE WEAR"),
        *("MIDDLESEX", "AVON", "CLEVELAND", "HUMBERSIDE", "CORNWALL", "NORTHUMBERLAND"),
        *("RUTLAND", "ISLE OF WIGHT", "COUNTY DURHAM", "CO DURHAM"),
        *("CLWYD", "DYFED", "GWENT", "GWYNEDD", "POWYS"),
        *("MID GLAMORGAN", "SOUTH GLAMORGAN", "WEST GLAMORGAN"),
        *("MIDLOTHIAN", "EAST LOTHIAN", "WEST LOTHIAN", "FIFE"),
        *("CO ANTRIM", "CO ARMAGH", "CO DOWN", "CO FERMANAGH", "CO LONDONDERRY", "CO TYRONE"),
        *("COUNTY ANTRIM", "COUNTY ARMAGH", "COUNTY DOWN", "COUNTY FERMANAGH"),
        *("COUNTY LONDONDERRY", "COUNTY TYRONE"),
        # The abbreviations people write for them.
        *("BEDS", "BERKS", "BUCKS", "CAMBS", "DERBYS", "GLOS", "GLOUCS", "HANTS", "HERTS"),
        *("LANCS", "LEICS", "LINCS", "NORTHANTS", "NOTTS", "OXON", "STAFFS", "WARKS"),
        *("WILTS", "WORCS", "YORKS", "N YORKS", "S YORKS", "W YORKS", "E SUSSEX"),
        *("W SUSSEX", "W MIDLANDS", "MIDDX"),
    }
)
"""Upper-case names of British counties people write after the post town beyond those
`british_counties` reads from ISO 3166-2 (a county that is also a post town's name,
Durham, is written here only with its "County")."""


@lru_cache(maxsize=1)
def british_counties() -> frozenset[str]:
    """Upper-case names of British counties as people add them to an address ("DEVON",
    "BERKSHIRE"): the two-tier counties among the ISO 3166-2 subdivisions of GB, and
    every subdivision name ending in a shire, with the shire's own name ("WEST
    BERKSHIRE" and "BERKSHIRE"). Counties have not been part of a postal address
    since 1996, but many still write them after the post town."""
    found: set[str] = set(GB_POSTAL_COUNTIES)
    for subdivision in pycountry.subdivisions.get(country_code="GB") or ():
        name = " ".join(subdivision.name.replace("]", "").split("[")[0].upper().split())
        last = name.rsplit(" ", 1)[-1]
        if subdivision.type == "Two-tier county":
            found.add(name)
        if last.endswith("SHIRE"):
            found.update({name, last})
    return frozenset(found)


@lru_cache(maxsize=4096)
def resolve_region(raw: str, iso_3166_1: str | None) -> str | None:
    """ISO 3166-2 code of a region given by full code, local code or name.

    Args:
        raw: "US-CA", "CA", "California", "FI-18", "18", "Uusimaa" (case-insensitive).
        iso_3166_1: Alpha-2 code of the country the region must belong to; when None, only a
            full ISO 3166-2 code is accepted.

    Returns:
        The ISO 3166-2 code ("US-CA", "FI-18"), or None if unrecognised or not a subdivision of
        the country.
    """
    text = " ".join(fold(raw).split())
    if not text:
        return None
    match = _ISO_3166_2.fullmatch(text)
    if match:
        country, local = match.groups()
        if iso_3166_1 is not None and country != iso_3166_1:
            return None
        code = f"{country}-{local}"
        return code if code in _subdivisions(country)[0] else None
    if iso_3166_1 is None:
        return None
    codes, names = _subdivisions(iso_3166_1)
    code = f"{iso_3166_1}-{text.replace('.', '')}"
    if code in codes:
        return code
    return names.get(_name_key(text))


def country_of_region_code(raw: str) -> str | None:
    """Country of a region written as a full ISO 3166-2 code ("US-CA" -> "US").

    Args:
        raw: Region text as given.

    Returns:
        The alpha-2 country code if raw is a valid ISO 3166-2 code, else None.
    """
    match = _ISO_3166_2.fullmatch(" ".join(fold(raw).split()))
    if match is None:
        return None
    code = resolve_region(raw, None)
    return match.group(1) if code else None


@lru_cache(maxsize=1)
def _countries_by_region() -> dict[str, frozenset[str]]:
    """Every subdivision name and local code (name key or folded code) -> the countries
    that have a subdivision of that name or code."""
    found: dict[str, set[str]] = {}
    for country in pycountry.countries:
        codes, names = _subdivisions(country.alpha_2)
        for key in [*names, *(fold(code.split("-", 1)[1]) for code in codes)]:
            found.setdefault(key, set()).add(country.alpha_2)
    return {key: frozenset(countries) for key, countries in found.items()}


@lru_cache(maxsize=4096)
def country_of_region(raw: str) -> str | None:
    """The country a region names, when it is a full ISO 3166-2 code or the name or local
    code of a subdivision of exactly one country ("England", "ENG" -> "GB"; "CA" is a
    subdivision of several countries -> None).

    Args:
        raw: Region text as given.

    Returns:
        The alpha-2 country code, or None when the region names no country alone.
    """
    by_code = country_of_region_code(raw)
    if by_code is not None:
        return by_code
    text = " ".join(fold(raw).split())
    countries = _countries_by_region().get(_name_key(text)) or _countries_by_region().get(
        text.replace(".", "")
    )
    return next(iter(countries)) if countries is not None and len(countries) == 1 else None


def find_region_at_end(tokens: Sequence[str], iso_3166_1: str) -> int | None:
    """Where a trailing region (code or name of up to four words) starts in a token list.

    Used on free text such as "SAN FRANCISCO CA" or "BERKELEY CALIFORNIA".

    Args:
        tokens: Folded tokens.
        iso_3166_1: Country whose subdivisions are looked for.

    Returns:
        The index of the first token of the region, or None if the tokens do not end with one.
    """
    codes, names = _subdivisions(iso_3166_1)
    if not tokens:
        return None
    for size in range(min(_MAX_NAME_WORDS, len(tokens)), 0, -1):
        if size == 1 and (f"{iso_3166_1}-{tokens[-1]}" in codes or tokens[-1] in codes):
            # A name of more words first: "W VA" (West Virginia) is no "VA".
            return len(tokens) - 1
        if _name_key(" ".join(tokens[-size:])) in names:
            return len(tokens) - size
    return None
