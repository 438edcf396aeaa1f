"""House number canonicalization and free-text house number tokens."""

from __future__ import annotations

import pytest

from geodata.address.house_number import (
    HouseNumber,
    is_fraction_token,
    is_house_number_token,
    normalize_house_number,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", HouseNumber("12", 12, None)),
        (" 12 ", HouseNumber("12", 12, None)),
        ("012", HouseNumber("12", 12, None)),
        ("0", HouseNumber("0", 0, None)),
        ("12A", HouseNumber("12A", 12, "A")),
        ("12 a", HouseNumber("12A", 12, "A")),
        ("12-A", HouseNumber("12A", 12, "A")),
        ("12 - a", HouseNumber("12A", 12, "A")),
        ("12ab", HouseNumber("12AB", 12, "AB")),
        ("12 1/2", HouseNumber("12 1/2", 12, "1/2")),
        ("12-1/2", HouseNumber("12 1/2", 12, "1/2")),
        ("12½", HouseNumber("12 1/2", 12, "1/2")),
        ("12 ½", HouseNumber("12 1/2", 12, "1/2")),
        ("10-12", HouseNumber("10-12", 10, "-12")),
        ("10 - 12", HouseNumber("10-12", 10, "-12")),
        ("10-12a", HouseNumber("10-12A", 10, "-12A")),
        # A range written with a word, as British addresses often write it.
        ("10 to 12", HouseNumber("10-12", 10, "-12")),
        ("10 TO 12A", HouseNumber("10-12A", 10, "-12A")),
        # Only a rising range is one: the rest is kept as written.
        ("12 TO 10", HouseNumber("12 TO 10", 12, "TO 10")),
        ("#12", HouseNumber("12", 12, None)),
        ("12.", HouseNumber("12", 12, None)),
        ("\uff11\uff12", HouseNumber("12", 12, None)),
        ("12 rear", HouseNumber("12 REAR", 12, "REAR")),
        ("N123 W456", HouseNumber("N123 W456", 123, "N123 W456")),
        ("abc", HouseNumber("ABC", None, "ABC")),
    ],
)
def test_normalize_house_number(raw, expected):
    assert normalize_house_number(raw) == expected


@pytest.mark.parametrize("raw", ["", "  ", "#", "-", "/"])
def test_empty_house_number_is_none(raw):
    assert normalize_house_number(raw) is None


@pytest.mark.parametrize(
    "raw",
    ["12", "12 a", "10 - 12", "10 to 12", "12½", "N123 W456", "12 rear", "abc", "0012 REAR"],
)
def test_house_number_display_is_a_fixed_point(raw):
    display = normalize_house_number(raw).display
    assert normalize_house_number(display).display == display


@pytest.mark.parametrize(
    ("a", "b"), [("12", "14"), ("12A", "12B"), ("12", "12A"), ("12", "12 1/2"), ("10-12", "10")]
)
def test_different_house_numbers_stay_different(a, b):
    assert normalize_house_number(a) != normalize_house_number(b)


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("12", True),
        ("12A", True),
        ("10-12", True),
        ("12-A", True),
        ("1ST", False),
        ("21ST", False),
        ("MAIN", False),
        ("1/2", False),
    ],
)
def test_is_house_number_token(token, expected):
    assert is_house_number_token(token) is expected


def test_is_fraction_token():
    assert is_fraction_token("1/2")
    assert not is_fraction_token("12")
