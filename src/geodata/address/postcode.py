"""Postcode canonicalization per country: US 5-digit ZIP, FI 5 digits, GB "OUTWARD INWARD".

Invalid US/FI/GB postcodes become None (a bad postcode alone does not reject a record).
US and Finnish postcodes are codes, not numbers, but spreadsheets and numeric columns
store them as numbers and drop their leading zeros (Helsinki's "00100" becomes "100",
Boston's "02134" "2134"): a US or Finnish postcode of three or four digits gets its
zeros back.
"""

from __future__ import annotations

import re
from functools import lru_cache

from geodata.address.text import LOOKALIKE_DIGITS, fold

# ZIP+4 is dropped: the 4-digit add-on is missing from most sources and would split matches.
_US_ZIP = re.compile(r"(\d{5})(?:[ -]?\d{4})?")
_US_ZIP_WITHOUT_ZEROS = re.compile(r"(\d{3,5})(?:[ -]\d{4})?")
_FI_POSTCODE = re.compile(r"\d{3,5}")
_POSTCODE_DIGITS = 5
# Royal Mail postcode shape: outward code (area, district) + inward code (sector, unit);
# "GIR 0AA" is the one historic exception.
_GB_POSTCODE = re.compile(r"([A-Z]{1,2}\d[A-Z\d]?|GIR)(\d[A-Z]{2})")
_SPACES = re.compile(r"\s+")
_NOT_LETTER_OR_DIGIT = re.compile(r"[^A-Z0-9]+")
_US_STATE_BEFORE_ZIP = re.compile(r"[A-Z]{2}\s+(?=\d)")
# A US or Finnish postcode is digits: one written with a letter for a digit it looks like
# ("9O21O", "OO100") has at least one digit and nothing but those letters beside it.
_DIGITS_MISREAD = re.compile(r"[0-9OIL -]*[0-9][0-9OIL -]*")
_FI_PREFIX = re.compile(r"^FIN?-?(?=[0-9OIL])")


def _digits_read(code: str) -> str:
    """A code of digits with look-alike letters for some of them, as digits."""
    return code.translate(LOOKALIKE_DIGITS) if _DIGITS_MISREAD.fullmatch(code) else code


def _gb_outward_read(code: str) -> str:
    """A British postcode (letters and digits only) whose district starts with a letter
    for the digit it looks like ("EXL2AB" is EX1 2AB), where the code is no postcode as
    written; the code as it is otherwise."""
    if _GB_POSTCODE.fullmatch(code):
        return code
    for at in (1, 2):
        if at < len(code) - 3 and code[:at].isalpha() and code[at] in "OIL":
            read = code[:at] + code[at].translate(LOOKALIKE_DIGITS) + code[at + 1 :]
            if _GB_POSTCODE.fullmatch(read):
                return read
    return code


@lru_cache(maxsize=65536)
def normalize_postcode(raw: str, iso_3166_1: str | None) -> str | None:
    """Canonical postcode for a country.

    Args:
        raw: The postcode as given ("94103-1234", "00100", "sw1a1aa").
        iso_3166_1: Alpha-2 country code, or None if unknown.

    Returns:
        "94103", "00100" (also for "100"), "SW1A 1AA"; for other countries the folded,
        space-collapsed text.
        None if the text is empty or not a valid US/FI/GB postcode (the US placeholder
        "00000" is none).
    """
    text = " ".join(fold(raw).split())
    if not text:
        return None
    if iso_3166_1 == "US":
        # A postcode column may hold the state before its ZIP ("CA 94103").
        text = _digits_read(_US_STATE_BEFORE_ZIP.sub("", text, count=1))
        match = _US_ZIP.fullmatch(text) or _US_ZIP_WITHOUT_ZEROS.fullmatch(text)
        code = match.group(1).zfill(_POSTCODE_DIGITS) if match else None
        # "00000" is a form's placeholder: no delivery area has it (the lowest ZIP
        # in use is 00501).
        return None if code == "00000" else code
    if iso_3166_1 == "FI":
        match = _FI_POSTCODE.fullmatch(_digits_read(_FI_PREFIX.sub("", _SPACES.sub("", text))))
        return match.group().zfill(_POSTCODE_DIGITS) if match else None
    if iso_3166_1 == "GB":
        # Only letters and digits count ("EX1-2AB", "EX1 2AB."); the inward code starts
        # with a digit, which a letter like it stands for ("SW1A OAA"), and so does the
        # district after the area's letters ("EXL 2AB").
        code = _NOT_LETTER_OR_DIGIT.sub("", text)
        if len(code) >= 5:
            code = code[:-3] + code[-3].translate(LOOKALIKE_DIGITS) + code[-2:]
        match = _GB_POSTCODE.fullmatch(_gb_outward_read(code))
        return f"{match.group(1)} {match.group(2)}" if match else None
    return text


def is_gb_postcode(outward_and_inward: str) -> bool:
    """Whether text (with or without the inner space) is a well-formed GB postcode.

    Args:
        outward_and_inward: e.g. "SW1A 1AA" or "SW1A1AA", already folded.

    Returns:
        True if the text has the Royal Mail postcode shape.
    """
    return _GB_POSTCODE.fullmatch(_SPACES.sub("", outward_and_inward)) is not None


def is_us_zip(token: str) -> bool:
    """Whether a free-text token is a ZIP or ZIP+4 ("94103", "94103-1234").

    Args:
        token: One folded free-text token.

    Returns:
        True for 5-digit ZIPs with an optional hyphenated 4-digit add-on.
    """
    return _US_ZIP.fullmatch(token) is not None
