"""Sample-data pipeline: generates the embedded demo region."""

from geodata.pipelines.sample_data.pipeline import create_pipeline

__all__ = ["create_pipeline"]
