"""Blocking: which record pairs the conflate stage compares at all.

Candidate pairs agree on every column of some blocking rule; random pairs feed the u estimates.
"""

from __future__ import annotations

import math
from functools import reduce

from pydantic import BaseModel, ConfigDict, Field
from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from geodata.checkpoints import checkpointed
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
    unplaced_accuracies: list[str] = Field(
        default_factory=lambda: ["postal"],
        description="Geometry accuracy classes whose point places a record no finer than its "
        "postcode (a postcode's centroid): such records are also paired by their postcode, as "
        "records without a point are.",
    )


def is_cluster_member() -> Column:
    """True for records that take part in matching: ordinary records and `add` corrections.

    `fix` and `suppress` corrections act on conflated addresses instead
    (`geodata.conflation.corrections`).
    """
    return F.col("action").isNull() | (F.col("action") == "add")


def _grouped_keys(rows: DataFrame, group: list[str]) -> DataFrame:
    """One row per group of `rows`: the group's columns and `keys`, its rows' keys in
    ascending order (one shuffle)."""
    return rows.groupBy(*group).agg(F.array_sort(F.collect_list("key")).alias("keys"))


def _all_pairs(keys: str) -> Column:
    """Every pair (keys[i], keys[j]), i < j, of an ascending list of distinct keys."""
    return F.expr(
        f"flatten(transform(slice({keys}, 1, size({keys}) - 1), (l, i) -> "
        f"transform(slice({keys}, i + 2, size({keys})), "
        "r -> named_struct('key_l', l, 'key_r', r))))"
    )


def _pairs_in_small_groups(groups: DataFrame, limit: int) -> DataFrame:
    """Pairs `key_l < key_r` of the groups (`_grouped_keys`) of 2 to `limit` keys.

    Generated from each group's list where it stands: no self-join, no second shuffle.
    """
    return (
        groups.where(F.size("keys").between(2, limit))
        .select(F.explode(_all_pairs("keys")).alias("pair"))
        .select("pair.key_l", "pair.key_r")
    )


def _sorted_neighbourhood(rows: DataFrame, group: list[str], window: int) -> DataFrame:
    """Pairs of each row with the next `window` rows of its group, in street then key order.

    The sorted-neighbourhood method (Hernández & Stolfo, SIGMOD 1995): a bounded
    number of comparisons per record however large the group.
    """
    order = Window.partitionBy(*group).orderBy("street_sort", "key")
    ranked = rows.withColumn("rank", F.row_number().over(order)).select(*group, "key", "rank")
    ahead = ranked.withColumn("offset", F.explode(F.sequence(F.lit(1), F.lit(window))))
    ahead = ahead.select(*group, "key", (F.col("rank") + F.col("offset")).alias("rank"))
    pairs = ahead.alias("l").join(ranked.alias("r"), [*group, "rank"])
    return pairs.select(
        F.least(F.col("l.key"), F.col("r.key")).alias("key_l"),
        F.greatest(F.col("l.key"), F.col("r.key")).alias("key_r"),
    )


def _as_text(column: str) -> Column:
    return F.col(column).cast("string")


def _block_memberships(members: DataFrame, blocking: BlockingParams) -> DataFrame:
    """One row per (rule, block) each member belongs to: `key`, `rule` (its index) and
    `block`.

    `block` is a 64-bit hash (xxHash64) of the rule's index and values, so that
    memberships are shuffled and grouped on one long rather than on a list of
    strings. Two blocks of a billion that hashed alike would only be compared as
    one (more candidate pairs, none lost unless the two together are oversized).
    A member with a null in a rule's columns is in no block of that rule. All
    rules in one row set, so every rule is sized and paired in the same few
    shuffles rather than a set of shuffles per rule.
    """
    entries = []
    for index, rule in enumerate(blocking.rules):
        complete = reduce(lambda acc, c: acc & F.col(c).isNotNull(), rule, F.lit(True))
        block = F.xxhash64(F.lit(index), *[F.col(c) for c in rule])
        entries.append(F.when(complete, F.struct(F.lit(index).alias("rule"), block.alias("block"))))
    return (
        members.select("key", F.explode(F.array(*entries)).alias("m"))
        .where(F.col("m").isNotNull())
        .select("key", "m.rule", "m.block")
    )


def _sub_blocks(oversized: DataFrame, members: DataFrame, blocking: BlockingParams) -> DataFrame:
    """The members of oversized blocks with their street (`street_sort`) and sub-blocks.

    Args:
        oversized: `key`, `rule`, `block` of the members of oversized blocks (few).
        members: Every member with `key`, its street and the sub-blocking keys.
        blocking: The rules and sub-blocking keys.

    Returns:
        `block`, `key`, `street_sort` and `sub_blocks`: per sub-blocking key, its
        index and the member's value, null where the member has none or the key is
        one of the block's rule columns (a block already agrees on it).
    """
    looked_up = members.select(
        "key",
        F.coalesce("street", F.lit("")).alias("street_sort"),
        *[_as_text(key).alias(f"_sub_{j}") for j, key in enumerate(blocking.sub_blocking_keys)],
    )
    sub_blocks = []
    for j, key in enumerate(blocking.sub_blocking_keys):
        in_rule = [index for index, rule in enumerate(blocking.rules) if key in rule]
        value = F.col(f"_sub_{j}")
        if in_rule:
            value = F.when(~F.col("rule").isin(*in_rule), value)
        sub_blocks.append(F.struct(F.lit(j).alias("sub_key"), value.alias("value")))
    return oversized.join(looked_up, "key").select(
        "block", "key", "street_sort", F.array(*sub_blocks).alias("sub_blocks")
    )


_NUMBER_KEY = ("iso_3166_2", "hn_int", "hn_suffix_key", "unit_key")
"""What a record without a point shares with the records it is paired with, besides a
place: its postcode, or its town and its street's initials."""


def _unplaced_pairs(members: DataFrame, coarse: list[str]) -> DataFrame:
    """Pairs of each record without a point, or with a point of a `coarse` accuracy,
    with the records of its number and unit in its postcode, or in its town.

    The grid-cell rules place a record by its point; one without (`lat` null) is
    found only by its street's sound, which a typing error in the street defeats.
    Its postcode stands in for its place: it is paired with every member that has
    its house number, suffix, unit and postcode; and so is its town with the first
    two letters of its street, for the many sources that give neither a point nor a
    postcode. So is one whose point is its postcode's centroid (its grid cell is the
    centroid's, often not its address's), by its postcode, with the members whose
    street also starts with the same two letters: a source of centroids gives many
    records, and every street of the postcode with the same number would otherwise be
    paired with each of them. Records without a point are few, and so are the pairs
    this adds: one join, each member listed under its postcode and under its town.
    """
    initials = F.substring(F.coalesce("street_base", F.lit("")), 1, 2)
    by_town = F.when(
        F.col("locality").isNotNull() & (F.length(initials) == 2),
        F.concat(F.lit("town "), initials, F.lit(" "), F.col("locality")),
    )
    keyed = members.where(
        reduce(lambda acc, c: acc & F.col(c).isNotNull(), _NUMBER_KEY, F.lit(True))
    ).select(
        "key",
        *_NUMBER_KEY,
        initials.alias("initials"),
        F.concat(F.lit("postcode "), F.col("postcode")).alias("by_postcode"),
        by_town.alias("by_town"),
        F.col("lat").isNull().alias("no_point"),
        F.coalesce(F.col("geometry_accuracy").isin(coarse), F.lit(False)).alias("coarse"),
    )
    places = keyed.select("*", F.explode(F.array("by_postcode", "by_town")).alias("place")).where(
        F.col("place").isNotNull()
    )
    # A record at its postcode's centroid is placed by its postcode alone.
    unplaced = places.where("no_point OR (coarse AND place = by_postcode)").select(
        F.col("key").alias("u"),
        *_NUMBER_KEY,
        "place",
        F.col("initials").alias("u_initials"),
        "no_point",
    )
    pairs = unplaced.join(
        places.select("key", *_NUMBER_KEY, "place", "initials"), [*_NUMBER_KEY, "place"]
    ).where(
        (F.col("u") != F.col("key"))
        & (F.col("no_point") | (F.col("u_initials") == F.col("initials")))
    )
    return pairs.select(F.least("u", "key").alias("key_l"), F.greatest("u", "key").alias("key_r"))


NAMED_PREMISE = -1
"""The house number's integer in blocking keys for a premise with a name and no number."""


def _number_keys() -> dict[str, Column]:
    """A record's house number and unit as blocking keys, by name: `hn_int` (a premise
    named instead of numbered, "WILLOW MILL", has no integer; its name is its whole
    suffix, so it blocks by the name where a number would be: `NAMED_PREMISE`; a record
    with neither stays null and is in no block), and the suffix and unit with "none" as
    a value of its own, so that "no unit" and "no suffix" block together too."""
    return {
        "hn_int": F.when(
            F.col("hn_int").isNull() & F.col("hn_suffix").isNotNull(), F.lit(NAMED_PREMISE)
        ).otherwise(F.col("hn_int")),
        "hn_suffix_key": F.coalesce("hn_suffix", F.lit("")),
        "unit_key": F.coalesce("unit_id", F.lit("")),
    }


def blocked_pairs(records: DataFrame, blocking: BlockingParams) -> DataFrame:
    """Record pairs that agree on every column of at least one blocking rule.

    `block_cell` and `block_cell_shifted` are grid cells of the point on two
    grids offset by half a cell, so near neighbours share a cell on at least one
    grid; `unit_key` and `hn_suffix_key` are the unit and house-number suffix
    with "none" as a value of its own. A null in a rule's columns puts a record
    in no block of that rule.

    A block with more than `max_block_size` records would cost O(n²) pairs. Its
    records are instead paired within each sub-blocking key in turn (same block
    and same postcode, or same block and same locality, ...: a union, so a pair
    needs to agree on only one of them), and with their `sorted_neighbourhood`
    nearest records in street order, so every record keeps comparisons (a
    sub-block that is itself oversized relies on those alone). A record without
    a point is also paired with the records of its number, unit and postcode, or town
    and street initials (`_unplaced_pairs`).

    Args:
        records: Enriched canonical records; only cluster members
            (`is_cluster_member`) are paired.
        blocking: The rules and the limits on block size.

    Returns:
        `key_l`, `key_r` (record keys, `key_l < key_r`): one row per distinct pair,
        from the union of the rules.
    """
    half = blocking.cell_size_deg / 2
    members = (
        records.where(is_cluster_member())
        .select(
            record_key().alias("key"),
            "*",
            point_cell(F.col("lat"), F.col("lon"), blocking.cell_size_deg).alias("block_cell"),
            point_cell(F.col("lat") + half, F.col("lon") + half, blocking.cell_size_deg).alias(
                "block_cell_shifted"
            ),
        )
        .withColumns(_number_keys())
    )
    block = ["block"]
    limit = blocking.max_block_size
    # Blocks are listed once (one shuffle, of three narrow columns): the small ones
    # are paired from their lists, the oversized ones' members go on to sub-blocking.
    # (A block's rule is part of its hash: grouping by both is grouping by block.)
    blocks = checkpointed(_grouped_keys(_block_memberships(members, blocking), [*block, "rule"]))
    # Only the members of oversized blocks need their street and sub-blocking keys.
    oversized = _sub_blocks(
        blocks.where(F.size("keys") > limit).select(
            "block", "rule", F.explode("keys").alias("key")
        ),
        members,
        blocking,
    )
    sub_blocks = oversized.select(*block, "key", F.explode("sub_blocks").alias("s")).where(
        F.col("s.value").isNotNull()
    )
    sub_blocks = sub_blocks.select(*block, "key", "s.sub_key", F.col("s.value").alias("sub_value"))
    sub_block = [*block, "sub_key", "sub_value"]
    pairs = [
        _pairs_in_small_groups(blocks, limit),
        _sorted_neighbourhood(oversized, block, blocking.sorted_neighbourhood),
        _pairs_in_small_groups(_grouped_keys(sub_blocks, sub_block), limit),
        _unplaced_pairs(members, blocking.unplaced_accuracies),
    ]
    return reduce(DataFrame.unionByName, pairs).distinct()


def with_aliased_street_pairs(
    blocked: DataFrame, records: DataFrame, aliases: DataFrame
) -> DataFrame:
    """`blocked` and the pairs of records that name one street by two learned names.

    Blocking pairs records by their street's sound or their point; a street's
    second name (a Finnish street's Swedish name, a renamed street's old one) sounds
    nothing like its first, so two records that use one name each, one of them
    without a point or at its postcode's centroid, were never paired, even once the
    records that have points showed the two names to be one street
    (`geodata.conflation.aliases.learn_street_aliases`). Such records are also
    paired when they have the same number, suffix and unit, and the same postcode
    (or one has none): a homonym street in the next town is another postcode. The
    learned names are few, and so are the records that use them.

    Args:
        blocked: The rules' candidate pairs (`blocked_pairs`).
        records: Enriched canonical records.
        aliases: The learned names (`ALIAS_COLUMNS`, both orders; only `street` is read).

    Returns:
        `key_l`, `key_r`: the blocked pairs and the aliased ones they lacked, each once.
    """
    streets = aliases.where(F.col("field") == "street").select(
        "iso_3166_2", F.col("name").alias("street"), "alias"
    )
    if streets.isEmpty():
        return blocked
    # The members that use a learned name (the table holds both orders, so its names
    # are all of them), read once and kept: few records.
    members = (
        records.where(
            is_cluster_member()
            & F.col("street").isNotNull()
            & (F.col("hn_int").isNotNull() | F.col("hn_suffix").isNotNull())
        )
        .join(
            F.broadcast(streets.select("iso_3166_2", "street").distinct()),
            ["iso_3166_2", "street"],
            "left_semi",
        )
        .select(
            record_key().alias("key"),
            "iso_3166_2",
            "street",
            "postcode",
            *[key.alias(name) for name, key in _number_keys().items()],
        )
        .transform(checkpointed)
    )
    number = list(_NUMBER_KEY)
    # Each member once per other name of its street, met by the members using that name.
    aliased = (
        members.join(F.broadcast(streets), ["iso_3166_2", "street"])
        .alias("a")
        .join(members.alias("b"), [*number])
        .where(
            (F.col("a.alias") == F.col("b.street"))
            & (
                F.col("a.postcode").isNull()
                | F.col("b.postcode").isNull()
                | (F.col("a.postcode") == F.col("b.postcode"))
            )
        )
        .select(
            F.least("a.key", "b.key").alias("key_l"), F.greatest("a.key", "b.key").alias("key_r")
        )
        .distinct()
        .transform(checkpointed)
    )
    # Both are small and kept, so the union costs its readers nothing to recompute.
    formed = blocked.join(F.broadcast(aliased), ["key_l", "key_r"], "left_semi")
    added = aliased.join(formed, ["key_l", "key_r"], "left_anti").transform(checkpointed)
    return blocked.unionByName(added)


def too_few_pairs(pairs: DataFrame, minimum: int) -> bool:
    """Whether `pairs` has fewer than `minimum` rows (reads at most `minimum` of them)."""
    return pairs.limit(minimum).count() < minimum


_DRAWS = 1 << 30
"""Resolution of the hashed uniform draw that samples records for random pairs."""


def random_pairs(records: DataFrame, target: int, seed: int) -> DataFrame:
    """About `target` random pairs of records of the same region.

    Records are hashed (with `seed`) into buckets; the pairs within a bucket are
    the sample, and nearly all of them are different addresses, which is what u
    describes. With n records in buckets of λ records on average there are about
    n·λ/2 such pairs, so with more than `target` records only a hashed share of
    `target` records is bucketed, in pairs (λ = 2): the sample, and the cost of
    comparing it, stay the same size however large the region. With fewer
    records, all are bucketed in buckets of about 2·target/n. The sample depends
    only on the records and the seed (no `limit`), so local and cluster runs fit
    the same model.

    Args:
        records: Enriched canonical records; only cluster members are paired.
        target: The number of pairs wanted.
        seed: Hash seed of the sample and the bucket assignment.

    Returns:
        `key_l`, `key_r` (`key_l < key_r`, both in one `iso_3166_2`); no rows
        when there are fewer than two members.
    """
    members = records.where(is_cluster_member()).select(record_key().alias("key"), "iso_3166_2")
    count = members.count()
    if count < 2:
        return members.select(F.col("key").alias("key_l"), F.col("key").alias("key_r")).limit(0)
    bucket_size = max(2, math.ceil(2 * target / count))
    share = min(1.0, target / count)
    if share < 1.0:
        # A uniform draw in [0, 1) per record, from a hash of its key.
        draw = F.pmod(F.xxhash64("key", F.lit(seed + 1)), F.lit(_DRAWS)) / F.lit(_DRAWS)
        members = members.where(draw < F.lit(share))
    buckets = max(1, round(count * share / bucket_size))
    bucketed = members.withColumn("bucket", F.pmod(F.xxhash64("key", F.lit(seed)), F.lit(buckets)))
    left, right = bucketed.alias("l"), bucketed.alias("r")
    return left.join(
        right,
        (F.col("l.iso_3166_2") == F.col("r.iso_3166_2"))
        & (F.col("l.bucket") == F.col("r.bucket"))
        & (F.col("l.key") < F.col("r.key")),
    ).select(F.col("l.key").alias("key_l"), F.col("r.key").alias("key_r"))
