"""Normalize: canonical address records and their comparison keys."""

from geodata.pipelines.normalize.pipeline import create_pipeline

__all__ = ["create_pipeline"]
