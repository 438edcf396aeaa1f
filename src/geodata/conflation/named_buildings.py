"""A building named and numbered: "MAPLE COURT, FIR LANE" where the address is "MAPLE
COURT, 12 FIR LANE".

A British building may have a name and a number (the Postcode Address File gives
both: "APARTMENT 5, MAPLE COURT, 12 FIR LANE"). The number identifies the premise
and the name is left out of the address beside it; where a record gives the name
alone, the name is its premise (`geodata.address.normalize`: a building named
instead of numbered). Both forms are written for one building, though, and then
the records of "MAPLE COURT, FIR LANE" and "12 FIR LANE" are one address that the
hard rules keep apart (a name is never equal to a number). What the records of the
street say settles it:

- a record that names a building without a number takes the building's number when
  the records that write the name beside a number give it, on its street, with
  exactly one number,
- and never when they give two numbers (two buildings of one name on the street),
  or none (a building known by its name only).

"There" is the region and the street's phonetic key (so that a typo in the street
still counts); the name is compared as the address writes a premise's name
(`building_name` of `geodata.address.NormalizedAddress`, `house_number` of a
premise without a number).
"""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from geodata.conflation.blocking import is_cluster_member

_STREET = ("iso_3166_2", "street_phonetic")
"""What "on the same street" compares."""

_NUMBER = ("house_number", "hn_int", "hn_suffix")
"""The columns a building's number is written in."""

BUILDING_EVIDENCE = (*_STREET, *_NUMBER, "building_name", "action")
"""The columns `building_numbers` reads."""


def building_numbers(records: DataFrame) -> DataFrame:
    """The numbers of named buildings: `iso_3166_2`, `street_phonetic`, `_premise` (the
    name) and the number's `_house_number`, `_hn_int`, `_hn_suffix`, one row per named
    building whose records give it exactly one number on its street (few).

    Args:
        records: Canonical records with `building_name`, or just their
            `BUILDING_EVIDENCE`; only cluster members that write a name beside a number
            on a street are read.
    """
    named = records.where(
        is_cluster_member()
        & F.col("building_name").isNotNull()
        & F.col("hn_int").isNotNull()
        & F.col("street_phonetic").isNotNull()
    )
    numbers = named.groupBy(*_STREET, F.col("building_name").alias("_premise")).agg(
        F.collect_set(F.struct(*_NUMBER)).alias("_numbers")
    )
    return numbers.where(F.size("_numbers") == 1).select(
        *_STREET,
        "_premise",
        *[F.col("_numbers")[0][name].alias(f"_{name}") for name in _NUMBER],
    )


def with_building_numbers(records: DataFrame, numbers: DataFrame) -> DataFrame:
    """`records` with the number of `numbers` (`building_numbers`) given to each record
    that names its building without a number. The same rows and columns."""
    premise = F.when(F.col("hn_int").isNull(), F.col("hn_suffix"))
    numbered = F.col("_hn_int").isNotNull()
    # One row per named building with a number (few): broadcast, so that the wide
    # records are read and written where they stand instead of shuffled to meet it.
    joined = records.withColumn("_premise", premise).join(
        F.broadcast(numbers), [*_STREET, "_premise"], "left"
    )
    for name in _NUMBER:
        joined = joined.withColumn(name, F.when(numbered, F.col(f"_{name}")).otherwise(F.col(name)))
    return joined.select(*records.columns)
