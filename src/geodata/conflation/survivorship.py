"""Survivorship: one address per cluster, each field's value the one its sources support most.

Also the address's point, its confidence and the cluster's lineage.

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
from pyspark.sql import types as T
from pyspark.sql.pandas.types import to_arrow_schema

from geodata.address.tables import UNIT_DESIGNATORS
from geodata.checkpoints import checkpointed
from geodata.conflation.aliases import (
    ALIASED_FIELDS,
    bilingual_street_names,
    preferred_names,
)
from geodata.conflation.blocking import is_cluster_member
from geodata.conflation.identity import content_ids
from geodata.conflation.neighbours import values_from_neighbours, with_values_from_neighbours
from geodata.conflation.voting import KEY_COLUMNS, vote_batches
from geodata.schemas import ADDRESS_FIELDS, GEOMETRY_ACCURACY_RANK, RECORD_KEY_COLUMNS, record_key

SURVIVING_FIELDS = ADDRESS_FIELDS
"""Address fields chosen by survivorship (each with provenance)."""

REFERENCE_FIELDS = ("parcel_id", "building_id", "road_id")
"""Enrichment ids chosen by survivorship too."""

VOTING_FIELDS = SURVIVING_FIELDS + REFERENCE_FIELDS
"""Every field whose value is voted for."""

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
    # Read by every aggregation below (few rows: the votes of clusters with a unit
    # that names a designator): computed once.
    votes = (
        unit_votes.select(
            "cluster_key", unit_designator(F.col("value")).alias("designator"), "support"
        )
        .where(F.col("designator").isNotNull())
        .join(buildings, "cluster_key")
        .transform(checkpointed)
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


def _accuracy_rank() -> Column:
    ranks = F.create_map(
        *[x for k, v in GEOMETRY_ACCURACY_RANK.items() for x in (F.lit(k), F.lit(v))]
    )
    return F.element_at(ranks, F.col("geometry_accuracy"))


def _missed_match_probability(clusters: DataFrame, scored_pairs: DataFrame) -> DataFrame:
    """Per cluster, the highest match probability of a pair linking it to another cluster."""
    labels = clusters.select("key", "cluster_key")
    # A pair of probability 0 (a hard rule holds) changes no maximum: only the others
    # are looked up.
    across = (
        scored_pairs.where(F.col("match_probability") > 0)
        .select("key_l", "key_r", "match_probability")
        .join(labels.withColumnsRenamed({"key": "key_l", "cluster_key": "cluster_l"}), "key_l")
        .join(labels.withColumnsRenamed({"key": "key_r", "cluster_key": "cluster_r"}), "key_r")
        .where(F.col("cluster_l") != F.col("cluster_r"))
    )
    # Both ends from one pass over the pairs (a union of two selections would join the
    # pairs with the labels twice).
    ends = across.select(
        F.explode(F.array("cluster_l", "cluster_r")).alias("cluster_key"), "match_probability"
    )
    return ends.groupBy("cluster_key").agg(
        F.max("match_probability").alias("missed_match_probability")
    )


def _voting_values(members: DataFrame, name_aliases: DataFrame) -> DataFrame:
    """`members` with `_v_<field>`: each surviving and reference field as the string it
    votes for, aliased names as the name most members use (`preferred_names`).

    Args:
        members: The cluster members.
        name_aliases: The alias table.
    """
    voting = members.select("*", *[F.col(f).cast("string").alias(f"_v_{f}") for f in VOTING_FIELDS])
    # Aliased names (`geodata.conflation.aliases`) vote together, for the name most
    # records use; so do a Finnish street's Finnish and Swedish names. A name with a
    # learned alias follows it.
    # Few rows (one per aliased name), read once per field below: resolved once.
    learned = preferred_names(name_aliases, members, ALIASED_FIELDS)
    bilingual = bilingual_street_names(members).join(
        learned, ["iso_3166_2", "field", "name"], "left_anti"
    )
    renames = learned.unionByName(bilingual).transform(checkpointed)
    for field in ALIASED_FIELDS:
        value = f"_v_{field}"
        preferred = F.broadcast(
            renames.where(F.col("field") == field).select(
                F.col("iso_3166_2").alias("_region"),
                F.col("name").alias("_name"),
                F.col("preferred").alias("_preferred"),
            )
        )
        voting = (
            voting.join(
                preferred,
                (F.col("iso_3166_2") == F.col("_region")) & (F.col(value) == F.col("_name")),
                "left",
            )
            .withColumn(value, F.coalesce("_preferred", value))
            .drop("_region", "_name", "_preferred")
        )
    return voting


VOTE_INPUT = (
    "cluster_key",
    "source",
    "source_record_id",
    "priority",
    "dt",
    "geometry_accuracy",
    "accuracy_rank",
    "lat",
    "lon",
    "min_edge_probability",
    "iso_3166_1",
    "iso_3166_2",
    "unit",
    *KEY_COLUMNS,
)
"""Member columns the vote reads, besides each field's `_v_<field>`."""


def _vote_schema(members: T.StructType) -> T.StructType:
    """The Spark schema of `geodata.conflation.voting.vote`'s rows for these members."""
    typed = {f.name: f.dataType for f in members.fields}
    string = T.StringType()
    return T.StructType(
        [
            T.StructField("cluster_key", string),
            *[T.StructField(f, string) for f in VOTING_FIELDS],
            *[T.StructField(c, typed[c]) for c in ("iso_3166_1", "iso_3166_2", *KEY_COLUMNS)],
            T.StructField("sources", T.ArrayType(string)),
            T.StructField("min_edge_probability", T.DoubleType()),
            T.StructField("lat", T.DoubleType()),
            T.StructField("lon", T.DoubleType()),
            T.StructField("geometry_accuracy", string),
            T.StructField("provenance", T.MapType(string, string)),
            T.StructField(
                "unit_votes",
                T.ArrayType(
                    T.StructType(
                        [T.StructField("value", string), T.StructField("support", T.DoubleType())]
                    )
                ),
            ),
        ]
    )


def _building_keys(addresses: DataFrame) -> DataFrame:
    """`cluster_key`, `building_key` of the addresses with a unit (`building_designators`)."""
    # Only addresses with a unit take a designator: a cluster has one exactly when
    # some member has one, and only those members vote for designators.
    return addresses.where(F.col("unit").isNotNull()).select(
        "cluster_key",
        F.concat_ws(
            "\u001f",
            "iso_3166_2",
            F.col("hn_int").cast("string"),
            F.coalesce("hn_suffix", F.lit("")),
            F.coalesce("street", F.lit("")),
        ).alias("building_key"),
    )


def best_values(
    records: DataFrame,
    clusters: DataFrame,
    scored_pairs: DataFrame,
    name_aliases: DataFrame,
    accuracy_weight: dict[str, float],
    recency_half_life_days: float,
) -> tuple[DataFrame, DataFrame]:
    """One address per cluster with the best value of each field, and the cluster lineage.

    Each field's value is the one with the most support across distinct sources
    (support of a source's record = 1/(1+priority) x the weight of its geometry
    accuracy class x 0.5^(days older than the cluster's newest record /
    `recency_half_life_days`)), ties to the lower priority then the smaller
    value; street and locality names with aliases vote for the name most
    records use; a unit's designator comes from its building when its own
    sources do not settle it. Geometry comes from the most accurate (then
    highest-priority) source, averaged over that source's records.
    `confidence` = the weakest match probability among the cluster's edges x
    (1 - the highest match probability of a pair to another cluster). A
    locality or postcode that no source gives is the one the street's other
    addresses tell (`geodata.conflation.neighbours`), after the content id.

    Args:
        records: Enriched records; only cluster members count.
        clusters: `key`, `cluster_key`, `min_edge_probability` per member record.
        scored_pairs: `key_l`, `key_r`, `match_probability` of the candidate pairs.
        name_aliases: The alias table (`geodata.conflation.aliases.ALIAS_COLUMNS`).
        accuracy_weight: Weight of a source's values by its geometry accuracy class.
        recency_half_life_days: Age at which a record's vote counts half.

    Returns:
        (1) One row per cluster: `cluster_key`, the surviving and reference
        fields, region, point, `source_count`, `sources`, `provenance` (the
        winning source per field, `geometry` the point's), `confidence`, the
        comparison keys of its highest-priority record and `address_id` (a
        content id, `geodata.conflation.identity.content_ids`); (2) one lineage
        row per member record (`address_id`, `source`, `source_record_id`,
        `iso_3166_1`, `iso_3166_2`).
    """
    # Members feed several joins below: they are checkpointed once, so Spark neither
    # recomputes them nor analyses a plan that repeats them many times over.
    # Only the columns read below: a checkpoint stores every column it is given.
    derived = ("cluster_key", "accuracy_rank", "min_edge_probability")
    read = dict.fromkeys([*RECORD_KEY_COLUMNS, *VOTE_INPUT, *VOTING_FIELDS])
    members = records.where(is_cluster_member()).select(
        *[c for c in read if c not in derived], record_key().alias("key")
    )
    members = (
        members.join(clusters, "key")
        .withColumn("accuracy_rank", _accuracy_rank())
        .transform(checkpointed)
    )
    # The members are shuffled by cluster once, right before the vote, so that each
    # partition holds whole clusters whatever the joins before it did; the vote runs
    # on each partition in Arrow (`geodata.conflation.voting`).
    voting = (
        _voting_values(members, name_aliases)
        .select(*VOTE_INPUT, *[f"_v_{f}" for f in VOTING_FIELDS])
        .repartition("cluster_key")
    )
    schema = _vote_schema(voting.schema)
    # The vote's result feeds the designators, the content ids and the addresses:
    # checkpointed, so that what is derived from it is computed from it once.
    voted = voting.mapInArrow(
        vote_batches(
            VOTING_FIELDS, accuracy_weight, recency_half_life_days, to_arrow_schema(schema)
        ),
        schema,
    ).transform(checkpointed)
    unit_votes = voted.select("cluster_key", F.explode("unit_votes").alias("vote")).select(
        "cluster_key", "vote.value", "vote.support"
    )
    designators = building_designators(unit_votes, _building_keys(voted))
    missed = _missed_match_probability(clusters, scored_pairs)
    # Everything joined to the addresses is keyed by cluster and narrow beside them
    # (the designators and the content ids are computed from a few of their
    # columns): it is joined into one row per cluster first, so that the wide
    # addresses are shuffled and matched once, in one join.
    # The ids are read by both outputs (the lineage needs nothing else of the
    # addresses): numbered once. The addresses themselves are computed once, as they
    # are written.
    # The content ids are of the values the sources gave; a locality or postcode that
    # only the street's other addresses tell is filled in after them.
    ids = content_ids(voted).transform(checkpointed)
    per_cluster = (
        ids.join(missed, "cluster_key", "left")
        .join(designators, "cluster_key", "left")
        .join(values_from_neighbours(voted), "cluster_key", "left")
    )
    filled = with_values_from_neighbours()
    addresses = voted.join(per_cluster, "cluster_key").select(
        "cluster_key",
        *[
            with_designator(F.col("unit"), F.col("designator")).alias(f)
            if f == "unit"
            else filled[f].alias(f)
            if f in filled
            else F.col(f)
            for f in VOTING_FIELDS
        ],
        "iso_3166_1",
        "iso_3166_2",
        "lat",
        "lon",
        "geometry_accuracy",
        F.size("sources").cast("int").alias("source_count"),
        "sources",
        filled["provenance"].alias("provenance"),
        (
            F.col("min_edge_probability")
            * (F.lit(1.0) - F.coalesce("missed_match_probability", F.lit(0.0)))
        ).alias("confidence"),
        *KEY_COLUMNS,
        "address_id",
    )
    lineage = members.join(ids, "cluster_key").select(
        "address_id", *RECORD_KEY_COLUMNS, "iso_3166_1", "iso_3166_2"
    )
    return addresses, lineage
