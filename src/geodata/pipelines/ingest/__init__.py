"""Ingest: one namespace per declared source; column mapping, delivery choice, validation."""

from geodata.pipelines.ingest.pipeline import create_pipeline

__all__ = ["create_pipeline"]
