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

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F


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
    """A condition under which two records are different addresses, whatever their score."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    condition: str


class ScoringParams(BaseModel):
    """The declarative scoring model: comparisons, hard rules and the prior."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prior_match_probability: float = Field(gt=0, lt=1)
    match_threshold: float = Field(gt=0, lt=1)
    comparisons: list[Comparison] = Field(min_length=1)
    hard_rules: list[HardRule] = Field(default_factory=list)


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


def weight_column(comparison: Comparison, level: Column) -> Column:
    """The weight (bits) of the level index in `level`."""
    weights = F.array(*[F.lit(lv.weight) for lv in comparison.levels])
    return F.element_at(weights, level + 1)


def score_pairs_with(pairs: DataFrame, scoring: ScoringParams) -> DataFrame:
    """Adds `level_<comparison>`, `match_weight`, `hard_rule` and `match_probability`.

    Args:
        pairs: One row per candidate pair, with `<column>_l` / `<column>_r` columns.
        scoring: The declarative scoring model.

    Returns:
        `pairs` plus the comparison levels, the total weight in bits, the first hard
        rule that holds (or null) and the posterior match probability (0 when a hard
        rule holds).
    """
    prior_bits = math.log2(scoring.prior_match_probability / (1 - scoring.prior_match_probability))
    levels = {f"level_{c.name}": level_column(c) for c in scoring.comparisons}
    scored = pairs.withColumns(levels)
    total = reduce(
        lambda acc, c: acc + weight_column(c, F.col(f"level_{c.name}")),
        scoring.comparisons,
        F.lit(prior_bits),
    )
    hard = F.lit(None).cast("string")
    for rule in reversed(scoring.hard_rules):
        hard = F.when(F.coalesce(F.expr(rule.condition), F.lit(False)), F.lit(rule.name)).otherwise(
            hard
        )
    probability = F.lit(1.0) / (F.lit(1.0) + F.pow(F.lit(2.0), -F.col("match_weight")))
    return (
        scored.withColumn("match_weight", total)
        .withColumn("hard_rule", hard)
        .withColumn(
            "match_probability",
            F.when(F.col("hard_rule").isNotNull(), F.lit(0.0)).otherwise(probability),
        )
    )
