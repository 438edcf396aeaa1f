"""A house named before its street with no comma between: "OAKLANDS FIR LANE EXAMPLETOWN".

A British house may have a name and no number (the Postcode Address File's building
name: "OAKLANDS, FIR LANE"). Written without commas, a name that holds no building
word ("COTTAGE", "HOUSE") runs into the street, and the line alone cannot tell the
house "OAKLANDS" on FIR LANE from a street named "OAKLANDS FIR LANE" (streets have
such names: "UPPER HIGH STREET", "GREAT NORTH ROAD"). The record then has a street
no other record writes and no number: it can match nothing. The region's other
records settle it:

- a British record without a house number whose street is one to three words of a
  name followed by a street of the region (a street at least `STREET_MIN_RECORDS`
  records write, and more records than write the whole), is that street, and the
  words before it are the house's name: its premise, as "OAKLANDS, FIR LANE" reads;
- never where those words are a thoroughfare's type, a unit's designator, or one
  word that qualifies a street ("UPPER", "OLD", "NORTH": "UPPER HIGH STREET" stays);
- of several such streets, the longest.

A record with a number keeps its street ("1 OAKLANDS FIR LANE" may be flat 1 of the
house or number 1 of the street): only an address that could match nothing is read
again. The premise may then take the building's number other records give beside
the name (`geodata.conflation.named_buildings`, which runs after this).
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from geodata.address.house_number import normalize_house_number
from geodata.address.tables import GB_COMPASS_WORDS, GB_THOROUGHFARE_TYPES, UNIT_DESIGNATORS
from geodata.conflation.blocking import is_cluster_member
from geodata.conflation.street_ends import (
    STREET_KEYS,
    STREET_MIN_RECORDS,
    replaced_where,
    set_street_keys,
)

PREMISE_EVIDENCE = ("iso_3166_2", "street", "house_number", "action")
"""The columns `premise_streets` reads."""

MAX_NAME_WORDS = 3
"""Most words a house's name before its street may have."""

_QUALIFIERS = (
    GB_COMPASS_WORDS
    | {"UPPER", "LOWER", "OLD", "NEW", "LITTLE", "GREAT"}
    | {
        "ST",
        "SAINT",
        "THE",
    }
)
"""Words that alone make a street another street ("UPPER HIGH STREET")."""

_NOT_IN_NAMES = sorted(GB_THOROUGHFARE_TYPES | frozenset(UNIT_DESIGNATORS))
"""Words a house's name before its street never holds here: the parser reads them."""

_PREMISES_SCHEMA = (
    "iso_3166_2 string, street string, _house_number string, _hn_suffix string, "
    "_street string, _street_base string, _street_type string, _street_dir string, "
    "_street_phonetic string"
)


def premise_streets(records: DataFrame) -> DataFrame:
    """The British streets that begin with a house's name, with the name and the street.

    Args:
        records: Canonical records, or just their `PREMISE_EVIDENCE`.

    Returns:
        `iso_3166_2`, `street` (as written), `_house_number` and `_hn_suffix` (the
        premise, as a house number without a digit is written), and `_street`,
        `_street_base`, `_street_type`, `_street_dir`, `_street_phonetic` of the
        street (`normalize_street`): one row per street value read again (few).
    """
    written = (
        records.where(
            is_cluster_member()
            & F.col("iso_3166_2").startswith("GB-")
            & F.col("street").isNotNull()
        )
        .groupBy("iso_3166_2", "street")
        .agg(
            F.count("*").alias("_n"),
            F.max(F.col("house_number").isNull()).alias("_unnumbered"),
        )
    )
    streets = written.where(F.col("_n") >= STREET_MIN_RECORDS).select(
        "iso_3166_2", F.col("street").alias("_street"), F.col("_n").alias("_street_n")
    )
    words = F.split(F.col("street"), " ")
    cuts = (
        written.where(F.col("_unnumbered") & (F.size(words) >= 3))
        .select(
            "iso_3166_2",
            "street",
            "_n",
            words.alias("_words"),
            F.explode(
                F.sequence(F.lit(1), F.least(F.lit(MAX_NAME_WORDS), F.size(words) - 2))
            ).alias("_k"),
        )
        .select(
            "iso_3166_2",
            "street",
            "_n",
            "_k",
            F.slice("_words", 1, F.col("_k")).alias("_name"),
            F.array_join(
                F.slice("_words", F.col("_k") + 1, F.size("_words") - F.col("_k")), " "
            ).alias("_street"),
        )
    )
    excluded = F.array(*[F.lit(word) for word in _NOT_IN_NAMES])
    is_name = (
        F.forall("_name", lambda word: word.rlike("^[A-Z]+$"))
        & (F.size(F.array_intersect("_name", excluded)) == 0)
        & ~((F.size("_name") == 1) & F.col("_name")[0].isin(*sorted(_QUALIFIERS)))
    )
    chosen = (
        cuts.where(is_name)
        .join(streets, ["iso_3166_2", "_street"])
        .where(F.col("_street_n") > F.col("_n"))
        .groupBy("iso_3166_2", "street")
        # The longest street: the fewest words before it.
        .agg(F.min_by(F.struct("_name", "_street"), "_k").alias("_cut"))
        .select(
            "iso_3166_2",
            "street",
            F.array_join("_cut._name", " ").alias("_premise"),
            "_cut._street",
        )
    )
    return chosen.mapInPandas(_with_keys, _PREMISES_SCHEMA)


def _with_keys(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """`mapInPandas` body: the premise as a house number and the street's keys."""
    for frame in frames:
        premises = [normalize_house_number(name) for name in frame["_premise"]]
        out = frame[["iso_3166_2", "street"]].copy()
        out["_house_number"] = [premise.display if premise else None for premise in premises]
        out["_hn_suffix"] = [premise.suffix if premise else None for premise in premises]
        set_street_keys(out, frame["_street"], frame["iso_3166_2"])
        yield out


def with_premise_streets(records: DataFrame, premises: DataFrame) -> DataFrame:
    """`records` without a house number whose street `premises` (`premise_streets`)
    reads again: the premise as their house number, the street after it as theirs.

    Args:
        records: Canonical records (`iso_3166_2`, `street`, `house_number`,
            `hn_suffix` and whichever of the street's keys they carry).
        premises: `premise_streets` of the records (broadcast: one row per street).

    Returns:
        The same rows and columns.
    """
    premise = F.broadcast(premises).alias("_premise")
    joined = records.alias("_record").join(
        premise,
        (F.col("_record.iso_3166_2") == F.col("_premise.iso_3166_2"))
        & (F.col("_record.street") == F.col("_premise.street"))
        & F.col("_record.house_number").isNull(),
        "left",
    )
    changed = {
        "house_number": F.col("_premise._house_number"),
        "hn_suffix": F.col("_premise._hn_suffix"),
    } | {name: F.col(f"_premise._{name}") for name in STREET_KEYS}
    return replaced_where(joined, records.columns, F.col("_premise._street").isNotNull(), changed)
