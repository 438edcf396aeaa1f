"""Parts of an address a source lost: a house letter ("Kaivokatu 15" where the house is
"Kaivokatu 15 b") or a flat ("89 FITZGERALD PARK" where the address is "FLAT 9, 89
FITZGERALD PARK").

A house letter ("15b", "2 G") is part of the house number, and a unit ("FLAT 9",
"APT 5") part of the address: 15 and 15B, or a building and a flat in it, are
two addresses where both exist, and the hard rules keep them apart. Some sources
drop the part, though (a numeric column, a form or a file without room for it),
and then their record of 15B reads 15, and that of the building's only flat reads
as the building. What the records of a street say settles which:

- a record without the part takes it when the other sources give its number on
  its street with exactly one such part,
- and never when another source gives that number there without it (the plain
  number, or the building, then exists as an address of its own), or when its
  own source gives the number with the part there too (a source that writes both
  knows both).

"There" is the region, the street's phonetic key (so that a typo in the street
still counts) and the number's integer; for a unit, the number's letter too.
A building with several flats tells none: which of them a record without a flat
is, nothing says.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from geodata.conflation.blocking import is_cluster_member

_NUMBER = ("iso_3166_2", "street_phonetic", "hn_int")
"""What "the same number on the same street" compares."""

_HOUSE_LETTER = "^[A-Z]$"
"""A suffix that is one letter (not a range "-12" or a fraction "1/2")."""


def _lost(records: DataFrame, place: tuple[str, ...], part: Column) -> DataFrame:
    """The places where exactly one source gives the number without `part` and the
    other sources give it with exactly one `part`, which that source's records there
    do not give: `place` columns, `source`, `_lost` (the part).

    Args:
        records: The records to decide on (a place is read across all of them).
        place: Columns of `records` that say where a number stands.
        part: The part (null where the record has none).
    """
    # One aggregation of the narrow key columns: the parts, and the sources with and
    # without one, per place (collect_set skips the nulls of `when`).
    places = records.groupBy(*place).agg(
        F.collect_set(part).alias("_parts"),
        F.collect_set(F.when(part.isNotNull(), F.col("source"))).alias("_part_sources"),
        F.collect_set(F.when(part.isNull(), F.col("source"))).alias("_plain_sources"),
    )
    return places.where(
        (F.size("_parts") == 1)
        & (F.size("_plain_sources") == 1)
        & ~F.array_contains("_part_sources", F.col("_plain_sources")[0])
    ).select(
        *place,
        F.col("_plain_sources")[0].alias("source"),
        F.col("_parts")[0].alias("_lost"),
    )


def recover_house_letters(records: DataFrame) -> DataFrame:
    """`records` with the house letter their source lost put back where the street tells.

    Args:
        records: Canonical records (`hn_int`, `hn_suffix`, `house_number`,
            `street_phonetic`, `iso_3166_2`, `source`); only cluster members are
            read to decide, every row is returned.

    Returns:
        The same rows and columns; a record whose letter is recovered has it as
        `hn_suffix` and at the end of `house_number` ("15" becomes "15B").
    """
    is_lettered = F.col("hn_suffix").rlike(_HOUSE_LETTER)
    members = records.where(
        is_cluster_member()
        & F.col("hn_int").isNotNull()
        & (F.col("hn_suffix").isNull() | is_lettered)
    )
    lost = _lost(members, _NUMBER, F.when(is_lettered, F.col("hn_suffix")))
    # One row per number whose letter a source lost (a small share of the lettered
    # numbers, themselves a small share of a region's): broadcast, so that the wide
    # records are read and written where they stand instead of shuffled to meet it.
    letter = F.when(F.col("hn_suffix").isNull(), F.col("_lost"))
    return (
        records.join(F.broadcast(lost), [*_NUMBER, "source"], "left")
        .withColumn("_lost", letter)
        .withColumn("hn_suffix", F.coalesce("hn_suffix", "_lost"))
        .withColumn(
            "house_number",
            F.when(
                F.col("_lost").isNotNull(),
                F.concat(F.col("hn_int").cast("string"), F.col("_lost")),
            ).otherwise(F.col("house_number")),
        )
        .select(*records.columns)
    )


def recover_units(records: DataFrame) -> DataFrame:
    """`records` with the unit their source lost put back where the street tells.

    Args:
        records: Canonical records (`hn_int`, `hn_suffix`, `unit_id`,
            `street_phonetic`, `iso_3166_2`, `source`); only cluster members are
            read to decide, every row is returned.

    Returns:
        The same rows and columns; a record whose unit is recovered has its
        building's one unit as `unit_id`, which blocking and comparison read. Its
        `unit` (the display) stays empty: the record casts no vote for how the
        unit is written.
    """
    # A building is a number with its letter: 15 and 15B are two buildings.
    keyed = records.withColumn("_suffix", F.coalesce("hn_suffix", F.lit("")))
    place = (*_NUMBER, "_suffix")
    members = keyed.where(is_cluster_member() & F.col("hn_int").isNotNull())
    lost = _lost(members, place, F.col("unit_id"))
    # One row per building whose only flat a source wrote as the building: broadcast.
    return (
        keyed.join(F.broadcast(lost), [*place, "source"], "left")
        .withColumn("unit_id", F.coalesce("unit_id", "_lost"))
        .select(*records.columns)
    )


def recover_lost_parts(records: DataFrame) -> DataFrame:
    """`records` with the house letters, then the units, their sources lost put back."""
    return recover_units(recover_house_letters(records))
