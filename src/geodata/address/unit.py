"""Secondary unit (apartment, suite, flat, Finnish staircase) canonicalization.

Designators follow USPS Publication 28, Appendix C2; the identifier alone is what records are
compared on, so "APT 4", "#4", "Unit 4" and "4" all share the unit id "4".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from geodata.address.tables import (
    DIRECTIONALS,
    ORDINAL_WORDS,
    UNIT_DESIGNATORS,
    UNIT_DESIGNATORS_ALWAYS_UNIT,
    UNIT_DESIGNATORS_WITHOUT_ID,
)
from geodata.address.text import free_text_tokens, split_glued_unit

_NOT_ALNUM = re.compile(r"[\W_]+")
_NUMERIC_ORDINAL = re.compile(r"(\d+)(?:ST|ND|RD|TH|D)")
_HAS_DIGIT = re.compile(r"\d")
# Finnish "A 5": staircase letter, space, apartment number (optionally with a letter).
_FI_APARTMENT = re.compile(r"\d+[A-Z]?")
# Two numbers written apart in one identifier ("1/2": a Scottish flat, floor 1 and
# flat 2; "1-2"): kept apart, as "1/2", never run together into another flat's "12".
_NUMBERS_APART = re.compile(r"(\d+)[/-](\d+)")
_LEADING_ZEROS = re.compile(r"(?<!\d)0+(?=\d)")
"""Zeros before a number's first other digit ("APT 004", "A 03", "1/01"): a source's
fixed-width format, as in house numbers, never part of which unit it is."""


class Unit(NamedTuple):
    """A canonical secondary unit."""

    display: str
    unit_id: str


# A British flat named by its floor or its place in the house, as Royal Mail's
# Postcode Address File writes such sub-building names ("GROUND FLOOR FLAT",
# "FIRST FLOOR FLAT", "BASEMENT FLAT", "GARDEN FLAT"). Its id is the level or the
# place, however the floor is written ("1ST FLR FLAT", "FLAT FIRST FLOOR").
_FLOORS: dict[str, str] = {
    "GROUND": "GROUND",
    "GRND": "GROUND",
    "GRD": "GROUND",
    "TOP": "TOP",
    **{spelled: spelled for spelled in ORDINAL_WORDS},
    **{numeric: spelled for spelled, numeric in ORDINAL_WORDS.items()},
}
_FLOOR_WORDS = frozenset({"FLOOR", "FLR", "FL"})
_FLAT_PLACES: dict[str, str] = {
    "BASEMENT": "BASEMENT",
    "BSMT": "BASEMENT",
    "GARDEN": "GARDEN",
    "REAR": "REAR",
    "BACK": "REAR",
    "FRONT": "FRONT",
    "FRNT": "FRONT",
    "UPPER": "UPPER",
    "UPPR": "UPPER",
    "LOWER": "LOWER",
    "LOWR": "LOWER",
    "MIDDLE": "MIDDLE",
}
_FLOOR_FLAT_INITIALS = {"GFF": "GROUND", "FFF": "FIRST", "SFF": "SECOND"}
_FLOOR_INITIALS = {"GF": "GROUND", "LGF": "LOWER GROUND", "FF": "FIRST", "TF": "TOP"} | {
    "G/F": "GROUND",
    "F/F": "FIRST",
}
"""A floor's initials, its floor word in them ("GF FLAT", "FLAT G/F"): read beside the
word FLAT only, where no flat's own letters stand."""


def _floor(tokens: Sequence[str], at: int) -> tuple[str, int] | None:
    """The floor named at `at` ("LOWER GROUND", "FIRST", "1ST") and the index after it."""
    if tokens[at : at + 1] == ["LOWER"] and tokens[at + 1 : at + 2] in (["GROUND"], ["GRND"]):
        return "LOWER GROUND", at + 2
    if at < len(tokens) and tokens[at] in _FLOORS:
        return _FLOORS[tokens[at]], at + 1
    return None


def _floor_flat(tokens: Sequence[str]) -> tuple[Unit, int] | None:
    """A flat named by its floor or place at the start of `tokens`, and its length.

    "GROUND FLOOR FLAT", "1ST FLR FLAT", "TOP FLAT", "FLAT FIRST FLOOR", "GFF",
    "GF FLAT", "FLAT G/F", "BASEMENT FLAT", "GARDEN FLAT"; the word FLAT is needed
    here ("FIRST FLOOR" alone is a floor; a British record's is its flat,
    `geodata.address.normalize`).
    """
    tokens = list(tokens)
    if not tokens:
        return None
    if tokens[0] in _FLOOR_FLAT_INITIALS:
        level, end = _FLOOR_FLAT_INITIALS[tokens[0]], 1
    elif tokens[0] in _FLOOR_INITIALS and tokens[1:2] == ["FLAT"]:
        level, end = _FLOOR_INITIALS[tokens[0]], 2
    elif tokens[0] == "FLAT" and tokens[1:2] and tokens[1] in _FLOOR_INITIALS:
        level, end = _FLOOR_INITIALS[tokens[1]], 2
    elif tokens[0] == "FLAT" and (found := _floor(tokens, 1)) is not None:
        # "FLAT FIRST FLOOR": the floor word is needed after the level here.
        level, end = found
        if tokens[end : end + 1] and tokens[end] in _FLOOR_WORDS:
            end += 1
        else:
            return None
    elif (found := _floor(tokens, 0)) is not None:
        level, end = found
        if tokens[end : end + 1] and tokens[end] in _FLOOR_WORDS:
            end += 1
        if tokens[end : end + 1] != ["FLAT"]:
            return None
        end += 1
    elif tokens[0] in _FLAT_PLACES and tokens[1:2] == ["FLAT"]:
        place = _FLAT_PLACES[tokens[0]]
        return Unit(f"{place} FLAT", f"FLAT-{place}"), 2
    else:
        return None
    return Unit(f"{level} FLOOR FLAT", f"FLAT-{level.replace(' ', '-')}"), end


def floor_flat_length(tokens: Sequence[str]) -> int:
    """How many tokens at the start name a flat by its floor or place (0 if none)."""
    found = _floor_flat(tokens)
    return found[1] if found else 0


def is_floor_alone(tokens: Sequence[str]) -> bool:
    """Whether the tokens name a floor and nothing else ("FIRST FLOOR", "GROUND FLR",
    "TOP FLOOR")."""
    found = _floor(list(tokens), 0) if tokens else None
    return found is not None and len(tokens) == found[1] + 1 and tokens[-1] in _FLOOR_WORDS


def _floor_length(tokens: Sequence[str]) -> int:
    """How many tokens at the start name a floor ("FIRST FLOOR", "2ND FLR"; 0 if none)."""
    found = _floor(list(tokens), 0) if tokens else None
    if found is None:
        return 0
    end = found[1]
    return end + 1 if tokens[end : end + 1] and tokens[end] in _FLOOR_WORDS else 0


@lru_cache(maxsize=65536)
def normalize_unit(raw: str) -> Unit | None:
    """Canonical form of a secondary unit.

    Args:
        raw: The unit as given: "Apartment 4", "apt. 4b", "#4", "4", "Flat 2", "A 5",
            "2nd floor".

    Returns:
        Display form with the Pub 28 designator ("APT 4", "APT 4B", "# 4", "# 4", "FLAT 2",
        "A 5", "FL 2") and the identifier used for equality ("4", "4B", "4", "4", "2", "A5",
        "2"); a designator without identifier ("REAR") is its own id. None if nothing is left.
    """
    return unit_from_tokens(tuple(free_text_tokens(raw)))


def _is_staircase_apartment(words: Sequence[str]) -> bool:
    """Whether two words are a Finnish staircase and apartment ("A 5", "B 12C")."""
    return (
        len(words) == 2
        and len(words[0]) == 1
        and words[0].isalpha()
        and _FI_APARTMENT.fullmatch(words[1]) is not None
    )


def unit_from_tokens(tokens: Sequence[str]) -> Unit | None:
    """Canonical unit from already tokenized text (see normalize_unit).

    Args:
        tokens: Tokens from free_text_tokens.

    Returns:
        The canonical unit, or None if the tokens hold no unit.
    """
    if not tokens:
        return None
    floor_flat = _floor_flat(tokens)
    if floor_flat is not None:
        unit, length = floor_flat
        rest = unit_from_tokens(tokens[length:])
        if rest is None:
            return unit
        return Unit(f"{unit.display} {rest.display}", f"{unit.unit_id}-{rest.unit_id}")
    if _is_staircase_apartment(tokens):
        apartment = _LEADING_ZEROS.sub("", tokens[1])
        return Unit(f"{tokens[0]} {apartment}", tokens[0] + apartment)

    parts: list[tuple[str, list[str]]] = []
    # Punctuation inside a word is dropped before the designator lookup ("Ap't" is "APT"),
    # so a printed identifier can never turn into a designator when parsed again; a word
    # it leaves glued to a number ("REAR'12") is split as in free text.
    words = [
        piece
        for token in tokens
        for piece in (
            [token]
            if token == "#"
            else [_NUMBERS_APART.sub(r"\1/\2", token)]
            if _NUMBERS_APART.fullmatch(token)
            else split_glued_unit(_NOT_ALNUM.sub("", token))
        )
    ]
    for word in words:
        if not word:
            continue
        designator = UNIT_DESIGNATORS.get(word)
        if designator == "#" and parts and not parts[-1][1]:
            # "APT # 4": the "#" only announces the identifier of the designator before it.
            continue
        if designator is not None:
            parts.append((designator, []))
            continue
        if not parts:
            parts.append(("#", []))
        parts[-1][1].append(_LEADING_ZEROS.sub("", word))

    # A bare "#" says nothing.
    parts = [(designator, ids) for designator, ids in parts if designator != "#" or ids]
    parts = _merge_ordinal_floor(parts)
    if not parts:
        return None
    if len(parts) == 1 and parts[0][0] == "#" and _is_staircase_apartment(parts[0][1]):
        # What is left is a staircase and an apartment ("A 3, 2. krs"): written as one.
        letter, apartment = parts[0][1]
        return Unit(f"{letter} {apartment}", letter + apartment)
    # Identifier words stay space-separated in the display (they are joined for the id) so that
    # the display splits back into the same words.
    display = " ".join(" ".join((designator, *ids)) for designator, ids in parts)
    unit_id = "-".join("".join(ids) or designator for designator, ids in parts)
    return Unit(display, unit_id)


def _merge_ordinal_floor(parts: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """Turn "2ND FL" (identifier before the designator) into "FL 2", and drop a floor
    beside a unit with an identifier of its own ("FLAT 2, FIRST FLOOR" is flat 2: the
    floor says where the flat is, not which)."""
    merged: list[tuple[str, list[str]]] = []
    for designator, ids in parts:
        if designator == "FL" and not ids and merged and merged[-1][1]:
            before, before_ids = merged[-1]
            floor = ORDINAL_WORDS.get(before_ids[-1], before_ids[-1])  # "FIRST" is "1ST"
            match = _NUMERIC_ORDINAL.fullmatch(floor)
            if before == "#" and len(before_ids) > 2 and before_ids[-1].isdigit():
                # "A 3 2 KRS" (Finnish "A 3, 2. krs"): the number before the floor's word
                # is the floor's, the words before it the unit's.
                merged[-1] = (before, before_ids[:-1])
            elif before == "#" and len(before_ids) > 1 and match is None:
                # Words run together into one identifier: a slash in it would be one
                # word's, which the identifier read again does not keep.
                floor = "".join(before_ids).replace("/", "")
                merged.pop()
            elif before == "#" or match is not None or floor == "GROUND":
                merged[-1] = (before, before_ids[:-1])
                if not merged[-1][1] and before == "#":
                    merged.pop()
            else:
                merged.append((designator, ids))
                continue
            match = _NUMERIC_ORDINAL.fullmatch(floor)
            merged.append(("FL", [match.group(1) if match else floor]))
            continue
        merged.append((designator, ids))
    if any(designator != "FL" and ids for designator, ids in merged):
        merged = [(designator, ids) for designator, ids in merged if designator != "FL"]
    return merged


def find_unit_start(tokens: Sequence[str], first: int) -> int | None:
    """Index where a secondary unit starts inside a street line, if any.

    A designator counts only when an identifier follows it that cannot be part of a street
    name (a digit or a single letter, not a directional or ordinal), except for designators
    that never occur in street names ("APT", "STE", "UNIT", "#").

    Args:
        tokens: Tokens of the street line after the house number.
        first: First index where a unit may start (the street needs at least one word).

    Returns:
        The index of the designator, or None if the line holds no unit.
    """
    for index in range(first, len(tokens) - 1):
        designator = UNIT_DESIGNATORS.get(tokens[index])
        if designator is None:
            continue
        if designator in UNIT_DESIGNATORS_ALWAYS_UNIT:
            return index
        following = tokens[index + 1]
        if (
            following in DIRECTIONALS
            or following in ORDINAL_WORDS
            or _NUMERIC_ORDINAL.fullmatch(following)
        ):
            continue
        if len(following) == 1 or _HAS_DIGIT.search(following):
            return index
    return None


def unit_run_length(tokens: Sequence[str], at: int) -> int:
    """How many tokens from `at`, where `find_unit_start` found a designator, are units.

    A designator and its identifier ("APT 4"), with a "#" between them that only
    announces the identifier ("APT # 4"), and any units right after it ("BLDG 2 APT
    4": a building of a complex and an apartment in it).
    """
    end = at
    while end < len(tokens) - 1 and (end == at or find_unit_start(tokens[end:], 0) == 0):
        step = 3 if tokens[end + 1] == "#" and end + 2 < len(tokens) else 2
        end += step
    return end - at


def is_unit_tokens(tokens: Sequence[str]) -> bool:
    """Whether a comma-separated free-text part is a unit on its own ("Flat 2", "Apt 4", "#4").

    Args:
        tokens: Tokens of one free-text part.

    Returns:
        True if the part starts with a designator followed by an identifier.
    """
    return bool(tokens) and (
        find_unit_start(tokens, 0) == 0
        or floor_flat_length(tokens) > 0
        or _floor_length(tokens) == len(tokens)
    )


def leading_unit_length(tokens: Sequence[str]) -> int:
    """How many tokens at the start are one unit: a flat named by its floor
    ("GROUND FLOOR FLAT"), a floor ("FIRST FLOOR") or a designator and its
    identifier ("FLAT 8"); 0 if none."""
    if (
        len(tokens) >= 3
        and UNIT_DESIGNATORS.get(tokens[0]) in UNIT_DESIGNATORS_WITHOUT_ID
        and _HAS_DIGIT.search(tokens[1])
        and not _HAS_DIGIT.search(tokens[2])
    ):
        # "REAR 31 MARKET ST": a unit that needs no identifier, before the house's number.
        return 1
    if find_unit_start(tokens, 0) == 0:
        if tokens[1] == "#" and len(tokens) >= 3:
            # "APT # 4": the "#" only announces the identifier.
            return 3
        # "FLAT 2 B": a letter written apart after the identifier is the identifier's,
        # unless it is a directional that starts a street ("APT 4 N MAIN ST").
        letter = tokens[2:3]
        if (
            letter
            and len(letter[0]) == 1
            and letter[0].isalpha()
            and tokens[1].isdigit()
            and (len(tokens) == 3 or letter[0] not in DIRECTIONALS or tokens[3][:1].isdigit())
        ):
            return 3
        return 2
    return floor_flat_length(tokens) or _floor_length(tokens)
