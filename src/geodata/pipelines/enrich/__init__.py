"""Enrich: each canonical address with its parcel, building and nearest road."""

from geodata.pipelines.enrich.pipeline import create_pipeline

__all__ = ["create_pipeline"]
