"""A source's raw delivery, read by the environment's files dataset, each file's columns checked.

Spark's Parquet and JSON readers (and `ObjectStoreDataset`, which mirrors them) fill a
declared column that a file lacks with nulls, so a delivery without a mapped column
would load as if every value were empty. This dataset reads each file's own columns
(Parquet footers and CSV header lines on the driver, JSON keys in a Spark job) and
notes, in the loaded DataFrame's column metadata, which files lack a declared column
or hold it with another kind of type. The ingest node judges those notes against the
columns the source maps (`geodata.pipelines.ingest.nodes.map_source_records`).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import posixpath
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
from kedro.io import AbstractDataset, DatasetError
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T
from pyspark.sql.pandas.types import from_arrow_type

from geodata.datasets.object_store import ObjectStoreDataset

DELIVERY_METADATA_KEY = "geodata.delivery"
"""Column metadata key under which a loaded delivery lists its files' problems."""

# Files named per problem in the metadata (and so in an error); the count is exact.
_LISTED_FILES = 20
# A CSV header line longer than this is not a header.
_MAX_HEADER_BYTES = 1 << 20
_FOOTER_READERS = 16

_DRIVER_JSON_BYTES = 64 * 1024 * 1024
"""JSON-lines deliveries up to this size have their keys read on the driver: a Spark job
(and its Python workers) costs more than reading them."""
_FORMATS = ("csv", "parquet", "json")


@dataclass(frozen=True)
class ColumnProblems:
    """What a delivery's files say about one declared column.

    Attributes:
        missing_from: Files (URLs) without the column, at most `_LISTED_FILES` of them.
        missing_count: How many files lack it.
        other_type_in: `"<file>: <type>"` for files holding it as another kind of type.
        other_type_count: How many files hold it so.
    """

    missing_from: list[str]
    missing_count: int
    other_type_in: list[str]
    other_type_count: int


def column_problems(field: T.StructField) -> ColumnProblems | None:
    """The problems a `DeliveryDataset` noted for a loaded column, or None if it noted none."""
    noted = field.metadata.get(DELIVERY_METADATA_KEY)
    if not noted:
        return None
    return ColumnProblems(
        missing_from=list(noted.get("missing_from", [])),
        missing_count=int(noted.get("missing_count", 0)),
        other_type_in=list(noted.get("other_type_in", [])),
        other_type_count=int(noted.get("other_type_count", 0)),
    )


def _type_kind(data_type: T.DataType) -> str:
    """A type's kind: values of one kind convert to another type of that kind, not across kinds."""
    if isinstance(data_type, T.NumericType):
        return "number"
    if isinstance(data_type, (T.DateType, T.TimestampType, T.TimestampNTZType)):
        return "time"
    return data_type.typeName()


def _arrow_to_spark(arrow_type: pa.DataType) -> T.DataType | None:
    if pa.types.is_null(arrow_type):
        return None  # an all-null column reads as any type
    if pa.types.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    try:
        return from_arrow_type(arrow_type)
    except (TypeError, ValueError, NotImplementedError):
        return None  # a type this check does not know: left to the reader


def _parquet_columns(url: str, storage_options: dict[str, Any]) -> dict[str, T.DataType | None]:
    """A Parquet file's top-level columns and their Spark types, from its footer."""
    with fsspec.open(url, "rb", **storage_options) as handle:
        schema = pq.read_schema(handle)
    return {field.name: _arrow_to_spark(field.type) for field in schema}


def _csv_columns(
    url: str,
    storage_options: dict[str, Any],
    load_args: dict[str, Any],
    header: bool,
    declared: list[str],
) -> dict[str, T.DataType | None]:
    """A CSV file's columns, from its header line (without a header: the first line's width)."""
    head = bytearray()
    with fsspec.open(url, "rb", **storage_options) as handle:
        while b"\n" not in head and len(head) < _MAX_HEADER_BYTES:
            chunk = handle.read(65536)
            if not chunk:
                break
            head += chunk
    encoding = load_args.get("encoding") or load_args.get("charset") or "utf-8"
    line = bytes(head).split(b"\n", 1)[0].decode(encoding, errors="replace").lstrip("\ufeff")
    reader = csv.reader(
        io.StringIO(line.rstrip("\r")),
        delimiter=load_args.get("sep") or load_args.get("delimiter") or ",",
        quotechar=load_args.get("quote") or '"',
    )
    fields = next(reader, [])
    names = fields if header else declared[: len(fields)]
    return dict.fromkeys(names)


def _file_size(url: str, storage_options: dict[str, Any]) -> int:
    """A file's size in bytes."""
    fs, path = fsspec.core.url_to_fs(url, **storage_options)
    return int(fs.size(path))


def _json_keys_in_file(url: str, wanted: frozenset[str], storage_options: dict[str, Any]) -> set:
    """Which of `wanted` are top-level keys of some object of a JSON-lines file."""
    found: set[str] = set()
    with fsspec.open(url, "rt", encoding="utf-8", errors="replace", **storage_options) as lines:
        for line in lines:
            remaining = wanted - found
            if not remaining:
                break
            # Parse only lines that may name a key still missing (an escaped key
            # spelling cannot be told by a substring, so such lines are parsed too).
            if "\\u" not in line and not any(f'"{key}"' in line for key in remaining):
                continue
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a malformed line is the reader's (a row of nulls, quarantined)
            if isinstance(record, dict):
                found |= remaining & record.keys()
    return found


def _json_key_batches(
    batches: Iterator[pa.RecordBatch], *, wanted: frozenset[str], storage_options: dict[str, Any]
) -> Iterator[pa.RecordBatch]:
    """`mapInArrow` body: one `(path, key)` row per wanted key found in each file."""
    for batch in batches:
        for url in batch.column("path").to_pylist():
            keys = sorted(_json_keys_in_file(url, wanted, storage_options))
            yield pa.RecordBatch.from_pydict(
                {"path": [url] * len(keys), "key": keys},
                schema=pa.schema([("path", pa.string()), ("key", pa.string())]),
            )


def _partition_columns(url: str) -> set[str]:
    """Columns Spark's partition discovery reads from a file's directories (`dt=2026-11-01/`)."""
    directories = posixpath.dirname(url.split("://", 1)[-1]).split("/")
    return {part.split("=", 1)[0] for part in directories if "=" in part}


class DeliveryDataset(AbstractDataset[DataFrame, DataFrame]):
    """A source's delivery (CSV, Parquet or JSON-lines files), with each file's columns checked.

    Loads through `reader` (the environment's files dataset, `spark.SparkDataset` or
    `geodata.datasets.ObjectStoreDataset`, given the other arguments unchanged), then
    reads the columns of every file of the delivery: Parquet footers and CSV header
    lines on the driver, JSON keys on the driver too for a small delivery, else in one
    Spark job that returns at most a row per file and declared column. A declared
    column that a file lacks, or holds as another kind of type (text where a number is
    declared, ...), is noted in that column's metadata (`DELIVERY_METADATA_KEY`, read
    with `column_problems`) with the files; the data is unchanged. Upstream datasets
    give no such per-file view: with an explicit schema they fill a missing column
    with nulls.

    Example catalog entry::

        vendor_acme.raw:
          type: geodata.datasets.deliveries.DeliveryDataset
          reader: ${globals:files_dataset}
          filepath: ${globals:raw_dir}/vendor_acme/addresses.parquet
          file_format: parquet
          load_args: {schema: "rec_id STRING, postal_cd STRING, longitude DOUBLE"}

    Args:
        reader: Dataset type that reads the files, as in a catalog `type:`.
        filepath: File or folder of the delivery.
        file_format: `csv`, `parquet` or `json` (JSON lines).
        load_args: The reader's load arguments; `schema` (Spark DDL) is required. CSV
            headers are read with `header`, `sep`/`delimiter`, `quote`, `encoding`.
        credentials: Passed to the reader; also fsspec storage options for the check.
        fs_args: Passed to the reader when given; more fsspec storage options.
        metadata: Free-form metadata (e.g. for kedro-viz).
        **reader_args: Any other argument of the reader (`save_args`, ...).
    """

    def __init__(
        self,
        *,
        reader: str = "spark.SparkDataset",
        filepath: str,
        file_format: str,
        load_args: dict[str, Any] | None = None,
        credentials: dict[str, Any] | None = None,
        fs_args: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        **reader_args: Any,
    ) -> None:
        if file_format not in _FORMATS:
            raise DatasetError(f"{filepath}: file_format {file_format!r} is not one of {_FORMATS}")
        self._load_args = dict(load_args or {})
        if not self._load_args.get("schema"):
            raise DatasetError(f"{filepath}: load_args.schema (Spark DDL) is required")
        config: dict[str, Any] = {
            "type": reader,
            "filepath": filepath,
            "file_format": file_format,
            "load_args": self._load_args,
            **reader_args,
        }
        if credentials is not None:
            config["credentials"] = credentials
        if fs_args is not None:
            config["fs_args"] = fs_args
        self._reader = AbstractDataset.from_config(str(filepath), config)
        self._filepath = str(filepath)
        self._format = file_format
        self._storage_options = {**(credentials or {}), **(fs_args or {})}
        self.metadata = metadata

    @property
    def reader(self) -> AbstractDataset:
        """The dataset that reads the files (the environment's files dataset)."""
        return self._reader

    def _describe(self) -> dict[str, Any]:
        return {
            "reader": type(self._reader).__name__,
            "filepath": self._filepath,
            "file_format": self._format,
        }

    def _exists(self) -> bool:
        return self._reader.exists()

    def delivered_bytes(self) -> int:
        """Bytes of the delivery's files, every delivery (listed as they are read)."""
        return sum(_file_size(url, self._storage_options) for url in self._list_files())

    def _save(self, data: DataFrame) -> None:
        self._reader.save(data)

    def _load(self) -> DataFrame:
        data = self._reader.load()
        declared = T.StructType.fromDDL(self._load_args["schema"])
        spark_reader = not isinstance(self._reader, ObjectStoreDataset)
        # Spark resolves CSV and Parquet columns by name without regard to case (unless
        # spark.sql.caseSensitive), JSON keys and ObjectStoreDataset exactly.
        fold_case = (
            spark_reader
            and self._format != "json"
            and data.sparkSession.conf.get("spark.sql.caseSensitive", "false").lower() != "true"
        )
        # Spark lists its input files as URIs (a space is `%20`); fsspec opens plain paths.
        listed = [unquote(url) for url in data.inputFiles()] if spark_reader else []
        files = listed or self._list_files()
        found = self._file_columns(data, files, declared.fieldNames())
        key = str.casefold if fold_case else str
        present = {
            url: {
                key(name): data_type
                for name, data_type in {
                    **(dict.fromkeys(_partition_columns(url)) if spark_reader else {}),
                    **columns,
                }.items()
            }
            for url, columns in found.items()
        }
        noted = {}
        for field in declared.fields:
            name = key(field.name)
            missing = sorted(url for url, columns in present.items() if name not in columns)
            other_type = sorted(
                f"{url}: {columns[name].simpleString()}"
                for url, columns in present.items()
                if columns.get(name) is not None
                and _type_kind(columns[name]) != _type_kind(field.dataType)
            )
            if missing or other_type:
                noted[field.name] = {
                    "missing_from": missing[:_LISTED_FILES],
                    "missing_count": len(missing),
                    "other_type_in": other_type[:_LISTED_FILES],
                    "other_type_count": len(other_type),
                }
        if not noted:
            return data
        return data.select(
            *[
                F.col(f"`{name}`").alias(name, metadata={DELIVERY_METADATA_KEY: noted[name]})
                if name in noted
                else F.col(f"`{name}`")
                for name in data.columns
            ]
        )

    def _list_files(self) -> list[str]:
        """The delivery's files as `ObjectStoreDataset` lists them (no hidden `_`/`.` files)."""
        fs, path = fsspec.core.url_to_fs(self._filepath, **self._storage_options)
        if not fs.isdir(path):
            return [self._filepath]
        names = sorted(
            name for name in fs.find(path) if not posixpath.basename(name).startswith(("_", "."))
        )
        return [fs.unstrip_protocol(name) for name in names]

    def _csv_has_header(self) -> bool:
        # Spark reads no header unless told; ObjectStoreDataset reads one unless told.
        header = self._load_args.get("header", isinstance(self._reader, ObjectStoreDataset))
        return str(header).lower() == "true"

    def _file_columns(
        self, data: DataFrame, files: list[str], declared: list[str]
    ) -> dict[str, dict[str, T.DataType | None]]:
        """Each file's columns (with their Spark types where the file says)."""
        if self._format == "json":
            return self._json_file_columns(data, files, declared)
        if self._format == "parquet":
            read = functools.partial(_parquet_columns, storage_options=self._storage_options)
        else:
            read = functools.partial(
                _csv_columns,
                storage_options=self._storage_options,
                load_args=self._load_args,
                header=self._csv_has_header(),
                declared=declared,
            )
        # Metadata reads only (a footer, a line), many of them on object stores: in threads.
        with ThreadPoolExecutor(max_workers=_FOOTER_READERS) as pool:
            return dict(zip(files, pool.map(read, files), strict=True))

    def _json_file_columns(
        self, data: DataFrame, files: Iterable[str], declared: list[str]
    ) -> dict[str, dict[str, T.DataType | None]]:
        """The declared keys each JSON-lines file holds.

        A file is read until every declared key has been seen, to its end when one
        never is. Deliveries of at most `_DRIVER_JSON_BYTES` are read on the driver, in
        threads; larger ones in one Spark task per file.
        """
        files = list(files)
        wanted = frozenset(declared)
        with ThreadPoolExecutor(max_workers=_FOOTER_READERS) as pool:
            sizes = list(
                pool.map(
                    functools.partial(_file_size, storage_options=self._storage_options), files
                )
            )
            if sum(sizes) <= _DRIVER_JSON_BYTES:
                read = functools.partial(
                    _json_keys_in_file, wanted=wanted, storage_options=self._storage_options
                )
                return {
                    url: dict.fromkeys(sorted(keys))
                    for url, keys in zip(files, pool.map(read, files), strict=True)
                }
        paths = data.sparkSession.createDataFrame([(f,) for f in files], "path STRING")
        keys = functools.partial(
            _json_key_batches,
            wanted=wanted,
            storage_options=self._storage_options,
        )
        found = (
            paths.repartition(max(1, len(files)))
            .mapInArrow(keys, "path STRING, key STRING")
            .collect()  # bounded: at most one row per file and declared column
        )
        columns: dict[str, dict[str, T.DataType | None]] = {url: {} for url in files}
        for row in found:
            columns[row.path][row.key] = None
        return columns
