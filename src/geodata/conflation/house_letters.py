"""House letters a source lost: "Kaivokatu 15" where the house is "Kaivokatu 15 b".

A house letter ("15b", "2 G") is part of the house number: 15 and 15B are two
addresses where both exist, and the hard rules keep them apart. Some sources
drop the letter, though (a numeric column, a form without room for it), and then
their record of 15B reads 15. What the records of a street say settles which:

- a record without a letter takes the letter when the other sources give its
  number on its street with exactly one letter,
- and never when another source gives that number there without a letter (15
  then exists as an address of its own), or when its own source gives the number
  with a letter there too (a source that writes both knows both).

"There" is the region, the street's phonetic key (so that a typo in the street
still counts) and the number's integer.
"""

from __future__ import annotations

from collections.abc import Sequence

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from geodata.conflation.blocking import is_cluster_member

_PLACE = ("iso_3166_2", "street_phonetic", "hn_int")
"""What "the same number on the same street" compares."""

_HOUSE_LETTER = "^[A-Z]$"
"""A suffix that is one letter (not a range "-12" or a fraction "1/2")."""


LETTER_EVIDENCE = (*_PLACE, "hn_suffix", "house_number", "source")
"""The columns `lost_letters` reads."""


def lost_by_one_source(
    members: DataFrame,
    place: Sequence[str],
    value: str,
    *,
    min_sources: int = 1,
    **extra: Column,
) -> DataFrame:
    """Where one source lost a part the others give: `place`, `source`, `_value` and
    the `extra` aggregates, one row per place whose records without `value` come from
    exactly one source, whose records with it give exactly one value from at least
    `min_sources` sources, and whose plain source gives the value there nowhere itself.

    Args:
        members: The records that count (narrow columns suffice).
        place: The columns that make "the same place".
        value: The column a source may have lost (null where it did).
        min_sources: Sources that must give the value.
        extra: More aggregates per place, kept beside the value.
    """
    given = F.col(value).isNotNull()
    # One aggregation of the narrow key columns: the values, and the sources with and
    # without one, per place (collect_set skips the nulls of `when`).
    places = members.groupBy(*place).agg(
        F.collect_set(value).alias("_values"),
        F.collect_set(F.when(given, F.col("source"))).alias("_given_by"),
        F.collect_set(F.when(~given, F.col("source"))).alias("_plain"),
        *[aggregate.alias(name) for name, aggregate in extra.items()],
    )
    return places.where(
        (F.size("_values") == 1)
        & (F.size("_given_by") >= min_sources)
        & (F.size("_plain") == 1)
        & ~F.array_contains("_given_by", F.col("_plain")[0])
    ).select(
        *place,
        F.col("_plain")[0].alias("source"),
        F.col("_values")[0].alias("_value"),
        *extra,
    )


def lost_letters(records: DataFrame) -> DataFrame:
    """The letters sources lost: `iso_3166_2`, `street_phonetic`, `hn_int`, `source`,
    `_letter`, one row per number whose letter `source` lost (few rows).

    Args:
        records: Canonical records, or just their `LETTER_EVIDENCE` and `action`; only
            cluster members with a number and no suffix or a letter are read.
    """
    is_lettered = F.col("hn_suffix").rlike(_HOUSE_LETTER)
    members = records.where(
        is_cluster_member()
        & F.col("hn_int").isNotNull()
        & (F.col("hn_suffix").isNull() | is_lettered)
    )
    return lost_by_one_source(members, _PLACE, "hn_suffix").withColumnRenamed("_value", "_letter")


def with_letters(records: DataFrame, lost: DataFrame) -> DataFrame:
    """`records` with the letters of `lost` (`lost_letters`) put back: as `hn_suffix`
    and at the end of `house_number` ("15" becomes "15B"). The same rows and columns."""
    letter = F.when(F.col("hn_suffix").isNull(), F.col("_letter"))
    # One row per number whose letter a source lost (a small share of the lettered
    # numbers, themselves a small share of a region's): broadcast, so that the wide
    # records are read and written where they stand instead of shuffled to meet it.
    return (
        records.join(F.broadcast(lost), [*_PLACE, "source"], "left")
        .withColumn("_letter", letter)
        .withColumn("hn_suffix", F.coalesce("hn_suffix", "_letter"))
        .withColumn(
            "house_number",
            F.when(
                F.col("_letter").isNotNull(),
                F.concat(F.col("hn_int").cast("string"), F.col("_letter")),
            ).otherwise(F.col("house_number")),
        )
        .select(*records.columns)
    )


def recover_house_letters(records: DataFrame) -> DataFrame:
    """`records` with the house letter their source lost put back where the street tells.

    Args:
        records: Canonical records (`hn_int`, `hn_suffix`, `house_number`,
            `street_phonetic`, `iso_3166_2`, `source`); only cluster members are read
            to decide, every row is returned.

    Returns:
        The same rows and columns; a record whose letter is recovered has it as
        `hn_suffix` and at the end of `house_number` ("15" becomes "15B").
    """
    return with_letters(records, lost_letters(records))
