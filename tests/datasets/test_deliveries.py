"""DeliveryDataset on small multi-file deliveries: each file's own columns, in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from geodata.datasets import deliveries
from geodata.datasets.deliveries import DELIVERY_METADATA_KEY, DeliveryDataset, column_problems

SCHEMA = "rec_id STRING, street_nm STRING, postal_cd STRING, longitude DOUBLE"
FULL = [
    {"rec_id": "1", "street_nm": "Main St", "postal_cd": "94103", "longitude": -122.4},
    {"rec_id": "2", "street_nm": "Oak Ave", "postal_cd": "94110", "longitude": -122.5},
]
PARTIAL = [{"rec_id": "3", "street_nm": "Elm St", "longitude": -122.3}]


def _write(folder: Path, file_format: str, name: str, rows: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    suffix = "jsonl" if file_format == "json" else file_format
    path = folder / f"{name}.{suffix}"
    if file_format == "parquet":
        pq.write_table(pa.Table.from_pylist(rows), path)
    elif file_format == "json":
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    else:
        columns = list(rows[0])
        lines = [",".join(columns)] + [",".join(str(row[c]) for c in columns) for row in rows]
        path.write_text("\n".join(lines) + "\n")
    return path


def _dataset(folder: Path, file_format: str, reader: str = "spark.SparkDataset", schema=SCHEMA):
    load_args = {"schema": schema}
    if file_format == "csv":
        load_args.update(header=True, enforceSchema=False)
    return DeliveryDataset(
        reader=reader, filepath=str(folder), file_format=file_format, load_args=load_args
    )


READERS = ["spark.SparkDataset", "geodata.datasets.ObjectStoreDataset"]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("file_format", ["csv", "parquet", "json"])
def test_a_file_lacking_a_declared_column_is_noted_on_that_column(
    spark, tmp_path, file_format, reader
):
    _write(tmp_path, file_format, "part-1", FULL)
    partial = _write(tmp_path, file_format, "part-2", PARTIAL)
    data = _dataset(tmp_path, file_format, reader).load()
    noted = column_problems(data.schema["postal_cd"])
    assert noted is not None
    assert noted.missing_count == 1
    assert [Path(url.split("://", 1)[-1]).name for url in noted.missing_from] == [partial.name]
    assert all(column_problems(data.schema[c]) is None for c in ("rec_id", "street_nm"))


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("file_format", ["csv", "parquet", "json"])
def test_a_complete_delivery_loads_unchanged_and_without_notes(
    spark, tmp_path, file_format, reader
):
    _write(tmp_path, file_format, "part-1", FULL)
    _write(tmp_path, file_format, "part-2", FULL[:1])
    data = _dataset(tmp_path, file_format, reader).load()
    assert all(not field.metadata for field in data.schema.fields)
    assert sorted(r.rec_id for r in data.collect()) == ["1", "1", "2"]


def test_a_json_key_found_on_a_later_line_counts_as_present(spark, tmp_path):
    # Writers leave out null fields: a key present on any line is a column of the file.
    rows = [{"rec_id": "1", "street_nm": "Main St", "longitude": 1.0}] * 3
    _write(tmp_path, "json", "part-1", [*rows, FULL[0]])
    data = _dataset(tmp_path, "json").load()
    assert column_problems(data.schema["postal_cd"]) is None


@pytest.mark.parametrize("driver_bytes", [0, 64 * 1024 * 1024])
def test_json_keys_read_in_spark_for_a_large_delivery_or_on_the_driver_agree(
    spark, tmp_path, monkeypatch, driver_bytes
):
    # A delivery over the driver's share has its keys read by Spark tasks: same notes.
    monkeypatch.setattr(deliveries, "_DRIVER_JSON_BYTES", driver_bytes)
    _write(tmp_path, "json", "part-1", FULL)
    partial = _write(tmp_path, "json", "part-2", PARTIAL)
    rows = [{"rec_id": "4", "street_nm": "Elm St", "longitude": 2.0}] * 2
    _write(tmp_path, "json", "part-3", [*rows, FULL[0]])

    data = _dataset(tmp_path, "json").load()

    noted = column_problems(data.schema["postal_cd"])
    assert [Path(url.split("://", 1)[-1]).name for url in noted.missing_from] == [partial.name]
    assert noted.missing_count == 1


def test_notes_name_only_the_files_without_changing_rows(spark, tmp_path):
    _write(tmp_path, "parquet", "part-1", FULL)
    _write(tmp_path, "parquet", "part-2", PARTIAL)
    data = _dataset(tmp_path, "parquet").load()
    rows = sorted((r.rec_id, r.postal_cd) for r in data.collect())
    assert rows == [("1", "94103"), ("2", "94110"), ("3", None)]
    assert set(data.schema["postal_cd"].metadata) == {DELIVERY_METADATA_KEY}


def test_text_where_a_number_is_declared_is_noted_with_the_file_and_its_type(spark, tmp_path):
    _write(tmp_path, "parquet", "part-1", FULL)
    texts = [{**row, "longitude": str(row["longitude"])} for row in FULL]
    wrong = _write(tmp_path, "parquet", "part-2", texts)
    noted = column_problems(_dataset(tmp_path, "parquet").load().schema["longitude"])
    assert noted is not None and noted.other_type_count == 1 and noted.missing_count == 0
    assert noted.other_type_in[0].endswith(f"{wrong.name}: string")


def test_a_partition_directory_supplies_its_column(spark, tmp_path):
    rows = [{k: v for k, v in row.items() if k != "postal_cd"} for row in FULL]
    _write(tmp_path / "postal_cd=94103", "parquet", "part-1", rows)
    data = _dataset(tmp_path, "parquet").load()
    assert column_problems(data.schema["postal_cd"]) is None
    assert {r.postal_cd for r in data.collect()} == {"94103"}


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_spark_matches_csv_and_parquet_columns_regardless_of_case(spark, tmp_path, file_format):
    rows = [{k.upper() if k == "postal_cd" else k: v for k, v in row.items()} for row in FULL]
    _write(tmp_path, file_format, "part-1", rows)
    data = _dataset(tmp_path, file_format).load()
    assert column_problems(data.schema["postal_cd"]) is None
    assert {r.postal_cd for r in data.collect()} == {"94103", "94110"}


def test_a_single_file_delivery_is_checked(spark, tmp_path):
    path = _write(tmp_path, "csv", "addresses", PARTIAL)
    dataset = DeliveryDataset(
        filepath=str(path),
        file_format="csv",
        load_args={"schema": SCHEMA, "header": True, "enforceSchema": False},
    )
    noted = column_problems(dataset.load().schema["postal_cd"])
    assert noted is not None and noted.missing_count == 1
    assert noted.missing_from[0].endswith("addresses.csv")
