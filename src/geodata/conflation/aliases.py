"""Street name aliases learned from the records themselves.

A street can carry two names at once: a renamed street whose old name some
sources still use ("ARMY ST" that became "CESAR CHAVEZ ST"), or a bilingual
city's second-language name ("ANNEGATAN" for "ANNANKATU" in Helsinki). No
string similarity links such names. The records do: when records of several
different house numbers with the one name stand, each, within geometry
tolerance of a record of the same number and unit with the other name, the two
names are one street. A corner building with an address on each street does
not qualify (it takes several house numbers, each seen close under both
names), nor do parallel streets numbered alike (back-to-back lots put some
numbers of the two streets close together, but most of the numbers compared
under both names are a block apart: at least `min_close_share` must be close).

The aliases feed the street comparison (a pair whose names are aliases is not
at the "different" level) and survivorship (an aliased street takes the name
most records use).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pyspark.sql import DataFrame
from pyspark.sql import functions as F


class AliasParams(BaseModel):
    """How much evidence makes two street names aliases."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_house_numbers: int = Field(
        3, ge=2, description="Distinct house numbers that must be seen close under both names."
    )
    max_distance_ratio: float = Field(
        0.5,
        gt=0,
        description="How close the two records must be, in combined geometry tolerances.",
    )
    max_tolerance_m: float = Field(
        35.0,
        gt=0,
        description="Only points this precise (by geometry_tolerance_m) count as evidence.",
    )
    min_close_share: float = Field(
        0.5,
        gt=0,
        le=1,
        description="Share of the house numbers compared under both names that must be close.",
    )


ALIAS_COLUMNS = ("iso_3166_2", "street", "alias")
"""Columns of the alias table: one row per ordered pair of aliased names."""


def learn_street_aliases(pairs: DataFrame, params: AliasParams) -> DataFrame:
    """Pairs of street names that the records show to be one street.

    Args:
        pairs: Candidate pairs with, per side (`_l`, `_r`), `iso_3166_2`, `street`,
            `hn_int`, `hn_suffix`, `unit_id`, `tolerance_m`, and `distance_ratio`.
        params: The evidence needed.

    Returns:
        `iso_3166_2`, `street`, `alias`, both orders of every aliased pair.
    """
    compared = pairs.where(
        (F.col("street_l") != F.col("street_r"))
        & (F.col("iso_3166_2_l") == F.col("iso_3166_2_r"))
        & (F.col("hn_int_l") == F.col("hn_int_r"))
        & F.col("hn_suffix_l").eqNullSafe(F.col("hn_suffix_r"))
        & F.col("unit_id_l").eqNullSafe(F.col("unit_id_r"))
        & (F.greatest("tolerance_m_l", "tolerance_m_r") <= params.max_tolerance_m)
    )
    named = compared.select(
        F.col("iso_3166_2_l").alias("iso_3166_2"),
        F.least("street_l", "street_r").alias("street"),
        F.greatest("street_l", "street_r").alias("alias"),
        F.concat_ws("|", F.col("hn_int_l").cast("string"), F.coalesce("hn_suffix_l", F.lit(""))).alias(
            "house_number"
        ),
        (F.col("distance_ratio") <= params.max_distance_ratio).alias("close"),
    )
    found = (
        named.groupBy("iso_3166_2", "street", "alias")
        .agg(
            F.countDistinct(F.when(F.col("close"), F.col("house_number"))).alias("close_numbers"),
            F.countDistinct("house_number").alias("house_numbers"),
        )
        .where(
            (F.col("close_numbers") >= params.min_house_numbers)
            & (F.col("close_numbers") >= params.min_close_share * F.col("house_numbers"))
        )
        .select(*ALIAS_COLUMNS)
    )
    return found.unionByName(
        found.select("iso_3166_2", F.col("alias").alias("street"), F.col("street").alias("alias"))
    )


def with_street_alias(pairs: DataFrame, aliases: DataFrame) -> DataFrame:
    """`pairs` plus `street_alias`: whether the two street names are known aliases."""
    known = F.broadcast(
        aliases.select(
            F.col("iso_3166_2").alias("_alias_region"),
            F.col("street").alias("_alias_l"),
            F.col("alias").alias("_alias_r"),
            F.lit(True).alias("street_alias"),
        )
    )
    joined = pairs.join(
        known,
        (F.col("iso_3166_2_l") == F.col("_alias_region"))
        & (F.col("street_l") == F.col("_alias_l"))
        & (F.col("street_r") == F.col("_alias_r")),
        "left",
    )
    return joined.withColumn("street_alias", F.coalesce("street_alias", F.lit(False))).drop(
        "_alias_region", "_alias_l", "_alias_r"
    )


def preferred_street_names(aliases: DataFrame, records: DataFrame) -> DataFrame:
    """The name to use for each aliased name that has one clear better-used alias.

    Args:
        aliases: The alias table (`learn_street_aliases`).
        records: Records with `iso_3166_2` and `street`.

    Returns:
        `iso_3166_2`, `street`, `preferred`: each aliased name that exactly one of
        its aliases outnumbers in records, with that alias. A name outnumbered by
        several aliases is ambiguous ("LINDEN AVE", written for both "N LINDEN
        AVE" and "S LINDEN AVE") and keeps its own name.
    """
    usage = records.groupBy("iso_3166_2", "street").agg(F.count("*").alias("records"))
    counted = aliases.join(usage, ["iso_3166_2", "street"], "left").join(
        usage.withColumnsRenamed({"street": "alias", "records": "alias_records"}),
        ["iso_3166_2", "alias"],
        "left",
    )
    better = counted.where(
        F.coalesce("alias_records", F.lit(0)) > F.coalesce("records", F.lit(0))
    )
    return (
        better.groupBy("iso_3166_2", "street")
        .agg(F.count("*").alias("better"), F.first("alias").alias("preferred"))
        .where(F.col("better") == 1)
        .select("iso_3166_2", "street", "preferred")
    )
