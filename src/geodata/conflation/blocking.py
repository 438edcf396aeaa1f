"""Blocking: which record pairs the conflate stage compares at all.

Candidate pairs agree on every column of some blocking rule; random pairs feed the u estimates.
"""

from __future__ import annotations

import math
from functools import reduce

from pydantic import BaseModel, ConfigDict, Field
from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from geodata.schemas import record_key
from geodata.spatial import point_cell


class BlockingParams(BaseModel):
    """Blocking: pairs are compared only when they agree on all columns of some rule."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: list[list[str]] = Field(min_length=1)
    cell_size_deg: float = Field(gt=0, description="Grid cell for block_cell / block_cell_shifted.")
    max_block_size: int = Field(
        200, ge=2, description="Blocks with more records are split by the sub-blocking keys."
    )
    sub_blocking_keys: list[str] = Field(
        default_factory=lambda: ["postcode", "locality"],
        description="Each oversized block is compared within each of these keys (union).",
    )
    sorted_neighbourhood: int = Field(
        20, ge=1, description="Oversized (sub-)blocks: pair each record with the next n records."
    )


def is_cluster_member() -> Column:
    """True for records that take part in matching: ordinary records and `add` corrections.

    `fix` and `suppress` corrections act on conflated addresses instead
    (`geodata.conflation.corrections`).
    """
    return F.col("action").isNull() | (F.col("action") == "add")


def _pairs_within(keyed: DataFrame, columns: list[str]) -> DataFrame:
    """Pairs `key_l < key_r` of rows of `keyed` that agree on all `columns`."""
    left, right = keyed.alias("l"), keyed.alias("r")
    condition = reduce(
        lambda acc, c: acc & (F.col(f"l.{c}") == F.col(f"r.{c}")),
        columns,
        F.col("l.key") < F.col("r.key"),
    )
    return left.join(right, condition).select(
        F.col("l.key").alias("key_l"), F.col("r.key").alias("key_r")
    )


def _split_by_size(keyed: DataFrame, columns: list[str], limit: int) -> tuple[DataFrame, DataFrame]:
    """Rows of `keyed` in blocks (by `columns`) of at most `limit` rows, and the rest."""
    sizes = keyed.groupBy(*columns).agg(F.count("*").alias("block_size"))
    sized = keyed.join(sizes, columns)
    return (
        sized.where(F.col("block_size") <= limit).drop("block_size"),
        sized.where(F.col("block_size") > limit).drop("block_size"),
    )


def _sorted_neighbourhood(keyed: DataFrame, columns: list[str], window: int) -> DataFrame:
    """Pairs of each row with the next `window` rows of its block, in street then key order.

    The sorted-neighbourhood method (Hernández & Stolfo, SIGMOD 1995): a bounded
    number of comparisons per record however large the block.
    """
    order = Window.partitionBy(*columns).orderBy("street_sort", "key")
    ranked = keyed.withColumn("rank", F.row_number().over(order)).select(*columns, "key", "rank")
    ahead = ranked.withColumn("offset", F.explode(F.sequence(F.lit(1), F.lit(window))))
    ahead = ahead.select(*columns, "key", (F.col("rank") + F.col("offset")).alias("rank"))
    pairs = ahead.alias("l").join(ranked.alias("r"), [*columns, "rank"])
    return pairs.select(
        F.least(F.col("l.key"), F.col("r.key")).alias("key_l"),
        F.greatest(F.col("l.key"), F.col("r.key")).alias("key_r"),
    )


def _rule_pairs(members: DataFrame, rule: list[str], blocking: BlockingParams) -> DataFrame:
    """Pairs of one blocking rule; oversized blocks are sub-blocked, never dropped.

    A block with more than `max_block_size` records would cost O(n²) pairs. Its
    records are instead paired within each sub-blocking key in turn (same block
    and same postcode, or same block and same locality, ...: a union, so a pair
    needs to agree on only one of them), and with their `sorted_neighbourhood`
    nearest records in street order, so every record keeps comparisons (a
    sub-block that is itself oversized relies on those alone).
    """
    sub_keys = [k for k in blocking.sub_blocking_keys if k not in rule]
    keyed = members.select(
        "key", *rule, *sub_keys, F.coalesce("street", F.lit("")).alias("street_sort")
    ).dropna(subset=list(rule))
    small, oversized = _split_by_size(keyed, list(rule), blocking.max_block_size)
    pairs = [
        _pairs_within(small, list(rule)),
        _sorted_neighbourhood(oversized, list(rule), blocking.sorted_neighbourhood),
    ]
    for sub_key in sub_keys:
        refined = [*rule, sub_key]
        sub_small, _ = _split_by_size(
            oversized.dropna(subset=[sub_key]), refined, blocking.max_block_size
        )
        pairs.append(_pairs_within(sub_small, refined))
    return reduce(DataFrame.unionByName, pairs)


def blocked_pairs(records: DataFrame, blocking: BlockingParams) -> DataFrame:
    """Record pairs that agree on every column of at least one blocking rule.

    `block_cell` and `block_cell_shifted` are grid cells of the point on two
    grids offset by half a cell, so near neighbours share a cell on at least one
    grid; `unit_key` and `hn_suffix_key` are the unit and house-number suffix
    with "none" as a value of its own. Blocks larger than `max_block_size` are
    sub-blocked (see `_rule_pairs`), never dropped.

    Args:
        records: Enriched canonical records; only cluster members
            (`is_cluster_member`) are paired.
        blocking: The rules and the limits on block size.

    Returns:
        `key_l`, `key_r` (record keys, `key_l < key_r`): one row per distinct pair,
        from the union of the rules.
    """
    half = blocking.cell_size_deg / 2
    members = records.where(is_cluster_member()).select(
        record_key().alias("key"),
        "*",
        point_cell(F.col("lat"), F.col("lon"), blocking.cell_size_deg).alias("block_cell"),
        point_cell(F.col("lat") + half, F.col("lon") + half, blocking.cell_size_deg).alias(
            "block_cell_shifted"
        ),
        # Null-safe keys, so that "no unit" and "no suffix" block together too.
        F.coalesce("unit_id", F.lit("")).alias("unit_key"),
        F.coalesce("hn_suffix", F.lit("")).alias("hn_suffix_key"),
    )
    per_rule = [_rule_pairs(members, list(rule), blocking) for rule in blocking.rules]
    return reduce(DataFrame.unionByName, per_rule).distinct()


def random_pairs(records: DataFrame, target: int, seed: int) -> DataFrame:
    """About `target` random pairs of records of the same region.

    Records are hashed (with `seed`) into buckets sized so that the pairs within
    buckets number about `target`; nearly all such pairs are different
    addresses, which is what u describes. The sample depends only on the
    records and the seed (no `limit`), so local and cluster runs fit the same
    model.

    Args:
        records: Enriched canonical records; only cluster members are paired.
        target: The number of pairs wanted.
        seed: Hash seed of the bucket assignment.

    Returns:
        `key_l`, `key_r` (`key_l < key_r`, both in one `iso_3166_2`); no rows
        when there are fewer than two members.
    """
    members = records.where(is_cluster_member()).select(record_key().alias("key"), "iso_3166_2")
    count = members.count()
    if count < 2:
        return members.select(F.col("key").alias("key_l"), F.col("key").alias("key_r")).limit(0)
    bucket_size = max(2, math.ceil(2 * target / count))
    buckets = max(1, count // bucket_size)
    bucketed = members.withColumn("bucket", F.pmod(F.xxhash64("key", F.lit(seed)), F.lit(buckets)))
    left, right = bucketed.alias("l"), bucketed.alias("r")
    return left.join(
        right,
        (F.col("l.iso_3166_2") == F.col("r.iso_3166_2"))
        & (F.col("l.bucket") == F.col("r.bucket"))
        & (F.col("l.key") < F.col("r.key")),
    ).select(F.col("l.key").alias("key_l"), F.col("r.key").alias("key_r"))
