"""Units a source lost: "9 Griffin St" where the address is "9 Griffin St Apt 5".

A unit (a flat, an apartment, a suite) is part of the address: 9 Griffin St and
Apt 5 there are two addresses where both exist, and the hard rules keep them
apart. Some sources give buildings, not units, though (a file of premises, a form
without a unit line), and then their record of Apt 5 reads 9 Griffin St. What the
records of the building say settles which, as for house letters
(`geodata.conflation.house_letters`):

- a record without a unit takes the unit when the other sources give its house
  number on its street with exactly one unit, and at least two of them do (a unit
  one source alone gives may be one of several that no other source lists),
- and never when another source gives that number there without a unit (the
  building then exists as an address of its own), or when its own source gives the
  number with a unit there too (a source that writes units knows them).

A building whose records name two units or more leaves it as it is: which of them
the record meant is not known.

"There" is the region, the street's phonetic key (so that a typo in the street
still counts) and the house number as written canonically (its letter, or the
building's name for a premise without a number).
"""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from geodata.checkpoints import checkpointed
from geodata.conflation.blocking import is_cluster_member
from geodata.conflation.house_letters import (
    LETTER_EVIDENCE,
    lost_by_one_source,
    lost_letters,
    with_letters,
)

MIN_UNIT_SOURCES = 2
"""Sources that must give the building's one unit. A unit only one source gives may
be one of several the building has, the others given by no source: the record that
lost its unit may be one of those."""

_PLACE = ("iso_3166_2", "street_phonetic", "house_number")
"""What "the same house number on the same street" compares."""


UNIT_EVIDENCE = (*_PLACE, "unit", "unit_id", "source")
"""The columns `lost_units` reads."""


def lost_units(records: DataFrame) -> DataFrame:
    """The units sources lost: `iso_3166_2`, `street_phonetic`, `house_number`,
    `source`, `_unit_id`, `_unit`, one row per building whose unit `source` lost (few).

    Args:
        records: Canonical records, or just their `UNIT_EVIDENCE` and `action`; only
            cluster members with a house number and a street are read.
    """
    placed = F.col("house_number").isNotNull() & F.col("street_phonetic").isNotNull()
    members = records.where(is_cluster_member() & placed)
    written = F.mode(F.when(F.col("unit_id").isNotNull(), F.col("unit")))
    return lost_by_one_source(
        members, _PLACE, "unit_id", min_sources=MIN_UNIT_SOURCES, _unit=written
    ).withColumnRenamed("_value", "_unit_id")


def with_units(records: DataFrame, lost: DataFrame) -> DataFrame:
    """`records` with the units of `lost` (`lost_units`) put back: the unit's id as
    `unit_id` and, as `unit`, the way most of the other records write it. The same
    rows and columns."""
    recovered = F.col("unit_id").isNull() & F.col("_unit_id").isNotNull()
    # One row per building whose unit a source lost (a small share of the buildings
    # with units): broadcast, so that the wide records are read and written where they
    # stand instead of shuffled to meet it.
    return (
        records.join(F.broadcast(lost), [*_PLACE, "source"], "left")
        .withColumn("unit", F.when(recovered, F.col("_unit")).otherwise(F.col("unit")))
        .withColumn("unit_id", F.when(recovered, F.col("_unit_id")).otherwise(F.col("unit_id")))
        .select(*records.columns)
    )


def recover_lost_units(records: DataFrame) -> DataFrame:
    """`records` with the unit their source lost put back where the building tells.

    Args:
        records: Canonical records (`house_number`, `unit`, `unit_id`,
            `street_phonetic`, `iso_3166_2`, `source`); only cluster members are read
            to decide, every row is returned.

    Returns:
        The same rows and columns; a record whose unit is recovered has the unit's
        id as `unit_id` and, as `unit`, the way most of the other records write it.
    """
    return with_units(records, lost_units(records))


LETTERS_AND_UNITS_EVIDENCE = tuple(
    dict.fromkeys([*LETTER_EVIDENCE, *UNIT_EVIDENCE, "hn_int", "action"])
)
"""The columns `recover_lost_letters_and_units` decides on."""


def recover_lost_letters_and_units(
    records: DataFrame, evidence: DataFrame | None = None
) -> DataFrame:
    """`records` with the house letters (`geodata.conflation.house_letters`), then the
    units, their sources lost put back.

    The evidence of both is a few narrow columns of the cluster members: kept once,
    so that the records' lineage (every correction before this one) is computed twice
    in all, once for the evidence and once as the records are written, however many
    aggregations read the evidence. The units are judged on the numbers with their
    letters back.

    Args:
        records: Canonical records.
        evidence: The records' `LETTERS_AND_UNITS_EVIDENCE` columns, already kept by
            a caller that reads them for more; by default kept here.

    Returns:
        The same rows and columns.
    """
    if evidence is None:
        evidence = records.select(*LETTERS_AND_UNITS_EVIDENCE).transform(checkpointed)
    keys = evidence.where(is_cluster_member()).select(*LETTERS_AND_UNITS_EVIDENCE)
    letters = lost_letters(keys).transform(checkpointed)
    units = lost_units(with_letters(keys, letters))
    return with_units(with_letters(records, letters), units)
