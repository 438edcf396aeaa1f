"""House number canonicalization: "12 a" -> "12A", "10 - 12" -> "10-12", "12½" -> "12 1/2".

Also recognizes house-number tokens inside free text for the street-line parser.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from geodata.address.slips import near_slips, unambiguous_slips
from geodata.address.tables import (
    GB_BUILDING_ABBREVIATIONS,
    GB_BUILDING_WORDS,
    GB_THOROUGHFARE_TYPES,
    UNIT_DESIGNATORS,
)
from geodata.address.text import LOOKALIKE_DIGITS, clean_house_number

# Leading zeros are dropped so "012" and "12" compare equal; "0" itself survives because the
# quantifier backtracks.
_SIMPLE = re.compile(r"0*(\d+)-?([A-Z]{1,2})?")
_SPACED_LETTER = re.compile(r"0*(\d+) ([A-Z]{1,2})")
_RANGE = re.compile(r"0*(\d+)-0*(\d+)([A-Z])?")
_FRACTION = re.compile(r"0*(\d+)[ -](\d+/\d+)")
_FIRST_INTEGER = re.compile(r"\d+")
_LEADING_ZEROS = re.compile(r"^0+(?=\d)")
# "No. 12", "NO 12": the number sign written as a word before the number.
_NUMBER_SIGN = re.compile(r"^NO ?(?=\d)")

# A token that can start (US, GB) or follow (FI) a street name in free text. Ordinals such as
# "1ST" have two letters, so they never match the one-letter form.
_TOKEN = re.compile(r"\d+[A-Z]?|\d+-\d+[A-Z]?|\d+-[A-Z]")
_FRACTION_TOKEN = re.compile(r"\d+/\d+")


# Digits read or typed as the letters that look like them: O for 0, I and L (a lower-case
# "l") for 1 ("l2", "1O5"). A number of such characters with at least one real digit is
# the number; a last L stays the house's letter ("12L"), I and O are not letters houses
# are given.
_MISREAD_NUMBER = re.compile(r"[0-9OIL]*[0-9][0-9OIL]*(?<!L)")


def misread_digits(token: str) -> str | None:
    """The number a token means when it holds a letter in place of a look-alike digit
    ("L2" is 12, "1O" is 10, "2I" is 21); None for any other token, and for a number
    written with digits alone."""
    if token.isdigit() or not _MISREAD_NUMBER.fullmatch(token):
        return None
    return token.translate(LOOKALIKE_DIGITS)


def _misspelled_building_words() -> dict[str, str]:
    """A slip of a building word of five letters or more that stays close to the
    keyboard (`near_slips`: "COTAGE", "HOSUE", "MANSOINS") -> the word, where the slip
    is no thoroughfare, building or unit word itself and no slip of another building
    word. Only close slips: a letter struck anywhere makes words of the shorter ones
    ("HORSE" for HOUSE)."""
    words = [word for word in GB_BUILDING_WORDS - GB_THOROUGHFARE_TYPES if len(word) >= 5]
    known = GB_THOROUGHFARE_TYPES | GB_BUILDING_WORDS | frozenset(UNIT_DESIGNATORS)
    return unambiguous_slips({word: near_slips(word) for word in words}, known)


MISSPELLED_BUILDING_WORDS = _misspelled_building_words()
"""A building word mistyped ("COTAGE", "HOSUE") -> the word."""


class HouseNumber(NamedTuple):
    """A canonical house number and its parts."""

    display: str
    number: int | None
    suffix: str | None


@lru_cache(maxsize=65536)
def normalize_house_number(raw: str) -> HouseNumber | None:
    """Canonical form of a house number.

    Args:
        raw: The house number as given, e.g. "12 a", "12-A", "10 - 12", "12 1/2", "012".

    Returns:
        The display form ("12A", "10-12", "12 1/2", "12"), the leading integer and the rest after
        it; None if nothing is left after cleaning. A house number not starting with a digit
        keeps its first integer as number and its whole display as suffix, so that "A12" and
        "12" stay different.
    """
    text = _NUMBER_SIGN.sub("", clean_house_number(raw))
    if not text:
        return None
    text = misread_digits(text) or text
    match = _SIMPLE.fullmatch(text) or _SPACED_LETTER.fullmatch(text)
    if match:
        digits, letters = match.groups()
        return HouseNumber(digits + (letters or ""), int(digits), letters)
    match = _RANGE.fullmatch(text)
    if match:
        first, last, letter = match.groups()
        suffix = f"-{last}{letter or ''}"
        return HouseNumber(first + suffix, int(first), suffix)
    match = _FRACTION.fullmatch(text)
    if match:
        digits, fraction = match.groups()
        return HouseNumber(f"{digits} {fraction}", int(digits), fraction)
    # Anything else ("N123 W456", "12 REAR") is kept as cleaned, which is already canonical.
    text = _LEADING_ZEROS.sub("", text)
    match = _FIRST_INTEGER.search(text)
    if match is None:
        # A building's name: its last word spelled out ("MAPLE CT" is MAPLE COURT), or
        # put right where it is a building word mistyped ("ROSE COTAGE").
        *name, last = text.split(" ")
        spelled = GB_BUILDING_ABBREVIATIONS.get(last) or MISSPELLED_BUILDING_WORDS.get(last)
        if name and spelled:
            text = " ".join([*name, spelled])
        return HouseNumber(text, None, text)
    if match.start() == 0:
        return HouseNumber(text, int(match.group()), text[match.end() :].strip() or None)
    return HouseNumber(text, int(match.group()), text)


def is_house_number_token(token: str) -> bool:
    """Whether a free-text token looks like a house number ("12", "12A", "10-12", "12-A").

    Args:
        token: One token from free_text_tokens.

    Returns:
        True if the token can be a house number.
    """
    return _TOKEN.fullmatch(token) is not None


def is_fraction_token(token: str) -> bool:
    """Whether a free-text token is a fraction that extends a house number ("1/2").

    Args:
        token: One token from free_text_tokens.

    Returns:
        True for tokens like "1/2".
    """
    return _FRACTION_TOKEN.fullmatch(token) is not None


_VULGAR_FRACTION = re.compile(r"\s*([1-3])\s*/\s*([2-4])\s*")


def is_vulgar_fraction(text: str) -> bool:
    """Whether text is a half, a third or a quarter written with a slash ("1/2", "3/4")."""
    match = _VULGAR_FRACTION.fullmatch(text)
    return match is not None and int(match.group(1)) < int(match.group(2))
