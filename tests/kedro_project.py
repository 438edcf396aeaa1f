"""Helpers for tests that run the real Kedro project in a throwaway copy."""

from __future__ import annotations

from pathlib import Path

from geodata.runtime.session import make_project_copy as _make_project_copy
from geodata.runtime.session import run_project

REPO = Path(__file__).resolve().parents[1]

# `prod` reads its locations, cluster and metastore from the environment when its
# config is loaded, and names every missing variable; generation needs them set.
PROD_VARIABLES = {
    "GEODATA_BASE_LOCATION": "s3a://geodata-test/geodata",
    "GEODATA_RAW_LOCATION": "s3a://geodata-test/raw",
    "GEODATA_EXPORT_LOCATION": "s3a://geodata-test/export",
    "GEODATA_WAREHOUSE_DIR": "s3a://geodata-test/warehouse",
    "HIVE_METASTORE_URIS": "thrift://metastore.invalid:9083",
    "SPARK_MASTER_URL": "spark://spark.invalid:7077",
}

__all__ = ["PROD_VARIABLES", "REPO", "make_project_copy", "run_project"]


def make_project_copy(target: Path, raw_dir: Path | None = None) -> Path:
    """A copy of this repository's config and demo data (or `raw_dir`) under `target`."""
    return _make_project_copy(REPO, target, raw_dir=raw_dir)
