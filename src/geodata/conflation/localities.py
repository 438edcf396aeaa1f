"""A dependent locality written before its post town: "NORTHSIDE EXAMPLETOWN" is EXAMPLETOWN.

A British address names up to two localities, a dependent locality and the post
town ("4 CHESTNUT AVENUE, NORTHSIDE, EXAMPLETOWN"), and a line without commas
runs them together, so the parser keeps the words after the street as one
locality ("NORTHSIDE EXAMPLETOWN"). The canonical locality is the post town,
the last of them. Which words make one locality is what the region's other
records say: a locality value that ends with two localities other records write
on their own, one after the other, names a dependent locality and its town, and
its locality is the town. "WEST KIRBY" stays itself beside "KIRBY", since no
record writes "WEST" as a place. A British line may also run the thoroughfare that
a dependent one leads off into the town ("12 FIR LANE OAK ROAD EXAMPLETOWN"): words
before a town that end in a street's type are a street, never a place, and the
locality is the town.
"""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from geodata.address.tables import GB_THOROUGHFARE_TYPES
from geodata.checkpoints import checkpointed

TOWN_MIN_RECORDS = 3
"""Records of the region that must write a locality on its own for it to be taken as
a post town."""


def post_towns(records: DataFrame) -> DataFrame:
    """`iso_3166_2`, `locality`, `_town`: the locality values that run a dependent
    locality and its post town together, and the town.

    Args:
        records: Canonical records (`iso_3166_2`, `locality`).

    Returns:
        One row per such value (few: the distinct values of a region's localities are
        the only rows aggregated). Of several readings the longest town is kept.
    """
    counts = (
        records.where(F.col("locality").isNotNull())
        .groupBy("iso_3166_2", "locality")
        .agg(F.count("*").alias("_n"))
        .transform(checkpointed)
    )
    words = F.split("locality", " ")
    # Every way to cut a value of two or more words into its first `_k` words and the
    # rest; the rest must be a town, the words before it end with a place of its own.
    cuts = (
        counts.where(F.size(words) >= 2)
        .select(
            "iso_3166_2",
            "locality",
            words.alias("_words"),
            F.explode(F.sequence(F.lit(1), F.size(words) - 1)).alias("_k"),
        )
        .withColumn(
            "_town",
            F.array_join(F.slice("_words", F.col("_k") + 1, F.size("_words") - F.col("_k")), " "),
        )
    )
    towns = counts.where(F.col("_n") >= TOWN_MIN_RECORDS).select(
        "iso_3166_2", F.col("locality").alias("_town")
    )
    places = counts.select("iso_3166_2", F.col("locality").alias("_place"))
    after_town = cuts.join(towns, ["iso_3166_2", "_town"])
    # A British line may run the thoroughfare a dependent one leads off into the town
    # ("12 FIR LANE OAK ROAD EXAMPLETOWN"): words before the town that end in a street's
    # type are that street, not a place.
    after_street = after_town.where(
        F.col("iso_3166_2").startswith("GB-")
        & F.element_at("_words", F.col("_k")).isin(*sorted(GB_THOROUGHFARE_TYPES))
    ).select("iso_3166_2", "locality", "_k", "_town")
    dependent = (
        after_town.select(
            "iso_3166_2",
            "locality",
            "_k",
            "_town",
            "_words",
            F.explode(F.sequence(F.lit(1), F.col("_k"))).alias("_start"),
        )
        .withColumn(
            "_place",
            F.array_join(
                F.slice("_words", F.col("_start"), F.col("_k") - F.col("_start") + 1), " "
            ),
        )
        .join(places, ["iso_3166_2", "_place"])
        .select("iso_3166_2", "locality", "_k", "_town")
    )
    chosen = (
        dependent.unionByName(after_street)
        .groupBy("iso_3166_2", "locality")
        .agg(F.min_by("_town", "_k").alias("_town"))
    )
    # The town found may run a dependent locality and the town together itself
    # ("OAK ROAD NORTHSIDE EXAMPLETOWN" after a street is "NORTHSIDE EXAMPLETOWN", which
    # enough records write): its own town then.
    further = chosen.select(
        "iso_3166_2", F.col("locality").alias("_town"), F.col("_town").alias("_further")
    )
    return chosen.join(further, ["iso_3166_2", "_town"], "left").select(
        "iso_3166_2", "locality", F.coalesce("_further", "_town").alias("_town")
    )


def with_post_towns(records: DataFrame, towns: DataFrame | None = None) -> DataFrame:
    """`records` whose locality runs a dependent locality and its post town together,
    with the town as their locality (`post_towns`).

    Args:
        records: Canonical records (`iso_3166_2`, `locality`, ...).
        towns: `post_towns` of the records, when a caller has them; by default
            found here.

    Returns:
        The same rows and columns.
    """
    # One row per value run together (a few per region): computed once and broadcast,
    # so that the wide records are not shuffled to meet them.
    if towns is None:
        towns = post_towns(records).transform(checkpointed)
    return (
        records.join(F.broadcast(towns), ["iso_3166_2", "locality"], "left")
        .withColumn("locality", F.coalesce("_town", "locality"))
        .select(*records.columns)
    )
