"""Where a street ends and its locality begins, when the line does not say.

An address written without commas runs its street into its localities, and a parser
that cuts them where a street's type ends cannot cut a street without a type: "12
LONG ACRE EXAMPLETOWN" reads as LONG with the locality "ACRE EXAMPLETOWN", "123
BROADWAY SAN FRANCISCO CA" as the street BROADWAY SAN FRANCISCO with no locality.
The region's other records say where the cut is: they write the street (LONG ACRE,
BROADWAY) and the places (EXAMPLETOWN, SAN FRANCISCO) on their own.

A record's street and locality are read again as one run of words when

- its locality is not the region's places (a town at least `TOWN_MIN_RECORDS`
  records write on its own, alone or after a place some record writes on its own:
  "NORTHSIDE EXAMPLETOWN"), or
- its street ends with a place some record writes on its own ("12 HIGH STREET
  GREEN END EXAMPLETOWN" reads as the street HIGH STREET GREEN END, since END is a
  thoroughfare's type too),

and the run is cut where the words before are a street at least
`STREET_MIN_RECORDS` records of the region write and the words after end with a
town (a place before it that no record writes alone stays with the locality, as the
parser leaves it). Of several such cuts the longest street is taken. A record the
parser gave no street is read so too ("APARTMENT 11 MCKENZIE MILL AKHTAR LEYS
EXAMPLETOWN": a building's name, then words the line does not say are a street).

A street that is two of the region's streets one after the other ("14 AKHTAR LEYS
WHITE ROAD EXAMPLETOWN") is a street and the thoroughfare it leads off, run
together where the first has no type: the number is on the first, as a line with
commas, or a first street with a type, shows.

A record whose words cut nowhere like that keeps them as they are.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from geodata.address.street import normalize_street
from geodata.checkpoints import checkpointed
from geodata.conflation.localities import TOWN_MIN_RECORDS

STREET_MIN_RECORDS = 2
"""Records of the region that must write a street for a cut to end there."""

STREET_END_EVIDENCE = ("iso_3166_2", "street", "locality")
"""The columns `street_ends` reads."""

STREET_KEYS = ("street", "street_base", "street_type", "street_dir", "street_phonetic")
"""The columns a new street sets (`normalize_street`)."""

_ENDS_SCHEMA = (
    "iso_3166_2 string, street string, locality string, _locality string, "
    "_street string, _street_base string, _street_type string, _street_dir string, "
    "_street_phonetic string"
)


def _words(column: str) -> Column:
    return F.split(F.col(column), " ")


def _cut_at(words: Column, k: Column) -> tuple[Column, Column]:
    """The first `k` of `words` and the rest, each joined with spaces."""
    before = F.array_join(F.slice(words, F.lit(1), k), " ")
    after = F.array_join(F.slice(words, k + 1, F.size(words) - k), " ")
    return before, after


def _before_towns(values: DataFrame, column: str, localities: DataFrame) -> DataFrame:
    """`iso_3166_2`, `column`, `_place`: each way a value of `column` ends with a town (a
    locality at least `TOWN_MIN_RECORDS` records write alone), with the words before it
    (null for none).

    Args:
        values: `iso_3166_2` and the distinct values of `column` to read.
        column: The column holding the values.
        localities: `iso_3166_2`, `locality`, `_n` (records writing it), one row per
            value the region's records write.
    """
    towns = localities.where(F.col("_n") >= TOWN_MIN_RECORDS).select(
        "iso_3166_2", F.col("locality").alias("_town")
    )
    words = _words(column)
    before, after = _cut_at(F.col("_words"), F.col("_k"))
    return (
        values.select(
            "iso_3166_2",
            column,
            words.alias("_words"),
            F.explode(F.sequence(F.lit(0), F.size(words) - 1)).alias("_k"),
        )
        .select(
            "iso_3166_2",
            column,
            F.when(F.col("_k") > 0, before).alias("_place"),
            after.alias("_town"),
        )
        .join(F.broadcast(towns), ["iso_3166_2", "_town"], "left_semi")
    )


def _placed(localities: DataFrame) -> DataFrame:
    """`iso_3166_2`, `locality`: the locality values that are the region's places, a
    town alone or after a place some record writes on its own ("NORTHSIDE EXAMPLETOWN").

    Args:
        localities: `iso_3166_2`, `locality`, `_n` (records writing it), one row per
            value the region's records write.
    """
    places = localities.select("iso_3166_2", F.col("locality").alias("_place"))
    after_town = _before_towns(localities.select("iso_3166_2", "locality"), "locality", localities)
    alone = after_town.where(F.col("_place").isNull())
    after_place = after_town.join(F.broadcast(places), ["iso_3166_2", "_place"], "left_semi")
    return alone.unionByName(after_place).select("iso_3166_2", "locality").distinct()


def street_ends(records: DataFrame) -> DataFrame:
    """The street and locality values to cut again, with the new street's keys.

    Args:
        records: Canonical records, or just their `STREET_END_EVIDENCE`.

    Returns:
        `iso_3166_2`, `street`, `locality` (as written; null for none), `_locality`
        and `_street`, `_street_base`, `_street_type`, `_street_dir`,
        `_street_phonetic` (`normalize_street` of the new street, in the region's
        country): one row per value that changes (few: values, not records).
    """
    combos = (
        records.where(
            F.col("iso_3166_2").isNotNull()
            & (F.col("street").isNotNull() | F.col("locality").isNotNull())
        )
        .groupBy(*STREET_END_EVIDENCE)
        .agg(F.count("*").alias("_n"))
        .transform(checkpointed)
    )
    streets = (
        combos.where(F.col("street").isNotNull())
        .groupBy("iso_3166_2", "street")
        .agg(F.sum("_n").alias("_n"))
        .where(F.col("_n") >= STREET_MIN_RECORDS)
        .select("iso_3166_2", F.col("street").alias("_street"))
    )
    localities = (
        combos.where(F.col("locality").isNotNull())
        .groupBy("iso_3166_2", "locality")
        .agg(F.sum("_n").alias("_n"))
        .transform(checkpointed)
    )
    placed = _placed(localities)
    written_places = localities.select("iso_3166_2", F.col("locality").alias("_place"))

    # Values whose locality is not the region's places (with a street or without one),
    # and streets that end with a place.
    unplaced = combos.where(F.col("locality").isNotNull()).join(
        F.broadcast(placed), ["iso_3166_2", "locality"], "left_anti"
    )
    street_words = _words("street")
    street_halves = combos.where(F.size(street_words) >= 2).select(
        *STREET_END_EVIDENCE,
        street_words.alias("_words"),
        F.explode(F.sequence(F.lit(1), F.size(street_words) - 1)).alias("_k"),
    )
    first, rest = _cut_at(F.col("_words"), F.col("_k"))
    run_on = (
        street_halves.select(*STREET_END_EVIDENCE, rest.alias("_place"))
        .join(F.broadcast(written_places), ["iso_3166_2", "_place"], "left_semi")
        .select(*STREET_END_EVIDENCE)
    )
    candidates = unplaced.select(*STREET_END_EVIDENCE).unionByName(run_on).distinct()
    no_words = F.array().cast("array<string>")
    words = F.concat(
        F.coalesce(_words("street"), no_words), F.coalesce(_words("locality"), no_words)
    )
    cuts = candidates.select(
        *STREET_END_EVIDENCE,
        words.alias("_words"),
        F.explode(F.sequence(F.lit(1), F.size(words) - 1)).alias("_k"),
    ).select(*STREET_END_EVIDENCE, "_k", first.alias("_street"), rest.alias("_locality"))
    on_streets = cuts.where(~F.col("_street").eqNullSafe(F.col("street"))).join(
        streets, ["iso_3166_2", "_street"], "left_semi"
    )
    # The words after the street end with a town ("MOOREBOROUGH ANDREWSTON": a place
    # before it that no record writes alone stays, as the parser leaves it).
    placed_after = (
        _before_towns(
            on_streets.select("iso_3166_2", "_locality").distinct(), "_locality", localities
        )
        .select("iso_3166_2", "_locality")
        .distinct()
    )
    # A street and the thoroughfare it leads off, run together ("14 AKHTAR LEYS WHITE
    # ROAD EXAMPLETOWN", the first without a type): the number is the first's, as a
    # line that shows where the first ends reads it.
    two_streets = (
        street_halves.select(
            *STREET_END_EVIDENCE, "_k", first.alias("_street"), rest.alias("_parent")
        )
        .join(streets, ["iso_3166_2", "_street"], "left_semi")
        .join(
            streets.withColumnRenamed("_street", "_parent"), ["iso_3166_2", "_parent"], "left_semi"
        )
        .select(
            *STREET_END_EVIDENCE,
            F.struct(F.lit(0), "_k").alias("_rank"),  # after every cut
            "_street",
            F.col("locality").alias("_locality"),
        )
    )
    chosen = (
        on_streets.join(placed_after, ["iso_3166_2", "_locality"], "left_semi")
        .select(
            *STREET_END_EVIDENCE,
            F.struct(F.lit(1), "_k").alias("_rank"),  # the longest street
            "_street",
            "_locality",
        )
        .unionByName(two_streets)
        .groupBy(*STREET_END_EVIDENCE)
        .agg(F.max_by(F.struct("_street", "_locality"), "_rank").alias("_cut"))
        .select(*STREET_END_EVIDENCE, "_cut._street", "_cut._locality")
    )
    return chosen.mapInPandas(_with_street_keys, _ENDS_SCHEMA)


def set_street_keys(out: pd.DataFrame, streets: pd.Series, regions: pd.Series) -> None:
    """Set `_street`, `_street_base`, ... (`STREET_KEYS`, prefixed) of `out` to the keys
    `normalize_street` gives each street in its region's country."""
    keys = [
        normalize_street(street, region.split("-")[0])
        for street, region in zip(streets, regions, strict=True)
    ]
    for name, field in zip(
        STREET_KEYS, ("street", "base", "street_type", "directional", "phonetic"), strict=True
    ):
        out[f"_{name}"] = [getattr(key, field) if key else None for key in keys]


def replaced_where(
    joined: DataFrame, columns: list[str], found: Column, changed: dict[str, Column]
) -> DataFrame:
    """The `columns` of `joined` (a `_record` alias joined to a correction), each in
    `changed` replaced by its new value on the rows where the correction `found` one."""
    return joined.select(
        *[
            F.when(found, changed[name]).otherwise(F.col(f"_record.{name}")).alias(name)
            if name in changed
            else F.col(f"_record.{name}")
            for name in columns
        ]
    )


def _with_street_keys(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """`mapInPandas` body: each new street with the keys `normalize_street` gives it."""
    for frame in frames:
        out = frame[[*STREET_END_EVIDENCE, "_locality"]].copy()
        set_street_keys(out, frame["_street"], frame["iso_3166_2"])
        yield out


def with_street_ends(records: DataFrame, ends: DataFrame) -> DataFrame:
    """`records` whose street and locality `street_ends` cuts again, cut there.

    Args:
        records: Canonical records (`iso_3166_2`, `street`, `locality` and whichever
            of the street's keys they carry).
        ends: `street_ends` of the records (broadcast: one row per value changed).

    Returns:
        The same rows and columns.
    """
    end = F.broadcast(ends).alias("_end")
    joined = records.alias("_record").join(
        end,
        (F.col("_record.iso_3166_2") == F.col("_end.iso_3166_2"))
        & F.col("_record.street").eqNullSafe(F.col("_end.street"))
        & F.col("_record.locality").eqNullSafe(F.col("_end.locality")),
        "left",
    )
    changed = {"locality": F.col("_end._locality")} | {
        name: F.col(f"_end._{name}") for name in STREET_KEYS
    }
    return replaced_where(joined, records.columns, F.col("_end._street").isNotNull(), changed)
