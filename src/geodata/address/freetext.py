"""Free-text address parsing into raw parts (house number, street, unit, locality, ...).

Handles US ("123 N Main St Apt 4, San Francisco, CA 94103"), Finnish
("Mannerheimintie 12 A 5, 00100 Helsinki") and British ("Flat 2, 10 High Street, London SW1A 1AA")
layouts; the parts it returns are normalized afterwards like structured input.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from geodata.address.house_number import (
    MISSPELLED_BUILDING_WORDS,
    is_fraction_token,
    is_house_number_token,
    is_vulgar_fraction,
    misread_digits,
)
from geodata.address.postcode import is_gb_postcode, is_us_zip, normalize_postcode
from geodata.address.region import british_counties, find_region_at_end, resolve_country
from geodata.address.slips import LETTERS, keying_slips, unambiguous_slips
from geodata.address.tables import (
    COUNTRY_ALIASES,
    DIRECTIONALS,
    GB_BUILDING_ABBREVIATIONS,
    GB_BUILDING_WORDS,
    GB_COMPASS_WORDS,
    GB_LAND_WORDS,
    GB_THOROUGHFARE_TYPES,
    STREET_SUFFIXES,
    UNIT_DESIGNATORS,
    UNIT_DESIGNATORS_WITHOUT_ID,
    US_ROUTE_KINDS,
    US_TYPE_ONLY_SUFFIXES,
)
from geodata.address.text import clean_words, free_text_tokens, split_glued_name
from geodata.address.unit import (
    find_unit_start,
    is_unit_tokens,
    leading_unit_length,
    unit_run_length,
)

# Commas, semicolons, line breaks and brackets separate an address's parts. Brackets set a
# part apart as a comma does: "12 High St (Rear) Exampletown", "Kaivokatu 1 (Asemahalli)
# 00100 Helsinki"; a bracketed remark is never glued to the street, the number or the
# town beside it. So does a slash with spaces on both sides ("FLAT 3 / 12 FIR LANE /
# EXAMPLETOWN"), but between two single digits, a fraction ("123 1 / 2 MAIN ST").
_PART_SEPARATOR = re.compile(r"[,;\n()\[\]]+")
_PART_SEPARATOR_OR_SLASH = re.compile(
    _PART_SEPARATOR.pattern + r"|(?<!\b\d)\s+/+\s+|\s+/+\s+(?!\d\b)"
)


def split_parts(text: str) -> list[str]:
    """The parts of an address, as its separators set them apart (a spaced slash
    looked for only where the text has a slash)."""
    return (_PART_SEPARATOR_OR_SLASH if "/" in text else _PART_SEPARATOR).split(text)


_FI_POSTCODE = re.compile(r"(?:FIN?-?)?\d{5}")
# Elsewhere in Europe postcodes are 4-6 digits written before the locality.
_GENERIC_POSTCODE = re.compile(r"\d{4,6}")
_US_ZIP4_ADDON = re.compile(r"\d{4}")
_FIVE_DIGITS = re.compile(r"\d{5}")
_ZIP_WITHOUT_ZEROS = re.compile(r"\d{3,4}")
"""A ZIP whose leading zeros a numeric column dropped (Boston's "02134" as "2134")."""
# Finnish street names end in their type ("-katu", "-tie", ...); Helsinki also uses Swedish
# names ("-gatan", "-vägen"). Used to tell a Finnish "street number, postcode locality" address
# from other European ones written the same way.
_FI_STREET_ENDINGS = (
    "TIE",
    "KATU",
    "KUJA",
    "POLKU",
    "VÄYLÄ",
    "KAARI",
    "RANTA",
    "RINNE",
    "TORI",
    "AUKIO",
    "PUISTIKKO",
    "PIHA",
    "LAITA",
    "TANHUA",
    "KULMA",
    "MÄKI",
    "GATAN",
    "VÄGEN",
    "STIGEN",
    "GRÄND",
    "ESPLANADI",
    "BULEVARDI",
    "RAITTI",
    "SILTA",
    "ESPLANADEN",
    "BOULEVARDEN",
    "TORGET",
    "KAJEN",
    "STRANDEN",
    "BACKEN",
)
# The same with their letters' diacritics lost ("ITAVAYLA", "KALLIOMAKI").
_FI_STREET_ENDINGS += tuple(
    sorted(
        {e.translate(str.maketrans("ÄÖÅ", "AOA")) for e in _FI_STREET_ENDINGS}
        - set(_FI_STREET_ENDINGS)
    )
)
# Countries whose street line is "name number [staircase apartment]".
_NUMBER_AFTER_STREET = frozenset({"FI"})
# Countries whose street line is "number name [unit]".
_NUMBER_BEFORE_STREET = frozenset({"US", "GB"})

_TRAILING_UNIT_COUNTRIES = frozenset({"US"})
"""Countries where a bare number after the street type is a unit ("MAIN ST 4")."""

_POSTCODE_SHAPED = frozenset({"US", "GB", "FI"})
"""Countries whose postcodes have a shape `normalize_postcode` checks."""

_BARE_UNIT = re.compile(r"\d+[A-Z]?")
_GLUED_STAIRCASE = re.compile(r"[A-Z]\d+")
_LETTER = re.compile(r"[^\W\d_]")
# An Edinburgh flat named by its floor and its place on the landing: "2F1" (second
# floor, flat 1), "PF3" (principal floor), "GF2" (ground), "BF1" (basement).
_FLOOR_AND_FLAT = re.compile(r"(?:[1-9]|[BGP])F\d{1,2}")
# A Finnish postcode stored as a number lost its leading zeros ("100" for "00100").
_FI_POSTCODE_WITHOUT_ZEROS = re.compile(r"\d{3,4}")

_NUMBERED_ROUTE_TYPES = frozenset({"HWY", "RTE", "FWY", "EXPY", "TPKE", "PIKE", "CR"})
"""Street types (Pub 28 abbreviations) that routes carry with a number ("US HWY 101"); a
road ("RD") only after a word that makes it one (`_NUMBERED_ROAD_KINDS`)."""


class ParsedAddress(NamedTuple):
    """Raw address parts found in free text (not yet normalized); None where absent."""

    house_number: str | None
    street: str | None
    unit: str | None
    locality: str | None
    region: str | None
    postcode: str | None
    country: str | None


class StreetLine(NamedTuple):
    """Raw parts of one street line: "123 Main St Apt 4" or "Mannerheimintie 12 A 5"."""

    house_number: str | None
    street: str | None
    unit: str | None
    locality: str | None


_EMPTY_LINE = StreetLine(None, None, None, None)


@lru_cache(maxsize=65536)
def split_street(raw: str, iso_3166_1: str | None, has_house_number: bool) -> StreetLine:
    """Split a structured street field that may also hold a house number or unit.

    Args:
        raw: The street field ("Main St Apt 4", "123 Main St", "Mannerheimintie 12 A 5").
        iso_3166_1: Alpha-2 country code, decides where a house number is looked for.
        has_house_number: True if the record has its own house number; then no number is
            taken from the street.

    Returns:
        The street line parts (locality is always None here).
    """
    if iso_3166_1 in _POST_OFFICE_BOXES:
        box = _post_office_box_line([free_text_tokens(raw)], iso_3166_1)
        if box is not None and not box[1]:
            # A box alone ("PL 123") is the street, as in a line.
            return StreetLine(None, box[0], None, None)
    if iso_3166_1 == "GB":
        words = _british_words(free_text_tokens(raw))
        return _british_street_field(_scottish_flats([words])[0], has_house_number)
    tokens = _finnish_street_field(raw) if iso_3166_1 == "FI" else free_text_tokens(raw)
    if iso_3166_1 == "US" and not has_house_number:
        # Read on the words the street is printed with, so that it parses to itself.
        leading, rest = _leading_units(_split_slashes(_street_line_words(tokens, iso_3166_1)))
        if leading and len(rest) >= 2 and is_house_number_token(rest[0]):
            # "Apt 4, 123 Main St": the unit written before the number, as in free text.
            line = split_street(" ".join(rest), iso_3166_1, has_house_number)
            return line._replace(unit=_join([*leading, *(line.unit or "").split()]))
    line = parse_street_line(tokens, iso_3166_1, has_house_number=has_house_number)
    if line.unit is None and line.street and iso_3166_1 in _TRAILING_UNIT_COUNTRIES:
        words = line.street.split(" ")
        if _ends_in_bare_unit(words):
            return line._replace(street=" ".join(words[:-1]), unit=f"# {words[-1]}")
    return line


def _ends_in_bare_unit(words: Sequence[str]) -> bool:
    """Whether a US street line's last word is a unit whose designator was dropped: a
    bare number after the street's type ("SKYLINE DR 1503", "PINE RIDGE DR 4B"), which
    no route's number is ("US HIGHWAY 101")."""
    return (
        len(words) >= 3
        and _BARE_UNIT.fullmatch(words[-1]) is not None
        and words[-2] in STREET_SUFFIXES
        and not _is_route_number(words[:-1], words[-1])
    )


_FI_ABBREVIATED_TYPE = re.compile(
    r"(?<![^\W\d_])([^\W\d_]{3,}?)(kj|väg|k|t|p|r|g|v)\.(?=[\s,;]|\d|$)", re.IGNORECASE
)
_FI_TYPE_ENDINGS = {
    "k": "katu", "t": "tie", "kj": "kuja", "p": "polku", "r": "ranta", "g": "gatan",
    "v": "vägen", "väg": "vägen",
}  # fmt: skip
_FI_ABBREVIATED_ADJECTIVE = re.compile(
    r"(?<![^\W\d_])(pohj|et|it|länt|p|e|i|l|n|s|ö)\.?\s+(?=[^\W\d_]{4,}\b)", re.IGNORECASE
)
_FI_ADJECTIVES = {
    "pohj": "Pohjoinen", "p": "Pohjoinen", "et": "Eteläinen", "e": "Eteläinen",
    "it": "Itäinen", "i": "Itäinen", "länt": "Läntinen", "l": "Läntinen",
    "n": "Norra", "s": "Södra", "ö": "Östra",
}  # fmt: skip


@lru_cache(maxsize=65536)
def expand_finnish_abbreviations(text: str) -> str:
    """Finnish and Swedish street words written short, spelled out: a type ending cut
    at its first letter or two with a dot ("Kaivok.", "Mannerheimint.", "Lehtikj.",
    "Ekbacksg.", "Granholmsv." are -katu, -tie, -kuja, -gatan, -vägen), and the
    adjective that begins a two-word name ("Pohj. Kanavakatu", "P. Kanavakatu", "N.
    Kajen") before the street word it belongs to."""
    text = _FI_ABBREVIATED_TYPE.sub(
        lambda m: (
            # "bost. 4": an apartment's designator written short is no street.
            m.group(0)
            if (m.group(1) + m.group(2)).upper() in UNIT_DESIGNATORS
            else m.group(1)
            + _FI_TYPE_ENDINGS[m.group(2).lower()]
            + (" " if text[m.end() : m.end() + 1].isdigit() else "")
        ),
        text,
    )

    def adjective(match: re.Match[str]) -> str:
        following = text[match.end() :].split(maxsplit=1)[0].upper()
        is_street = following.rstrip(",;").endswith(_FI_STREET_ENDINGS)
        return f"{_FI_ADJECTIVES[match.group(1).lower()]} " if is_street else match.group(0)

    return _FI_ABBREVIATED_ADJECTIVE.sub(adjective, text)


# A Finnish staircase named with its word ("B-rappu", "B rappu", "rappu B", "porras B";
# Swedish "trappa B", "B-trappan"): the letter alone is how addresses write it
# ("Kaivokatu 15 B 12"), so the word goes and the letter stays.
# An apartment named after a staircase so written is the staircase's apartment
# ("rappu A, asunto 7", "B-rappu as. 12"): the letter and the number, as "A 7" writes
# them, its designator (and a comma before it) dropped.
_FI_STAIRCASE_WORDS = r"(?:rappu|porras|trappa|trappan|trappuppgång)"
_FI_APARTMENT_AFTER = r"(?:\s*,?\s*(?:as|asunto|bst|bost|bostad|huoneisto)\.?\s*(?=\d))?"
_FI_STAIRCASE = re.compile(
    rf"(?<![\w-])(?:([A-Za-zÄÖÅäöå])\s*-?\s*{_FI_STAIRCASE_WORDS}"
    rf"|{_FI_STAIRCASE_WORDS}\s+([A-Za-zÄÖÅäöå]))(?![\w-])({_FI_APARTMENT_AFTER})",
    re.IGNORECASE,
)


def drop_finnish_staircase_words(text: str) -> str:
    """A Finnish staircase written with its word, as its letter alone ("15 B-rappu" is
    "15 B", "rappu C 4" is "C 4", "rappu A, asunto 7" is "A 7")."""
    return _FI_STAIRCASE.sub(
        lambda m: (m.group(1) or m.group(2)) + (" " if m.group(3) else ""), text
    )


def has_parts(text: str) -> bool:
    """Whether text is written in parts (commas, semicolons, brackets, line breaks or
    spaced slashes between words)."""
    parts = split_parts(text)
    return len(parts) >= 2 and sum(1 for part in parts if free_text_tokens(part)) >= 2


def _finnish_street_field(raw: str) -> list[str]:
    """The words of a Finnish street field without a premise or venue name, which some
    files write before or after the street and its number ("Asemahalli, Kaivokatu 1",
    "Kaivokatu 1, Asemahalli"), as free text is read."""
    parts = [tokens for tokens in map(free_text_tokens, split_parts(raw)) if tokens]
    if len(parts) < 2:
        return [token for tokens in parts for token in tokens]
    if not any(c.isdigit() for tokens in parts for token in tokens for c in token):
        # No number here (the record has its own): the street is the part with a street word.
        streets = [
            tokens for tokens in parts if any(t.endswith(_FI_STREET_ENDINGS) for t in tokens)
        ]
        return streets[0] if streets else [token for tokens in parts for token in tokens]
    parts = _without_premise_name(_number_parts_joined(parts))
    # A part after the street's with neither a digit nor a unit designator is a name.
    kept = parts[:1] + [
        tokens
        for tokens in parts[1:]
        if any(c.isdigit() for token in tokens for c in token) or is_unit_tokens(tokens)
    ]
    return [token for tokens in kept for token in tokens]


def parse_street_line(
    tokens: Sequence[str],
    iso_3166_1: str | None,
    *,
    has_house_number: bool = False,
    split_locality: bool = False,
) -> StreetLine:
    """Split the tokens of a street line into house number, street, unit and locality.

    Args:
        tokens: Tokens from free_text_tokens.
        iso_3166_1: Alpha-2 country code; "FI" reads the number after the street name, "US"
            and "GB" before it, other countries by whichever comes first.
        has_house_number: Do not look for a house number.
        split_locality: The line also holds the locality after the street ("77 Pine St San
            Jose"); it starts after the first street suffix and any unit.

    Returns:
        The raw parts joined with spaces, None where absent.
    """
    tokens = _street_line_words(tokens, iso_3166_1)
    if not tokens:
        return _EMPTY_LINE
    if not has_house_number:
        number_first = iso_3166_1 in _NUMBER_BEFORE_STREET or (
            iso_3166_1 not in _NUMBER_AFTER_STREET and is_house_number_token(tokens[0])
        )
        if number_first and len(tokens) >= 2 and is_house_number_token(tokens[0]):
            house_number = tokens[0]
            rest = tokens[1:]
            if len(rest) >= 2 and is_fraction_token(rest[0]):
                house_number = f"{house_number} {rest[0]}"
                rest = rest[1:]
            elif iso_3166_1 == "US" and _is_spaced_house_letter(rest):
                house_number, rest = house_number + rest[0], rest[1:]
            return _street_unit_locality(house_number, rest, split_locality, iso_3166_1)
        if not number_first:
            tokens = _split_slashes(tokens)
            # The number must come before any unit, so the street left in front of it holds no
            # unit either, whichever way it is parsed again.
            unit_at = find_unit_start(tokens, 1)
            for index in range(1, len(tokens) if unit_at is None else unit_at):
                if is_house_number_token(tokens[index]):
                    number, rest = tokens[index], tokens[index + 1 :]
                    if number.isdigit() and _is_letter_before_unit(rest):
                        # "Mannerheimintie 15 b A 3", "15 B as 2": a lone letter with a
                        # staircase and apartment (or "as" and a number) after it is the
                        # house's letter.
                        number, rest = number + rest[0], rest[1:]
                    locality = None
                    if split_locality:
                        # "Hämeentie 7 B 22 Helsinki": the unit is a staircase and an
                        # apartment, or "as" and a number; words after it are the town.
                        end = _trailing_unit_length(rest)
                        rest, locality = rest[:end], _join(rest[end:])
                    if len(rest) == 1 and _LETTER.fullmatch(rest[0]) and number.isdigit():
                        # "Kaivokatu 15 b": a lone letter after the number is the house's
                        # letter; a staircase comes with an apartment number ("15 B 12").
                        number, rest = number + rest[0], []
                    return StreetLine(number, _join(tokens[:index]), _join(rest), locality)
            if len(tokens) >= 2 and is_house_number_token(tokens[0]):
                # "12 Kaivokatu", "23 a Haravakuja", "1 Adolf Lindforsin tie": the number
                # (and its letter) written before a street of up to three words that ends
                # in its type; "4 Linja" (the fourth "line") is a street's name.
                number, start = tokens[0], 1
                if len(tokens) >= 3 and _LETTER.fullmatch(tokens[1]) and number.isdigit():
                    number, start = number + tokens[1], 2
                if any(token.endswith(_FI_STREET_ENDINGS) for token in tokens[start : start + 3]):
                    return _street_unit_locality(number, tokens[start:], split_locality, iso_3166_1)
    return _street_unit_locality(None, tokens, split_locality, iso_3166_1)


def _is_spaced_house_letter(rest: Sequence[str]) -> bool:
    """Whether the first word after a house number is its letter, written apart ("123 B
    PARSONS MDWS", "510 A N GIBSON ALY").

    A lone letter that is no directional, followed by a name that is neither a street
    type ("12 B ST" is B Street) nor another initial ("12 J F KENNEDY BLVD").
    """
    return (
        len(rest) >= 3
        and len(rest[0]) == 1
        and rest[0].isalpha()
        and rest[0] not in DIRECTIONALS
        and rest[0] not in _NAME_PREFIX_LETTERS
        and rest[1] not in STREET_SUFFIXES
        and (len(rest[1]) > 1 or rest[1] in DIRECTIONALS)
    )


_NAME_PREFIX_LETTERS = frozenset({"O"})
"""A lone letter that begins a name once its apostrophe is lost ("219 O DONNELL ST" is
O'Donnell Street): no house letter (a house's letters stop well before O, which
reads as a zero)."""


@lru_cache(maxsize=65536)
def split_house_number_field(raw: str) -> tuple[str, str | None]:
    """A house number field that also holds the unit, split into the two.

    "15 b A 3" (the house's letter, a staircase and an apartment), "12 A 3", "12 A3"
    (a staircase and an apartment), "15 as 2", "12 FLAT 3": the number (with its
    letter) and the unit after it. A field with nothing after the number, or words that
    are no unit ("12 REAR" is a number the house number normalizer keeps), is returned
    whole.

    Args:
        raw: The house number field as given.

    Returns:
        The house number text and the unit text (None when the field holds no unit).
    """
    tokens = free_text_tokens(raw)
    words = [token for token in tokens if token != "#"]
    leading = leading_unit_length(words)
    if leading and len(words) == leading + 1 and is_house_number_token(words[-1]):
        # "Flat 3 12": the unit before the number.
        return words[-1], " ".join(words[:leading])
    if len(tokens) >= 3 and tokens[0].isdigit() and _is_letter_before_unit(tokens[1:]):
        return tokens[0] + tokens[1], " ".join(tokens[2:])
    if len(tokens) >= 3 and is_house_number_token(tokens[0]) and is_unit_tokens(tokens[1:]):
        return tokens[0], " ".join(tokens[1:])
    if len(tokens) >= 2 and is_house_number_token(tokens[0]) and _is_staircase_unit(tokens[1:]):
        # A letter with a number after it is no house's letter: a letter alone is
        # ("12 B"), a number after the house's own number is a flat's.
        return tokens[0], " ".join(tokens[1:])
    return raw, None


def unit_field_alone(raw: str, iso_3166_1: str | None) -> str | None:
    """The unit a house number field holds when it holds nothing else: a designator and
    its identifier ("Flat 2", "Apt 4"), a flat named by its floor ("Ground Floor
    Flat"), or in Finland a staircase and an apartment ("A 3"); None for any other
    field ("12", "12 Flat 3", "Willow Mill", and "#5", the number sign before a
    house's own number)."""
    tokens = free_text_tokens(raw)
    if not tokens or tokens[0] == "#":
        return None
    words = [token for token in tokens if token != "#"]
    if leading_unit_length(words) == len(words) or (
        iso_3166_1 == "FI" and _is_staircase_unit(tokens)
    ):
        return " ".join(tokens)
    return None


def _is_staircase_unit(tokens: Sequence[str]) -> bool:
    """Whether the words are a staircase letter and an apartment number, apart or
    together ("A 3", "A3", "B 12")."""
    if len(tokens) == 1:
        return _GLUED_STAIRCASE.fullmatch(tokens[0]) is not None
    return (
        len(tokens) == 2
        and _LETTER.fullmatch(tokens[0]) is not None
        and _BARE_UNIT.fullmatch(tokens[1]) is not None
    )


@lru_cache(maxsize=65536)
def split_british_unit_field(raw: str) -> tuple[str, str | None]:
    """A British unit field that also names the building, split into the two.

    "Flat 3 Maple Court", "Apartment 12, Riverside House": the sub-building and the
    building's name after it (a name ending in a building word). Anything else is
    returned whole, with no building.
    """
    tokens = free_text_tokens(raw)
    length = leading_unit_length(tokens)
    if 0 < length < len(tokens) and _is_building_name(tokens[length:]):
        return " ".join(tokens[:length]), " ".join(tokens[length:])
    return raw, None


@lru_cache(maxsize=65536)
def split_british_number_field(raw: str) -> tuple[str, str | None]:
    """A British house number field that holds a flat and its building, split into the
    building's name and the flat, as free text reads them.

    "Flat 3 Maple Court" (a sub-building and the building's name) and "10 Kestrel
    House" (a number before a name of a word that names only buildings: the flat's
    number) are the building MAPLE COURT with FLAT 3, KESTREL HOUSE with flat 10.
    Anything else ("12", "12A", "Willow Mill", "3 Maple Court", which may be a number
    on a street named Maple Court) is returned whole, with no unit.
    """
    flat, building = split_british_unit_field(raw)
    if building is not None:
        return building, flat
    tokens = free_text_tokens(raw)
    if _is_numbered_building(tokens):
        return " ".join(tokens[1:]), tokens[0]
    return raw, None


def _is_letter_before_unit(rest: Sequence[str]) -> bool:
    """Whether the words after a number-after-street house number start with its letter
    and then a unit: a lone letter, then a staircase letter or unit designator and a
    number ("B A 3", "B AS 2", "G B 12")."""
    return (
        len(rest) >= 3
        and _LETTER.fullmatch(rest[0]) is not None
        and (_LETTER.fullmatch(rest[1]) is not None or rest[1] in UNIT_DESIGNATORS)
        and _BARE_UNIT.fullmatch(rest[2]) is not None
    )


def _trailing_unit_length(tokens: Sequence[str]) -> int:
    """How many of the words after a number-after-street house number are its unit.

    A staircase letter or designator and the apartment number after it ("B 22",
    "AS 5"), or a lone letter or number; the words after those are not the unit.
    """
    if not tokens:
        return 0
    if _GLUED_STAIRCASE.fullmatch(tokens[0]):
        # "Kaivokatu 1 B12": a staircase letter and its apartment written together.
        return 1
    first_is_prefix = _LETTER.fullmatch(tokens[0]) or tokens[0] in UNIT_DESIGNATORS
    if first_is_prefix and len(tokens) >= 2 and _BARE_UNIT.fullmatch(tokens[1]):
        return 2
    if first_is_prefix or _BARE_UNIT.fullmatch(tokens[0]):
        return 1
    return 0


def _street_line_words(tokens: Sequence[str], iso_3166_1: str | None) -> list[str]:
    """Street-line tokens cleaned into the words the street normalizer will print.

    A normalized street is parsed again when a record is fed back in, so every decision here
    must see the same words then: each token gets the street cleaning (the US drops apostrophes,
    "/" breaks words), only "#" and fractions (which may follow the house number) are kept
    whole, and a leading "#" or fraction is dropped or split as the printed street would be.
    """
    keep_apostrophe = iso_3166_1 != "US"
    words: list[str] = []
    for token in tokens:
        if token.isalnum() or token == "#" or is_fraction_token(token):
            # Tokens are already folded, so a plain word is already clean.
            words.append(token)
        else:
            words.extend(clean_words(token, keep_apostrophe=keep_apostrophe).split())
    while words and words[0] == "#":
        words.pop(0)
    if words and "/" in words[0]:
        words[:1] = _split_slashes(words[:1])
    if iso_3166_1 == "FI":
        words = [piece for word in words for piece in _finnish_glued_unit(word)]
    words = _misread_number_read(words, iso_3166_1)
    if iso_3166_1 in _NUMBER_BEFORE_STREET:
        return _glued_type_apart(words)
    return words


_GLUED_TYPES = ("STREET", "AVENUE", "ROAD", "LANE", "DRIVE")
"""Thoroughfare words that a writer glues to the name before them ("HIGHSTREET"), and
that no name of three letters or more ends with as a word of its own (unlike "HILL",
"GATE", "FIELD", "SIDE" or "WAY": "ROSEHILL", "SOUTHGATE", "BROADWAY")."""


def _glued_type_apart(words: list[str]) -> list[str]:
    """Street-line words with the word right after the house number written apart where
    it is a name and its thoroughfare word without the space between them ("12
    HIGHSTREET" is 12 HIGH STREET, "123 MAINSTREET" 123 MAIN STREET)."""
    for at in range(1, len(words)):
        word = words[at]
        if not word.endswith(_GLUED_TYPES) or not word.isalpha():
            continue
        if not is_house_number_token(words[at - 1]):
            continue
        kind = next(kind for kind in _GLUED_TYPES if word.endswith(kind))
        if len(word) - len(kind) >= 3:
            return [*words[:at], word[: -len(kind)], kind, *words[at + 1 :]]
    return words


def _misread_number_read(words: list[str], iso_3166_1: str | None) -> list[str]:
    """Street-line words with the house number read where it was written with letters
    for look-alike digits (`misread_digits`: "L2 FIR LANE" is 12, "KAIVOKATU 1O" is
    10): the first word of a British or American line, the first number-like word after
    the street's first word of a Finnish one, when the line has no number in digits
    there."""
    if len(words) < 2:
        return words
    if iso_3166_1 in _NUMBER_BEFORE_STREET:
        places = range(1)
    elif iso_3166_1 == "FI":
        places = range(1, len(words))
    else:
        return words
    for at in places:
        read = misread_digits(words[at])
        if read:
            return [*words[:at], read, *words[at + 1 :]]
        if words[at][:1].isdigit():
            break
    return words


def _finnish_glued_unit(word: str) -> list[str]:
    """ "3A4": a Finnish number, staircase and apartment written together ("3 A 4");
    "AS5", "BST5": the apartment's word and its number ("AS 5"); "KALEVANKATU4A12": the
    street's name and its number ("KALEVANKATU 4 A 12")."""
    match = _FI_GLUED_UNIT.fullmatch(word) or _FI_GLUED_APARTMENT.fullmatch(word)
    if match:
        return list(match.groups())
    name, *number = split_glued_name(word)
    return [name, *_finnish_glued_unit(number[0])] if number else [word]


def finnish_number_field_apart(raw: str) -> str:
    """A Finnish house number field with its staircase and apartment written together
    ("15B12", "3a4") written apart ("15 B 12"), as free text reads them; any other field
    as given (its letters' case tells a house's letter from a staircase)."""
    tokens = free_text_tokens(raw)
    pieces = [piece for token in tokens for piece in _finnish_glued_unit(token)]
    return " ".join(pieces) if len(pieces) != len(tokens) else raw


_FI_GLUED_UNIT = re.compile(r"(\d+)([A-Z])(\d+)")
_FI_GLUED_APARTMENT = re.compile(r"(AS|BST)(\d+[A-Z]?)")


def _split_slashes(tokens: Sequence[str]) -> list[str]:
    """Tokens split at "/", which the street normalizer reads as a word break.

    Splitting before looking for a unit keeps the search seeing the same words when a
    normalized street is parsed again.
    """
    return [piece for token in tokens for piece in token.split("/") if piece]


_NUMBERED_ROAD_KINDS = frozenset({"COUNTY", "STATE", "FOREST", "FARM"})
"""First words of roads known by a number ("COUNTY ROAD 12"); a plain "MAIN RD" is not."""


def _is_route_number(street: list[str], word: str) -> bool:
    """Whether `word` is the number of the route `street` ends with (its type last, or
    its kind as files write it: "CR", "CO RD", "SR", "US")."""
    if not street or not word.isdigit():
        return False
    if any(tuple(street[-size:]) in US_ROUTE_KINDS for size in (1, 2, 3, 4)):
        return True
    if street[-1] not in STREET_SUFFIXES:
        return False
    kind = STREET_SUFFIXES[street[-1]]
    if kind == "RD":
        # "COUNTY ROAD 12", "OLD COUNTY ROAD 12"; not "MAIN RD" with a unit after it.
        return any(word in _NUMBERED_ROAD_KINDS for word in street[:-1])
    return kind in _NUMBERED_ROUTE_TYPES


def _is_hyphenated_route(word: str) -> bool:
    """Whether `word` is a route's kind and number written as one word ("SR-9", "I-95",
    "US-41", "CR-12")."""
    kind, _, number = word.partition("-")
    return number.isdigit() and (kind,) in US_ROUTE_KINDS


def _unit_length_after_street(tokens: Sequence[str], at: int, iso_3166_1: str | None) -> int:
    """How many tokens at `at`, right after a US street's type or directional, are a unit
    written without a designator and identifier pair (0 if none).

    Pub 28 lets "REAR", "UPPER", "LOWER", "BASEMENT", "FRONT", "SIDE", "LOBBY",
    "OFFICE" and "PENTHOUSE" stand alone ("MAIN ST REAR", "MAIN ST N UPPER"), and a
    floor is written by its ordinal ("MAIN ST 2ND FLOOR"): after the street, such
    words name a part of the building, never the street's name or the town.
    """
    if (
        iso_3166_1 not in _TRAILING_UNIT_COUNTRIES
        or not 2 <= at < len(tokens)
        or (tokens[at - 1] not in STREET_SUFFIXES and tokens[at - 1] not in DIRECTIONALS)
    ):
        return 0
    if UNIT_DESIGNATORS.get(tokens[at]) in UNIT_DESIGNATORS_WITHOUT_ID:
        return 1
    return leading_unit_length(tokens[at:])


def _street_unit_locality(
    house_number: str | None, tokens: list[str], split_locality: bool, iso_3166_1: str | None
) -> StreetLine:
    """Split the tokens after the house number into street, unit and (optionally) locality."""
    tokens = _split_slashes(tokens)
    while tokens and tokens[0] == "#":
        tokens.pop(0)
    if iso_3166_1 == "US":
        tokens = _us_type_spelled(tokens)
    unit_at = find_unit_start(tokens, 1)
    if not split_locality:
        if unit_at is None:
            for at in range(2, len(tokens)):
                if _unit_length_after_street(tokens, at, iso_3166_1) == len(tokens) - at:
                    return StreetLine(house_number, _join(tokens[:at]), _join(tokens[at:]), None)
            if iso_3166_1 in _TRAILING_UNIT_COUNTRIES and _ends_in_bare_unit(tokens):
                # "500 PINE RIDGE DR 4B, MACON": the part ends with its unit.
                return StreetLine(house_number, _join(tokens[:-1]), f"# {tokens[-1]}", None)
            return StreetLine(house_number, _join(tokens), None, None)
        return StreetLine(house_number, _join(tokens[:unit_at]), _join(tokens[unit_at:]), None)

    # Best effort without commas. A unit designator ends the street ("GLEN PARK WAY STE 102
    # BRISBANE"); otherwise the street ends at its first suffix after a name word (in "S
    # HOLLOW RD" the suffix word HOLLOW is the name), extended over suffix words that
    # follow it directly ("GLEN PARK WAY": PARK is a suffix too) up to one that is only
    # ever a street's type ("ORCHARD LN CAMP HILL": the town begins after LN), plus a
    # postdirectional; a unit is a designator with one identifier.
    search_end = len(tokens) if unit_at is None else unit_at
    if unit_at is not None:
        street_end = unit_at
    else:
        suffixes = [index for index in range(1, search_end) if tokens[index] in STREET_SUFFIXES]
        named = [i for i in suffixes if any(t not in DIRECTIONALS for t in tokens[:i])]
        street_end = (named or suffixes or [search_end - 1])[0] + 1
        # A route named by its type and number alone ("HIGHWAY 1 PACIFICA").
        if search_end >= 2 and _is_route_number(tokens[:1], tokens[1]):
            street_end = 2
        elif search_end >= 1 and _is_hyphenated_route(tokens[0]):
            street_end = 1
        # (No town is a suffix word alone: a last one is the street's too.)
        while (
            street_end < search_end
            and STREET_SUFFIXES.get(tokens[street_end - 1]) not in US_TYPE_ONLY_SUFFIXES
            and tokens[street_end] in STREET_SUFFIXES
        ):
            street_end += 1
        # A numbered route's number follows its type ("STATE ROUTE 1 PACIFICA", "US
        # HIGHWAY 101 S", "COUNTY ROAD 12 WOODLAND"): a town is never a bare number.
        if street_end < search_end and _is_route_number(tokens[:street_end], tokens[street_end]):
            street_end += 1
        # An abbreviated directional after the suffix is the street's ("MAIN ST N SPRINGFIELD");
        # a spelled-out one with more words after it starts the town ("3RD ST SOUTH SAN
        # FRANCISCO"), since files that spell directionals out also spell them in town names.
        # At the end of the text it is the street's all the same, spelled out or not
        # ("123 MAIN STREET NORTH"): no town is a compass word alone.
        if (
            street_end < search_end
            and tokens[street_end] in DIRECTIONALS
            and (len(tokens[street_end]) <= 2 or street_end == len(tokens) - 1)
        ):
            street_end += 1
    if unit_at is None:
        if (
            iso_3166_1 in _TRAILING_UNIT_COUNTRIES
            and street_end < len(tokens)
            and _BARE_UNIT.fullmatch(tokens[street_end])
            and tokens[street_end - 1] in STREET_SUFFIXES
            and street_end >= 2
        ):
            # "123 MAIN ST 4 SAN FRANCISCO": a bare number after the street's type is a
            # unit whose designator was dropped (as in a street field), not a town.
            return StreetLine(
                house_number,
                _join(tokens[:street_end]),
                f"# {tokens[street_end]}",
                _join(tokens[street_end + 1 :]),
            )
        if length := _unit_length_after_street(tokens, street_end, iso_3166_1):
            # "123 MAIN ST REAR SPRINGFIELD": the part of the building, not the town's.
            return StreetLine(
                house_number,
                _join(tokens[:street_end]),
                _join(tokens[street_end : street_end + length]),
                _join(tokens[street_end + length :]),
            )
        return StreetLine(
            house_number, _join(tokens[:street_end]), None, _join(tokens[street_end:])
        )
    unit_end = unit_at + unit_run_length(tokens, unit_at)
    return StreetLine(
        house_number,
        _join(tokens[:street_end]),
        _join(tokens[unit_at:unit_end]),
        _join(tokens[street_end:unit_at] + tokens[unit_end:]),
    )


def parse_free_text(text: str, iso_3166_1: str | None) -> ParsedAddress:
    """Parse a one-line address into raw parts.

    Args:
        text: The free-text address; parts separated by commas, semicolons or newlines.
        iso_3166_1: Alpha-2 code of the country if known (a source constant); when None it is
            taken from a trailing country name or guessed from the layout.

    Returns:
        The raw parts; house_number and street are both None when the text is unparseable.
    """
    parts = [tokens for tokens in map(free_text_tokens, split_parts(text)) if tokens]
    country = iso_3166_1
    if len(parts) >= 2:
        named = _country_of_part(parts[-1], parts[:-1], country)
        if named is not None and country in (None, named):
            country = named
            parts.pop()
    if parts:
        country = _pop_trailing_country(parts, country)
    if len(parts) >= 3 and leading_unit_length(parts[-1]) == len(parts[-1]):
        # "123 Main St, Springfield, IL 62701, Apt 4": a unit written after the town's
        # line is the unit, read where a line writes it, after the street's.
        parts.insert(1, parts.pop())
    if country is None and len(parts) >= 3:
        # "..., Springfield, IL, USA, 62701": the country named before a postcode of its
        # own shape (it is taken out with the postcode, below).
        named = _country_of_part(parts[-2], parts[:-2], None)
        if named in _POSTCODE_SHAPED and normalize_postcode(" ".join(parts[-1]), named):
            country = named
    if country is None and parts:
        country = _guess_country(parts)
    if country == "FI":
        parts = [
            _country_prefix_joined(
                [piece for token in tokens for piece in _finnish_glued_unit(token)]
            )
            for tokens in parts
        ]

    region = locality = postcode = None
    if parts:
        if country == "US":
            postcode, region = _pop_us_zip_and_state(parts)
        elif country == "GB":
            postcode = _pop_gb_postcode(parts)
        else:
            region = _pop_region_part(parts, country)
            pattern = _FI_POSTCODE if country == "FI" else _GENERIC_POSTCODE
            postcode, locality = _pop_leading_postcode(parts, pattern)
            if postcode is None and country == "FI":
                postcode, locality = _pop_postcode_without_zeros(parts)
            if postcode is None and country == "FI":
                postcode = _pop_trailing_finnish_postcode(parts)
        parts = [tokens for tokens in parts if tokens]
        if (
            postcode
            and len(parts) >= 2
            and country is not None
            and _country_of_part(parts[-1], parts[:-1], country) == country
        ):
            # "..., Exampletown, UK, EX1 2AB": the country before the postcode.
            parts.pop()
            if country == "US" and region is None:
                # "..., Springfield, IL, USA, 62701": the state before the country.
                _, region = _pop_us_zip_and_state(parts)
                parts = [tokens for tokens in parts if tokens]
    box = _post_office_box_line(parts, country)
    if box is not None:
        # "PO BOX 123, EXAMPLETOWN", "PL 123, 00101 HELSINKI": a box is no house on a
        # street; it is the record's street, as a US box is, and the town follows it.
        street, after = box
        locality = locality or _join(after[-1] if after else None)
        return ParsedAddress(None, street, None, locality, None, postcode, country)
    if country == "GB":
        return _parse_british(parts, postcode)
    if country == "FI":
        parts = _without_premise_name(_number_parts_joined(parts))
    else:
        parts = _post_office_box_apart(_without_addressee(parts))

    units_before: list[str] = []
    units_after: list[str] = []
    street_tokens: list[str] | None = None
    locality_tokens: list[str] | None = None
    for tokens in parts:
        if street_tokens is None:
            # "APT 46 31 S TODD GRN": a unit written before the number and its street.
            leading, rest = _leading_units(tokens)
            if leading and len(rest) >= 2 and is_house_number_token(rest[0]):
                units_before.extend(leading)
                tokens = rest
        # One word in a part of its own right after the street, where a unit may stand.
        alone_after_street = (
            country in _TRAILING_UNIT_COUNTRIES
            and street_tokens is not None
            and locality_tokens is None
            and len(tokens) == 1
        )
        town_after = _town_after_unit(tokens) if street_tokens is not None else None
        if town_after is not None and locality_tokens is None:
            # "123 Main St, Apt 4 Springfield, IL": the unit, then the town without a
            # comma between them.
            units_after.extend(tokens[: len(tokens) - len(town_after)])
            locality_tokens = town_after
        elif is_unit_tokens(tokens):
            (units_before if street_tokens is None else units_after).extend(tokens)
        elif street_tokens is None and _is_unit_without_id(tokens):
            # "Rear, 31 Market St": a part of the building, before its number and street.
            units_before.extend(tokens)
        elif country == "FI" and street_tokens is not None and _is_staircase_unit(tokens):
            # "Kaivokatu 1, A 3": a staircase and apartment in a part of their own.
            units_after.extend(tokens)
        elif alone_after_street and _BARE_UNIT.fullmatch(tokens[0]):
            # "123 Main St, 4, San Francisco": a bare number of its own right after the
            # street is its unit, the designator dropped; no town is a number.
            units_after.extend(["#", tokens[0]])
        elif alone_after_street and _is_unit_without_id(tokens):
            # "123 Main St, Rear, Springfield": a designator that needs no number, on its
            # own right after the street, is the unit as it is right after the street type.
            units_after.append(UNIT_DESIGNATORS[tokens[0]])
        elif street_tokens is None:
            street_tokens = tokens
        else:
            # Building names or districts may sit between; the locality is the last part.
            locality_tokens = tokens

    line = _EMPTY_LINE
    if street_tokens is not None:
        line = parse_street_line(
            street_tokens,
            country,
            split_locality=locality is None and locality_tokens is None,
        )
        if (
            len(street_tokens) == 1
            and is_house_number_token(street_tokens[0])
            and (locality is not None or locality_tokens is not None)
            and not any(
                is_house_number_token(tokens[0]) for tokens in parts if tokens is not street_tokens
            )
        ):
            # "123, Springfield, IL 62701": a number alone before the town is the house
            # number of a record whose street was left empty (a line joined from
            # columns), not a street named by a number.
            line = StreetLine(street_tokens[0], None, None, None)
        # A lone line without a number ("Helsinki") is a place name, not a street; with a
        # locality after it ("Main St, Springfield") or its street's type ("Main St",
        # "Kaivokatu") it is a street without number.
        if (
            line.house_number is None
            and locality_tokens is None
            and locality is None
            and not ends_in_street_type(line.street, country)
        ):
            line = _EMPTY_LINE
            locality_tokens = street_tokens
    unit = _join([*units_before, *(line.unit or "").split(), *units_after])
    if locality is None:
        locality = _join(locality_tokens) if locality_tokens is not None else line.locality
    return ParsedAddress(line.house_number, line.street, unit, locality, region, postcode, country)


def ends_in_street_type(street: str | None, country: str | None) -> bool:
    """Whether a street line without a number names a street by its type: a US type that
    is only ever a street's ("MAIN ST", not "LAKE" or "PARK"), or a Finnish or Swedish
    type ending a longer word or following the name ("KAIVOKATU", "ADOLF LINDFORSIN
    TIE")."""
    words = (street or "").split()
    if not words:
        return False
    last = words[-1]
    if country == "US":
        return len(words) >= 2 and STREET_SUFFIXES.get(last) in US_TYPE_ONLY_SUFFIXES
    if country == "FI":
        return any(
            last.endswith(ending) and (len(last) > len(ending) + 2 or len(words) >= 2)
            for ending in _FI_STREET_ONLY_ENDINGS
        )
    return False


_FI_STREET_ONLY_ENDINGS = (
    *("TIE", "KATU", "KUJA", "POLKU", "VÄYLÄ", "VAYLA", "AUKIO", "ESPLANADI", "BULEVARDI"),
    *("GATAN", "VÄGEN", "VAGEN", "STIGEN", "GRÄND", "GRAND"),
)
"""Endings of Finnish and Swedish street names that end no town's name (a town may end
in "-mäki" or "-ranta": Riihimäki, Lappeenranta)."""


def _parse_british(parts: list[list[str]], postcode: str | None) -> ParsedAddress:
    """Parse a British address in the order of Royal Mail's Postcode Address File.

    Sub-building ("FLAT 8"), building name ("MAPLE COURT"), building number,
    thoroughfare, dependent locality, post town; any of them may be missing and the
    commas with them ("APARTMENT 5 MAPLE COURT 12 FIR LANE EXAMPLETOWN"). The
    building name identifies the premise when there is no number ("WILLOW MILL, FIR
    LANE"): it is returned as the house number then, and dropped beside a number.
    A dependent locality is never part of the street: the street ends at its
    thoroughfare word, and the locality is the last part (the post town).

    Args:
        parts: Token lists of the comma-separated parts, the postcode already removed.
        postcode: The postcode found at the end, if any.
    """
    unit_tokens: list[str] = []
    kept: list[list[str]] = []
    for tokens in _scottish_flats([words for words in map(_british_words, parts) if words]):
        if _is_unit_without_id(tokens):
            # "REAR, 31 MARKET STREET", "BASEMENT, 8 ABERNETHY SQUARE".
            unit_tokens.extend(tokens)
            continue
        while length := leading_unit_length(tokens):
            # Sub-buildings ("FLAT 8", "GROUND FLOOR FLAT", "FLAT 2 FIRST FLOOR"), alone
            # or at the start of a part.
            unit_tokens.extend(tokens[:length])
            tokens = tokens[length:]
        tokens, after_building = _unit_after_building_name(tokens)
        unit_tokens.extend(after_building)
        if tokens:
            kept.append(tokens)
    if not unit_tokens and len(kept) == 1 and len(kept[0]) == 1 and _is_place_word(kept[0][0]):
        # "ANDREWSTON", "ANDREWSTON BA1 1BE": one word with no number, no thoroughfare
        # and no building word is the town, as a lone town is in every country.
        return ParsedAddress(None, None, None, kept[0][0], None, postcode, "GB")
    kept = _number_after_street_first(kept)
    number_at = _premise_number(kept)
    if number_at is not None:
        part, index = number_at
        before = [token for tokens in kept[:part] for token in tokens] + kept[part][:index]
        if not unit_tokens and before and is_house_number_token(before[0]):
            # A bare number before the building's name and number is its flat's.
            unit_tokens = before[:1]
        line = kept[part][index:]
        after = kept[part + 1 :]
        typed = True
        if len(line) == 1 and len(after) >= 2 and _is_building_name(after[0]):
            # "6, WALSH MANSIONS, WHITE ROAD": a flat, its building, then the street
            # (with a type or without: "10, MCKENZIE MILL, AKHTAR LEYS").
            line, after, typed = line + after[0] + after[1], after[2:], False
        elif _is_numbered_building(line) and after and _ends_in_thoroughfare(after[0]):
            # "10 KESTREL HOUSE, ASH GROVE": the same, the flat's number by its building.
            line, after = line + after[0], after[1:]
        elif len(line) == 1 and after:
            # "12, FIR LANE, EXAMPLETOWN": the number stands alone before its street.
            line, after = line + after[0], after[1:]
        house_number, street, unit, tail = _british_street_line(
            line, commas=bool(after), typed=typed
        )
        premise = house_number
    else:
        premise, street, unit, tail, after = _british_named_premise(kept)
    if after and _county_length(after[-1]) == len(after[-1]) and (len(after) >= 2 or tail):
        # "..., EXAMPLETOWN, DEVON", "12 FIR LANE EXAMPLETOWN, DEVON": the county after
        # the post town is no locality.
        after = after[:-1]
    locality = _join(after[-1]) if after else _without_county(tail)
    unit = _join([*unit_tokens, *(unit or "").split()])
    return ParsedAddress(premise, street, unit, locality, None, postcode, "GB")


@lru_cache(maxsize=65536)
def british_building_beside_number(text: str) -> str | None:
    """The building's name a British line writes beside its building number, which the
    parse leaves out of the address ("APARTMENT 5 MAPLE COURT 12 FIR LANE", "THE OLD
    RECTORY, 12 CHURCH LANE": MAPLE COURT, THE OLD RECTORY); None when it writes none.

    The name is what stands before the number, less the sub-building: a name ending in
    a building word, or a part of name words of its own before the number's part.
    """
    parts = [
        words for words in map(_british_words, map(free_text_tokens, split_parts(text))) if words
    ]
    number_at = _premise_number(parts)
    if number_at is None:
        return None
    part, index = number_at
    before = [token for tokens in parts[:part] for token in tokens] + parts[part][:index]
    while length := leading_unit_length(before):
        before = before[length:]
    if before and is_house_number_token(before[0]):
        # "3, MAPLE COURT, 12 FIR LANE": the flat's number.
        before = before[1:]
    # "MAPLE HOUSE FLAT 5, 12 FIR LANE": the sub-building after its building, as the
    # parse reads it before the number.
    before = _unit_after_building_name([*before, parts[part][index]])[0][:-1]
    if _is_building_name(before):
        return _join(before)
    own_part = index == 0 and part >= 1 and before == parts[part - 1]
    if own_part and _are_name_words(before, least=1) and not _has_thoroughfare_word([before]):
        # "OAKLANDS, 7 FIR LANE": a house's name may be one word in a part of its own.
        return _join(before)
    return None


@lru_cache(maxsize=65536)
def british_building_before_street(text: str) -> str | None:
    """The building's name a British street field writes before the street, for a
    record whose number has a field of its own ("MAPLE COURT, FIR LANE" beside "12":
    MAPLE COURT); None when the field starts with no building's name."""
    words = _british_words(free_text_tokens(text))
    street = _without_building_name(words, typed=False)
    name = words[: len(words) - len(street)]
    return _join(name) if len(street) < len(words) and _is_building_name(name) else None


def _number_after_street_first(parts: list[list[str]]) -> list[list[str]]:
    """British parts with a house number written after its street put first ("FIR LANE
    12, EXAMPLETOWN", "FIR LANE 12 EXAMPLETOWN": the order of the continent's
    addresses): the address's first number, after the words of a street named by its
    thoroughfare word (no building's: "MAPLE COURT 12" names a building and its
    number), with no thoroughfare word after it in its part."""
    for part, tokens in enumerate(parts):
        at = next((i for i, token in enumerate(tokens) if token[:1].isdigit()), None)
        if at is None:
            continue
        street, number, rest = tokens[:at], tokens[at], tokens[at + 1 :]
        if (
            len(street) >= 2
            and all(word.isalpha() for word in street)
            and street[-1] in GB_THOROUGHFARE_TYPES
            and not _is_building_word(street[-1])
            and is_house_number_token(number)
            and not any(word in GB_THOROUGHFARE_TYPES for word in rest)
        ):
            return [*parts[:part], [number, *street, *rest], *parts[part + 1 :]]
        return parts
    return parts


def _is_place_word(word: str) -> bool:
    """Whether a British word can only name a place: letters, and no thoroughfare or
    building word."""
    return word.isalpha() and word not in GB_THOROUGHFARE_TYPES and not _is_building_word(word)


def _is_building_word(word: str) -> bool:
    """Whether a word ends a building's name, spelled out or short ("COURT", "CT")."""
    return GB_BUILDING_ABBREVIATIONS.get(word, word) in GB_BUILDING_WORDS


def _unit_after_building_name(tokens: list[str]) -> tuple[list[str], list[str]]:
    """A part without the sub-building written right after its building's name, and the
    sub-building ("MAPLE HOUSE FLAT 5 12 FIR LANE": flat 5 of Maple House, the order
    of the Postcode Address File turned round). Words must follow it: a street."""
    for index in range(2, len(tokens) - 1):
        if tokens[index - 1] in GB_BUILDING_WORDS:
            length = leading_unit_length(tokens[index:])
            if length and index + length < len(tokens):
                return tokens[:index] + tokens[index + length :], tokens[index : index + length]
    return tokens, []


def _county_length(tokens: Sequence[str]) -> int:
    """How many words at the end of `tokens` name a British county (0 if none)."""
    counties = british_counties()
    for size in (3, 2, 1):
        if len(tokens) >= size and " ".join(tokens[-size:]) in counties:
            return size
    return 1 if tokens and tokens[-1].endswith("SHIRE") else 0


def _without_county(tail: str | None) -> str | None:
    """A British locality tail without a county after the town ("EXAMPLETOWN DEVON")."""
    if tail is None:
        return None
    words = tail.split()
    size = _county_length(words)
    return _join(words[:-size]) if 0 < size < len(words) else tail


def _british_street_field(tokens: list[str], has_house_number: bool) -> StreetLine:
    """A British street field that may hold the rest of the premise too.

    "FLAT 8 MAPLE COURT 12 FIR LANE": sub-building, building name, number and
    street, as in free text; "WILLOW MILL FIR LANE": a named premise and its
    street. A record with a house number of its own takes none from the street
    field. Words after the thoroughfare word are a locality, not the street, and
    are left out.
    """
    unit_tokens, tokens = _leading_units(tokens)
    unit = _join(unit_tokens)
    if has_house_number:
        # A street field holds a street: after a building's name, it is the rest, with
        # a type or without ("SINGH MILL, AKHTAR LEYS").
        tokens = _without_building_name(tokens, typed=False)
        end = _british_street_end(tokens, commas=True)
        return StreetLine(None, _join(tokens[:end]), unit, None)
    number_at = _premise_number([tokens])
    if number_at is not None:
        before = tokens[: number_at[1]]
        if not unit_tokens and before and is_house_number_token(before[0]):
            # "9 59 FITZGERALD PARK": a bare number before the building's is its flat's.
            unit = before[0]
        # After a building's name the number is the building's, on its street: no second
        # building follows ("FLAT 9 BOYLE HOUSE 68 BALDWIN COURT WILLIAMSONLAND", the
        # field holding the places too), unless its street's type says where it ends.
        named_before = bool(before) and not is_house_number_token(before[0])
        house_number, street, line_unit, _ = _british_street_line(
            tokens[number_at[1] :], commas=True, typed=named_before
        )
        return StreetLine(
            house_number, street, _join([*(unit or "").split(), *(line_unit or "").split()]), None
        )
    named = _without_building_name(tokens, typed=False)
    if len(named) < len(tokens) and not any(word in GB_THOROUGHFARE_TYPES for word in named):
        # "REES COURT AKHTAR LEYS": a building's name, then its street without a type.
        return StreetLine(_join(tokens[: len(tokens) - len(named)]), _join(named), unit, None)
    premise, street, _, tail, _ = _british_named_premise([tokens]) if tokens else (None,) * 5
    if premise is None:
        end = _british_street_end(tokens, commas=True)
        return StreetLine(None, _join(tokens[:end]), unit, None)
    # The words after a building's name in a street field are its street, with a type
    # or without ("MCKENZIE MILL, AKHTAR LEYS").
    return StreetLine(premise, street or tail, unit, None)


def _british_words(tokens: Sequence[str]) -> list[str]:
    """The words of a British address line as its printed street will be parsed again.

    Cleaned like a street and split at "/", but for a fraction right after a number
    that can be the building's, which is part of the house number ("12 1/2").
    """
    words: list[str] = []
    if tokens and is_fraction_token(tokens[0]):
        # A leading "2/1" stays whole for _scottish_flats (a printed street never starts so).
        words, tokens = [tokens[0]], tokens[1:]
    for word in _thoroughfare_spelled(_street_line_words(tokens, "GB")):
        if is_fraction_token(word) and (
            not words
            or words[-1] in _NAMED_DESIGNATORS
            or (
                is_house_number_token(words[-1])
                and (len(words) < 2 or words[-2] not in _NAMED_DESIGNATORS)
            )
        ):
            # First in its part or after a designator it may be a flat's place ("2/1");
            # see _scottish_flats.
            words.append(word)
        else:
            words.extend(_split_slashes([word]))
    return words


def _scottish_flats(parts: list[list[str]]) -> list[list[str]]:
    """Scottish tenement flats written with a slash, as flats.

    "2/1, 12 HIGH STREET", "2/1 12 HIGH STREET" (Glasgow: floor 2, flat 1, before the
    building's number) and "FLAT 2/1" are the flat "2/1" (never flat 21: the two numbers
    stay apart, `geodata.address.unit`); "12/3 HIGH STREET" (Edinburgh: a slash between
    the building's number and its street) is flat 3 at number 12. A slash written
    anywhere else is a word break, as in a printed street. An Edinburgh flat named by
    its floor ("2F1") before the number or in a part of its own is that flat too.
    """
    read: list[list[str]] = []
    for at, tokens in enumerate(parts):
        following = parts[at + 1] if at + 1 < len(parts) else []
        first = tokens[0] if tokens else ""
        if is_fraction_token(first):
            flat = (len(tokens) > 1 and is_house_number_token(tokens[1])) or (
                len(tokens) == 1 and following and is_house_number_token(following[0])
            )
            if flat:
                tokens = ["FLAT", first.replace("/", "-"), *tokens[1:]]
            elif len(tokens) > 1 and not is_vulgar_fraction(first):
                # (A half is written "1/2" too: that stays two words, as ever.)
                number, flat_id = first.split("/", 1)
                tokens = ["FLAT", flat_id, number, *tokens[1:]]
            else:
                tokens = _split_slashes(tokens)
        elif _FLOOR_AND_FLAT.fullmatch(first) and (
            len(tokens) == 1 or is_house_number_token(tokens[1])
        ):
            # "2F1, 12 HIGH STREET", "2F1 12 HIGH STREET", "12 HIGH STREET, 2F1": the
            # flat, written without its designator.
            tokens = ["FLAT", *tokens]
        # A flat's two numbers are kept apart by a hyphen, which a printed street keeps
        # (a slash is a word break there) and a unit reads as the slash.
        tokens = [
            word.replace("/", "-")
            if is_fraction_token(word) and index and tokens[index - 1] in _NAMED_DESIGNATORS
            else word
            for index, word in enumerate(tokens)
        ]
        read.append(tokens)
    return read


def _misspelled_thoroughfares() -> dict[str, str]:
    """A keying slip of one spelled-out thoroughfare word (four letters or more; five or
    more for a word of the land, whose short ones' slips are words: "CARE", "LYES") ->
    the word, where the slip is no thoroughfare, building or unit word itself and no
    slip of another thoroughfare word."""
    words = [
        word
        for word in GB_THOROUGHFARE_TYPES
        if word.isalpha() and len(word) >= (5 if word in GB_LAND_WORDS else 4)
    ]
    known = GB_THOROUGHFARE_TYPES | GB_BUILDING_WORDS | frozenset(UNIT_DESIGNATORS)
    return unambiguous_slips({word: keying_slips(word) for word in words}, known)


_MISSPELLED_THOROUGHFARES = _misspelled_thoroughfares()
"""A thoroughfare word mistyped ("RAOD", "AVNUE", "CRESDENT") -> the word."""


_MISSPELLED_BUILDING_WORDS = {
    slip: word
    for slip, word in MISSPELLED_BUILDING_WORDS.items()
    if slip not in _MISSPELLED_THOROUGHFARES
}
"""A building word mistyped ("COTAGE", "HOSUE") -> the word, where the slip is no
slip of a thoroughfare word."""


def _misspelled_us_types() -> dict[str, str]:
    """A keying slip of a US street type spelled out -> the word, for the types that
    are only ever a street's type (`US_TYPE_ONLY_SUFFIXES`; each one's longest singular
    spelling, four letters or more, but ALLEY, whose slip ALLEN is a name), where the
    slip is no suffix, unit or compass word. A slip is `keying_slips` or a letter
    added."""
    spelled: dict[str, str] = {}
    for word, abbreviation in STREET_SUFFIXES.items():
        if abbreviation in US_TYPE_ONLY_SUFFIXES - {"ALY"} and word.isalpha() and len(word) >= 4:
            rank = (not word.endswith("S"), len(word))
            kept = spelled.get(abbreviation)
            if kept is None or rank > (not kept.endswith("S"), len(kept)):
                spelled[abbreviation] = word
    known = frozenset(STREET_SUFFIXES) | frozenset(UNIT_DESIGNATORS) | frozenset(DIRECTIONALS)
    # A letter added too ("TRAILL"): read only where the line has no type word, where a
    # plural or a surname would not end the street either.
    return unambiguous_slips(
        {
            word: keying_slips(word)
            | {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in LETTERS}
            for word in spelled.values()
        },
        known,
    )


_MISSPELLED_US_TYPES = _misspelled_us_types()
"""A US street type mistyped ("STRET", "AVNEUE", "BOULEVRAD") -> the word."""


def _us_type_spelled(tokens: list[str]) -> list[str]:
    """US street-line words with a mistyped type put right, when no word of the line
    is a street type: the first slip of a type word after a name word (two letters or
    more, no compass point): "MAIN STRET SPRINGFIELD" is MAIN STREET in SPRINGFIELD.
    Without it the street would run on over the town; a line with a type word of its
    own is left as written."""
    if any(token in STREET_SUFFIXES for token in tokens[1:]):
        return tokens
    for index in range(1, len(tokens)):
        previous, word = tokens[index - 1], tokens[index]
        name_word = (
            len(previous) > 1
            and previous.isalpha()
            and previous not in UNIT_DESIGNATORS
            and previous not in DIRECTIONALS
        )
        if word in _MISSPELLED_US_TYPES and name_word:
            return [*tokens[:index], _MISSPELLED_US_TYPES[word], *tokens[index + 1 :]]
    return tokens


def _thoroughfare_spelled(words: list[str]) -> list[str]:
    """British words with a mistyped thoroughfare word after a name word put right
    ("WOODWARD RAOD" is WOODWARD ROAD): the street then ends where it does, instead of
    running on over the town. A building word written short is spelled out ("MAPLE CT"
    is MAPLE COURT), so that a building's name reads the same either way, and one
    mistyped is put right where a street's name follows it ("ROSE COTAGE FIR LANE"):
    before a thoroughfare word it is a street's name ("UPPER GOWER STREET"). The first
    word, or one after a number, is a name; a "#" between two words, which the printed
    street leaves out, is no word."""
    spelled = []
    before = None
    for index, word in enumerate(words):
        if before is not None and before.isalpha() and before not in UNIT_DESIGNATORS:
            spelled.append(_spelled(words, index))
        else:
            spelled.append(word)
        if word != "#":
            before = word
    return spelled


def _spelled(words: list[str], index: int) -> str:
    """The word at `index` put right (see `_thoroughfare_spelled`)."""
    word = words[index]
    found = _MISSPELLED_THOROUGHFARES.get(word)
    if found is None and word in _MISSPELLED_BUILDING_WORDS:
        after = words[index + 1 : index + 2]
        if after and after[0] not in GB_THOROUGHFARE_TYPES and index + 2 < len(words):
            found = _MISSPELLED_BUILDING_WORDS[word]
    return found or GB_BUILDING_ABBREVIATIONS.get(word, word)


_NAMED_DESIGNATORS = frozenset(UNIT_DESIGNATORS) - {"#"}
"""Unit designator words ("FLAT", "APARTMENT", "UNIT"), without "#"."""


def _without_building_name(tokens: list[str], *, typed: bool = True) -> list[str]:
    """A street field without the building's name in front ("WESTON COURT ELLIS PARK").

    The name ends at a building word with a street of two or more words after it
    whose first is a name word ("KINGS COURT ROAD" is one street): no thoroughfare
    word, or one that another follows ("PRITCHARD MILL CROSS AVENUE" is Pritchard
    Mill on Cross Avenue). The street ends in a thoroughfare word unless `typed` is
    False (a field that holds nothing but a premise and its street).
    """
    for index in range(1, len(tokens) - 2):
        rest = tokens[index + 1 :]
        if (
            tokens[index] in GB_BUILDING_WORDS
            and (rest[0] not in GB_THOROUGHFARE_TYPES or rest[1] in GB_THOROUGHFARE_TYPES)
            and (
                any(word in GB_THOROUGHFARE_TYPES for word in rest[1:])
                or (not typed and _are_name_words(rest))
            )
        ):
            return rest
    return tokens


def _are_name_words(tokens: Sequence[str], least: int = 2) -> bool:
    """Whether words can be a street's name: `least` or more of letters (read as
    printed: other characters dropped), none a unit designator."""
    words = [letters for token in tokens if (letters := _NOT_LETTERS.sub("", token))]
    return len(words) >= least and all(w.isalpha() and w not in UNIT_DESIGNATORS for w in words)


_NOT_LETTERS = re.compile(r"[^\w]|_")


def _is_building_name(tokens: list[str]) -> bool:
    """Whether a part is a building's name: a name ending in a building word ("WALSH
    MANSIONS", "MAPLE CT")."""
    return (
        len(tokens) >= 2
        and _is_building_word(tokens[-1])
        and not any(is_house_number_token(token) for token in tokens)
    )


def _is_numbered_building(tokens: list[str]) -> bool:
    """Whether a part is a number and a building's name ending in a word that names only
    buildings ("10 KESTREL HOUSE", "5 ROSE COTTAGES"; "3 MAPLE COURT" may be a street)."""
    return (
        len(tokens) >= 3
        and is_house_number_token(tokens[0])
        and _is_building_name(tokens[1:])
        and tokens[-1] not in GB_THOROUGHFARE_TYPES
    )


def _leading_units(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Sub-buildings at the start of a British line ("FLAT 8 ...") and the rest.

    Each is a designator and its identifier, or a flat named by its floor ("GROUND
    FLOOR FLAT"), with words left after it: "LOT 5" alone is a street, so a printed
    street never loses its first words when parsed again.
    """
    units: list[str] = []
    while (length := leading_unit_length(tokens)) and len(tokens) > length:
        units, tokens = units + tokens[:length], tokens[length:]
    if units and is_fraction_token(tokens[0]):
        # A fraction after a sub-building's number is no house number's.
        tokens = _split_slashes(tokens[:1]) + tokens[1:]
    return units, tokens


def _premise_number(parts: list[list[str]]) -> tuple[int, int] | None:
    """(part, index) of the building number: the last number with a street after it.

    A number before it is the sub-building's ("27, HOWELLS COURT, 38 PARKINSON
    PARK": flat 27 of Howells Court at 38 Parkinson Park); so is a number right after
    a unit designator ("FLAT 3"), which is never the building's.
    """
    found = None
    for part, tokens in enumerate(parts):
        for index, token in enumerate(tokens):
            if index + 1 < len(tokens):
                followed = True
            else:
                # A number ending its part stands before its street in the next part,
                # unless that part starts with a number of its own ("FLAT, 2, 10 HIGH ST").
                following = parts[part + 1] if part + 1 < len(parts) else None
                followed = following is not None and not is_house_number_token(following[0])
            # ("#" is left out: a printed street drops it, and must parse the same.)
            after_designator = index > 0 and tokens[index - 1] in _NAMED_DESIGNATORS
            if followed and not after_designator and is_house_number_token(token):
                found = part, index
    return found


def _british_street_line(
    tokens: list[str], *, commas: bool, typed: bool = True
) -> tuple[str | None, str | None, str | None, str | None]:
    """House number, street, unit and what follows the street (a locality) of a line
    that starts with its number ("12 FIR LANE NORTHSIDE EXAMPLETOWN"); for a number
    before a building's name ("11 SCHOFIELD HOUSE WOODWARD ROAD") the name is the
    house number and the number the flat. Unless `typed`, the street after a
    building's name need not end in a thoroughfare word (the line is known to hold
    nothing after the street: `_without_building_name`)."""
    house_number, rest = tokens[0], tokens[1:]
    if len(rest) >= 2 and is_fraction_token(rest[0]):
        house_number, rest = f"{house_number} {rest[0]}", rest[1:]
    elif house_number.isdigit() and _is_spaced_british_letter(rest):
        house_number, rest = house_number + rest[0], rest[1:]
    units, rest = _leading_units(rest)
    street = _without_building_name(rest, typed=typed)
    if len(street) < len(rest):
        # "11 SCHOFIELD HOUSE WOODWARD ROAD": a number before a building's name and its
        # street is the flat's, and the building's name is the premise.
        units, house_number = [*units, house_number], _join(rest[: len(rest) - len(street)])
        rest = street
    unit_at = find_unit_start(rest, 1)
    if unit_at is not None:
        unit_end = unit_at + unit_run_length(rest, unit_at)
        units += rest[unit_at:unit_end]
        rest = rest[:unit_at] + rest[unit_end:]
    unit = _join(units)
    end = _british_street_end(rest, commas=commas)
    tail = rest[end:] if commas else _without_thoroughfare_led_off(rest[end:])
    return house_number, _join(rest[:end]), unit, _join(tail)


_THOROUGHFARE_LED_OFF_WORDS = frozenset({"STREET", "ROAD", "LANE", "AVENUE", "DRIVE", "CLOSE"})
"""Thoroughfare words no town's name ends a word before its end in: what the words
after a street, written without commas, hold when they hold a second street."""


def _without_thoroughfare_led_off(tail: list[str]) -> list[str]:
    """The words after a street, less a second street at their start: a dependent
    thoroughfare's number is on it, and the thoroughfare it leads off comes next
    ("3 THE MEWS STATION ROAD EXAMPLETOWN", Royal Mail's order), then the town. That
    street is neither the address's street nor part of its town."""
    for index, word in enumerate(tail):
        if word in _THOROUGHFARE_LED_OFF_WORDS:
            return tail[index + 1 :] if index >= 1 else tail
    return tail


def _is_spaced_british_letter(rest: Sequence[str]) -> bool:
    """Whether the first word after a British house number is its letter, written apart
    ("27 A QUEENS ROAD" is 27A): a lone letter, no compass point, before a name of two
    letters or more that is no thoroughfare word ending the street ("12 B ROAD" stays as
    written; in "14 A PARK ROAD" the thoroughfare word PARK begins the name)."""
    return (
        len(rest) >= 3
        and len(rest[0]) == 1
        and rest[0].isalpha()
        and rest[0] not in DIRECTIONALS
        and rest[0] not in _NAME_PREFIX_LETTERS
        and len(rest[1]) > 1
        and (rest[1] not in GB_THOROUGHFARE_TYPES or rest[2] in GB_THOROUGHFARE_TYPES)
    )


def _british_street_end(tokens: list[str], *, commas: bool) -> int:
    """Where a British street ends in words that may go on with localities.

    At its first thoroughfare word, extended over thoroughfare words right after it
    ("PARK VIEW", "GREEN LANE"), and over a compass point that ends the line
    ("STATION ROAD EAST"; with words after it, it may begin a town's name: "EAST
    GRINSTEAD"). Without a thoroughfare word, a line between commas is all street;
    without commas the street is one name word ("BROADWAY", "THE STRAND") and the
    rest is the locality. A street is never a thoroughfare word alone: one that
    begins a line with no other after it begins the name ("MOUNT PLEASANT", also
    when nothing follows: "12 MOUNT PLEASANT" has no town "PLEASANT").
    """
    for index, token in enumerate(tokens):
        # A thoroughfare word ends a street after its name; the first word is a name
        # unless another thoroughfare word follows it ("PARK ROAD", not "ST JOHNS").
        first_of_two = index + 1 < len(tokens) and tokens[index + 1] in GB_THOROUGHFARE_TYPES
        if token in GB_THOROUGHFARE_TYPES and (index >= 1 or first_of_two):
            end = index + 1
            while end < len(tokens) and tokens[end] in GB_THOROUGHFARE_TYPES:
                end += 1
            if end == len(tokens) - 1 and tokens[end] in GB_COMPASS_WORDS:
                end += 1
            return end
    if commas or len(tokens) <= 1:
        return len(tokens)
    first = tokens[0]
    begins_name = first in _GB_NAME_PREFIXES or (
        first in GB_THOROUGHFARE_TYPES and first not in _GB_WHOLE_STREET_WORDS
    )
    return 2 if begins_name else 1


_GB_NAME_PREFIXES = frozenset(
    {"THE", "ST", "SAINT", "UPPER", "LOWER", "OLD", "NEW", "LITTLE", "GREAT", "NORTH", "SOUTH"}
    | {"EAST", "WEST"}
)
"""Words that begin a British street name and need the next word ("THE STRAND")."""

_GB_WHOLE_STREET_WORDS = frozenset(
    {"BROADWAY", "GREENWAY", "RIDGEWAY", "CAUSEWAY", "CIRCUS", "ESPLANADE", "PROMENADE"}
    | {"PARADE", "EMBANKMENT", "BOULEVARD", "CRESCENT", "PRECINCT", "CLOISTERS"}
)
"""Thoroughfare words that name a whole street alone ("12 BROADWAY EXAMPLETOWN"),
where the others begin a name they need the next word for ("MOUNT PLEASANT")."""


def _british_named_premise(
    parts: list[list[str]],
) -> tuple[str | None, str | None, str | None, str | None, list[list[str]]]:
    """Premise (building name), street, unit, locality tail and the parts after the
    street of a British address without a building number."""
    if len(parts) >= 2:
        first, second = parts[0], parts[1]
        # "WILLOW MILL, FIR LANE, EXAMPLETOWN", "THE OLD RECTORY, CHURCH LANE", "MAPLE
        # COURT, FIR LANE": a name part, then a street part (a first part with a
        # thoroughfare word that is no building's is the street, its locality after it).
        names_no_street = not any(word in GB_THOROUGHFARE_TYPES for word in first)
        is_name = names_no_street or _is_building_name(first)
        if _ends_in_thoroughfare(second) and (len(parts) >= 3 or is_name):
            return _join(first), _join(second), None, None, parts[2:]
        if _is_building_name(first) and len(parts) >= 3 and _ends_in_thoroughfare(parts[2]):
            # "MCKENZIE MILL, AKHTAR LEYS, WHITE ROAD": a street without a type, then the
            # thoroughfare it leads off (no locality comes before a thoroughfare).
            return _join(first), _join(second), None, None, parts[2:]
        # A court is a building and a street: before a place and a town, a building
        # ("REES COURT, AKHTAR LEYS, WHITETON, EXAMPLETOWN"); before a town alone, the
        # street ("ROSE COURT, EXAMPLETOWN").
        others = parts[1:] if len(parts) >= 3 else parts
        if _is_building_name(first) and not _has_thoroughfare_word(others):
            # "WILLOW MILL, NORTHSIDE, EXAMPLETOWN", "FRENCH MILL, FOWLER ACRE,
            # EXAMPLETOWN": a named building, then a dependent locality or a street
            # without a type. The line does not say which: the parts are kept together
            # as the locality, as without commas, for the region's records to settle
            # (`geodata.conflation.street_ends`, `geodata.conflation.localities`). A
            # county after the town is left out.
            after = parts[1:]
            if len(after) >= 2 and _county_length(after[-1]) == len(after[-1]):
                after = after[:-1]
            return _join(first), None, None, None, [[word for part in after for word in part]]
        if is_name and _has_thoroughfare_word([second[1:]]):
            # "MAPLE HOUSE, FIR LANE EXAMPLETOWN": the name's part, then the street and
            # the town with no comma between them.
            end = _british_street_end(second, commas=False)
            if 2 <= end < len(second) and _ends_in_thoroughfare(second[:end]):
                return _join(first), _join(second[:end]), None, _join(second[end:]), parts[2:]
        if _has_thoroughfare_word([first]) and (premised := _premise_before_street(first)):
            # "ROSE COTTAGE FIR LANE, EXAMPLETOWN": the premise and its street with no
            # comma between them, as on a line without commas.
            return (*premised, parts[1:])
        end = _british_street_end(first, commas=True)
        return None, _join(first[:end]), None, _join(first[end:]), parts[1:]
    tokens = parts[0] if parts else []
    if not _has_thoroughfare_word(parts):
        # "WILLOW MILL NORTHSIDE EXAMPLETOWN", "THE COTTAGE": a named building and the
        # places after it, without a street.
        for index in range(len(tokens) - 1, 0, -1):
            if tokens[index] in GB_BUILDING_WORDS:
                return _join(tokens[: index + 1]), None, None, _join(tokens[index + 1 :]), []
    if premised := _premise_before_street(tokens):
        return (*premised, [])
    end = _british_street_end(tokens, commas=False)
    return None, _join(tokens[:end]), None, _join(tokens[end:]), []


def _premise_before_street(tokens: list[str]) -> tuple[str, str, None, str | None] | None:
    """Premise, street, no unit and the words after the street of a line without commas
    that names a premise before a named street; None for any other line."""
    # "WILLOW MILL FIR LANE EXAMPLETOWN": the building name ends at a building word,
    # the street at the thoroughfare word after it.
    for index, token in enumerate(tokens[:-1]):
        if token in GB_BUILDING_WORDS and index >= 1:
            rest = tokens[index + 1 :]
            # A street is never a thoroughfare word alone ("KINGS COURT ROAD" is one).
            named = len(rest) >= 2 and (
                rest[0] not in GB_THOROUGHFARE_TYPES or rest[1] in GB_THOROUGHFARE_TYPES
            )
            if named and any(word in GB_THOROUGHFARE_TYPES for word in rest):
                end = _british_street_end(rest, commas=False)
                return _join(tokens[: index + 1]), _join(rest[:end]), None, _join(rest[end:])
    if (
        len(tokens) >= 4
        and tokens[0] == "THE"
        and tokens[1] not in GB_THOROUGHFARE_TYPES
        and (tokens[2] not in GB_THOROUGHFARE_TYPES or tokens[2] in _GB_NAME_PREFIXES)
        and any(word in GB_THOROUGHFARE_TYPES for word in tokens[3:])
    ):
        # "THE STABLES FIR LANE EXAMPLETOWN", "THE LIMES ST JOHNS ROAD ...": a house
        # named with the article and a word, then a named street (a street named with
        # the article is a thoroughfare word after it: "THE MEWS", "THE GREEN").
        end = 2 + _british_street_end(tokens[2:], commas=False)
        return _join(tokens[:2]), _join(tokens[2:end]), None, _join(tokens[end:])
    end = _british_street_end(tokens, commas=False)
    tail = tokens[end:]
    if end >= 2 and len(tail) >= 2 and tail[0] not in GB_THOROUGHFARE_TYPES:
        # "RIVERSIDE BUSINESS PARK FIR LANE EXAMPLETOWN": a named street, then maybe
        # the town, after the first is the premise's name (an estate, a parade), as with
        # commas (no locality ends in a thoroughfare word).
        second = _british_street_end(tail, commas=False)
        if second >= 2 and _ends_in_thoroughfare(tail[:second]):
            return _join(tokens[:end]), _join(tail[:second]), None, _join(tail[second:])
    return None


def _ends_in_thoroughfare(tokens: Sequence[str]) -> bool:
    """Whether a part is a street by its end: a thoroughfare word last ("FIR LANE"), or
    before a compass point that ends the part ("JAMES STREET WEST")."""
    if tokens and tokens[-1] in GB_THOROUGHFARE_TYPES:
        return True
    return (
        len(tokens) >= 3 and tokens[-1] in GB_COMPASS_WORDS and tokens[-2] in GB_THOROUGHFARE_TYPES
    )


def _has_thoroughfare_word(parts: list[list[str]]) -> bool:
    """Whether any part has a thoroughfare word ("LANE", "ROAD", "COURT")."""
    return any(word in GB_THOROUGHFARE_TYPES for tokens in parts for word in tokens)


def _without_addressee(parts: list[list[str]]) -> list[list[str]]:
    """Parts without the lines before the one that starts with the house number: an
    addressee, a "c/o" or "Attn" line, a company or a building's name ("Jane Doe, 400
    Elmhurst St, Salina, KS"). Units before the number are kept ("Apt 4, 12 Main St")."""
    for index, tokens in enumerate(parts):
        if _is_unit_part(tokens):
            continue
        rest = _leading_units(tokens)[1]
        if len(rest) >= 2 and is_house_number_token(rest[0]):
            return [part for part in parts[:index] if _is_unit_part(part)] + parts[index:]
        if skip := _addressee_length(tokens):
            # "ACME CORP 12 MAIN ST SPRINGFIELD": the same, written on the number's line.
            kept = [part for part in parts[:index] if _is_unit_part(part)]
            return [*kept, tokens[skip:], *parts[index + 1 :]]
        if any(is_house_number_token(token) for token in tokens):
            return parts
    return parts


_POST_OFFICE_BOXES = {
    "GB": ("PO BOX", (("PO", "BOX"),)),
    # Postilokero (PL) and, in Swedish, postbox (PB).
    "FI": ("PL", (("PL",), ("POSTILOKERO",), ("PB",), ("POSTBOX",))),
}
"""Per country, a post office box as printed and the words it is written with."""


def _post_office_box_line(
    parts: list[list[str]], country: str | None
) -> tuple[str, list[list[str]]] | None:
    """A line that is a post office box (its first part the box and its number): the box
    as printed ("PO BOX 123", "PL 123") and the parts after it; None otherwise, and for a
    box after a street and its number (the street is the address)."""
    if not parts or country not in _POST_OFFICE_BOXES:
        return None
    printed, spellings = _POST_OFFICE_BOXES[country]
    tokens = parts[0]
    for words in spellings:
        size = len(words)
        if tuple(tokens[:size]) == words and tokens[size : size + 1] and tokens[size].isdigit():
            rest = tokens[size + 1 :]
            return f"{printed} {tokens[size]}", [*([rest] if rest else []), *parts[1:]]
    return None


def _town_after_unit(tokens: Sequence[str]) -> list[str] | None:
    """The words after a part's leading unit when they are a town's ("APT 4
    SPRINGFIELD", "APT 4 OAK PARK": words of letters, none a unit's designator, the
    first more than a letter: "APT 4 B" is one unit); None for any other part."""
    length = leading_unit_length(tokens)
    rest = list(tokens[length:])
    if not length or not rest or len(rest[0]) < 2:
        return None
    is_town = all(word.isalpha() and word not in UNIT_DESIGNATORS for word in rest)
    return rest if is_town else None


def _post_office_box_apart(parts: list[list[str]]) -> list[list[str]]:
    """A line starting with a post office box and its number, with the town after it
    ("PO BOX 123 SPRINGFIELD"), as two parts: the box, then the town."""
    for index, tokens in enumerate(parts):
        if tokens[:2] == ["PO", "BOX"] and len(tokens) > 3 and tokens[2][:1].isdigit():
            return [*parts[:index], tokens[:3], tokens[3:], *parts[index + 1 :]]
    return parts


def _addressee_length(tokens: Sequence[str]) -> int:
    """How many words before the house number of a line are a name ("ACME CORP 12 MAIN
    ST"): words without digits, none of them a street's type, a route's kind, a unit
    designator or a box ("PO BOX 12"), before a number followed by a street with its
    type. 0 if none."""
    for index, token in enumerate(tokens):
        if is_house_number_token(token):
            street = tokens[index + 1 : index + 5]
            has_type = any(word in STREET_SUFFIXES for word in street[1:])
            return index if index and has_type else 0
        if (
            any(char.isdigit() for char in token)
            or token in STREET_SUFFIXES
            or token in UNIT_DESIGNATORS
            or token == "BOX"
            or any(tuple(tokens[index : index + size]) in US_ROUTE_KINDS for size in (1, 2))
        ):
            return 0
    return 0


def _is_unit_part(tokens: Sequence[str]) -> bool:
    """Whether a part is a unit: a designator and its identifier ("Apt 4"), or one that
    needs none ("Rear")."""
    return is_unit_tokens(tokens) or _is_unit_without_id(tokens)


def _is_unit_without_id(tokens: Sequence[str]) -> bool:
    return len(tokens) == 1 and UNIT_DESIGNATORS.get(tokens[0]) in UNIT_DESIGNATORS_WITHOUT_ID


def _number_parts_joined(parts: list[list[str]]) -> list[list[str]]:
    """Parts with a lone house number joined to the street part before it
    ("Kaivokatu, 12, 00100 Helsinki")."""
    joined: list[list[str]] = []
    for tokens in parts:
        if joined and len(tokens) == 1 and is_house_number_token(tokens[0]):
            joined[-1] = [*joined[-1], *tokens]
        else:
            joined.append(tokens)
    return joined


def _without_premise_name(parts: list[list[str]]) -> list[list[str]]:
    """Finnish parts without a premise or venue name in front of the street.

    "Asemahalli, Kaivokatu 1, 00100 Helsinki": a part without a house number before
    the part that holds the street and its number is a premise name, dropped; so is
    a name in front of a street word in the same part ("Ravintola Kappeli
    Eteläesplanadi 1"). A Finnish street is one word ending in its type
    ("Kaivokatu"), that word after an adjective ("Pohjoinen Makasiinikatu", "Stora
    Robertsgatan") or after a place's name in the genitive ("Sörnäisten rantatie":
    the shore road of Sörnäinen), or a name before a type word of its own ("Adolf
    Lindforsin tie").
    """
    numbered = [
        index
        for index, tokens in enumerate(parts)
        if any(is_house_number_token(token) for token in tokens[1:])
    ]
    if not numbered:
        return parts
    # A company's name ("As Oy Kaivokatu 1", a housing company named after its
    # building) is no address line, though it may hold one: the address is the
    # numbered part after it.
    street_part = next(
        (index for index in numbered if not _FI_COMPANY_FORMS.intersection(parts[index])),
        numbered[0],
    )
    tokens = parts[street_part]
    number_at = next(i for i in range(1, len(tokens)) if is_house_number_token(tokens[i]))
    start = 0
    for index in range(number_at - 1, 0, -1):
        if tokens[index].endswith(_FI_STREET_ENDINGS) and tokens[index] not in _FI_STREET_WORDS:
            start = index - 1 if _begins_finnish_street(tokens[index - 1]) else index
            break
    return [tokens[start:], *parts[street_part + 1 :]]


_FI_COMPANY_FORMS = frozenset({"OY", "OYJ", "AB", "ABP", "KOY", "ASOY", "KY", "AY", "RY", "TMI"})
"""Finnish and Swedish legal forms written in a company's or association's name
(osakeyhtiö, aktiebolag, kiinteistö- and asunto-osakeyhtiö, kommandiittiyhtiö,
avoin yhtiö, rekisteröity yhdistys, toiminimi): a part holding one is a name."""


_FI_STREET_WORDS = frozenset(
    {"TIE", "KATU", "KUJA", "POLKU", "TORI", "GATAN", "VÄGEN", "STIGEN", "GRÄND", "PLAN"}
)
"""Street types written as a word of their own ("Adolf Lindforsin tie")."""


def _begins_finnish_street(word: str) -> bool:
    """Whether a word before a Finnish street word is the first of the street's name: an
    adjective ("Pohjoinen") or a name in the genitive, which ends in a vowel and "n"
    ("Sörnäisten", "Laajasalon"; a name ending in a consonant and "n", "Stockmann", is no
    genitive, nor is one ending in "-nen", the nominative of "Virtanen", whose genitive
    is "Virtasen")."""
    return word in _FI_STREET_ADJECTIVES or (
        len(word) >= 4
        and word.isalpha()
        and word[-1] == "N"
        and word[-2] in _FI_VOWELS
        and not word.endswith("NEN")
    )


_FI_VOWELS = frozenset("AEIOUYÄÖ")

_FI_STREET_ADJECTIVES = frozenset(
    {
        *("POHJOINEN", "ETELÄINEN", "ITÄINEN", "LÄNTINEN", "ISO", "PIENI", "VANHA", "UUSI"),
        *("NORRA", "SÖDRA", "ÖSTRA", "VÄSTRA", "STORA", "LILLA", "GAMLA", "NYA"),
    }
)
"""Finnish and Swedish words that begin a two-word street name."""


def _country_named_by(tokens: list[str]) -> str | None:
    """Country written out in a trailing part ("USA", "Finland"); 2-3 letter codes are skipped
    because they clash with region codes ("CA" is California, not Canada)."""
    text = " ".join(tokens)
    if len(text) <= 3 and text.casefold() not in COUNTRY_ALIASES:
        return None
    return resolve_country(text)


def _country_of_part(tokens: list[str], rest: list[list[str]], country: str | None) -> str | None:
    """The country a trailing part names, or None.

    A name ("Finland", "United Kingdom"), names of one country side by side ("Suomi
    Finland"), or an ISO code ("GB", "FIN") when it is the record's country or the one
    the layout of the rest implies: "..., Sacramento, CA" stays California.
    """
    named = _country_named_by(tokens)
    if named is not None:
        return named
    text = " ".join(tokens)
    if len(text) <= 3:
        code = resolve_country(text)
        return code if code is not None and code == (country or _guess_country(rest)) else None
    if len(tokens) >= 2:
        each = {_country_named_by([token]) for token in tokens}
        return each.pop() if len(each) == 1 else None
    return None


def _pop_trailing_country(parts: list[list[str]], country: str | None) -> str | None:
    """Take a country name off the end of the last part, written without a comma ("...
    CA 94110 USA", "... EX1 2AB UNITED KINGDOM"), and return the country.

    It is taken off when it is the known country, or, the country unknown, the one the
    layout of the rest implies: a place named like a country ("... ATLANTA GEORGIA")
    stays a place.
    """
    last = parts[-1]
    for size in (3, 2, 1):
        if len(last) <= size:
            continue
        rest = [*parts[:-1], last[:-size]]
        named = _country_of_part(last[-size:], rest, country)
        if named is None:
            continue
        if named == country or (country is None and _guess_country(rest) == named):
            parts[-1] = last[:-size]
            return named
    return country


def _guess_country(parts: list[list[str]]) -> str | None:
    """Country implied by the layout of a free-text address, or None."""
    last = parts[-1]
    if (len(last) >= 2 and is_gb_postcode(last[-2] + last[-1])) or is_gb_postcode(last[-1]):
        return "GB"
    first_token = parts[0][0]
    if first_token.endswith(_FI_STREET_ENDINGS):
        if len(parts) >= 2:
            return "FI" if _FIVE_DIGITS.fullmatch(last[0]) else None
        # Without commas: "Hämeentie 7 B 22 00530 Helsinki".
        return "FI" if any(_FIVE_DIGITS.fullmatch(token) for token in last[2:]) else None
    # "..., CA 94103", "..., CA, 94103", "..., Springfield, IL", "77 Pine St San Jose CA".
    has_zip = is_us_zip(last[-1])
    state_part = last[:-1] if has_zip else last
    if not state_part and len(parts) >= 2:
        state_part = parts[-2]
    if find_region_at_end(state_part, "US") is not None and (
        has_zip or len(parts) >= 2 or is_house_number_token(first_token)
    ):
        return "US"
    return None


def _pop_us_zip(last: list[str]) -> str | None:
    """Remove a trailing ZIP or ZIP+4 ("94103", "94103 1234") from a part; return it."""
    if len(last) >= 2 and _FIVE_DIGITS.fullmatch(last[-2]) and _US_ZIP4_ADDON.fullmatch(last[-1]):
        postcode = f"{last[-2]}-{last[-1]}"
        del last[-2:]
        return postcode
    if last and is_us_zip(last[-1]):
        return last.pop()
    return None


def _pop_region_part(parts: list[list[str]], country: str | None) -> str | None:
    """Remove a last part that is the name of one of the country's regions, after the
    town's ("KAIVOKATU 12, HELSINKI, UUSIMAA"); return it. A number is no region's name
    there."""
    if country is None or len(parts) < 3 or not parts[-1] or parts[-1][0][:1].isdigit():
        return None
    if find_region_at_end(parts[-1], country) != 0:
        return None
    return _join(parts.pop())


def _pop_us_zip_and_state(parts: list[list[str]]) -> tuple[str | None, str | None]:
    """Remove a trailing ZIP and state from the parts; return them (raw)."""
    last = parts[-1]
    postcode = _pop_us_zip(last)
    if postcode is None and len(last) >= 2 and _ZIP_WITHOUT_ZEROS.fullmatch(last[-1]):
        state = find_region_at_end(last[:-1], "US")
        if state is not None and (
            len(parts) >= 2 or (state >= 3 and last[state] not in STREET_SUFFIXES)
        ):
            # "..., BOSTON, MA 2134": after the state, in the town's part or after the
            # street's line, a number is the ZIP, its leading zero dropped ("12 ELM CT
            # 1234" ends in a court and its unit).
            postcode = last.pop()
    if not last and len(parts) >= 2:
        parts.pop()
        last = parts[-1]
    region = None
    start = find_region_at_end(last, "US")
    if (
        start is not None
        and len(parts) == 1
        and postcode is None
        and start == len(last) - 1
        and last[start] in STREET_SUFFIXES
        and not any(
            word in STREET_SUFFIXES or (word,) in US_ROUTE_KINDS or word[:1].isdigit()
            for word in last[1:start]
        )
    ):
        # "12 ELM CT": a lone line whose only street type is a state's code ends in
        # its street's type; a state follows a town.
        start = None
    # A lone street line keeps at least its house number and one word.
    if start is not None and (len(parts) >= 2 or start >= 2):
        region = " ".join(last[start:])
        del last[start:]
    return postcode, region


def _pop_gb_postcode(parts: list[list[str]]) -> str | None:
    """Remove a trailing GB postcode ("SW1A 1AA" or "SW1A1AA") from the parts, or one in
    a part of its own right before the town's; return it."""
    last = parts[-1]
    if len(last) >= 3 and len(last[-1]) == 3 and is_gb_postcode(last[-2] + last[-1]):
        postcode = f"{last[-2]} {last[-1]}"
        del last[-2:]
        return postcode
    if len(last) >= 2 and _is_gb_postcode_word(last[-1]):
        return last.pop()
    if len(parts) >= 2 and (
        (len(last) == 1 and _is_gb_postcode_word(last[0]))
        or (len(last) == 2 and is_gb_postcode("".join(last)))
    ):
        return " ".join(parts.pop())
    if len(parts) >= 3 and len(parts[-2]) <= 2 and is_gb_postcode("".join(parts[-2])):
        # "12 FIR LANE, EX1 2AB, EXAMPLETOWN": each column joined with a comma, the
        # postcode's before the town's.
        return " ".join(parts.pop(-2))
    before = last[-2] if len(last) >= 2 else parts[-2][-1] if len(parts) >= 2 else None
    if (
        before is not None
        and before.isalpha()
        and before not in UNIT_DESIGNATORS
        and _GB_OUTWARD_CODE.fullmatch(last[-1])
    ):
        # "12 FIR LANE, EXAMPLETOWN, EX1": a postcode's district alone after the town
        # names no delivery point and no town: it is left out. After a designator it
        # is a unit's identifier ("FLAT B1").
        last.pop()
    return None


def _is_gb_postcode_word(word: str) -> bool:
    """Whether one word is a British postcode, its two codes joined ("SW1A1AA") or
    hyphenated ("EX1-2AB")."""
    return is_gb_postcode(word.replace("-", " "))


_GB_OUTWARD_CODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?")
"""A British postcode's outward code (its district) without the inward code."""


_COUNTRY_PREFIXES = frozenset({"FI", "FIN"})
"""Country prefixes written before a Finnish postcode ("FIN-00100", "FIN 00100")."""


def _country_prefix_joined(tokens: list[str]) -> list[str]:
    """Tokens with a country prefix and the postcode after it as one ("FIN 00100")."""
    joined: list[str] = []
    for token in tokens:
        if joined and joined[-1] in _COUNTRY_PREFIXES and _FIVE_DIGITS.fullmatch(token):
            joined[-1] = f"{joined[-1]}-{token}"
        else:
            joined.append(token)
    return joined


def _pop_leading_postcode(
    parts: list[list[str]], pattern: re.Pattern[str]
) -> tuple[str | None, str | None]:
    """Remove a "postcode locality" tail (Finnish and most European layouts), or a
    postcode in a part of its own right before the locality's.

    Returns the postcode and, for an address without commas, the locality after it.
    """
    if len(parts) >= 2:
        last = parts[-1]
        if pattern.fullmatch(last[0]):
            return last.pop(0), None
        if pattern.fullmatch(last[-1]):
            return last.pop(), None
        before = parts[-2]
        if len(parts) >= 3 and len(before) == 1 and pattern.fullmatch(before[0]):
            # "Kaivokatu 1, 00100, Helsinki": each column joined with a comma.
            return before.pop(), None
        return None, None
    tokens = parts[0]
    # Without commas the postcode follows the house number: "Hämeentie 7 B 22 00530 Helsinki"
    # (or "12 Hämeentie 00530 Helsinki").
    for index in range(2, len(tokens)):
        if pattern.fullmatch(tokens[index]) and any(
            is_house_number_token(token) for token in tokens[:index]
        ):
            postcode, locality = tokens[index], _join(tokens[index + 1 :])
            del tokens[index:]
            return postcode, locality
    return None, None


def _pop_trailing_finnish_postcode(parts: list[list[str]]) -> str | None:
    """Remove a Finnish postcode written after its town ("HELSINKI 00540") from a line
    with no other number; return it. Five digits are no Finnish house number."""
    last = parts[-1]
    numbers = [token for tokens in parts for token in tokens if token[:1].isdigit()]
    if len(last) >= 2 and len(numbers) == 1 and _FI_POSTCODE_AS_WRITTEN.fullmatch(last[-1]):
        return last.pop()
    return None


_FI_POSTCODE_AS_WRITTEN = re.compile(r"(?:FIN?-)?(\d{5})")
"""A Finnish postcode of five digits as a word of its own, after its country's prefix
and hyphen if any ("00540", "FI-00540")."""


def _pop_postcode_without_zeros(parts: list[list[str]]) -> tuple[str | None, str | None]:
    """Remove a Finnish "postcode locality" tail whose postcode lost its leading zeros.

    Three or four digits count as the postcode only right before the locality's words
    at the very end, and not right after a staircase letter (which an apartment
    number follows: "Hämeentie 7 B 220 Helsinki"). Returns the postcode and, for an
    address without commas, the locality after it.
    """
    last = parts[-1]
    if len(parts) >= 2:
        if (
            len(last) >= 2
            and _FI_POSTCODE_WITHOUT_ZEROS.fullmatch(last[0])
            and all(token.isalpha() for token in last[1:])
        ):
            return last.pop(0), None
        return None, None
    for index in range(2, len(last) - 1):
        if (
            _FI_POSTCODE_WITHOUT_ZEROS.fullmatch(last[index])
            and all(token.isalpha() for token in last[index + 1 :])
            and not _LETTER.fullmatch(last[index - 1])
            and any(is_house_number_token(token) for token in last[1:index])
        ):
            postcode, locality = last[index], _join(last[index + 1 :])
            del last[index:]
            return postcode, locality
    return None, None


class TownField(NamedTuple):
    """A town field's parts: the locality and what was written with it (raw)."""

    locality: str | None
    region: str | None
    postcode: str | None


@lru_cache(maxsize=65536)
def split_town_field(raw: str, iso_3166_1: str) -> TownField | None:
    """A locality or postcode field that holds the town's line, not only its part.

    Sources write the town's whole line in one column: the postcode with its town
    ("00100 Helsinki", "EXAMPLETOWN EX1 2AB", "EX1 2AB EXAMPLETOWN") and, in the US,
    the state and ZIP after the town ("Springfield, IL 62701", "Springfield IL"). A
    Finnish postcode may have lost its leading zeros ("100 Helsinki"). A state is
    read only as its code or after a comma or before a ZIP, so that a town named
    after one ("Port Washington") keeps its name; a town's word is always left.

    Returns:
        The parts, or None when the field holds nothing but a town.
    """
    # Read on the words the locality is printed with, so that it parses to itself.
    parts = [words.split() for words in map(clean_words, split_parts(raw)) if words]
    named = len(parts) >= 2 and _country_named_by(parts[-1]) == iso_3166_1
    if named:
        # "Springfield, USA", "Helsinki, Finland": the record's own country after its
        # town is no part of the town.
        parts = parts[:-1]
    tokens = [token for part in parts for token in part]
    if len(tokens) < 2:
        return TownField(_join(tokens), None, None) if named else None
    if iso_3166_1 == "FI":
        for at, rest in ((0, tokens[1:]), (-1, tokens[:-1])):
            written = _FI_POSTCODE_AS_WRITTEN.fullmatch(tokens[at])
            code = written.group(1) if written else tokens[at]
            zeros_lost = at == 0 and _FI_POSTCODE_WITHOUT_ZEROS.fullmatch(code)
            if (written or zeros_lost) and _are_town_words(rest):
                return TownField(_join(rest), None, code)
        return None
    if iso_3166_1 == "GB":
        # "Exampletown, Devon", "Exampletown, Devon EX1 2AB": the county after the post
        # town is no locality, as in a line.
        last = parts[-1]
        size = next((n for n in (2, 1) if n <= len(last) and is_gb_postcode("".join(last[-n:]))), 0)
        town = [*parts[:-1], last[: len(last) - size]] if size < len(last) else parts[:-1]
        county = len(town) >= 2 and _county_length(town[-1]) == len(town[-1])
        tokens = [token for part in (town[:-1] if county else town) for token in part]
        tokens += last[len(last) - size :]
        for size in (2, 1):
            for code, rest in ((tokens[:size], tokens[size:]), (tokens[-size:], tokens[:-size])):
                if rest and is_gb_postcode("".join(code)) and _are_town_words(rest):
                    return TownField(_join(rest), None, " ".join(code))
        return TownField(_join(tokens), None, None) if county else None
    if iso_3166_1 == "US":
        return _us_town_line(parts)
    return None


def _are_town_words(tokens: Sequence[str]) -> bool:
    """Whether tokens can be a town's name: words without digits ("WINSTON-SALEM")."""
    return all(not any(ch.isdigit() for ch in token) for token in tokens)


def _us_town_line(parts: list[list[str]]) -> TownField | None:
    """A US town field's town, state and ZIP ("Springfield, IL 62701"), or None."""
    postcode = _pop_us_zip(parts[-1])
    parts = [part for part in parts if part]
    if not parts:
        return None
    last = parts[-1]
    start = find_region_at_end(last, "US")
    region = None
    if start is not None and (postcode or len(parts) >= 2 or [len(w) for w in last[start:]] == [2]):
        region = _join(last[start:])
        del last[start:]
    town = [token for part in parts for token in part]
    if not town or not (region or postcode) or not _are_town_words(town):
        return None
    return TownField(_join(town), region, postcode)


def _join(tokens: Sequence[str] | None) -> str | None:
    """Tokens joined with spaces, or None if there are none."""
    return " ".join(tokens) if tokens else None
