"""Addresses written in the column layouts real files use read as their canonical columns.

Every numbered address of a generated labelled set is written the way some sources
lay their columns out (the first address line in the street column beside its number;
the line in the number column; the town's whole line in the locality column; a
punctuated postcode) and must read as the same address written in its own columns.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from geodata.address import normalize_address
from geodata.address.tables import GB_THOROUGHFARE_TYPES
from geodata.sample_data.lists.generate import generate_lists_set

FIELDS = ("house_number", "street", "unit", "locality", "postcode")


@pytest.fixture(scope="module")
def addresses() -> pd.DataFrame:
    truth = generate_lists_set(7, 5000, "tune")["truth_addresses"]
    numbered = truth["house_number"].fillna("").str.contains(r"\d")
    return truth[~truth["phantom"] & numbered]


def _line(row) -> str:
    """The first address line as the country writes it."""
    if row.iso_3166_1 == "FI":
        return f"{row.street} {row.house_number}"
    return f"{row.house_number} {row.street}"


def _town_line(row) -> str:
    """The town's line as the country writes it, postcode included."""
    if row.iso_3166_1 == "FI":
        return f"{row.postcode} {row.locality}"
    if row.iso_3166_1 == "GB":
        return f"{row.locality} {row.postcode}"
    return f"{row.locality}, {row.iso_3166_2.split('-')[1]} {row.postcode}"


LAYOUTS: dict[str, Callable[..., dict[str, str | None]]] = {
    "street column repeats the number": lambda r: {"street": _line(r)},
    "line in the number column": lambda r: {"house_number": _line(r), "street": None},
    "town's line in the locality column": lambda r: {"locality": _town_line(r), "postcode": None},
    "postcode with a hyphen": lambda r: {"postcode": r.postcode.replace(" ", "-")},
    # A source's first columns hold the sub-building and the line of its building.
    "unit in the number column, line in the street column": lambda r: {
        "house_number": r.unit,
        "street": _line(r),
        "unit": None,
    },
}


def _applies(layout: str, row) -> bool:
    if layout in ("town's line in the locality column", "postcode with a hyphen"):
        return bool(row.postcode)
    if layout == "unit in the number column, line in the street column":
        return bool(row.unit)
    if layout == "line in the number column" and row.iso_3166_1 == "GB":
        # A British street without a thoroughfare word ("FOWLER ACRE") is no street a
        # number column can be seen to hold.
        return row.street.split()[-1] in GB_THOROUGHFARE_TYPES
    return True


MIN_READ = {"unit in the number column, line in the street column": 100}
"""Fewer addresses have a unit."""


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_a_column_layout_reads_as_the_canonical_columns(addresses, layout):
    read = 0
    for row in addresses.itertuples():
        if not _applies(layout, row):
            continue
        given = {field: getattr(row, field) for field in FIELDS}
        place = {"country": row.iso_3166_1, "region": row.iso_3166_2, "full_address": None}
        expected = normalize_address(**given, **place)
        actual = normalize_address(**{**given, **LAYOUTS[layout](row)}, **place)
        assert [getattr(actual, f) for f in FIELDS] == [getattr(expected, f) for f in FIELDS], (
            f"{layout}: {LAYOUTS[layout](row)}"
        )
        read += 1
    assert read > MIN_READ.get(layout, 500)
