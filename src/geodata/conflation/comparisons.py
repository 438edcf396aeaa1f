"""Comparisons declared as data, turned into Spark expressions by one engine.

A comparison is an ordered list of levels; each level is a Spark SQL condition
over the pair's columns (`<column>_l`, `<column>_r`) with the probabilities
m = P(level | same address) and u = P(level | different addresses). The first
level whose condition holds applies; its Fellegi-Sunter weight is log2(m/u)
(Fellegi & Sunter, "A Theory for Record Linkage", JASA 1969). A level with
`condition: null` is the "else" level. Hard rules are conditions that, when
they hold, make a pair a non-match whatever its score (facts such as "different
non-empty units are different addresses").
"""

from __future__ import annotations

import math
from functools import reduce

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from geodata.conflation.blocking import is_cluster_member
from geodata.conflation.chaining import distance_m
from geodata.conflation.estimation import (
    MODEL_COLUMNS,
    EstimationParams,
    fit_fellegi_sunter,
    level_frequencies,
)
from geodata.conflation.similarity import Similarity, with_similarities
from geodata.schemas import record_key

PAIR_COLUMNS = (
    "house_number",
    "hn_int",
    "hn_suffix",
    "street",
    "street_base",
    "street_type",
    "street_dir",
    "street_phonetic",
    "unit_id",
    "locality",
    "postcode",
    "iso_3166_2",
    "lat",
    "lon",
    "geometry_accuracy",
    "building_id",
    "parcel_id",
    "road_id",
    "road_name",
)
"""Record columns a pair carries for each side (`<column>_l`, `<column>_r`)."""


def derived_pair_columns() -> dict[str, Column]:
    """Columns derived from a record that a pair carries for each side too, by name:
    computed once per record rather than in a level condition for every pair.

    `street_digits` is the number in a street's base name ("12TH" gives "12"; "" for a
    name without digits); `locality_words` the locality between two spaces, so that a
    substring search finds whole words (" NORTHSIDE EXAMPLETOWN " holds " EXAMPLETOWN "),
    with the words a town's name is written short in spelled one way
    (`TOWN_WORD_FORMS`: "S SAN FRANCISCO" and "SOUTH SAN FRANCISCO", "SAINT ALBANS" and
    "ST ALBANS" are one name).
    """
    words = F.concat(F.lit(" "), "locality", F.lit(" "))
    for pattern, word in TOWN_WORD_FORMS:
        words = F.regexp_replace(words, pattern, word)
    return {
        "street_digits": F.regexp_replace("street_base", "[^0-9]", ""),
        "locality_words": words,
    }


TOWN_WORD_FORMS = (
    (" NO? (?=\\S+ )", " NORTH "),
    (" SO? (?=\\S+ )", " SOUTH "),
    (" E (?=\\S+ )", " EAST "),
    (" W (?=\\S+ )", " WEST "),
    (" SAINT ", " ST "),
    (" FT ", " FORT "),
    (" MT ", " MOUNT "),
)
"""Words of a town's name written short or spelled out, as one form (a regular
expression over the name between spaces, and its replacement): a compass point
written short before more of the name ("S SAN FRANCISCO", "NO HOLLYWOOD"), SAINT
(ST, as both Royal Mail and USPS print it), FORT and MOUNT. MT is not MOUNTAIN
("MOUNTAIN VIEW" is its own name)."""


class ComparisonLevel(BaseModel):
    """One level of a comparison: a condition and its m/u probabilities."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    condition: str | None = Field(None, description="Spark SQL over *_l/*_r; null = else.")
    m: float = Field(gt=0, le=1)
    u: float = Field(gt=0, le=1)

    @property
    def weight(self) -> float:
        """The level's match weight in bits, log2(m/u)."""
        return math.log2(self.m / self.u)


class Comparison(BaseModel):
    """An ordered list of levels for one aspect of an address (street, distance, ...)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    levels: list[ComparisonLevel] = Field(min_length=1)

    @model_validator(mode="after")
    def _else_level_last(self) -> Comparison:
        for level in self.levels[:-1]:
            if level.condition is None:
                raise ValueError(f"comparison {self.name!r}: only the last level may be 'else'")
        return self


class HardRule(BaseModel):
    """A condition under which two records are different addresses, whatever their score.

    The pairs a rule separates are left out of the pairs the model is estimated
    from, as known non-matches, unless `in_estimation`: a rule that holds exactly
    when the comparisons themselves disagree (two unrelated street names) keeps
    its pairs there, since they are the non-matches that the disagreeing levels'
    u is estimated from.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    condition: str
    in_estimation: bool = False


class ScoringParams(BaseModel):
    """The declarative scoring model: comparisons, hard rules, the prior and its estimation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prior_match_probability: float = Field(gt=0, lt=1)
    match_threshold: float = Field(gt=0, lt=1)
    similarities: list[Similarity] = Field(default_factory=list)
    comparisons: list[Comparison] = Field(min_length=1)
    hard_rules: list[HardRule] = Field(default_factory=list)
    estimation: EstimationParams = Field(default_factory=EstimationParams)

    @model_validator(mode="after")
    def _unique_names(self) -> ScoringParams:
        names = [c.name for c in self.comparisons]
        if len(set(names)) != len(names):
            raise ValueError(f"comparison names must be unique, got {names}")
        return self


def pair_attributes(
    pairs: DataFrame, records: DataFrame, geometry_tolerance_m: dict[str, float]
) -> DataFrame:
    """Pairs with what level conditions compare: both records' columns and their distance.

    Args:
        pairs: `key_l`, `key_r` (record keys).
        records: Enriched records; only cluster members are looked up.
        geometry_tolerance_m: Tolerance (metres) of a point by its geometry accuracy class.

    Returns:
        `pairs` with `<column>_l` and `<column>_r` for each of `PAIR_COLUMNS` and
        `derived_pair_columns`, `distance_m`, each point's `tolerance_m_l` /
        `tolerance_m_r` and `distance_ratio` (distance over the sum of the tolerances).
    """
    attrs = records.where(is_cluster_member()).select(
        record_key().alias("key"),
        *PAIR_COLUMNS,
        *[column.alias(name) for name, column in derived_pair_columns().items()],
    )
    left = attrs.select(*[F.col(c).alias(f"{c}_l") for c in attrs.columns])
    right = attrs.select(*[F.col(c).alias(f"{c}_r") for c in attrs.columns])
    tolerance = F.create_map(
        *[
            item
            for accuracy, metres in sorted(geometry_tolerance_m.items())
            for item in (F.lit(accuracy), F.lit(float(metres)))
        ]
    )
    joined = pairs.join(left, "key_l").join(right, "key_r")
    distance = distance_m(F.col("lat_l"), F.col("lon_l"), F.col("lat_r"), F.col("lon_r"))
    return joined.withColumns(
        {
            "distance_m": distance,
            "tolerance_m_l": F.element_at(tolerance, F.col("geometry_accuracy_l")),
            "tolerance_m_r": F.element_at(tolerance, F.col("geometry_accuracy_r")),
        }
    ).withColumn(
        "distance_ratio", F.col("distance_m") / (F.col("tolerance_m_l") + F.col("tolerance_m_r"))
    )


def level_column(comparison: Comparison) -> Column:
    """The index of the first level whose condition holds (the last level if none)."""
    last = len(comparison.levels) - 1
    conditional = [
        (i, level) for i, level in enumerate(comparison.levels) if level.condition is not None
    ]
    if not conditional:
        return F.lit(last)
    expr = reduce(
        lambda acc, item: acc.when(F.expr(item[1].condition), F.lit(item[0])),
        conditional[1:],
        F.when(F.expr(conditional[0][1].condition), F.lit(conditional[0][0])),
    )
    return expr.otherwise(F.lit(last))


def level_columns(scoring: ScoringParams) -> list[str]:
    """Names of the level index columns, one per comparison, in declaration order."""
    return [f"level_{c.name}" for c in scoring.comparisons]


def compare(pairs: DataFrame, scoring: ScoringParams) -> DataFrame:
    """Adds the declared similarities, `level_<comparison>` and `hard_rule` to `pairs`.

    Args:
        pairs: One row per pair, with `<column>_l` / `<column>_r` columns.
        scoring: The declarative scoring model.

    Returns:
        `pairs` plus the similarity columns, one level index per comparison and the
        name of the first hard rule that holds (null if none).
    """
    compared = with_similarities(pairs, scoring.similarities)
    compared = compared.withColumns(
        {f"level_{c.name}": level_column(c) for c in scoring.comparisons}
    )
    hard = F.lit(None).cast("string")
    for rule in reversed(scoring.hard_rules):
        hard = F.when(F.coalesce(F.expr(rule.condition), F.lit(False)), F.lit(rule.name)).otherwise(
            hard
        )
    return compared.withColumn("hard_rule", hard)


def pattern_counts(
    levels: DataFrame, scoring: ScoringParams, *, exclude_hard_ruled: bool = True
) -> pd.DataFrame:
    """Pairs per distinct comparison vector (`level_*` columns and `n`).

    The result has at most the product of the level counts rows, so it is small
    whatever the number of pairs. Pairs a hard rule separates are known
    non-matches, not evidence to estimate from, and are left out by default
    (but for the rules declared `in_estimation`).
    """
    columns = level_columns(scoring)
    if exclude_hard_ruled:
        estimated = [rule.name for rule in scoring.hard_rules if rule.in_estimation]
        levels = levels.where(F.col("hard_rule").isNull() | F.col("hard_rule").isin(estimated))
    counts = levels.groupBy(*columns).agg(F.count("*").alias("n")).toPandas()
    # A fixed row order, so EM's floating-point sums do not depend on partitioning.
    return counts.sort_values(columns, ignore_index=True)


def prior_model(scoring: ScoringParams, method: str = "prior") -> pd.DataFrame:
    """The model table with the declared m, u and prior (no estimation)."""
    rows = [
        {
            "comparison": c.name,
            "level_index": i,
            "level": level.name,
            "m": level.m,
            "u": level.u,
            "weight": level.weight,
            "m_start": level.m,
            "u_start": level.u,
            "match_prior": scoring.prior_match_probability,
            "pairs": 0,
            "iterations": 0,
            "method": method,
        }
        for c in scoring.comparisons
        for i, level in enumerate(c.levels)
    ]
    return pd.DataFrame(rows, columns=list(MODEL_COLUMNS))


def estimate_model(
    candidates: pd.DataFrame, random_pairs: pd.DataFrame, scoring: ScoringParams
) -> pd.DataFrame:
    """Fit m, u and the match prior by EM on the candidate pairs' comparison vectors.

    Args:
        candidates: `pattern_counts` of the blocked candidate pairs.
        random_pairs: `pattern_counts` of random pairs (u starting values).
        scoring: The declarative scoring model (m starting values, EM settings).

    Returns:
        One row per comparison level (`MODEL_COLUMNS`). With estimation disabled, or
        fewer comparable pairs than `estimation.min_pairs`, the declared values.
    """
    settings = scoring.estimation
    pairs = int(candidates["n"].sum()) if len(candidates) else 0
    if not settings.enabled:
        return prior_model(scoring)
    if pairs < settings.min_pairs:
        model = prior_model(scoring, method="prior_too_few_pairs")
        model["pairs"] = pairs
        return model
    columns = level_columns(scoring)
    m_start = [np.array([lv.m for lv in c.levels]) for c in scoring.comparisons]
    m_start = [m / m.sum() for m in m_start]
    u_start = [
        level_frequencies(random_pairs, column, len(c.levels), settings.pseudo_count)
        if len(random_pairs)
        else np.array([lv.u for lv in c.levels]) / sum(lv.u for lv in c.levels)
        for column, c in zip(columns, scoring.comparisons, strict=True)
    ]
    fitted = fit_fellegi_sunter(
        candidates[columns].to_numpy(dtype=np.int64),
        candidates["n"].to_numpy(dtype=np.float64),
        m_start,
        u_start,
        scoring.prior_match_probability,
        max_iterations=settings.max_iterations,
        tolerance=settings.tolerance,
        pseudo_count=settings.pseudo_count,
    )
    rows = [
        {
            "comparison": c.name,
            "level_index": i,
            "level": level.name,
            "m": float(fitted.m[k][i]),
            "u": float(fitted.u[k][i]),
            "weight": math.log2(fitted.m[k][i] / fitted.u[k][i]),
            "m_start": float(m_start[k][i]),
            "u_start": float(u_start[k][i]),
            "match_prior": fitted.match_prior,
            "pairs": pairs,
            "iterations": fitted.iterations,
            "method": "em" if fitted.converged else "em_not_converged",
        }
        for k, c in enumerate(scoring.comparisons)
        for i, level in enumerate(c.levels)
    ]
    return pd.DataFrame(rows, columns=list(MODEL_COLUMNS))


def apply_model(levels: DataFrame, model: pd.DataFrame, scoring: ScoringParams) -> DataFrame:
    """Adds `match_weight` (bits) and `match_probability` (0 when a hard rule holds).

    Args:
        levels: Pairs with `level_<comparison>` and `hard_rule` (see `compare`).
        model: The model table (`prior_model` or `estimate_model`).
        scoring: The declarative scoring model (its comparisons name the levels).
    """
    prior = float(model["match_prior"].iloc[0])
    total: Column = F.lit(math.log2(prior / (1 - prior)))
    for c in scoring.comparisons:
        weights = model[model["comparison"] == c.name].sort_values("level_index")["weight"]
        if len(weights) != len(c.levels):
            raise ValueError(
                f"match model has {len(weights)} levels for comparison {c.name!r}, "
                f"the scoring parameters declare {len(c.levels)}"
            )
        array = F.array(*[F.lit(float(w)) for w in weights])
        total = total + F.element_at(array, F.col(f"level_{c.name}") + 1)
    probability = F.lit(1.0) / (F.lit(1.0) + F.pow(F.lit(2.0), -F.col("match_weight")))
    return levels.withColumn("match_weight", total).withColumn(
        "match_probability",
        F.when(F.col("hard_rule").isNotNull(), F.lit(0.0)).otherwise(probability),
    )


def score_pairs_with(
    pairs: DataFrame, scoring: ScoringParams, model: pd.DataFrame | None = None
) -> DataFrame:
    """Adds `level_<comparison>`, `hard_rule`, `match_weight` and `match_probability`.

    Args:
        pairs: One row per candidate pair, with `<column>_l` / `<column>_r` columns.
        scoring: The declarative scoring model.
        model: A fitted model table; the declared m/u and prior when omitted.
    """
    return apply_model(
        compare(pairs, scoring), prior_model(scoring) if model is None else model, scoring
    )
