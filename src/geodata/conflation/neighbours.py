"""Locality and postcode of an address that none of its sources gives, from its street.

A vendor's record may carry no postcode, a user's no town; when every source of
an address leaves a field out, survivorship has nothing to choose. The other
addresses of its street tell it:

- **locality**: a street name that all the region's other addresses with a
  locality place in one locality, and whose addresses lie around this one's
  point (within `NEAR_DEG` of their bounding box; an address without a point is
  taken on the name), is in that locality. A name two towns share leaves the
  locality out.
- **postcode**: a postcode covers a building's units and runs along one side of
  a street between its ends (Royal Mail's PAF delivery points, ZIP+4 codes by
  block face, Finnish postal areas), so an address takes the postcode of the
  other addresses at its house number when they carry one postcode, else the
  one its nearest numbered neighbours on its side of the street (same parity)
  below and above it both carry. An address at the end of its street, or
  between two postcodes, keeps none. Only a street whose locality is known is
  read, so that one town's HIGH STREET never tells another's.

A value taken so is marked `NEIGHBOURS_PROVENANCE` in the address's provenance.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from geodata.checkpoints import checkpointed

NEIGHBOURS_PROVENANCE = "street_neighbours"
"""Provenance of a value no source gave, taken from the addresses of the street around it."""

NEAR_DEG = 0.01
"""How far (about 1 km north-south) outside its street's addresses an address's point may lie
for the street's locality to be its own."""

INFERRED_COLUMNS = ("_neighbours_locality", "_neighbours_postcode")
"""Columns of `values_from_neighbours` besides `cluster_key`."""

_SEVERAL = "\u0000"
"""Stands for "several values" in a group (a street's localities, a number's postcodes):
never a locality or postcode itself."""


def _single(column: str) -> Column:
    """The one distinct non-null value of `column` in a group, `_SEVERAL` if more, else null.

    A set of the values (a hash aggregation of objects), not a distinct count and a first
    value, which Spark aggregates by sorting the rows.
    """
    values = F.collect_set(column)
    return F.when(F.size(values) == 1, values[0]).when(F.size(values) > 1, F.lit(_SEVERAL))


def _localities(addresses: DataFrame) -> DataFrame:
    """`cluster_key`, `_neighbours_locality` for the addresses (all with a street) without
    a locality that their street tells."""
    streets = (
        addresses.where(F.col("locality").isNotNull())
        .groupBy("iso_3166_2", "street")
        .agg(
            _single("locality").alias("_neighbours_locality"),
            F.min("lat").alias("_min_lat"),
            F.max("lat").alias("_max_lat"),
            F.min("lon").alias("_min_lon"),
            F.max("lon").alias("_max_lon"),
        )
        .where(F.col("_neighbours_locality") != _SEVERAL)
    )
    # A point outside the street's addresses (by more than NEAR_DEG) is another street of
    # the same name; a street whose addresses have no point tells nothing against it.
    near = (
        F.col("lat").isNull()
        | F.col("_min_lat").isNull()
        | (
            F.col("lat").between(F.col("_min_lat") - NEAR_DEG, F.col("_max_lat") + NEAR_DEG)
            & F.col("lon").between(F.col("_min_lon") - NEAR_DEG, F.col("_max_lon") + NEAR_DEG)
        )
    )
    return (
        addresses.where(F.col("locality").isNull())
        .select("cluster_key", "iso_3166_2", "street", "lat", "lon")
        .join(streets, ["iso_3166_2", "street"])
        .where(near)
        .select("cluster_key", "_neighbours_locality")
    )


def _postcodes(addresses: DataFrame) -> DataFrame:
    """`cluster_key`, `_neighbours_postcode` for the addresses without a postcode that
    their house number or their neighbours on their side of the street tell.

    Args:
        addresses: `cluster_key`, `iso_3166_2`, `street` (never null), `locality`
            (given or from the street), `hn_int`, `postcode`.
    """
    street = ("iso_3166_2", "locality", "street")
    numbered = addresses.where(F.col("locality").isNotNull() & F.col("hn_int").isNotNull())
    numbers = numbered.groupBy(*street, "hn_int").agg(_single("postcode").alias("postcode"))
    # The nearest postcode below and the nearest above: each the last one among the
    # numbers before it, up the street and down it. A frame that runs to the end of its
    # side (`rowsBetween(1, unboundedFollowing)`) would be aggregated again for every
    # row, quadratic in a side's numbers; one that starts at its beginning is not.
    side = Window.partitionBy(*street, F.col("hn_int") % 2)
    before = (Window.unboundedPreceding, -1)
    below = F.last("postcode", ignorenulls=True).over(side.orderBy("hn_int").rowsBetween(*before))
    above = F.last("postcode", ignorenulls=True).over(
        side.orderBy(F.col("hn_int").desc()).rowsBetween(*before)
    )
    told = numbers.select(
        *street,
        "hn_int",
        F.when(F.col("postcode").isNotNull(), F.col("postcode"))
        .when(below == above, below)
        .alias("_neighbours_postcode"),
    ).where(F.col("_neighbours_postcode").isNotNull() & (F.col("_neighbours_postcode") != _SEVERAL))
    return (
        numbered.where(F.col("postcode").isNull())
        .select("cluster_key", *street, "hn_int")
        .join(told, [*street, "hn_int"])
        .select("cluster_key", "_neighbours_postcode")
    )


def values_from_neighbours(addresses: DataFrame) -> DataFrame:
    """The locality and postcode that an address's street tells, where its sources gave none.

    Args:
        addresses: One row per address: `cluster_key`, `iso_3166_2`, `street`,
            `locality`, `postcode`, `hn_int`, `lat`, `lon` (the values its sources
            gave).

    Returns:
        `cluster_key`, `_neighbours_locality`, `_neighbours_postcode` for the
        addresses missing either that their street tells (null where it tells
        nothing); the others are absent.
    """
    # Read by every step below: the few columns they need, kept once.
    read = ("cluster_key", "iso_3166_2", "street", "locality", "postcode", "hn_int", "lat", "lon")
    streets = addresses.where(F.col("street").isNotNull()).select(*read).transform(checkpointed)
    # Read twice (the postcodes are told on the streets with their localities filled):
    # few rows, found once.
    localities = _localities(streets).transform(checkpointed)
    located = streets.join(localities, "cluster_key", "left").withColumn(
        "locality", F.coalesce("locality", "_neighbours_locality")
    )
    return localities.join(_postcodes(located), "cluster_key", "full").select(
        "cluster_key", *INFERRED_COLUMNS
    )


def with_values_from_neighbours() -> dict[str, Column]:
    """The address's `locality`, `postcode` and `provenance` columns, with the values of
    `values_from_neighbours` (joined beside them) where the sources gave none."""
    taken = {
        field: F.col(field).isNull() & F.col(inferred).isNotNull()
        for field, inferred in zip(("locality", "postcode"), INFERRED_COLUMNS, strict=True)
    }
    entries = F.filter(
        F.array(
            *[
                F.struct(
                    F.lit(field).alias("key"),
                    F.when(is_taken, F.lit(NEIGHBOURS_PROVENANCE)).alias("value"),
                )
                for field, is_taken in taken.items()
            ]
        ),
        lambda entry: entry["value"].isNotNull(),
    )
    # Few addresses take a value: the map functions run only for those.
    provenance = F.when(
        taken["locality"] | taken["postcode"],
        F.map_concat(F.col("provenance"), F.map_from_entries(entries)),
    ).otherwise(F.col("provenance"))
    return {
        **{
            field: F.when(is_taken, F.col(inferred)).otherwise(F.col(field))
            for (field, is_taken), inferred in zip(taken.items(), INFERRED_COLUMNS, strict=True)
        },
        "provenance": provenance,
    }
