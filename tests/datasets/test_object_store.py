"""ObjectStoreDataset's commit on a local disk: a save whose job or move fails leaves the path
as it was, with no staged files beside it (on a real S3 API: tests/production/test_s3.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fsspec.implementations.local import LocalFileSystem
from kedro.io import DatasetError

from geodata.datasets import ObjectStoreDataset

PARTITIONS = ["execution_dt", "iso_3166_1", "iso_3166_2"]
SCHEMA = "address_id STRING, street STRING, execution_dt DATE, iso_3166_1 STRING, iso_3166_2 STRING"
DAY = date(2026, 11, 1)


def _dataset(path: Path, partition_overwrite: str = "dynamic") -> ObjectStoreDataset:
    return ObjectStoreDataset(
        filepath=str(path),
        file_format="csv",
        load_args={"header": True, "schema": "address_id STRING, street STRING"},
        save_args={
            "mode": "overwrite",
            "header": True,
            "partitionBy": PARTITIONS,
            "partitionOverwriteMode": partition_overwrite,
        },
    )


def _rows(spark, ids: list[str], region: str = "US-CA"):
    return spark.createDataFrame([(i, "Main St", DAY, "US", region) for i in ids], SCHEMA)


def _files(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (hidden ones too), by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_a_save_writes_partitioned_files_and_leaves_no_staging(spark, tmp_path):
    dataset = _dataset(tmp_path / "export")
    dataset.save(_rows(spark, ["a1", "a2"]).unionByName(_rows(spark, ["n1"], "US-NY")))
    assert sorted({Path(p).parent.as_posix() for p in _files(tmp_path)}) == [
        "export/execution_dt=2026-11-01/iso_3166_1=US/iso_3166_2=US-CA",
        "export/execution_dt=2026-11-01/iso_3166_1=US/iso_3166_2=US-NY",
    ]
    assert sorted(r.address_id for r in dataset.load().collect()) == ["a1", "a2", "n1"]

    # A dynamic overwrite replaces the partitions written, and only those.
    dataset.save(_rows(spark, ["a3"]))
    assert sorted(r.address_id for r in dataset.load().collect()) == ["a3", "n1"]
    assert [p.name for p in tmp_path.iterdir()] == ["export"]


@pytest.mark.parametrize("existing", [True, False])
def test_a_save_whose_job_fails_leaves_the_path_as_it_was(spark, tmp_path, existing):
    dataset = _dataset(tmp_path / "export", partition_overwrite="static")
    if existing:
        dataset.save(_rows(spark, ["old1", "old2"], "US-NY"))
    before = _files(tmp_path)
    # One task: it writes US-CA's file, then cannot make the next partition's folder
    # (a name longer than a file system allows).
    failing = _rows(spark, ["a1", "a2"]).unionByName(_rows(spark, ["z1"], "X" * 300)).coalesce(1)
    with pytest.raises(DatasetError, match="too long"):
        dataset.save(failing)
    assert _files(tmp_path) == before  # no new file in the path, nothing staged beside it
    assert [p.name for p in tmp_path.iterdir()] == (["export"] if existing else [])


def test_a_save_whose_move_fails_removes_the_files_already_moved_in(spark, tmp_path, monkeypatch):
    dataset = _dataset(tmp_path / "export")
    dataset.save(_rows(spark, ["old1"], "US-NY"))
    before = _files(tmp_path)
    moved = []
    original = LocalFileSystem.mv

    def fails_on_the_third_file(self, source, target, **kwargs):
        if len(moved) == 2:
            raise OSError("the disk is gone")
        moved.append(target)
        original(self, source, target, **kwargs)

    monkeypatch.setattr(LocalFileSystem, "mv", fails_on_the_third_file)
    three_partitions = (
        _rows(spark, ["a1"])
        .unionByName(_rows(spark, ["f1"], "FI-18"))
        .unionByName(_rows(spark, ["n2"], "US-NY"))
    )
    with pytest.raises(DatasetError, match="the disk is gone"):
        dataset.save(three_partitions)
    assert len(moved) == 2
    assert _files(tmp_path) == before
