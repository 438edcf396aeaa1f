"""EM for the Fellegi-Sunter model recovers the parameters of data drawn from a known model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geodata.conflation.comparisons import (
    Comparison,
    ComparisonLevel,
    ScoringParams,
    estimate_model,
    prior_model,
)
from geodata.conflation.estimation import fit_fellegi_sunter, level_frequencies

TRUE_PRIOR = 0.3
# Three comparisons: a two-class latent model needs at least three indicators to be
# identifiable (Goodman, Biometrika 61(2), 1974).
TRUE_M = [np.array([0.85, 0.1, 0.05]), np.array([0.9, 0.1]), np.array([0.8, 0.2])]
TRUE_U = [np.array([0.05, 0.15, 0.8]), np.array([0.2, 0.8]), np.array([0.1, 0.9])]


def _draw(rng: np.random.Generator, pairs: int) -> tuple[np.ndarray, np.ndarray]:
    """Comparison vectors of `pairs` pairs from the true model, as distinct vectors and counts."""
    is_match = rng.random(pairs) < TRUE_PRIOR
    columns = []
    for m, u in zip(TRUE_M, TRUE_U, strict=True):
        from_m = rng.choice(len(m), size=pairs, p=m)
        from_u = rng.choice(len(u), size=pairs, p=u)
        columns.append(np.where(is_match, from_m, from_u))
    vectors, counts = np.unique(np.stack(columns, axis=1), axis=0, return_counts=True)
    return vectors.astype(np.int64), counts.astype(np.float64)


def _scoring(**estimation) -> ScoringParams:
    return ScoringParams(
        prior_match_probability=0.1,
        match_threshold=0.5,
        comparisons=[
            Comparison(
                name="street",
                levels=[
                    ComparisonLevel(name="exact", condition="a", m=0.7, u=0.1),
                    ComparisonLevel(name="close", condition="b", m=0.2, u=0.2),
                    ComparisonLevel(name="different", m=0.1, u=0.7),
                ],
            ),
            Comparison(
                name="postcode",
                levels=[
                    ComparisonLevel(name="same", condition="c", m=0.7, u=0.3),
                    ComparisonLevel(name="different", m=0.3, u=0.7),
                ],
            ),
            Comparison(
                name="distance",
                levels=[
                    ComparisonLevel(name="near", condition="d", m=0.6, u=0.3),
                    ComparisonLevel(name="far", m=0.4, u=0.7),
                ],
            ),
        ],
        estimation=estimation,
    )


def test_em_recovers_prior_m_and_u_from_unlabelled_pairs():
    vectors, counts = _draw(np.random.default_rng(7), 200_000)
    fitted = fit_fellegi_sunter(
        vectors,
        counts,
        m_start=[np.array([0.7, 0.2, 0.1]), np.array([0.7, 0.3]), np.array([0.6, 0.4])],
        u_start=[np.array([0.1, 0.2, 0.7]), np.array([0.3, 0.7]), np.array([0.3, 0.7])],
        prior_start=0.1,
        max_iterations=2000,
        tolerance=1e-9,
        pseudo_count=0.0,
    )
    assert fitted.converged
    assert fitted.match_prior == pytest.approx(TRUE_PRIOR, abs=0.01)
    for got, want in zip(fitted.m + fitted.u, TRUE_M + TRUE_U, strict=True):
        np.testing.assert_allclose(got, want, atol=0.02)


def test_estimated_model_table_has_weights_from_fitted_m_and_u():
    vectors, counts = _draw(np.random.default_rng(11), 50_000)
    candidates = pd.DataFrame(vectors, columns=["level_street", "level_postcode", "level_distance"])
    candidates["n"] = counts
    # Random pairs: nearly all non-matches, drawn from u.
    rng = np.random.default_rng(3)
    random_pairs = pd.DataFrame(
        {
            "level_street": rng.choice(3, size=5000, p=TRUE_U[0]),
            "level_postcode": rng.choice(2, size=5000, p=TRUE_U[1]),
            "level_distance": rng.choice(2, size=5000, p=TRUE_U[2]),
            "n": 1,
        }
    )
    model = estimate_model(candidates, random_pairs, _scoring(min_pairs=100, pseudo_count=0.5))
    assert set(model["method"]) == {"em"}
    assert model["match_prior"].iloc[0] == pytest.approx(TRUE_PRIOR, abs=0.02)
    np.testing.assert_allclose(model["weight"], np.log2(model["m"] / model["u"]))
    exact = model[(model["comparison"] == "street") & (model["level"] == "exact")].iloc[0]
    assert exact["m"] == pytest.approx(0.85, abs=0.03)
    assert exact["u"] == pytest.approx(0.05, abs=0.03)
    # u starting values are the random pairs' level shares.
    assert exact["u_start"] == pytest.approx(
        level_frequencies(random_pairs, "level_street", 3, 0.5)[0]
    )


def test_too_few_pairs_or_disabled_estimation_keep_the_declared_values():
    candidates = pd.DataFrame(
        {"level_street": [0, 2], "level_postcode": [0, 1], "level_distance": [0, 1], "n": [5, 5]}
    )
    few = estimate_model(candidates, candidates, _scoring(min_pairs=100))
    assert set(few["method"]) == {"prior_too_few_pairs"}
    assert list(few["m"]) == list(prior_model(_scoring())["m"])
    disabled = estimate_model(candidates, candidates, _scoring(enabled=False, min_pairs=1))
    assert set(disabled["method"]) == {"prior"}
    assert disabled["match_prior"].iloc[0] == pytest.approx(0.1)
