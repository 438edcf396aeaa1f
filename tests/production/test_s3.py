"""Sources read from and the CSV export written to a real S3 API (moto server) through the
catalog, and the object-store dataset's own contract on it."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pandas as pd
import pytest
from kedro.io import DatasetError
from pyspark.sql import functions as F

from geodata.datasets import ObjectStoreDataset
from tests.production.conftest import EXPORT_BUCKET, RUN_DT

PARTITIONS = ["execution_dt", "iso_3166_1", "iso_3166_2"]


def _partition_values(key: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in key.split("/") if "=" in part)


def _csv_rows(files: list[tuple[str, bytes]]) -> pd.DataFrame:
    """CSV file set rows, with the partition values from each file's path."""
    frames = []
    for key, body in files:
        frame = pd.read_csv(io.BytesIO(body))
        for column, value in _partition_values(key).items():
            frame[column] = value
        frames.append(frame)
    return pd.concat(frames, ignore_index=True).sort_values("address_id", ignore_index=True)


def test_csv_export_on_s3_has_the_local_runs_rows(pipeline_runs, s3_server):
    client = s3_server.client()
    listing = client.list_objects_v2(Bucket=EXPORT_BUCKET, Prefix=pipeline_runs.export_prefix)
    keys = [o["Key"] for o in listing.get("Contents", [])]
    assert keys and all(k.endswith(".csv") for k in keys)
    regions = {_partition_values(k)["iso_3166_2"] for k in keys}
    assert {_partition_values(k)["execution_dt"] for k in keys} == {RUN_DT}
    exported = _csv_rows(
        [(k, client.get_object(Bucket=EXPORT_BUCKET, Key=k)["Body"].read()) for k in keys]
    )

    local_root = pipeline_runs.local_export
    local_files = sorted(local_root.rglob("part-*.csv"))
    local = _csv_rows([(p.relative_to(local_root).as_posix(), p.read_bytes()) for p in local_files])
    assert regions == set(local["iso_3166_2"])
    assert exported["address_id"].tolist() == local["address_id"].tolist()
    pd.testing.assert_frame_equal(exported[local.columns], local, check_dtype=False)


@pytest.fixture()
def bucket(s3_server) -> str:
    name = f"geodata-test-{uuid.uuid4().hex[:8]}"
    s3_server.client().create_bucket(Bucket=name)
    return name


def _addresses(spark, rows):
    return spark.createDataFrame(
        rows,
        "address_id STRING, street STRING, execution_dt DATE, iso_3166_1 STRING, iso_3166_2 STRING",
    )


def test_partitioned_csv_round_trip_and_dynamic_overwrite(spark, s3_server, bucket):
    from datetime import date

    dataset = ObjectStoreDataset(
        filepath=f"s3://{bucket}/export",
        file_format="csv",
        load_args={"header": True, "schema": "address_id STRING, street STRING"},
        save_args={"mode": "overwrite", "header": True, "partitionBy": PARTITIONS,
                   "partitionOverwriteMode": "dynamic"},
        credentials=s3_server.storage_options(),
    )  # fmt: skip
    day = date(2026, 11, 1)
    dataset.save(
        _addresses(
            spark,
            [
                ("a1", 'Main "St", N', day, "US", "US-CA"),
                ("a2", None, day, "US", "US-CA"),
                ("f1", "Mannerheimintie", day, "FI", "FI-18"),
            ],
        )
    )
    client = s3_server.client()

    def objects() -> dict[str, bytes]:
        listing = client.list_objects_v2(Bucket=bucket, Prefix="export/").get("Contents", [])
        return {
            o["Key"]: client.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listing
        }

    first = objects()
    assert {k.rsplit("/", 1)[0] for k in first} == {
        "export/execution_dt=2026-11-01/iso_3166_1=US/iso_3166_2=US-CA",
        "export/execution_dt=2026-11-01/iso_3166_1=FI/iso_3166_2=FI-18",
    }
    loaded = {tuple(r) for r in dataset.load().collect()}
    assert loaded == {("a1", 'Main "St", N'), ("a2", None), ("f1", "Mannerheimintie")}

    # Rewriting US-CA replaces that partition only; FI-18 keeps its file.
    dataset.save(_addresses(spark, [("a3", "Oak Ave", day, "US", "US-CA")]))
    second = objects()
    fi = [k for k in first if "FI-18" in k]
    assert all(second.get(k) == first[k] for k in fi)
    assert {tuple(r) for r in dataset.load().collect()} == {
        ("a3", "Oak Ave"), ("f1", "Mannerheimintie"),
    }  # fmt: skip


def test_sources_load_from_s3_with_their_declared_schema(spark, s3_server, bucket, tmp_path: Path):
    frame = pd.DataFrame({"rec_id": ["r1", "r2"], "longitude": [-122.4, 24.9], "extra": [1, 2]})
    frame.to_parquet(tmp_path / "part.parquet", index=False)
    client = s3_server.client()
    client.upload_file(str(tmp_path / "part.parquet"), bucket, "drops/acme/one.parquet")
    client.put_object(Bucket=bucket, Key="drops/acme/_SUCCESS", Body=b"")
    dataset = ObjectStoreDataset(
        filepath=f"s3://{bucket}/drops/acme",
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
