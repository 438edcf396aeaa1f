"""String similarities for comparison levels, computed in vectorised Arrow UDFs.

Spark SQL has `levenshtein` and `soundex` but no Jaro-Winkler, the measure that
record linkage uses for names (Winkler, "String Comparator Metrics and Enhanced
Decision Rules in the Fellegi-Sunter Model of Record Linkage", 1990): it forgives
transpositions ("LAEK" / "LAKE") and rewards a shared prefix. The scores come from
rapidfuzz, one Arrow batch at a time (`pyarrow` arrays in and out, no pandas);
only candidate pairs are scored, so the cost is bounded by blocking.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, Field
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F


def _vectorised(metric: str, method: str) -> Callable[[pa.Array, pa.Array], pa.Array]:
    # The scorer is looked up by name on the worker: rapidfuzz's compiled
    # functions cannot be pickled.
    def score(left: pa.Array, right: pa.Array) -> pa.Array:
        from rapidfuzz import distance
        from rapidfuzz.process import cpdist

        scorer = getattr(getattr(distance, metric), method)
        # Equal strings never get here (`similarity_column` scores them in Spark).
        present = pc.and_(pc.is_valid(left), pc.is_valid(right))
        mask = present.to_numpy(zero_copy_only=False)
        values = np.zeros(len(left))
        if mask.any():
            values[mask] = cpdist(
                pc.filter(left, present).to_pylist(),
                pc.filter(right, present).to_pylist(),
                scorer=scorer,
                dtype=np.float64,
            )
        return pa.array(values, type=pa.float64(), mask=~mask)

    return score


SIMILARITY_FUNCTIONS: dict[str, Callable[[pa.Array, pa.Array], pa.Array]] = {
    "jaro_winkler": _vectorised("JaroWinkler", "normalized_similarity"),
    "damerau_levenshtein": _vectorised("DamerauLevenshtein", "distance"),
}
"""Similarity name -> vectorised function of two Arrow string arrays (null in, null out)."""


class Similarity(BaseModel):
    """A derived pair column: `function(left, right)` named `name`, usable in level conditions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    function: str = Field(description=f"One of {sorted(SIMILARITY_FUNCTIONS)}.")
    left: str
    right: str

    def model_post_init(self, _context: object) -> None:
        if self.function not in SIMILARITY_FUNCTIONS:
            raise ValueError(
                f"similarity {self.name!r}: unknown function {self.function!r}; "
                f"choose one of {sorted(SIMILARITY_FUNCTIONS)}"
            )


def _score_of_equal_strings(function: Callable[[pa.Array, pa.Array], pa.Array]) -> float:
    """What `function` gives a string against itself (any string: the measures are
    1 for a similarity and 0 for a distance)."""
    return float(function(pa.array(["A"]), pa.array(["A"]))[0].as_py())


def similarity_column(similarity: Similarity) -> Column:
    """The Spark column computing `similarity` over its two input columns.

    Only pairs whose two strings differ go to the Python function: most candidate
    pairs are records of one address and agree on the compared text, and moving
    their strings into a Python worker costs more than scoring them. Equal strings
    take the function's score of a string against itself; a null side gives null.
    """
    function = SIMILARITY_FUNCTIONS[similarity.function]
    udf = F.arrow_udf(function, "double")
    left, right = F.col(similarity.left), F.col(similarity.right)
    differ = left != right  # null when a side is null
    return (
        F.when(left.isNull() | right.isNull(), F.lit(None).cast("double"))
        .when(left == right, F.lit(_score_of_equal_strings(function)))
        .otherwise(udf(F.when(differ, left), F.when(differ, right)))
    )


def with_similarities(pairs: DataFrame, similarities: list[Similarity]) -> DataFrame:
    """`pairs` plus one double column per declared similarity."""
    if not similarities:
        return pairs
    return pairs.withColumns({s.name: similarity_column(s) for s in similarities})
