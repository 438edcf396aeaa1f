"""Name aliases: learned only from enough co-located evidence; ambiguous names stay."""

from __future__ import annotations

from geodata.address.street import normalize_street
from geodata.conflation.aliases import (
    ALIAS_EVIDENCE_COLUMNS,
    AliasParams,
    alias_evidence,
    bilingual_street_names,
    learn_locality_aliases,
    learn_street_aliases,
    preferred_names,
    with_name_aliases,
)

PARAMS = AliasParams()
PAIRS = (
    "iso_3166_2_l string, iso_3166_2_r string, hn_int_l long, hn_int_r long, "
    "hn_suffix_l string, hn_suffix_r string, unit_id_l string, unit_id_r string, "
    "street_l string, street_r string, street_phonetic_l string, street_phonetic_r string, "
    "locality_l string, locality_r string, "
    "tolerance_m_l double, tolerance_m_r double, distance_ratio double, "
    "building_id_l string, building_id_r string, parcel_id_l string, parcel_id_r string"
)


def _pair(hn, street_l, street_r, *, locality=("SAN FRANCISCO", "SAN FRANCISCO"), ratio=0.1,
          tolerance=(10.0, 35.0), parcels=(None, None), phonetic=(None, None)):  # fmt: skip
    return ("US-CA", "US-CA", hn, hn, None, None, None, None, street_l, street_r, *phonetic,
            *locality, *tolerance, ratio, None, None, *parcels)  # fmt: skip


def _names(frame, field):
    return {(r.name, r.alias) for r in frame.where(frame.field == field).collect()}


def test_street_aliases_need_several_close_house_numbers(spark):
    pairs = [
        # Renamed: three numbers, each close (or in one parcel) under both names.
        *[_pair(hn, "ARMY ST", "CESAR CHAVEZ ST") for hn in (100, 102)],
        _pair(104, "ARMY ST", "CESAR CHAVEZ ST", ratio=0.7, parcels=("P104", "P104")),
        # A corner: one number under two names.
        _pair(300, "OAK ST", "ELM ST"),
        # Parallel streets numbered alike: three back-to-back lots close, seven a block
        # apart; back-to-back lots are in different parcels.
        *[_pair(hn, "1ST AVE", "2ND AVE", parcels=(f"A{hn}", f"B{hn}")) for hn in (10, 12, 14)],
        *[_pair(hn, "1ST AVE", "2ND AVE", ratio=2.5) for hn in range(20, 34, 2)],
        # Close, but one point is interpolated (60 m): not precise enough.
        *[_pair(hn, "PINE ST", "FIR ST", tolerance=(60.0, 10.0)) for hn in (1, 3, 5)],
    ]

    found = learn_street_aliases(spark.createDataFrame(pairs, PAIRS), PARAMS)

    assert _names(found, "street") == {
        ("ARMY ST", "CESAR CHAVEZ ST"),
        ("CESAR CHAVEZ ST", "ARMY ST"),
    }


def test_locality_aliases_need_most_of_a_names_disagreements(spark):
    def at(hn, left, right):
        return _pair(hn, "MAIN ST", "MAIN ST", locality=(left, right), tolerance=(10.0, 60.0))

    pairs = [
        *[at(hn, "NOE VALLEY", "SAN FRANCISCO") for hn in range(1, 7)],
        # A vendor's occasional wrong town: DALY CITY meets SAN FRANCISCO twice, BRISBANE six times.
        *[at(hn, "DALY CITY", "SAN FRANCISCO") for hn in (40, 42)],
        *[at(hn, "DALY CITY", "BRISBANE") for hn in range(50, 62, 2)],
    ]

    found = learn_locality_aliases(spark.createDataFrame(pairs, PAIRS), PARAMS)

    # BRISBANE meets only DALY CITY, so BRISBANE -> DALY CITY qualifies, and both orders
    # are kept; DALY CITY and SAN FRANCISCO meet too rarely.
    assert _names(found, "locality") == {
        ("NOE VALLEY", "SAN FRANCISCO"),
        ("SAN FRANCISCO", "NOE VALLEY"),
        ("BRISBANE", "DALY CITY"),
        ("DALY CITY", "BRISBANE"),
    }


def test_a_towns_two_names_are_learned_from_a_streets_two_names(spark):
    # Bilingual records name the street and the town in one language: the Swedish
    # street name comes with the Swedish town name. The street's two names share a key.
    key = ("RNKL POLKU", "RNKL POLKU")
    towns = ("HELSINKI", "HELSINGFORS")
    pairs = [
        _pair(hn, "RUNOKYLÄNPOLKU", "RUNOKYLÄSTIGEN", locality=towns, phonetic=key)
        for hn in range(1, 7)
    ]
    # Names of other streets that only sound alike are no evidence.
    pairs += [
        _pair(hn, "SMITH ST", "SMYTH ST", locality=("OAKLAND", "ALAMEDA"), phonetic=("SM0", "SM0"))
        for hn in range(1, 7)
    ]

    found = learn_locality_aliases(spark.createDataFrame(pairs, PAIRS), PARAMS)

    assert _names(found, "locality") == {
        ("HELSINKI", "HELSINGFORS"),
        ("HELSINGFORS", "HELSINKI"),
    }


def test_alias_evidence_keeps_every_pair_a_learner_counts_and_drops_the_rest(spark):
    def at(hn, left, right):
        return _pair(hn, "MAIN ST", "MAIN ST", locality=(left, right), tolerance=(10.0, 60.0))

    agreeing = [_pair(hn, "OAK ST", "OAK ST") for hn in (1, 3, 5)]
    other_unit = list(_pair(7, "ARMY ST", "CESAR CHAVEZ ST"))
    other_unit[6:8] = ["1", "2"]  # units 1 and 2: two addresses
    showing = [
        *[_pair(hn, "ARMY ST", "CESAR CHAVEZ ST") for hn in (100, 102, 104)],
        *[at(hn, "NOE VALLEY", "SAN FRANCISCO") for hn in range(1, 7)],
    ]
    pairs = spark.createDataFrame([*agreeing, tuple(other_unit), *showing], PAIRS)

    evidence = alias_evidence(pairs)

    assert tuple(evidence.columns) == ALIAS_EVIDENCE_COLUMNS
    assert evidence.count() == len(showing)
    for learn, field in ((learn_street_aliases, "street"), (learn_locality_aliases, "locality")):
        learned = _names(learn(evidence, PARAMS), field)
        assert learned and learned == _names(learn(pairs, PARAMS), field)


def test_preferred_names_skip_ambiguous_ones(spark):
    aliases = spark.createDataFrame(
        [
            ("US-CA", "street", "LINDEN AVE", "N LINDEN AVE"),
            ("US-CA", "street", "N LINDEN AVE", "LINDEN AVE"),
            ("US-CA", "street", "LINDEN AVE", "S LINDEN AVE"),
            ("US-CA", "street", "S LINDEN AVE", "LINDEN AVE"),
            ("US-CA", "street", "ARMY ST", "CESAR CHAVEZ ST"),
            ("US-CA", "street", "CESAR CHAVEZ ST", "ARMY ST"),
        ],
        "iso_3166_2 string, field string, name string, alias string",
    )
    streets = ["LINDEN AVE"] * 2 + ["N LINDEN AVE"] * 5 + ["S LINDEN AVE"] * 4
    streets += ["ARMY ST"] * 3 + ["CESAR CHAVEZ ST"] * 9
    records = spark.createDataFrame(
        [("US-CA", s) for s in streets], "iso_3166_2 string, street string"
    )

    found = {
        (r.name, r.preferred) for r in preferred_names(aliases, records, ("street",)).collect()
    }

    assert found == {("ARMY ST", "CESAR CHAVEZ ST")}


def test_pairs_are_flagged_by_field(spark):
    aliases = spark.createDataFrame(
        [("US-CA", "locality", "SSF", "SOUTH SAN FRANCISCO")],
        "iso_3166_2 string, field string, name string, alias string",
    )
    pairs = spark.createDataFrame(
        [
            _pair(1, "A ST", "A ST", locality=("SSF", "SOUTH SAN FRANCISCO")),
            _pair(2, "SSF", "SOUTH SAN FRANCISCO", locality=("X", "Y")),
        ],
        PAIRS,
    )

    rows = with_name_aliases(pairs, aliases, ("street", "locality")).orderBy("hn_int_l").collect()

    assert [(r.street_alias, r.locality_alias) for r in rows] == [(False, True), (False, False)]
    # Each side's alias, for comparing a name with the other side's alias.
    assert [(r.locality_other_l, r.locality_other_r) for r in rows] == [
        ("SOUTH SAN FRANCISCO", None),
        (None, None),
    ]


def _named(spark, rows):
    return spark.createDataFrame(
        [(c, r, s, k) for c, r, s, k, n in rows for _ in range(n)],
        "iso_3166_1 string, iso_3166_2 string, street string, street_phonetic string",
    )


def test_a_finnish_streets_less_used_name_of_the_other_language_takes_the_more_used(spark):
    def fi(name):
        return normalize_street(name, "FI").phonetic

    rows = [
        ("FI", "FI-18", "RUNOKYLÄNPOLKU", fi("RUNOKYLÄNPOLKU"), 5),
        ("FI", "FI-18", "RUNOKYLÄSTIGEN", fi("RUNOKYLÄSTIGEN"), 2),
        # The Swedish name used more: the Finnish one takes it.
        ("FI", "FI-18", "ANNANKATU", fi("ANNANKATU"), 1),
        ("FI", "FI-18", "ANNAGATAN", fi("ANNAGATAN"), 3),
        # Two Finnish names of one key are two streets.
        ("FI", "FI-18", "KALEVANKATU", "KLF KATU", 4),
        ("FI", "FI-18", "KALEVINKATU", "KLF KATU", 1),
        # Equal use: neither is preferred.
        ("FI", "FI-18", "MANNERHEIMINTIE", fi("MANNERHEIMINTIE"), 2),
        ("FI", "FI-18", "MANNERHEIMVÄGEN", fi("MANNERHEIMVÄGEN"), 2),
    ]
    assert fi("RUNOKYLÄNPOLKU") == fi("RUNOKYLÄSTIGEN")
    renames = {
        (r.name, r.preferred)
        for r in bilingual_street_names(_named(spark, rows)).collect()
        if r.field == "street"
    }
    assert renames == {("RUNOKYLÄSTIGEN", "RUNOKYLÄNPOLKU"), ("ANNANKATU", "ANNAGATAN")}
