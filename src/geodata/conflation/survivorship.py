"""Survivorship helpers: which of a cluster's values becomes the address's value.

The unit designator ("APT", "UNIT", "STE", "FLAT") is a property of the building
more than of one unit: the units of one building are numbered under one
designator, while sources spell it as they please ("# 4", "UNIT 4", "APT 4").
So a unit whose own sources give no designator ("#" only), or disagree on it,
takes the designator its building's records support most; a unit whose
sources confirm one designator keeps it (mixed buildings hold suites and
apartments side by side).
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from geodata.address.tables import UNIT_DESIGNATORS

GENERIC_DESIGNATOR = "#"
"""Pub 28's designator for a unit whose kind is not known."""

DESIGNATORS = tuple(sorted(set(UNIT_DESIGNATORS.values()) - {GENERIC_DESIGNATOR}))
"""Designators a unit display may start with, besides the generic "#"."""

MIN_CONFIRMING_SOURCES = 2
"""Sources that must agree on a unit's designator for it to stand against its building's."""

_SIMPLE_UNIT = r"^(\S+) (\S+)$"
"""A display with one designator and one identifier word ("APT 4B", "# 4")."""


def unit_designator(unit: Column) -> Column:
    """The specific designator of a simple unit display ("APT 4" -> "APT"), else null."""
    word = F.regexp_extract(unit, _SIMPLE_UNIT, 1)
    return F.when(word.isin(*DESIGNATORS), word)


def building_designators(unit_votes: DataFrame, buildings: DataFrame) -> DataFrame:
    """The designator each cluster's unit should carry, where its building tells.

    Args:
        unit_votes: One row per (cluster, source, unit value): `cluster_key`,
            `value` (the unit display), `support` (the source's vote).
        buildings: One row per cluster: `cluster_key` and `building_key` (the
            cluster's region, house number, suffix and street: the units of one
            building share it).

    Returns:
        `cluster_key`, `designator`: for clusters whose sources name exactly one
        specific designator and at least two sources give it, that one; for the
        others the designator with the most support among their building's
        records (among the cluster's own designators when it has several).
        Clusters whose building names no designator are absent.
    """
    votes = (
        unit_votes.select(
            "cluster_key", unit_designator(F.col("value")).alias("designator"), "support"
        )
        .where(F.col("designator").isNotNull())
        .join(buildings, "cluster_key")
    )
    building_support = votes.groupBy("building_key", "designator").agg(
        F.sum("support").alias("building_support")
    )
    own = votes.groupBy("cluster_key", "designator").agg(F.count("*").alias("sources"))
    own_summary = own.groupBy("cluster_key").agg(
        F.count("*").alias("own_designators"), F.min("sources").alias("sources")
    )
    confirmed = own_summary.where(
        (F.col("own_designators") == 1) & (F.col("sources") >= MIN_CONFIRMING_SOURCES)
    )
    unanimous = own.join(confirmed.select("cluster_key"), "cluster_key").select(
        "cluster_key", "designator"
    )
    undecided = buildings.join(unanimous.select("cluster_key"), "cluster_key", "left_anti")
    # Clusters with several designators choose among their own; those with none, or
    # one that a single source gives, among their building's.
    own = own.join(
        own_summary.where(F.col("own_designators") > 1).select("cluster_key"), "cluster_key"
    ).select("cluster_key", "designator")
    from_building = undecided.join(building_support, "building_key").join(
        own.withColumnRenamed("designator", "own_designator"), "cluster_key", "left"
    )
    choices = (
        from_building.where(
            F.col("own_designator").isNull() | (F.col("own_designator") == F.col("designator"))
        )
        .select("cluster_key", "designator", "building_support")
        .distinct()
    )
    best = Window.partitionBy("cluster_key").orderBy(
        F.col("building_support").desc(), F.col("designator")
    )
    decided = (
        choices.withColumn("rank", F.row_number().over(best))
        .where(F.col("rank") == 1)
        .select("cluster_key", "designator")
    )
    return unanimous.unionByName(decided)


def with_designator(unit: Column, designator: Column) -> Column:
    """`unit` with its designator replaced by `designator` when both are simple.

    "# 4" or "UNIT 4" with designator "APT" becomes "APT 4"; a unit that is not a
    designator and one identifier ("A 5", "BLDG 2 APT 4") or a null designator
    leaves `unit` as it is.
    """
    word = F.regexp_extract(unit, _SIMPLE_UNIT, 1)
    identifier = F.regexp_extract(unit, _SIMPLE_UNIT, 2)
    replaceable = designator.isNotNull() & word.isin(GENERIC_DESIGNATOR, *DESIGNATORS)
    return F.when(replaceable, F.concat_ws(" ", designator, identifier)).otherwise(unit)
