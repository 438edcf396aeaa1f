"""Country and region resolution to ISO 3166 codes."""

from __future__ import annotations

import pytest

from geodata.address.region import (
    country_of_region,
    country_of_region_code,
    find_region_at_end,
    resolve_country,
    resolve_region,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("US", "US"),
        ("us", "US"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("United States", "US"),
        ("united states of america", "US"),
        ("FI", "FI"),
        ("FIN", "FI"),
        ("Finland", "FI"),
        ("Suomi", "FI"),
        ("GB", "GB"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("Great Britain", "GB"),
        ("Germany", "DE"),
        ("Narnia", None),
        ("", None),
    ],
)
def test_resolve_country(raw, expected):
    assert resolve_country(raw) == expected


@pytest.mark.parametrize(
    ("raw", "iso", "expected"),
    [
        ("CA", "US", "US-CA"),
        ("ca", "US", "US-CA"),
        ("US-CA", "US", "US-CA"),
        ("California", "US", "US-CA"),
        ("CALIFORNIA", "US", "US-CA"),
        ("District of Columbia", "US", "US-DC"),
        ("18", "FI", "FI-18"),
        ("FI-18", "FI", "FI-18"),
        ("Uusimaa", "FI", "FI-18"),
        ("uusimaa", "FI", "FI-18"),
        ("Päijät-Häme", "FI", "FI-16"),
        ("Paijat-Hame", "FI", "FI-16"),
        # A Finnish region in Swedish, Finland's other official language.
        ("Nyland", "FI", "FI-18"),
        ("Egentliga Finland", "FI", "FI-19"),
        ("Ahvenanmaa", "FI", "FI-01"),
        ("Åland", "FI", "FI-01"),
        ("GB-LND", "GB", "GB-LND"),
        ("US-CA", None, "US-CA"),
        # Not a subdivision of the country, or unknown.
        ("FI-18", "US", None),
        ("CA", None, None),
        ("XX", "US", None),
        ("US-XX", "US", None),
        ("Atlantis", "US", None),
        ("", "US", None),
    ],
)
def test_resolve_region(raw, iso, expected):
    assert resolve_region(raw, iso) == expected


@pytest.mark.parametrize(
    ("raw", "expected"), [("US-CA", "US"), ("fi-18", "FI"), ("CA", None), ("US-XX", None)]
)
def test_country_of_region_code(raw, expected):
    assert country_of_region_code(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("US-CA", "US"),
        ("England", "GB"),
        ("ENG", "GB"),
        ("Uusimaa", "FI"),
        ("California", "US"),
        # A code or name that regions of several countries have names no country.
        ("CA", None),
        ("18", None),
        ("Atlantis", None),
        # A state's traditional abbreviation is the state's.
        ("Calif.", "US"),
        ("W. Va.", "US"),
    ],
)
def test_a_region_names_its_country_when_only_one_country_has_it(raw, expected):
    assert country_of_region(raw) == expected


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        ("SAN FRANCISCO CA", 2),
        # A traditional abbreviation of more words before the code it ends in.
        ("WHEELING W VA", 1),
        ("SAN FRANCISCO CALIF", 2),
        ("BERKELEY CALIFORNIA", 1),
        ("NEW YORK", 0),
        ("RALEIGH NORTH CAROLINA", 1),
        ("SAN FRANCISCO", None),
        ("", None),
    ],
)
def test_find_region_at_end(tokens, expected):
    assert find_region_at_end(tokens.split(), "US") == expected
