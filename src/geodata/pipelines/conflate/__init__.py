"""Conflate: blocking, pairwise scoring, clustering, survivorship and user corrections."""

from geodata.pipelines.conflate.pipeline import create_pipeline

__all__ = ["create_pipeline"]
