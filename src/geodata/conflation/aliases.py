"""Name aliases learned from the records themselves: streets and localities.

A street can carry two names at once: a renamed street whose old name some
sources still use ("ARMY ST" that became "CESAR CHAVEZ ST"), a bilingual city's
second-language name ("ANNEGATAN" for "ANNANKATU" in Helsinki), a source's
abbreviation ("LÖNNROTINK"). A place has several names too: a neighbourhood for
its city ("NOE VALLEY" for San Francisco), the Swedish name ("HELSINGFORS"), a
short form ("SSF"). No string similarity links such names. The records do:

- two **street** names are aliases when records of several different house
  numbers, each with the same number and unit under both names, stand in one
  building or one parcel, or very close together. A corner building with an address on each
  street does not qualify (it takes several house numbers), nor do parallel
  streets numbered alike (back-to-back lots put some numbers of the two
  streets close together, but most of the numbers compared under both names
  are a block apart: at least `min_close_share` must be close);
- two **locality** names are aliases when the records of several different
  addresses (same number, unit and street, co-located) use one name in one
  source and the other in another, and that is most of what the name meets: a
  vendor's occasional wrong town stays a disagreement.

The aliases feed the comparisons (`street_alias`, `locality_alias` pair
columns for the level conditions) and survivorship (an aliased name votes for
the name most records use).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from geodata.address.tables import FI_SV_STREET_TYPES


class AliasParams(BaseModel):
    """How much evidence makes two names aliases."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_house_numbers: int = Field(
        3, ge=2, description="Distinct house numbers that must be seen close under both names."
    )
    max_distance_ratio: float = Field(
        0.25,
        gt=0,
        description="Records in different (or no) buildings and parcels must be this close, "
        "in combined geometry tolerances.",
    )
    max_tolerance_m: float = Field(
        35.0,
        gt=0,
        description="Only points this precise (by geometry_tolerance_m) count as street evidence.",
    )
    min_close_share: float = Field(
        0.5,
        gt=0,
        le=1,
        description="Share of the house numbers compared under both names that must be close.",
    )
    locality_min_addresses: int = Field(
        5, ge=1, description="Distinct addresses that must be seen under both locality names."
    )
    locality_min_share: float = Field(
        0.5,
        gt=0,
        le=1,
        description="Share of a locality name's disagreeing addresses that must carry the other.",
    )
    locality_max_tolerance_m: float = Field(
        100.0,
        gt=0,
        description="Only points this precise count as locality evidence.",
    )


ALIAS_COLUMNS = ("iso_3166_2", "field", "name", "alias")
"""Columns of the alias table: one row per ordered pair of aliased names of a field."""

ALIASED_FIELDS = ("street", "locality")
"""Fields whose names are learned as aliases."""


def _same_number_and_unit() -> Column:
    return (
        (F.col("iso_3166_2_l") == F.col("iso_3166_2_r"))
        & (F.col("hn_int_l") == F.col("hn_int_r"))
        & F.col("hn_suffix_l").eqNullSafe(F.col("hn_suffix_r"))
        & F.col("unit_id_l").eqNullSafe(F.col("unit_id_r"))
    )


ALIAS_EVIDENCE_COLUMNS = (
    *[
        f"{column}_{side}"
        for column in (
            "iso_3166_2",
            "street",
            "street_phonetic",
            "locality",
            "hn_int",
            "hn_suffix",
            "unit_id",
            "tolerance_m",
            "building_id",
            "parcel_id",
        )
        for side in ("l", "r")
    ],
    "distance_ratio",
)
"""Pair columns the alias learners read."""


def alias_evidence(pairs: DataFrame) -> DataFrame:
    """The pairs that can show an alias, with the columns the learners read.

    Both learners compare two records of one house number and unit in one region
    whose street names differ (`learn_street_aliases`) or whose localities differ
    (`learn_locality_aliases`); a pair that agrees on both names shows neither.

    Args:
        pairs: Candidate pairs with their attributes
            (`geodata.conflation.comparisons.pair_attributes`).

    Returns:
        Those pairs, `ALIAS_EVIDENCE_COLUMNS` only.
    """
    return pairs.where(
        _same_number_and_unit()
        & ((F.col("street_l") != F.col("street_r")) | (F.col("locality_l") != F.col("locality_r")))
    ).select(*ALIAS_EVIDENCE_COLUMNS)


def _house_number() -> Column:
    return F.concat_ws("|", F.col("hn_int_l").cast("string"), F.coalesce("hn_suffix_l", F.lit("")))


def _both_orders(found: DataFrame, field: str) -> DataFrame:
    one = found.select("iso_3166_2", F.lit(field).alias("field"), "name", "alias")
    other = found.select(
        "iso_3166_2",
        F.lit(field).alias("field"),
        F.col("alias").alias("name"),
        F.col("name").alias("alias"),
    )
    return one.unionByName(other).distinct()


def _co_located(params: AliasParams) -> Column:
    """The two points stand in one building or one parcel, or very close together."""
    return (
        (F.col("building_id_l") == F.col("building_id_r"))
        | (F.col("parcel_id_l") == F.col("parcel_id_r"))
        | (F.col("distance_ratio") <= params.max_distance_ratio)
    ).eqNullSafe(True)


def _same_bilingual_street() -> Column:
    """The two streets share a bilingual key (`geodata.address.street`: a metaphone key,
    a space and a street type), so they are one street in two languages."""
    return (F.col("street_phonetic_l") == F.col("street_phonetic_r")) & F.col(
        "street_phonetic_l"
    ).contains(" ")


def learn_street_aliases(pairs: DataFrame, params: AliasParams) -> DataFrame:
    """Pairs of street names that the records show to be one street.

    Args:
        pairs: Candidate pairs with, per side (`_l`, `_r`), `iso_3166_2`, `street`,
            `hn_int`, `hn_suffix`, `unit_id`, `tolerance_m`, `building_id`,
            `parcel_id`, and `distance_ratio`.
        params: The evidence needed.

    Returns:
        The alias table (`ALIAS_COLUMNS`, field `street`), both orders of each pair.
    """
    compared = pairs.where(
        (F.col("street_l") != F.col("street_r"))
        & _same_number_and_unit()
        & (F.greatest("tolerance_m_l", "tolerance_m_r") <= params.max_tolerance_m)
    )
    named = compared.select(
        F.col("iso_3166_2_l").alias("iso_3166_2"),
        F.least("street_l", "street_r").alias("name"),
        F.greatest("street_l", "street_r").alias("alias"),
        _house_number().alias("house_number"),
        _co_located(params).alias("close"),
    )
    found = (
        named.groupBy("iso_3166_2", "name", "alias")
        .agg(
            F.countDistinct(F.when(F.col("close"), F.col("house_number"))).alias("close_numbers"),
            F.countDistinct("house_number").alias("house_numbers"),
        )
        .where(
            (F.col("close_numbers") >= params.min_house_numbers)
            & (F.col("close_numbers") >= params.min_close_share * F.col("house_numbers"))
        )
    )
    return _both_orders(found, "street")


def learn_locality_aliases(pairs: DataFrame, params: AliasParams) -> DataFrame:
    """Pairs of locality names that the sources of the same addresses use for one place.

    Args:
        pairs: Candidate pairs as for `learn_street_aliases`, plus `locality_l/_r`.
        params: The evidence needed.

    Returns:
        The alias table (`ALIAS_COLUMNS`, field `locality`), both orders of each pair.
    """
    # One street: the same name, or names with one key (a street's Finnish and
    # Swedish names, which come with the town's names in the same languages).
    same_address = pairs.where(
        ((F.col("street_l") == F.col("street_r")) | _same_bilingual_street())
        & _same_number_and_unit()
        & (F.greatest("tolerance_m_l", "tolerance_m_r") <= params.locality_max_tolerance_m)
        & _co_located(params)
        & (F.col("locality_l") != F.col("locality_r"))
    )
    address = F.concat_ws("|", _house_number(), F.col("street_l"))
    met = same_address.select(
        F.col("iso_3166_2_l").alias("iso_3166_2"),
        F.col("locality_l").alias("name"),
        F.col("locality_r").alias("alias"),
        address.alias("address"),
    )
    met = met.unionByName(
        met.select(
            "iso_3166_2", F.col("alias").alias("name"), F.col("name").alias("alias"), "address"
        )
    )
    together = met.groupBy("iso_3166_2", "name", "alias").agg(
        F.countDistinct("address").alias("together")
    )
    disagreeing = met.groupBy("iso_3166_2", "name").agg(
        F.countDistinct("address").alias("disagreeing")
    )
    found = together.join(disagreeing, ["iso_3166_2", "name"]).where(
        (F.col("together") >= params.locality_min_addresses)
        & (F.col("together") >= params.locality_min_share * F.col("disagreeing"))
    )
    return _both_orders(found, "locality")


def with_name_aliases(pairs: DataFrame, aliases: DataFrame, fields: tuple[str, ...]) -> DataFrame:
    """`pairs` plus, per field, `<field>_alias` (the two names are known aliases) and
    `<field>_other_l` / `<field>_other_r` (an alias of each side's name, the smallest
    if it has several; null if none), so that a level can compare one side's name
    with the other's alias ("ALEKSANTERINATU", a typo, against "ALEXANDERSGATAN",
    the Swedish name of ALEKSANTERINKATU)."""
    known = F.broadcast(
        aliases.select(
            F.col("iso_3166_2").alias("_alias_region"),
            F.col("field").alias("_alias_field"),
            F.col("name").alias("_alias_l"),
            F.col("alias").alias("_alias_r"),
        )
    )
    others = F.broadcast(
        aliases.groupBy("iso_3166_2", "field", "name").agg(F.min("alias").alias("_other"))
    )
    for field in fields:
        flag = f"{field}_alias"
        pairs = (
            pairs.join(
                known.where(F.col("_alias_field") == field),
                (F.col("iso_3166_2_l") == F.col("_alias_region"))
                & (F.col(f"{field}_l") == F.col("_alias_l"))
                & (F.col(f"{field}_r") == F.col("_alias_r")),
                "left",
            )
            .withColumn(flag, F.col("_alias_region").isNotNull())
            .drop("_alias_region", "_alias_field", "_alias_l", "_alias_r")
        )
        for side in ("l", "r"):
            other = others.where(F.col("field") == field).select(
                F.col("iso_3166_2").alias("_o_region"),
                F.col("name").alias("_o_name"),
                F.col("_other").alias(f"{field}_other_{side}"),
            )
            pairs = pairs.join(
                other,
                (F.col(f"iso_3166_2_{side}") == F.col("_o_region"))
                & (F.col(f"{field}_{side}") == F.col("_o_name")),
                "left",
            ).drop("_o_region", "_o_name")
    return pairs


def preferred_names(aliases: DataFrame, records: DataFrame, fields: tuple[str, ...]) -> DataFrame:
    """The name to use for each aliased name that has one clear better-used alias.

    Args:
        aliases: The alias table (`ALIAS_COLUMNS`).
        records: Records with `iso_3166_2` and the `fields`.
        fields: The fields whose names to resolve (`street`, `locality`).

    Returns:
        `iso_3166_2`, `field`, `name`, `preferred`: each aliased name that exactly
        one of its aliases outnumbers in records, with that alias. A name
        outnumbered by several aliases is ambiguous ("LINDEN AVE", written for
        both "N LINDEN AVE" and "S LINDEN AVE") and keeps its own name.
    """
    # Only aliased names are counted: the records' names are read once, for every
    # field, and matched to the (small, broadcast) alias table's names first.
    names = aliases.select("iso_3166_2", "field", "name").unionByName(
        aliases.select("iso_3166_2", "field", F.col("alias").alias("name"))
    )
    usage = (
        records.select(
            "iso_3166_2",
            F.explode(
                F.array(
                    *[
                        F.struct(F.lit(field).alias("field"), F.col(field).alias("name"))
                        for field in fields
                    ]
                )
            ).alias("_named"),
        )
        .select("iso_3166_2", "_named.field", "_named.name")
        .join(F.broadcast(names.distinct()), ["iso_3166_2", "field", "name"], "left_semi")
        .groupBy("iso_3166_2", "field", "name")
        .agg(F.count("*").alias("records"))
    )
    counted = aliases.join(usage, ["iso_3166_2", "field", "name"], "left").join(
        usage.withColumnsRenamed({"name": "alias", "records": "alias_records"}),
        ["iso_3166_2", "field", "alias"],
        "left",
    )
    better = counted.where(F.coalesce("alias_records", F.lit(0)) > F.coalesce("records", F.lit(0)))
    return (
        better.groupBy("iso_3166_2", "field", "name")
        .agg(F.count("*").alias("better"), F.first("alias").alias("preferred"))
        .where(F.col("better") == 1)
        .select("iso_3166_2", "field", "name", "preferred")
    )


_SWEDISH_TYPE_ENDING = (
    "("
    + "|".join(
        sorted((t for t, fi in FI_SV_STREET_TYPES.items() if t != fi), key=len, reverse=True)
    )
    + ")$"
)
"""A street name ending in a Swedish street type ("ANNEGATAN", "RUNOKYLÄSTIGEN")."""


def bilingual_street_names(records: DataFrame) -> DataFrame:
    """The Finnish or Swedish name of a street that its other name outnumbers.

    Finland's bilingual municipalities name a street in both languages, and the
    two names share the street's bilingual phonetic key (the name without type and
    genitive, then the type in Finnish: `geodata.address.street`), so they block
    and compare as one street. An address carries one of them: the one most of
    the region's records use. Only names of the two languages are paired: two
    Finnish names that happen to share a key are two streets.

    Args:
        records: Records with `iso_3166_1`, `iso_3166_2`, `street`, `street_phonetic`.

    Returns:
        `iso_3166_2`, `field` ("street"), `name`, `preferred`, as `preferred_names`:
        each name that exactly one name of the other language and the same key
        outnumbers in records, with that name.
    """
    # A bilingual key has the Finnish type after a space; other keys have none.
    counted = (
        records.where(
            (F.col("iso_3166_1") == "FI")
            & F.col("street").isNotNull()
            & F.col("street_phonetic").contains(" ")
        )
        .groupBy("iso_3166_2", "street_phonetic", "street")
        .agg(F.count("*").alias("records"))
        .withColumn("swedish", F.col("street").rlike(_SWEDISH_TYPE_ENDING))
    )
    other = counted.select(
        "iso_3166_2",
        "street_phonetic",
        F.col("street").alias("preferred"),
        F.col("records").alias("preferred_records"),
        F.col("swedish").alias("preferred_swedish"),
    )
    better = counted.join(other, ["iso_3166_2", "street_phonetic"]).where(
        (F.col("swedish") != F.col("preferred_swedish"))
        & (F.col("preferred_records") > F.col("records"))
    )
    return (
        better.groupBy("iso_3166_2", F.col("street").alias("name"))
        .agg(F.count("*").alias("better"), F.first("preferred").alias("preferred"))
        .where(F.col("better") == 1)
        .select("iso_3166_2", F.lit("street").alias("field"), "name", "preferred")
    )
