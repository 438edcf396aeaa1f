"""What still reaches S3 through fsspec, on a real S3 API (a moto server): the fallback files
dataset for clusters without Spark's s3a connector (`ObjectStoreDataset`, on the same `s3a://`
paths as `prod`'s `spark.SparkDataset`) with its commit, and file sets that publication moves
through fsspec (the run report; the fallback's CSV export).

`prod`'s own files dataset, `spark.SparkDataset` on `s3a://`, needs hadoop-aws, which no
package index here has: test_cluster.py runs it on `file://` paths instead.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from kedro.io import DatasetError
from pyspark.sql import functions as F

from geodata.datasets import ObjectStoreDataset

PARTITIONS = ["execution_dt", "iso_3166_1", "iso_3166_2"]
DAY = date(2026, 11, 1)


@pytest.fixture()
def bucket(s3_server) -> str:
    name = f"geodata-test-{uuid.uuid4().hex[:8]}"
    s3_server.client().create_bucket(Bucket=name)
    return name


def _objects(s3_server, bucket: str) -> dict[str, bytes]:
    """Every object of the bucket, by key."""
    client = s3_server.client()
    listing = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        o["Key"]: client.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listing
    }


def _addresses(spark, rows, street_type: str = "STRING"):
    return spark.createDataFrame(
        rows,
        f"address_id STRING, street {street_type}, execution_dt DATE, iso_3166_1 STRING, "
        "iso_3166_2 STRING",
    )


def _export(s3_server, bucket: str) -> ObjectStoreDataset:
    return ObjectStoreDataset(
        filepath=f"s3a://{bucket}/export",
        file_format="csv",
        load_args={"header": True, "schema": "address_id STRING, street STRING"},
        save_args={"mode": "overwrite", "header": True, "partitionBy": PARTITIONS,
                   "partitionOverwriteMode": "dynamic"},
        credentials=s3_server.storage_options(),
    )  # fmt: skip


def test_partitioned_csv_round_trip_and_dynamic_overwrite(spark, s3_server, bucket):
    dataset = _export(s3_server, bucket)
    dataset.save(
        _addresses(
            spark,
            [
                ("a1", 'Main "St", N', DAY, "US", "US-CA"),
                ("a2", None, DAY, "US", "US-CA"),
                ("f1", "Mannerheimintie", DAY, "FI", "FI-18"),
            ],
        )
    )
    first = _objects(s3_server, bucket)
    # Only the partitions' files: the staging prefix beside `export/` is gone.
    assert {k.rsplit("/", 1)[0] for k in first} == {
        "export/execution_dt=2026-11-01/iso_3166_1=US/iso_3166_2=US-CA",
        "export/execution_dt=2026-11-01/iso_3166_1=FI/iso_3166_2=FI-18",
    }
    loaded = {tuple(r) for r in dataset.load().collect()}
    assert loaded == {("a1", 'Main "St", N'), ("a2", None), ("f1", "Mannerheimintie")}

    # Rewriting US-CA replaces that partition only; FI-18 keeps its file.
    dataset.save(_addresses(spark, [("a3", "Oak Ave", DAY, "US", "US-CA")]))
    second = _objects(s3_server, bucket)
    fi = [k for k in first if "FI-18" in k]
    assert all(second.get(k) == first[k] for k in fi)
    assert all(k.startswith("export/execution_dt=") for k in second)
    assert {tuple(r) for r in dataset.load().collect()} == {
        ("a3", "Oak Ave"), ("f1", "Mannerheimintie"),
    }  # fmt: skip


def test_a_save_whose_job_fails_leaves_the_bucket_as_it_was(spark, s3_server, bucket):
    dataset = _export(s3_server, bucket)
    dataset.save(_addresses(spark, [("old1", "Elm St", DAY, "US", "US-CA")]))
    before = _objects(s3_server, bucket)
    # One task: it writes (and closes, so uploads) US-CA's file, then fails on FI-18's
    # rows, which the CSV writer cannot write (bytes that are not UTF-8).
    failing = _addresses(
        spark,
        [("a1", b"Main St", DAY, "US", "US-CA"), ("f1", b"\xff", DAY, "FI", "FI-18")],
        street_type="BINARY",
    ).coalesce(1)
    with pytest.raises(DatasetError, match="Invalid UTF8"):
        dataset.save(failing)
    assert _objects(s3_server, bucket) == before  # nothing new, nothing staged


def test_sources_load_from_s3_with_their_declared_schema(spark, s3_server, bucket, tmp_path: Path):
    frame = pd.DataFrame({"rec_id": ["r1", "r2"], "longitude": [-122.4, 24.9], "extra": [1, 2]})
    frame.to_parquet(tmp_path / "part.parquet", index=False)
    client = s3_server.client()
    client.upload_file(str(tmp_path / "part.parquet"), bucket, "drops/acme/one.parquet")
    client.put_object(Bucket=bucket, Key="drops/acme/_SUCCESS", Body=b"")
    dataset = ObjectStoreDataset(
        filepath=f"s3a://{bucket}/drops/acme",
        file_format="parquet",
        load_args={"schema": "rec_id STRING, longitude DOUBLE, file_dt DATE"},
        credentials=s3_server.storage_options(),
    )
    loaded = dataset.load()
    assert loaded.schema.simpleString() == "struct<rec_id:string,longitude:double,file_dt:date>"
    rows = sorted(loaded.collect())
    assert [(r.rec_id, r.longitude, r.file_dt) for r in rows] == [
        ("r1", -122.4, None), ("r2", 24.9, None),
    ]  # fmt: skip
    assert loaded.where(F.col("file_dt").isNull()).count() == 2


def test_csv_header_that_does_not_match_the_schema_names_file_and_columns(spark, s3_server, bucket):
    s3_server.client().put_object(
        Bucket=bucket, Key="drops/county.csv", Body=b"OBJECTID,ADDRNUM\n1,12\n"
    )
    dataset = ObjectStoreDataset(
        filepath=f"s3://{bucket}/drops/county.csv",
        file_format="csv",
        load_args={
            "header": True,
            "enforceSchema": False,
            "schema": "OBJECTID STRING, ADDNUM STRING",
        },
        credentials=s3_server.storage_options(),
    )
    with pytest.raises(Exception, match=r"county\.csv: CSV header \['OBJECTID', 'ADDRNUM'\]"):
        dataset.load().collect()


def test_unsupported_arguments_are_rejected():
    with pytest.raises(DatasetError, match="unsupported load_args"):
        ObjectStoreDataset(filepath="s3://b/k", file_format="csv", load_args={"inferSchema": True})
    with pytest.raises(DatasetError, match="file_format 'xml'"):
        ObjectStoreDataset(filepath="s3://b/k", file_format="xml")


def test_csv_values_read_as_spark_reads_them(spark, tmp_path: Path):
    """The same file through this dataset and through Spark's CSV reader gives the same rows."""
    from kedro_datasets.spark import SparkDataset

    path = tmp_path / "drop.csv"
    lines = ["ID,ADDR,NOTE", "1,N/A,NULL", '2,,"quoted, comma"', "3,NA,null", '4,"",nan']
    path.write_text("\n".join([*lines, "5, 12 Main St ,#N/A", ""]))
    args = {
        "filepath": str(path),
        "file_format": "csv",
        "load_args": {
            "header": True,
            "enforceSchema": False,
            "schema": "ID STRING, ADDR STRING, NOTE STRING",
        },
    }
    ours = {tuple(r) for r in ObjectStoreDataset(**args).load().collect()}
    sparks = {tuple(r) for r in SparkDataset(**args).load().collect()}
    assert ours == sparks
    assert ("1", "N/A", "NULL") in ours


def test_file_sets_published_through_fsspec_on_s3_are_swapped_and_put_back(
    spark, s3_server, bucket, monkeypatch
):
    """The run report (`json.JSONDataset`) and the fallback's CSV export move through fsspec,
    file by file on S3; an attempt killed between two files is put back."""
    from s3fs import S3FileSystem

    from geodata.datasets.publication import _FileSets, _FsspecFiles

    for name, value in s3_server.env().items():  # the moves use the standard AWS chain
        monkeypatch.setenv(name, value)
    S3FileSystem.clear_instance_cache()
    csv = {
        "type": "geodata.datasets.ObjectStoreDataset",
        "filepath": f"s3a://{bucket}/exports/conflated_addresses_csv",
        "file_format": "csv",
        "save_args": {"mode": "overwrite", "header": True, "partitionBy": PARTITIONS,
                      "partitionOverwriteMode": "dynamic"},
        "credentials": s3_server.storage_options(),
    }  # fmt: skip
    report = {
        "type": "json.JSONDataset",
        "filepath": f"s3a://{bucket}/reporting/run_report.json",
        "credentials": s3_server.storage_options(),
    }
    files = _FileSets({"conflated_addresses_csv": csv, "run_report": report})
    assert files.layers() == {"conflated_addresses_csv": "fsspec", "run_report": "fsspec"}

    def publish(attempt: str, rows: list, run: str) -> list:
        data = {"conflated_addresses_csv": _addresses(spark, rows), "run_report": {"run": run}}
        return [
            move
            for name in sorted(data)
            for move in files.stage(name, data[name], attempt, lambda partition: True)
        ]

    def published() -> dict[str, bytes]:
        return {k: v for k, v in _objects(s3_server, bucket).items() if "/_runs/" not in k}

    for move in publish(
        "2026-11-01_all_all/a1",
        [("a1", "Main St", DAY, "US", "US-CA"), ("f1", "Esplanadi", DAY, "FI", "FI-18")],
        "1",
    ):
        files.swap(move)  # fmt: skip
    files.clean_up("2026-11-01_all_all")
    first = published()
    assert json.loads(first["reporting/run_report.json"]) == {"run": "1"}
    assert _objects(s3_server, bucket) == first  # nothing staged or set aside is left

    # The next attempt (US-CA replaced, FI-18 emptied, a new report) dies after 3 files.
    moves = publish("2026-11-01_all_all/a2", [("a2", "Oak Ave", DAY, "US", "US-CA")], "2")
    renamed = []
    original = _FsspecFiles.rename

    def dies(self, source, target):
        if len(renamed) == 3:
            raise KeyboardInterrupt("the process is gone")
        renamed.append(source)
        original(self, source, target)

    monkeypatch.setattr(_FsspecFiles, "rename", dies)
    with pytest.raises(KeyboardInterrupt):
        for move in moves:
            files.swap(move)
    monkeypatch.setattr(_FsspecFiles, "rename", original)
    assert published() != first  # half moved: the window
    for _ in range(2):  # a rollback killed before it was recorded runs again
        for move in reversed(moves):
            files.roll_back(move)
        assert published() == first
    files.clean_up("2026-11-01_all_all")
    assert _objects(s3_server, bucket) == first
