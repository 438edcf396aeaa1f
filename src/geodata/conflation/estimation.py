"""Estimating the Fellegi-Sunter model (m, u and the match prior) from the data itself.

The comparison vector of a candidate pair is the tuple of its comparison levels.
Under conditional independence of the comparisons given the match status, the
blocked pairs are a two-class mixture, and the expectation-maximisation (EM)
algorithm estimates the share of matches and, per comparison level,
m = P(level | match) and u = P(level | non-match) without any labelled pair
(Winkler, "Using the EM Algorithm for Weight Computation in the Fellegi-Sunter
Model of Record Linkage", 1988; Jaro, JASA 84(406), 1989).

EM runs on the counts of distinct comparison vectors, a table whose size is
bounded by the product of the level counts (a few thousand rows), whatever the
number of pairs. Starting values: m from the declared levels (what the evidence
means, docs/conflation.md) and u from random record pairs of the same region,
which are nearly all non-matches (the level frequencies among them are the
textbook estimate of u). Both m and u are then re-estimated on the blocked pairs:
blocking keeps only records that already share a house number, unit and
neighbourhood, and the non-matches among them agree far more often on postcode,
locality or distance than random pairs do; scoring them with random-pair u
values would count that shared neighbourhood as evidence of a match several
times over.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

logger = logging.getLogger(__name__)

MODEL_COLUMNS = (
    "comparison",
    "level_index",
    "level",
    "m",
    "u",
    "weight",
    "m_start",
    "u_start",
    "match_prior",
    "pairs",
    "iterations",
    "method",
)
"""Columns of the fitted model table (one row per comparison level)."""


class EstimationParams(BaseModel):
    """`scoring.estimation:` how m, u and the match prior are estimated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(True, description="False: use the declared m/u and prior as they are.")
    max_iterations: int = Field(200, ge=1)
    tolerance: float = Field(1e-7, gt=0, description="Largest parameter change at convergence.")
    min_pairs: int = Field(
        2000, ge=1, description="Fewer comparable blocked pairs than this: keep the priors."
    )
    random_pairs: int = Field(50_000, ge=100, description="Random pairs sampled for u.")
    seed: int = Field(42, ge=0)
    pseudo_count: float = Field(
        0.5,
        ge=0,
        description="Added to every level's count (Laplace smoothing), so no m or u is 0.",
    )


@dataclass(frozen=True)
class FittedModel:
    """The result of EM: prior, m and u per comparison (arrays by level index)."""

    match_prior: float
    m: list[np.ndarray]
    u: list[np.ndarray]
    iterations: int
    converged: bool


def level_frequencies(
    counts: pd.DataFrame, column: str, levels: int, pseudo_count: float
) -> np.ndarray:
    """Smoothed share of each level index in `counts[column]`, weighted by `counts['n']`."""
    totals = np.full(levels, pseudo_count, dtype=np.float64)
    for level, n in counts.groupby(column)["n"].sum().items():
        totals[int(level)] += float(n)
    return totals / totals.sum()


def fit_fellegi_sunter(
    patterns: np.ndarray,
    counts: np.ndarray,
    m_start: list[np.ndarray],
    u_start: list[np.ndarray],
    prior_start: float,
    *,
    max_iterations: int,
    tolerance: float,
    pseudo_count: float,
) -> FittedModel:
    """EM for a two-class mixture of independent categorical comparisons.

    Args:
        patterns: (vectors, comparisons) level index of each distinct comparison vector.
        counts: (vectors,) how many pairs have each vector.
        m_start, u_start: Starting m and u per comparison, by level index.
        prior_start: Starting share of matches among the pairs.
        max_iterations, tolerance: Stop after this many rounds, or when no
            parameter moves by more than `tolerance`.
        pseudo_count: Added to each level's expected count in both classes.

    Returns:
        The fitted prior, m and u.
    """
    m = [np.asarray(x, dtype=np.float64) for x in m_start]
    u = [np.asarray(x, dtype=np.float64) for x in u_start]
    prior = float(prior_start)
    total = float(counts.sum())
    converged = False
    iteration = 0
    for iteration in range(1, max_iterations + 1):  # noqa: B007
        log_ratio = math.log(prior) - math.log1p(-prior)
        log_ratio = log_ratio + sum(
            np.log(m[k][patterns[:, k]]) - np.log(u[k][patterns[:, k]]) for k in range(len(m))
        )
        g = 1.0 / (1.0 + np.exp(-np.clip(log_ratio, -700, 700)))
        matches = counts * g
        non_matches = counts - matches
        new_prior = float(np.clip(matches.sum() / total, 1e-9, 1 - 1e-9))
        new_m, new_u = [], []
        for k in range(len(m)):
            levels = len(m[k])
            m_k = np.bincount(patterns[:, k], weights=matches, minlength=levels) + pseudo_count
            u_k = np.bincount(patterns[:, k], weights=non_matches, minlength=levels) + pseudo_count
            new_m.append(m_k / m_k.sum())
            new_u.append(u_k / u_k.sum())
        change = max(
            abs(new_prior - prior),
            *(float(np.abs(a - b).max()) for a, b in zip(new_m, m, strict=True)),
            *(float(np.abs(a - b).max()) for a, b in zip(new_u, u, strict=True)),
        )
        m, u, prior = new_m, new_u, new_prior
        if change < tolerance:
            converged = True
            break
    return FittedModel(prior, m, u, iteration, converged)
