"""Declared similarities: rapidfuzz's scores, null when a side is missing."""

from __future__ import annotations

import pytest
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from geodata.conflation.similarity import Similarity, with_similarities

SIMILARITIES = [
    Similarity(name="jw", function="jaro_winkler", left="a", right="b"),
    Similarity(name="edits", function="damerau_levenshtein", left="a", right="b"),
]


def test_scores_of_equal_different_and_missing_strings(spark):
    pairs = spark.createDataFrame(
        [
            (1, "MAPLE COURT", "MAPLE COURT"),
            (2, "LAKE", "LAEK"),
            (3, "KAIVOKATU", "KAIVOKATU 1"),
            (4, None, "FIR LANE"),
            (5, None, None),
            (6, "", ""),
        ],
        "id int, a string, b string",
    )

    rows = {r["id"]: r for r in with_similarities(pairs, SIMILARITIES).collect()}

    # Equal strings: a similarity of 1, no edits.
    assert (rows[1]["jw"], rows[1]["edits"]) == (1.0, 0.0)
    assert (rows[6]["jw"], rows[6]["edits"]) == (1.0, 0.0)
    for key, (left, right) in {2: ("LAKE", "LAEK"), 3: ("KAIVOKATU", "KAIVOKATU 1")}.items():
        assert rows[key]["jw"] == pytest.approx(JaroWinkler.normalized_similarity(left, right))
        assert rows[key]["edits"] == DamerauLevenshtein.distance(left, right)
    assert rows[2]["edits"] == 1  # a transposition is one edit
    for key in (4, 5):
        assert (rows[key]["jw"], rows[key]["edits"]) == (None, None)
