"""Postcode canonicalization per country."""

from __future__ import annotations

import pytest

from geodata.address.postcode import is_gb_postcode, is_us_zip, normalize_postcode


@pytest.mark.parametrize(
    ("raw", "iso", "expected"),
    [
        ("94103", "US", "94103"),
        ("94103-1234", "US", "94103"),
        ("94103 1234", "US", "94103"),
        ("941031234", "US", "94103"),
        (" 02110 ", "US", "02110"),
        # Stored as a number, a ZIP or Finnish postcode loses its leading zeros.
        ("2110", "US", "02110"),
        ("601", "US", "00601"),
        ("2110-1234", "US", "02110"),
        ("41", "US", None),
        ("94103-12", "US", None),
        ("ABCDE", "US", None),
        # A form's placeholder, no delivery area's ZIP.
        ("00000", "US", None),
        ("00000-0000", "US", None),
        ("00501", "US", "00501"),
        ("00100", "FI", "00100"),
        ("FI-00100", "FI", "00100"),
        ("FIN-00100", "FI", "00100"),  # the older international prefix
        ("100", "FI", "00100"),
        ("530", "FI", "00530"),
        ("2100", "FI", "02100"),
        ("10", "FI", None),
        ("123456", "FI", None),
        ("sw1a1aa", "GB", "SW1A 1AA"),
        ("SW1A 1AA", "GB", "SW1A 1AA"),
        ("sw1a  1aa", "GB", "SW1A 1AA"),
        ("EC1A 1BB", "GB", "EC1A 1BB"),
        ("m1 1ae", "GB", "M1 1AE"),
        ("B33 8TH", "GB", "B33 8TH"),
        ("GIR 0AA", "GB", "GIR 0AA"),
        ("12345", "GB", None),
        # Punctuation in or after a postcode; a letter keyed for the digit it looks like
        # where the inward code wants a digit.
        ("ex1-2ab", "GB", "EX1 2AB"),
        ("EX1 2AB.", "GB", "EX1 2AB"),
        ("SW1A OAA", "GB", "SW1A 0AA"),
        # ... and where the district after the area's letters wants one; a postcode
        # with those letters in its area stays as written.
        ("EXl 2AB", "GB", "EX1 2AB"),
        ("OL1 2AB", "GB", "OL1 2AB"),
        ("L1 1AA", "GB", "L1 1AA"),
        ("LONDON", "GB", None),
        # Letters for look-alike digits in a code of digits.
        ("OO100", "FI", "00100"),
        ("FI-OO100", "FI", "00100"),
        ("9O21O", "US", "90210"),
        ("OIL", "US", None),
        # A space inside a Finnish postcode; a state before its ZIP in a postcode column.
        ("00 100", "FI", "00100"),
        ("CA 94103", "US", "94103"),
        ("CA", "US", None),
        ("10115", "DE", "10115"),
        ("k1a  0b1", "CA", "K1A 0B1"),
        ("k1a 0b1", None, "K1A 0B1"),
    ],
)
def test_normalize_postcode(raw, iso, expected):
    assert normalize_postcode(raw, iso) == expected
    if expected is not None:
        assert normalize_postcode(expected, iso) == expected


@pytest.mark.parametrize("raw", ["", "   "])
def test_empty_postcode_is_none(raw):
    assert normalize_postcode(raw, "US") is None
    assert normalize_postcode(raw, None) is None


def test_postcode_predicates():
    assert is_us_zip("94103") and is_us_zip("94103-1234")
    assert not is_us_zip("9410")
    assert is_gb_postcode("SW1A 1AA") and is_gb_postcode("SW1A1AA")
    assert not is_gb_postcode("94103")
