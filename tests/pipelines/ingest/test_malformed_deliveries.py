"""A delivery with a file that lacks a mapped column fails ingest, whatever its format.

Each test runs the ingest pipeline of one source through a Kedro catalog: the source's
`raw` entry is a `DeliveryDataset` over a folder of small files, its outputs are Parquet
folders, so a failed run can be seen to have written nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner

from geodata.params import RunParams, SourceParams
from geodata.pipelines.ingest import create_pipeline
from geodata.pipelines.ingest.nodes import SourceColumnError

SOURCE = "vendor_acme"
SCHEMA = (
    "rec_id STRING, house_no STRING, street_nm STRING, postal_cd STRING, ctry STRING, "
    "longitude DOUBLE, latitude DOUBLE"
)
PARAMS = SourceParams(
    priority=2,
    geometry_accuracy="parcel",
    columns={
        "source_record_id": "rec_id",
        "house_number": "house_no",
        "street": "street_nm",
        "postcode": "postal_cd",
        "country": "ctry",
        "lon": "longitude",
        "lat": "latitude",
    },
)
ROW = {
    "rec_id": "1",
    "house_no": "12",
    "street_nm": "Main St",
    "postal_cd": "94103",
    "ctry": "US",
    "longitude": -122.4,
    "latitude": 37.7,
}
SUFFIXES = {"csv": ".csv", "parquet": ".parquet", "json": ".jsonl"}
READERS = ["spark.SparkDataset", "geodata.datasets.ObjectStoreDataset"]


def _write(path: Path, file_format: str, rows: list[dict]) -> None:
    if file_format == "parquet":
        pq.write_table(pa.Table.from_pylist(rows), path)
    elif file_format == "json":
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    else:
        columns = list(rows[0])
        lines = [",".join(columns)] + [",".join(str(row[c]) for c in columns) for row in rows]
        path.write_text("\n".join(lines) + "\n")


def _delivery(root: Path, file_format: str, second: list[dict]) -> tuple[Path, Path]:
    """A two-file delivery: a complete first file and `second`; returns the folder and file 2."""
    folder = root / "raw" / SOURCE
    folder.mkdir(parents=True)
    _write(folder / f"part-1{SUFFIXES[file_format]}", file_format, [ROW])
    broken = folder / f"part-2{SUFFIXES[file_format]}"
    _write(broken, file_format, second)
    return folder, broken


def _run_ingest(root: Path, folder: Path, file_format: str, reader: str) -> list[Path]:
    """Run the source's ingest through a catalog; return the output folders it may write."""
    load_args = {"schema": SCHEMA}
    if file_format == "csv":
        load_args.update(header=True, enforceSchema=False)
    outputs = {name: root / "out" / name for name in (f"{SOURCE}.int_mapped", "ingest.int_records")}
    catalog = DataCatalog.from_config(
        {
            f"{SOURCE}.raw": {
                "type": "geodata.datasets.deliveries.DeliveryDataset",
                "reader": reader,
                "filepath": str(folder),
                "file_format": file_format,
                "load_args": load_args,
            },
            **{
                name: {
                    "type": "spark.SparkDataset",
                    "filepath": str(path),
                    "file_format": "parquet",
                }
                for name, path in outputs.items()
            },
        }
    )
    catalog[f"params:sources.{SOURCE}"] = MemoryDataset(PARAMS)
    catalog["params:run"] = MemoryDataset(RunParams(execution_dt="2026-11-01"))
    SequentialRunner().run(create_pipeline({SOURCE: PARAMS.model_dump()}), catalog)
    return list(outputs.values())


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("file_format", ["csv", "parquet", "json"])
def test_a_file_without_a_mapped_column_fails_naming_source_column_and_file(
    spark, tmp_path, file_format, reader
):
    without_postcode = {k: v for k, v in ROW.items() if k != "postal_cd"}
    folder, broken = _delivery(tmp_path, file_format, [{**without_postcode, "rec_id": "2"}])
    with pytest.raises(SourceColumnError) as failure:
        _run_ingest(tmp_path, folder, file_format, reader)
    message = str(failure.value)
    assert f"source '{SOURCE}'" in message
    assert "'postal_cd'" in message
    assert broken.name in message and "part-1" not in message
    assert not (tmp_path / "out").exists()


def test_a_parquet_file_with_text_coordinates_fails_naming_column_file_and_type(spark, tmp_path):
    folder, broken = _delivery(tmp_path, "parquet", [{**ROW, "rec_id": "2", "longitude": "x"}])
    with pytest.raises(SourceColumnError, match=rf"'{SOURCE}'.*'longitude'.*not double") as failure:
        _run_ingest(tmp_path, folder, "parquet", "spark.SparkDataset")
    assert f"{broken.name}: string" in str(failure.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_text_that_is_not_a_number_costs_only_its_value(spark, tmp_path, file_format):
    # In CSV and JSON a type is a value's, not a file's: the reader nulls the value, the
    # record loses its point (its raw record keeps what was delivered) and the rest of
    # the file is ingested.
    folder, _ = _delivery(tmp_path, file_format, [{**ROW, "rec_id": "2", "longitude": "east"}])
    out = _run_ingest(tmp_path, folder, file_format, "spark.SparkDataset")
    mapped = spark.read.parquet(str(out[0]))
    got = {r.source_record_id: (r.reject_reason, r.lon) for r in mapped.collect()}
    assert got == {"1": (None, ROW["longitude"]), "2": (None, None)}


def test_a_complete_delivery_is_ingested(spark, tmp_path):
    folder, _ = _delivery(tmp_path, "parquet", [{**ROW, "rec_id": "2"}])
    out = _run_ingest(tmp_path, folder, "parquet", "spark.SparkDataset")
    records = spark.read.parquet(str(out[1]))
    assert {(r.source_record_id, r.postcode) for r in records.collect()} == {
        ("1", "94103"),
        ("2", "94103"),
    }
