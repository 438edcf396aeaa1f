"""Fixtures for the address normalization tests: a keyword-defaulting caller and the
feed-back check that every test of normalize_address can apply."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from geodata.address import NormalizedAddress, normalize_address

INPUT_FIELDS = (
    "house_number",
    "street",
    "unit",
    "locality",
    "region",
    "postcode",
    "country",
    "full_address",
)


def call_normalize(*, has_point: bool = False, **fields: str | None) -> NormalizedAddress:
    """normalize_address with every field defaulting to None."""
    unknown = set(fields) - set(INPUT_FIELDS)
    assert not unknown, f"not an input field: {unknown}"
    return normalize_address(
        **{name: fields.get(name) for name in INPUT_FIELDS}, has_point=has_point
    )


def fed_back(address: NormalizedAddress, *, has_point: bool = False) -> NormalizedAddress:
    """Normalize the output fields again, as the idempotence contract describes."""
    return normalize_address(
        house_number=address.house_number,
        street=address.street,
        unit=address.unit,
        locality=address.locality,
        region=address.iso_3166_2,
        postcode=address.postcode,
        country=address.iso_3166_1,
        full_address=None,
        has_point=has_point,
    )


@pytest.fixture
def normalize() -> Callable[..., NormalizedAddress]:
    """normalize_address with keyword fields defaulting to None; asserts idempotence on the way."""

    def _normalize(*, has_point: bool = False, **fields: str | None) -> NormalizedAddress:
        address = call_normalize(has_point=has_point, **fields)
        assert fed_back(address, has_point=has_point) == address, f"not idempotent for {fields}"
        return address

    return _normalize
