"""Conflate nodes on small hand-made records: blocking, clustering, survivorship, corrections."""

from __future__ import annotations

from datetime import date

import pytest
from pyspark.sql import functions as F

from geodata.address.street import normalize_street
from geodata.conflation.aliases import ALIAS_COLUMNS
from geodata.pipelines.conflate.nodes import (
    apply_user_corrections,
    block_candidate_pairs,
    choose_best_values,
    cluster_matches,
    compare_pairs,
    estimate_match_model,
    find_name_aliases,
    sample_random_pairs,
    score_pairs,
)
from geodata.schemas import record_key
from tests.conflation.records import (
    ALIASES,
    BLOCKING,
    CLUSTERING,
    METRE,
    SCORING,
    enriched_frame,
    enriched_record,
)


@pytest.fixture(scope="module")
def records(spark):
    rows = [
        # One real address seen by three sources, one of them with a typo.
        enriched_record("a", "1", "12", "MISSION ST", building_id="B1"),
        enriched_record("b", "1", "12", "MISSOIN ST", lat=37.75 + 12 * METRE, building_id="B1"),
        enriched_record("c", "1", "12", "MISSION ST", lat=37.75 - 25 * METRE, postcode=None),
        # Hard negatives next door: another number, a letter suffix, units.
        enriched_record("a", "2", "14", "MISSION ST", lat=37.75 + 20 * METRE),
        enriched_record("a", "3", "12A", "MISSION ST", lat=37.75 + 5 * METRE),
        enriched_record("a", "4", "12", "MISSION ST", unit="APT 1", lat=37.75 + 2 * METRE),
        enriched_record("b", "4", "12", "MISSION ST", unit="# 1", lat=37.75 + 8 * METRE),
        enriched_record("a", "5", "12", "MISSION ST", unit="APT 2", lat=37.75 + 2 * METRE),
        # Twin streets: N vs S with the same number, 30 m apart.
        enriched_record("a", "6", "12", "N MAIN ST", lat=37.76),
        enriched_record("b", "6", "12", "S MAIN ST", lat=37.76 + 30 * METRE),
        # The same text far away (another neighbourhood).
        enriched_record("b", "7", "12", "MISSION ST", lat=37.78),
    ]
    return enriched_frame(spark, rows).cache()


def _conflate(records):
    """Blocking to clusters, each stage materialised as the pipeline persists it."""
    pairs = block_candidate_pairs(records, BLOCKING).localCheckpoint()
    aliases = find_name_aliases(pairs, records, ALIASES, CLUSTERING).localCheckpoint()
    levels = compare_pairs(pairs, records, aliases, SCORING, CLUSTERING).localCheckpoint()
    random_levels = compare_pairs(
        sample_random_pairs(pairs, records, SCORING), records, aliases, SCORING, CLUSTERING
    )
    model = estimate_match_model(levels, random_levels, SCORING)
    scored = score_pairs(levels, model, SCORING).localCheckpoint()
    clusters = cluster_matches(records, scored, aliases, SCORING, CLUSTERING)
    return pairs, aliases, scored, clusters


@pytest.fixture(scope="module")
def clustered(records):
    pairs, aliases, scored, clusters = _conflate(records)
    assert aliases.count() == 0  # no street here goes by two names
    return pairs, scored, clusters, aliases


def _groups(clusters):
    by_cluster: dict[str, set[str]] = {}
    for row in clusters.collect():
        by_cluster.setdefault(row.cluster_key, set()).add(row.key.replace("\x1f", ":"))
    return sorted(sorted(members) for members in by_cluster.values())


def test_blocking_never_pairs_records_the_hard_rules_separate(clustered):
    pairs, _, _, _ = clustered
    keys = {(r.key_l, r.key_r) for r in pairs.collect()}
    assert all(left < right for left, right in keys)
    flat = {(left.replace("\x1f", ":"), right.replace("\x1f", ":")) for left, right in keys}
    assert ("a:1", "b:1") in flat
    assert ("a:4", "b:4") in flat
    assert not any({"a:4", "a:5"} == {left, right} for left, right in flat)  # units 1 vs 2
    assert not any("a:2" in pair for pair in flat)  # 14 has no partner


def test_clusters_merge_variants_and_keep_hard_negatives_apart(clustered):
    _, _, clusters, _ = clustered
    assert _groups(clusters) == [
        ["a:1", "b:1", "c:1"],
        ["a:2"],
        ["a:3"],
        ["a:4", "b:4"],
        ["a:5"],
        ["a:6"],
        ["b:6"],
        ["b:7"],
    ]


def test_survivorship_takes_agreed_values_with_provenance(records, clustered):
    _, scored, clusters, aliases = clustered
    addresses, lineage = choose_best_values(records, clusters, scored, aliases, CLUSTERING)
    rows = {r.sources and tuple(r.sources): r for r in addresses.collect()}
    mission = rows[("a", "b", "c")]
    assert (mission.house_number, mission.street, mission.postcode) == ("12", "MISSION ST", "94110")
    assert mission.provenance["street"] == "a"  # two sources agree on MISSION ST
    assert mission.provenance["geometry"] == "a"  # rooftop beats parcel and interpolated
    assert mission.geometry_accuracy == "rooftop"
    assert mission.source_count == 3
    assert 0 < mission.confidence <= 1
    assert addresses.select("address_id").distinct().count() == addresses.count()
    assert lineage.count() == records.count()
    # Two clusters with the same canonical text get distinct, stable ids.
    same_text = addresses.where(
        (F.col("street") == "MISSION ST") & (F.col("house_number") == "12") & F.col("unit").isNull()
    )
    ids = sorted(r.address_id for r in same_text.collect())
    assert len(ids) == 2 and ids[1].startswith(ids[0].split("-")[0])


def test_confidence_is_weakest_edge_times_no_missed_merge(spark, records, clustered):
    _, scored, clusters, aliases = clustered
    addresses, _ = choose_best_values(records, clusters, scored, aliases, CLUSTERING)
    by_key = {r.key: r.cluster_key for r in clusters.collect()}
    pairs = scored.select("key_l", "key_r", "match_probability").collect()
    for address in addresses.collect():
        inside = [
            p.match_probability
            for p in pairs
            if by_key[p.key_l] == by_key[p.key_r] == address.cluster_key
            and p.match_probability >= SCORING.match_threshold
        ]
        across = [
            p.match_probability
            for p in pairs
            if (by_key[p.key_l] == address.cluster_key) != (by_key[p.key_r] == address.cluster_key)
            and address.cluster_key in (by_key[p.key_l], by_key[p.key_r])
        ]
        expected = min(inside, default=1.0) * (1 - max(across, default=0.0))
        assert address.confidence == pytest.approx(expected)


def test_user_corrections_fix_and_suppress(spark, records, clustered):
    _, scored, clusters, aliases = clustered
    addresses, lineage = choose_best_values(records, clusters, scored, aliases, CLUSTERING)
    # Materialised, as the pipeline persists the node's outputs.
    addresses, lineage = addresses.localCheckpoint(), lineage.localCheckpoint()
    corrections = enriched_frame(
        spark,
        [
            enriched_record("users", "fix1", "12", "MISSION ST", lat=37.75 + 3 * METRE,
                            action="fix", fix_postcode="94103", dt=date(2026, 10, 2)),
            enriched_record("users", "gone", "14", "MISSION ST", lat=37.75 + 21 * METRE,
                            action="suppress"),
            enriched_record("users", "lost", "99", "NOWHERE ST", action="fix",
                            fix_street="SOMEWHERE ST"),
        ],
    )  # fmt: skip
    # The address the fix hits continues an earlier run's address: it keeps that id.
    twelve = addresses.where(F.col("house_number") == "12").first().address_id
    changed = spark.createDataFrame([(twelve, "kept-12")], "address_id string, stable_id string")
    fixed, kept_lineage, rejected = apply_user_corrections(
        addresses, lineage, changed, records.unionByName(corrections), CLUSTERING
    )
    mission = fixed.where(F.array_contains("sources", "users")).collect()
    assert len(mission) == 1
    assert mission[0].address_id == "kept-12"
    assert fixed.where(F.col("address_id") == twelve).count() == 0
    assert mission[0].postcode == "94103"
    assert mission[0].provenance["postcode"] == "user_correction"
    assert mission[0].provenance["street"] == "a"
    assert fixed.where(F.col("house_number") == "14").count() == 0
    reasons = {(r.source, r.source_record_id): r.reason for r in rejected.collect()}
    assert reasons == {
        ("a", "2"): "suppressed_by_user",
        ("users", "gone"): "suppressed_by_user",
        ("users", "lost"): "correction_target_not_found",
    }
    linked = {(r.source, r.source_record_id): r.address_id for r in kept_lineage.collect()}
    assert linked[("users", "fix1")] == "kept-12"
    assert ("a", "2") not in linked


def test_a_renamed_street_is_learned_as_an_alias_and_takes_the_common_name(spark):
    """ARMY ST became CESAR CHAVEZ ST; one source still uses the old name. Three house
    numbers seen under both names make the two names one street: its records merge,
    and the address takes the name most records use. A corner building with one number
    under two street names is not enough to make an alias."""
    rows = []
    for k, hn in enumerate(("100", "102", "104")):
        lat = 37.75 + 40 * k * METRE
        rows += [
            enriched_record("a", f"new{hn}", hn, "CESAR CHAVEZ ST", lat=lat),
            enriched_record("c", f"new{hn}", hn, "CESAR CHAVEZ ST", lat=lat - 4 * METRE),
            enriched_record("b", f"old{hn}", hn, "ARMY ST", lat=lat + 3 * METRE),
        ]
    # A corner: 300 OAK ST and 300 ELM ST share a building.
    rows += [
        enriched_record("a", "oak", "300", "OAK ST", lat=37.77),
        enriched_record("b", "elm", "300", "ELM ST", lat=37.77 + 2 * METRE),
    ]
    records = enriched_frame(spark, rows).cache()

    _, aliases, scored, clusters = _conflate(records)
    addresses, _ = choose_best_values(records, clusters, scored, aliases, CLUSTERING)

    assert {(r.field, r.name, r.alias) for r in aliases.collect()} == {
        ("street", "ARMY ST", "CESAR CHAVEZ ST"),
        ("street", "CESAR CHAVEZ ST", "ARMY ST"),
    }
    groups = _groups(clusters)
    for hn in ("100", "102", "104"):
        assert [f"a:new{hn}", f"b:old{hn}", f"c:new{hn}"] in groups
    assert ["a:oak"] in groups and ["b:elm"] in groups
    by_number = {r.house_number: r for r in addresses.collect()}
    assert by_number["100"].street == "CESAR CHAVEZ ST"
    assert by_number["100"].provenance["street"] == "a"


def test_records_without_a_point_are_conflated_on_their_text(spark):
    """A source that gave no point for an address: its record still joins the records
    that name the same address, which give the address its point; the same number and
    street in another postcode, also without a point, stays another address."""
    rows = [
        enriched_record("a", "1", "12", "MISSION ST", building_id="B1"),
        enriched_record("b", "1", "12", "MISSION ST", lat=37.75 + 6 * METRE, building_id="B1"),
        enriched_record("c", "1", "12", "MISSION ST", lat=None, lon=None),
        enriched_record("c", "2", "12", "MISSION ST", lat=None, lon=None, postcode="94014"),
        enriched_record("a", "3", "14", "MISSION ST", lat=37.75 + 20 * METRE),
    ]
    records = enriched_frame(spark, rows).cache()

    _, aliases, scored, clusters = _conflate(records)
    addresses, _ = choose_best_values(records, clusters, scored, aliases, CLUSTERING)

    assert _groups(clusters) == [["a:1", "b:1", "c:1"], ["a:3"], ["c:2"]]
    by_postcode = {(r.house_number, r.postcode): r for r in addresses.collect()}
    placed = by_postcode[("12", "94110")]
    assert (placed.lat, placed.geometry_accuracy) == (pytest.approx(37.75), "rooftop")
    assert placed.provenance["geometry"] == "a"
    unplaced = by_postcode[("12", "94014")]
    assert (unplaced.lat, unplaced.lon, unplaced.geometry_accuracy) == (None, None, None)
    assert "geometry" not in unplaced.provenance


def test_a_postcode_slip_on_the_same_street_and_town_is_a_level_of_its_own(spark):
    """A postcode one slip of the keys from the other's on the same street in the same
    town is weighed apart from a slip between neighbouring postcodes (another town, or
    another street): among different addresses it is rare, so a record without a point
    and with a mistyped postcode still joins its address."""
    rows = [
        enriched_record("a", "1", "12", "MISSION ST"),
        enriched_record("c", "1", "12", "MISSION ST", lat=None, lon=None, postcode="94101"),
        enriched_record(
            "c", "2", "12", "MISSION ST", lat=None, lon=None, postcode="94111", locality="DALY CITY"
        ),
    ]
    records = enriched_frame(spark, rows)
    pairs = block_candidate_pairs(records, BLOCKING)

    aliases = spark.createDataFrame([], ", ".join(f"{c} string" for c in ALIAS_COLUMNS))
    compared = compare_pairs(pairs, records, aliases, SCORING, CLUSTERING)

    postcode = next(c for c in SCORING.comparisons if c.name == "postcode")
    names = [level.name for level in postcode.levels]
    levels = {
        tuple(sorted((row.key_l, row.key_r))): names[row.level_postcode]
        for row in compared.collect()
    }
    key = {record: f"{record[0]}\x1f{record[2:]}" for record in ("a:1", "c:1", "c:2")}
    assert levels[tuple(sorted((key["a:1"], key["c:1"])))] == "one_edit_same_street"
    assert levels[tuple(sorted((key["a:1"], key["c:2"])))] == "one_edit"
    assert names.index("one_edit_same_street") < names.index("one_edit")


def test_a_slip_in_the_towns_name_is_a_level_of_its_own(spark):
    """A town's name one slip of the keys from the other's is weighed apart from
    another town."""
    rows = [
        enriched_record("a", "1", "12", "MISSION ST"),
        enriched_record("c", "1", "12", "MISSION ST", locality="SAN FRANSISCO"),
        enriched_record("c", "2", "12", "MISSION ST", locality="DALY CITY"),
    ]
    records = enriched_frame(spark, rows)
    aliases = spark.createDataFrame([], ", ".join(f"{c} string" for c in ALIAS_COLUMNS))

    compared = compare_pairs(
        block_candidate_pairs(records, BLOCKING), records, aliases, SCORING, CLUSTERING
    )

    locality = next(c for c in SCORING.comparisons if c.name == "locality")
    names = [level.name for level in locality.levels]
    levels = {
        frozenset((row.key_l, row.key_r)): names[row.level_locality] for row in compared.collect()
    }
    a1, c1, c2 = (f"{source}\x1f{number}" for source, number in (("a", 1), ("c", 1), ("c", 2)))
    assert levels[frozenset((a1, c1))] == "one_edit"
    assert levels[frozenset((a1, c2))] == "different"


def test_random_pairs_are_sampled_only_when_em_can_use_them(records, clustered):
    pairs = clustered[0]
    enough = SCORING.estimation.model_copy(update={"min_pairs": pairs.count()})
    too_many = SCORING.estimation.model_copy(update={"min_pairs": pairs.count() + 1})
    off = SCORING.estimation.model_copy(update={"enabled": False})

    def sampled(estimation):
        scoring = SCORING.model_copy(update={"estimation": estimation})
        return sample_random_pairs(pairs, records, scoring)

    assert sampled(enough).count() > 0
    # Fewer candidate pairs than EM needs, or no EM: the prior model is used, u unread.
    assert sampled(too_many).count() == 0
    assert sampled(off).count() == 0
    assert sampled(off).columns == ["key_l", "key_r"]


def test_comparing_no_pairs_gives_the_comparison_schema_without_reading_records(records, clustered):
    pairs, _, _, aliases = clustered
    compared = compare_pairs(pairs, records, aliases, SCORING, CLUSTERING)
    nothing = compare_pairs(pairs.limit(0), records, aliases, SCORING, CLUSTERING)
    assert nothing.schema == compared.schema
    assert nothing.count() == 0
    # The empty result is a plan over no relation at all: no scan, join or Python UDF.
    plan = nothing._jdf.queryExecution().optimizedPlan().toString()
    assert "LocalRelation" in plan and "Join" not in plan and "ArrowEvalPython" not in plan


def test_two_streets_are_not_joined_through_a_record_that_matches_both(spark):
    """17 CHESTNUT AVE and 17 ELDER GROVE, 350 m apart in different postcodes, never
    share a block; a record without a street matches both. The third pair is judged
    by the hard rules all the same: the weaker edge goes, and two addresses stay two.
    Under names the records learned as aliases, the same triangle holds together."""
    rows = [
        enriched_record("a", "1", "17", "CHESTNUT AVE", postcode="94110"),
        enriched_record("b", "1", "17", "ELDER GROVE", postcode="94112", lat=37.75 + 350 * METRE),
        enriched_record("c", "1", "17", None, lat=37.75 + 175 * METRE),
    ]
    records = enriched_frame(spark, rows)
    key = {r: f"{r[0]}\x1f1" for r in "abc"}
    scored = spark.createDataFrame(
        [(key["a"], key["c"], 0.9), (key["b"], key["c"], 0.8)],
        "key_l string, key_r string, match_probability double",
    )
    no_aliases = spark.createDataFrame(
        [], "iso_3166_2 string, field string, name string, alias string"
    )
    clusters = cluster_matches(records, scored, no_aliases, SCORING, CLUSTERING)
    assert _groups(clusters) == [["a:1", "c:1"], ["b:1"]]

    aliases = spark.createDataFrame(
        [
            ("US-CA", "street", "CHESTNUT AVE", "ELDER GROVE"),
            ("US-CA", "street", "ELDER GROVE", "CHESTNUT AVE"),
        ],
        "iso_3166_2 string, field string, name string, alias string",
    )
    clusters = cluster_matches(records, scored, aliases, SCORING, CLUSTERING)
    assert _groups(clusters) == [["a:1", "b:1", "c:1"]]


HOTSPOT_HUGE_METHOD_BYTES = 8000
"""HotSpot leaves a method of more bytecode than this to its interpreter
(`-XX:+DontCompileHugeMethods`, the default)."""


def test_the_shipped_levels_generate_code_the_jvm_compiles(spark):
    # Spark compiles the levels and hard rules of a pair into one generated method per
    # stage; past HotSpot's limit it runs interpreted, several times slower, on every
    # candidate pair.
    records = enriched_frame(
        spark,
        [enriched_record(s, str(i), str(10 + i), "MISSION ST") for s in "ab" for i in range(3)],
    )
    keys = records.select(record_key().alias("key"))
    pairs = (
        keys.alias("l")
        .join(keys.alias("r"), F.col("l.key") < F.col("r.key"))
        .select(F.col("l.key").alias("key_l"), F.col("r.key").alias("key_r"))
    )
    aliases = spark.createDataFrame([], ", ".join(f"{c} string" for c in ALIAS_COLUMNS))
    # The tests' session generates no code (`tests/conftest.py`): this test does.
    codegen = {"spark.sql.codegen.wholeStage": "true", "spark.sql.codegen.factoryMode": "FALLBACK"}
    previous = {name: spark.conf.get(name) for name in codegen}
    for name, value in codegen.items():
        spark.conf.set(name, value)
    try:
        compared = compare_pairs(pairs, records, aliases, SCORING, CLUSTERING)
        plan = compared._jdf.queryExecution().executedPlan()
        debug = spark._jvm.org.apache.spark.sql.execution.debug.package
        stages = debug.codegenStringSeq(plan)
        sizes = [stages.apply(i)._3().maxMethodCodeSize() for i in range(stages.size())]
    finally:
        for name, value in previous.items():
            spark.conf.set(name, value)

    assert sizes, "the comparison's plan has generated stages"
    assert max(sizes) <= HOTSPOT_HUGE_METHOD_BYTES, (
        f"a generated method of the comparison has {max(sizes)} bytes of bytecode: "
        "move what a condition computes per record into derived_pair_columns"
    )


def test_a_street_written_with_its_title_spelled_out_is_the_same_street(spark):
    """SAINT MARY'S ROAD and ST MARYS ROAD, the same number at the same point, are one
    address: the spelling of a title word or an apostrophe is no other street (the
    street hard rule reads the names' comparison keys). A record of ST JOHN'S ROAD,
    the same number beside them, stays another address."""

    def british(source, street, lat):
        parts = normalize_street(street, "GB")
        return enriched_record(
            source,
            "1",
            "12",
            parts.street,
            lat=lat,
            locality="EXAMPLETOWN",
            postcode="AB1 2CD",
            iso_3166_1="GB",
            iso_3166_2="GB-ENG",
            street_base=parts.base,
            street_type=None,
            street_phonetic=parts.phonetic,
        )

    records = enriched_frame(
        spark,
        [
            british("a", "Saint Mary's Road", 51.5),
            british("b", "St Marys Rd", 51.5 + 5 * METRE),
            british("c", "St John's Road", 51.5 + 10 * METRE),
        ],
    )
    _, _, _, clusters = _conflate(records)
    assert _groups(clusters) == [["a:1", "b:1"], ["c:1"]]
