"""Export: the partitioned output tables, the optional CSV export and the run report."""

from geodata.pipelines.export.pipeline import create_pipeline

__all__ = ["create_pipeline"]
