"""Conflation building blocks: declarative comparisons, scoring and clustering in Spark."""
