"""Stable address ids: an address keeps the id of the earlier address it continues.

A cluster continues an address of the region's previous run when they share
lineage records (`source`, `source_record_id`). Splits and merges are resolved
by a maximum-overlap one-to-one assignment; everything else gets a new id, its
content id (`content_ids`: a hash of the canonical address).
"""

from __future__ import annotations

from datetime import date

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from geodata.checkpoints import checkpointed
from geodata.schemas import RECORD_KEY_COLUMNS

REGION = ("iso_3166_1", "iso_3166_2")

BROADCAST_CHANGED_IDS = 200_000
"""Changed ids (two short strings each, about 15 MB) up to which they are broadcast."""


class IdAssignmentConvergenceError(RuntimeError):
    """The greedy id assignment needed more rounds than allowed."""


def previous_run_lineage(previous_lineage: DataFrame, execution_dt: date) -> DataFrame:
    """Lineage rows of each region's latest run before `execution_dt`.

    Args:
        previous_lineage: The `address_lineage` table (every date and region).
        execution_dt: This run's date; only earlier runs count.

    Returns:
        `address_id`, `source`, `source_record_id`, `iso_3166_1`, `iso_3166_2` of the
        latest earlier `execution_dt` per region. The latest dates are a tiny
        broadcast table joined on the partition columns, so Spark's dynamic
        partition pruning reads only those partitions' files.
    """
    earlier = previous_lineage.where(F.col("execution_dt") < F.lit(execution_dt))
    latest = earlier.groupBy(*REGION).agg(F.max("execution_dt").alias("execution_dt"))
    return earlier.join(F.broadcast(latest), [*REGION, "execution_dt"]).select(
        "address_id", *RECORD_KEY_COLUMNS, *REGION
    )


def lineage_overlap(lineage: DataFrame, previous: DataFrame) -> DataFrame:
    """`address_id`, `previous_id`, `overlap`: records each current address shares with an old one.

    Args:
        lineage: This run's lineage (`address_id`, record, region).
        previous: The previous run's lineage, as `previous_run_lineage` returns it.
    """
    old = previous.select(F.col("address_id").alias("previous_id"), *RECORD_KEY_COLUMNS, *REGION)
    return (
        lineage.select("address_id", *RECORD_KEY_COLUMNS, *REGION)
        .join(old, [*RECORD_KEY_COLUMNS, *REGION])
        .groupBy("address_id", "previous_id")
        .agg(F.count("*").alias("overlap"))
    )


def greedy_assignment(candidates: DataFrame, max_iterations: int) -> DataFrame:
    """A one-to-one assignment of current to previous ids, greedy by overlap.

    The result is the greedy maximum-weight matching under the total order
    (overlap descending, `address_id`, `previous_id`): the same as taking pairs
    in that order and keeping each one whose two ends are still free. It is
    built in rounds without sorting globally: a pair that is first in that order
    for both its current and its previous id is in the greedy matching; those
    pairs are kept, every pair touching their ids is dropped, and the rest goes
    to the next round (Preis's locally-dominant-edge argument; each round keeps
    at least one pair of every connected group, and groups are small: one
    address split in two, or two merged).

    Args:
        candidates: `address_id`, `previous_id`, `overlap` (> 0), one row per pair.
        max_iterations: Bound on rounds.

    Returns:
        `address_id`, `previous_id`: the pairs kept.

    Raises:
        IdAssignmentConvergenceError: Pairs remained after `max_iterations` rounds.
    """
    by_current = Window.partitionBy("address_id").orderBy(
        F.col("overlap").desc(), F.col("previous_id")
    )
    by_previous = Window.partitionBy("previous_id").orderBy(
        F.col("overlap").desc(), F.col("address_id")
    )
    remaining = candidates.select("address_id", "previous_id", "overlap").transform(checkpointed)
    kept = remaining.select("address_id", "previous_id").limit(0)
    rounds = 0
    while not remaining.isEmpty():  # a region's first run has no candidates at all
        if rounds == max_iterations:
            raise IdAssignmentConvergenceError(
                f"stable id assignment did not finish in {max_iterations} rounds "
                "(parameter conflate.clustering.max_iterations)"
            )
        rounds += 1
        ranked = remaining.withColumn("rc", F.row_number().over(by_current)).withColumn(
            "rp", F.row_number().over(by_previous)
        )
        dominant = (
            ranked.where((F.col("rc") == 1) & (F.col("rp") == 1))
            .select("address_id", "previous_id")
            .transform(checkpointed)
        )
        kept = kept.unionByName(dominant)
        remaining = (
            remaining.join(dominant.select("address_id"), "address_id", "left_anti")
            .join(dominant.select("previous_id"), "previous_id", "left_anti")
            .transform(checkpointed)
        )
    return kept


def _base(address_id: Column) -> Column:
    return F.substring_index(address_id, "-", 1)


def _number(address_id: Column) -> Column:
    """The `-n` suffix of an id as an integer; 1 without a suffix."""
    suffix = F.regexp_extract(address_id, r"-([0-9]+)$", 1)
    return F.when(suffix == "", F.lit(1)).otherwise(suffix.cast("int"))


def _with_number(base: Column, number: Column) -> Column:
    return F.when(number == 1, base).otherwise(F.concat_ws("-", base, number.cast("string")))


def stable_ids(
    addresses: DataFrame, lineage: DataFrame, previous: DataFrame, max_iterations: int
) -> DataFrame:
    """`address_id` (this run's content id) → `stable_id` for every address of the run.

    An address that continues an earlier one (greedy one-to-one assignment by
    lineage overlap) keeps the earlier id. Any other address gets its content
    id (a hash of the canonical address, `base[-n]`) with the smallest `-n`
    that no kept id uses; addresses sharing a base take the free numbers in the
    order of their `cluster_key`. So new ids never collide with kept ones and
    are the same for the same input.

    Args:
        addresses: This run's addresses: `address_id` (content id, unique), `cluster_key`.
        lineage: This run's lineage (`address_id`, record, region).
        previous: The previous run's lineage (`previous_run_lineage`).
        max_iterations: Bound on assignment rounds.

    Returns:
        `address_id`, `stable_id`, one row per address.
    """
    kept = greedy_assignment(lineage_overlap(lineage, previous), max_iterations)
    used = kept.groupBy(_base(F.col("previous_id")).alias("base")).agg(
        F.collect_set(_number(F.col("previous_id"))).alias("used")
    )
    fresh = (
        addresses.select("address_id", "cluster_key")
        .join(kept.select("address_id"), "address_id", "left_anti")
        .withColumn("base", _base(F.col("address_id")))
    )
    in_base = Window.partitionBy("base").orderBy("cluster_key", "address_id")
    numbered = (
        fresh.withColumn("rank", F.row_number().over(in_base))
        .withColumn("needed", F.count("*").over(Window.partitionBy("base")))
        .join(used, "base", "left")
        .withColumn("used", F.coalesce("used", F.array().cast("array<int>")))
        .withColumn(
            "free",
            F.array_except(
                F.sequence(F.lit(1), (F.col("needed") + F.size("used")).cast("int")), "used"
            ),
        )
        .select(
            "address_id",
            _with_number(F.col("base"), F.element_at("free", F.col("rank").cast("int"))).alias(
                "stable_id"
            ),
        )
    )
    return kept.select("address_id", F.col("previous_id").alias("stable_id")).unionByName(numbered)


def content_ids(addresses: DataFrame) -> DataFrame:
    """Each cluster's content id: a hash of its canonical address.

    Args:
        addresses: One row per cluster: `cluster_key`, `iso_3166_1`, `iso_3166_2`,
            `house_number`, `street`, `unit_id`.

    Returns:
        `cluster_key`, `address_id`: 24 hex digits of the SHA-256 of country,
        region, house number, street and unit id; clusters sharing one get
        `-2`, `-3`, ... in the order of their `cluster_key`. Only these two
        columns are shuffled to number the clusters, whatever else `addresses`
        carries.
    """
    canonical = F.concat_ws(
        "\u001f",
        "iso_3166_1",
        "iso_3166_2",
        F.coalesce("house_number", F.lit("")),
        F.coalesce("street", F.lit("")),
        F.coalesce("unit_id", F.lit("")),
    )
    digest = F.substring(F.sha2(canonical, 256), 1, 24)
    same_digest = Window.partitionBy("digest").orderBy("cluster_key")
    return (
        addresses.select("cluster_key", digest.alias("digest"))
        .withColumn("n", F.row_number().over(same_digest))
        .select(
            "cluster_key",
            F.when(F.col("n") == 1, F.col("digest"))
            .otherwise(F.concat_ws("-", F.col("digest"), F.col("n").cast("string")))
            .alias("address_id"),
        )
    )


def with_content_ids(addresses: DataFrame) -> DataFrame:
    """`addresses` plus `address_id`, their `content_ids`.

    Args:
        addresses: One row per cluster, with the columns `content_ids` reads.
    """
    return addresses.join(content_ids(addresses), "cluster_key")


def changed_ids(
    addresses: DataFrame,
    lineage: DataFrame,
    previous_lineage: DataFrame,
    execution_dt: date,
    max_iterations: int,
) -> DataFrame:
    """The ids that change when earlier runs' ids are kept: `address_id` → `stable_id`.

    Most ids do not change: a new address's content id, and an address that
    continues an earlier one with the same content, keep theirs; so the result is
    small (a region's first run has none), and applying it (`with_ids`) reads and
    writes the addresses and lineage where they stand.

    Args:
        addresses: This run's addresses with content ids (`address_id`, `cluster_key`).
        lineage: This run's lineage (`address_id`, record, region).
        previous_lineage: The `address_lineage` table of earlier runs.
        execution_dt: This run's date; the previous run is the latest earlier one.
        max_iterations: Bound on assignment rounds (`greedy_assignment`).

    Returns:
        `address_id`, `stable_id` for the addresses whose `stable_ids` differ from
        their content id.
    """
    previous = previous_run_lineage(previous_lineage, execution_dt)
    return stable_ids(addresses, lineage, previous, max_iterations).where(
        F.col("stable_id") != F.col("address_id")
    )


def with_ids(ids: DataFrame, *frames: DataFrame) -> tuple[DataFrame, ...]:
    """Each of `frames` with each `address_id` that `ids` (`changed_ids`) changes replaced.

    The same rows and columns. Up to `BROADCAST_CHANGED_IDS` changed ids are
    broadcast (counting them is one small job), so the frames are not shuffled.
    """
    if ids.count() <= BROADCAST_CHANGED_IDS:
        ids = F.broadcast(ids)
    return tuple(
        frame.join(ids, "address_id", "left").select(
            *[
                F.coalesce("stable_id", "address_id").alias(c) if c == "address_id" else F.col(c)
                for c in frame.columns
            ]
        )
        for frame in frames
    )
