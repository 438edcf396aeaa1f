"""File sets on any fsspec filesystem (s3://, gs://, local, ...) moved by Spark's Python workers:
the fallback for raw drops and the CSV export on a cluster without Spark's s3a connector.

`prod` reads and writes those files with `spark.SparkDataset` on `s3a://` paths, which
needs the `hadoop-aws` connector and an AWS SDK on the cluster's classpath (PyPI's
pyspark ships neither; docs/production.md, "Object stores"). Where a cluster lacks
them, this dataset reads and writes the same file formats through fsspec (s3fs for
`s3://` and `s3a://`) in the executors' Python workers instead. It takes the same
catalog arguments as `spark.SparkDataset`, so an environment switches between the two
by changing only the dataset `type` (`GEODATA_FILES_DATASET`, `files_dataset` in
`conf/*/globals.yml`).
"""

from __future__ import annotations

import functools
import posixpath
import uuid
from collections.abc import Iterator
from contextlib import suppress
from typing import Any
from urllib.parse import quote

import fsspec
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.json as pa_json
import pyarrow.parquet as pq
from fsspec.implementations.local import LocalFileSystem
from kedro.io import AbstractDataset, DatasetError
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import types as T
from pyspark.sql.pandas.types import to_arrow_schema

_FORMATS = ("csv", "parquet", "json")
_SAVE_FORMATS = ("csv", "parquet")
_SUFFIXES = {"csv": ".csv", "parquet": ".parquet", "json": ".jsonl"}
# `spark.SparkDataset` arguments this dataset honours; anything else is an error, not ignored.
_LOAD_ARGS = {"schema", "header", "enforceSchema"}
_SAVE_ARGS = {"mode", "header", "escape", "partitionBy", "partitionOverwriteMode"}
_MODES = ("overwrite", "append", "error", "errorifexists")
_WRITTEN = T.StructType([T.StructField("file", T.StringType())])


def _read_file(
    url: str,
    file_format: str,
    schema: pa.Schema,
    header: bool,
    storage_options: dict[str, Any],
) -> pa.Table:
    """One file as an Arrow table with exactly `schema`'s columns and types.

    Missing columns are null in Parquet and JSON files, as in Spark's schema-on-read;
    a CSV header must name the schema's columns in order (Spark's `enforceSchema: false`).
    A quote inside a quoted CSV field is doubled (RFC 4180); Spark's reader expects a
    backslash there unless told `escape: '"'`.
    """
    with fsspec.open(url, "rb", **storage_options) as handle:
        if file_format == "csv":
            names = schema.names
            table = pa_csv.read_csv(
                handle,
                read_options=pa_csv.ReadOptions(
                    column_names=None if header else names, autogenerate_column_names=False
                ),
                # As Spark's CSV reader: an empty field, quoted or not, is null; "N/A",
                # "NULL", ... are values (unlike pyarrow's defaults).
                convert_options=pa_csv.ConvertOptions(
                    column_types=schema,
                    null_values=[""],
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )
            if header and table.column_names != names:
                raise DatasetError(
                    f"{url}: CSV header {table.column_names} does not match the declared "
                    f"schema columns {names}"
                )
            return table.cast(schema)
        if file_format == "parquet":
            table = pq.read_table(handle)
        else:
            table = pa_json.read_json(
                handle,
                parse_options=pa_json.ParseOptions(
                    explicit_schema=schema, unexpected_field_behavior="ignore"
                ),
            )
    columns = [
        table[field.name].cast(field.type)
        if field.name in table.column_names
        else pa.nulls(table.num_rows, field.type)
        for field in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def _read_files(
    batches: Iterator[pa.RecordBatch],
    *,
    file_format: str,
    schema: pa.Schema,
    header: bool,
    storage_options: dict[str, Any],
) -> Iterator[pa.RecordBatch]:
    """`mapInArrow` body: the rows of each file named in the `path` column."""
    for batch in batches:
        for url in batch.column("path").to_pylist():
            table = _read_file(url, file_format, schema, header, storage_options)
            yield from table.to_batches(max_chunksize=50_000)


def _partition_directory(root: str, columns: list[str], values: tuple) -> str:
    """`root/col=value/...`, with Hive's spelling of null and percent-escaped values."""
    parts = [
        f"{column}={'__HIVE_DEFAULT_PARTITION__' if value is None else quote(str(value), safe='')}"
        for column, value in zip(columns, values, strict=True)
    ]
    return posixpath.join(root, *parts) if parts else root


def _write_files(
    batches: Iterator[pa.RecordBatch],
    *,
    root: str,
    file_format: str,
    partition_by: list[str],
    header: bool,
    storage_options: dict[str, Any],
) -> Iterator[pa.RecordBatch]:
    """`mapInArrow` body: write this task's rows, one file per partition value it holds.

    Yields one row per file written: its URL.
    """
    token = uuid.uuid4().hex
    open_files: dict[tuple, tuple[Any, Any, str]] = {}
    try:
        for batch in batches:
            table = pa.Table.from_batches([batch])
            keys = table.select(partition_by).to_pylist() if partition_by else [{}] * table.num_rows
            grouped: dict[tuple, list[int]] = {}
            for index, key in enumerate(keys):
                grouped.setdefault(tuple(key.get(c) for c in partition_by), []).append(index)
            data = table.drop_columns(partition_by)
            for key, rows in grouped.items():
                if key not in open_files:
                    directory = _partition_directory(root, partition_by, key)
                    url = f"{directory}/part-{token}-{len(open_files):05d}{_SUFFIXES[file_format]}"
                    handle = fsspec.open(url, "wb", **storage_options).open()
                    if file_format == "csv":
                        writer = pa_csv.CSVWriter(
                            handle,
                            data.schema,
                            write_options=pa_csv.WriteOptions(
                                include_header=header, quoting_style="needed"
                            ),
                        )
                    else:
                        writer = pq.ParquetWriter(handle, data.schema)
                    open_files[key] = (handle, writer, url)
                open_files[key][1].write_table(data.take(rows))
    finally:
        for handle, writer, _ in open_files.values():
            writer.close()
            handle.close()
    yield pa.RecordBatch.from_pylist(
        [{"file": url} for _, _, url in open_files.values()],
        schema=pa.schema([("file", pa.string())]),
    )


class ObjectStoreDataset(AbstractDataset[DataFrame, DataFrame]):
    """A CSV/Parquet/JSON-lines file or folder on an fsspec filesystem, as a Spark DataFrame.

    Loading lists the files on the driver (a bounded listing) and reads each file in
    one Spark task with pyarrow, so a drop of N files is read by N tasks; a single
    file must fit in an executor's memory. Saving writes from the executors, one file
    per task and partition value, laid out as Spark does (`col=value/part-*.csv`), and
    commits like Spark's own writers: the tasks write below a staging folder beside
    the path (`_<name>.staging-<token>`); only when every task has succeeded does the
    driver move the files the successful tasks reported into place (a rename on a
    local disk, a copy on an object store), then remove the staging folder. A failed
    job, or a failed move, leaves the path as it was: the staging folder and any file
    already moved in (each new file has a name of its own) are removed. With
    `mode: overwrite` the files the save did not write are removed after the new ones
    are in place: every other file, or with `partitionOverwriteMode: dynamic` those in
    the partitions written. A driver killed while moving leaves part of the new files
    in place and the staging folder behind; the CSV export is saved through the
    publication step (`PublishedTablesDataset`), which stages it in a folder of its
    own and puts the previous files back after such a kill.

    Example catalog entry::

        county_gis.raw:
          type: geodata.datasets.ObjectStoreDataset
          filepath: s3a://vendor-drops/addresses/county_gis/addresses.csv
          file_format: csv
          load_args: {header: true, schema: "OBJECTID STRING, ADDNUM STRING"}

    Credentials come from `credentials` (fsspec storage options, e.g. `key`, `secret`,
    `client_kwargs: {endpoint_url: ...}`) or, when absent, from the filesystem's own
    chain: for S3 the `AWS_*` environment variables, a profile or an instance role,
    on the driver and on every executor.

    Args:
        filepath: File or folder URL (`s3a://bucket/key` or `s3://...`, `/local/path`, ...).
        file_format: `csv`, `parquet` or `json` (JSON lines); saving: `csv` or `parquet`.
        load_args: `schema` (Spark DDL, required to load), `header` (CSV, default true),
            `enforceSchema` (accepted for `spark.SparkDataset` parity; the CSV header is
            always checked against the schema).
        save_args: `mode` (`overwrite`, `append`, `error`), `header` (CSV, default true),
            `partitionBy`, `partitionOverwriteMode` (`static` or `dynamic`), `escape`
            (only `"`: RFC 4180 doubling, which is what is written).
        credentials: fsspec storage options.
        fs_args: More fsspec storage options (merged over `credentials`).
        metadata: Free-form metadata (e.g. for kedro-viz).
    """

    def __init__(
        self,
        *,
        filepath: str,
        file_format: str,
        load_args: dict[str, Any] | None = None,
        save_args: dict[str, Any] | None = None,
        credentials: dict[str, Any] | None = None,
        fs_args: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        if file_format not in _FORMATS:
            raise DatasetError(f"{filepath}: file_format {file_format!r} is not one of {_FORMATS}")
        self._load_args = dict(load_args or {})
        self._save_args = dict(save_args or {})
        for given, known, what in (
            (self._load_args, _LOAD_ARGS, "load_args"),
            (self._save_args, _SAVE_ARGS, "save_args"),
        ):
            unknown = sorted(set(given) - known)
            if unknown:
                raise DatasetError(
                    f"{filepath}: unsupported {what} {unknown}; known: {sorted(known)}"
                )
        mode = self._save_args.get("mode", "errorifexists")
        if mode not in _MODES:
            raise DatasetError(f"{filepath}: save mode {mode!r} is not one of {_MODES}")
        if self._save_args.get("escape", '"') != '"':
            raise DatasetError(f"{filepath}: only escape: '\"' (RFC 4180) is supported")
        self._filepath = filepath.rstrip("/")
        self._format = file_format
        self._storage_options = {**(credentials or {}), **(fs_args or {})}
        self.metadata = metadata

    def _describe(self) -> dict[str, Any]:
        return {"filepath": self._filepath, "file_format": self._format}

    def _filesystem(self) -> tuple[fsspec.AbstractFileSystem, str]:
        return fsspec.core.url_to_fs(self._filepath, **self._storage_options)

    def _exists(self) -> bool:
        fs, path = self._filesystem()
        return fs.exists(path)

    def _files(self) -> list[str]:
        fs, path = self._filesystem()
        if not fs.exists(path):
            raise DatasetError(f"{self._filepath} does not exist")
        if not fs.isdir(path):
            return [self._filepath]
        names = sorted(
            name for name in fs.find(path) if not posixpath.basename(name).startswith(("_", "."))
        )
        return [fs.unstrip_protocol(name) for name in names]

    def _load(self) -> DataFrame:
        ddl = self._load_args.get("schema")
        if not ddl:
            raise DatasetError(f"{self._filepath}: load_args.schema (Spark DDL) is required")
        spark = SparkSession.builder.getOrCreate()
        schema = T.StructType.fromDDL(ddl)
        files = self._files()
        paths = spark.createDataFrame([(f,) for f in files], "path STRING").repartition(len(files))
        reader = functools.partial(
            _read_files,
            file_format=self._format,
            schema=to_arrow_schema(schema),
            header=bool(self._load_args.get("header", True)),
            storage_options=self._storage_options,
        )
        return paths.mapInArrow(reader, schema)

    def _staging(self, root: str) -> str:
        """A new staging folder beside `root`, hidden from readers of its folder (`_`)."""
        parent, _, name = root.rstrip("/").rpartition("/")
        if not parent:
            raise DatasetError(f"{self._filepath}: saving needs a path inside a folder or bucket")
        return f"{parent}/_{name}.staging-{uuid.uuid4().hex}"

    def _save(self, data: DataFrame) -> None:
        if self._format not in _SAVE_FORMATS:
            raise DatasetError(f"{self._filepath}: saving {self._format} is not supported")
        mode = self._save_args.get("mode", "errorifexists")
        if mode in ("error", "errorifexists") and self._exists():
            raise DatasetError(f"{self._filepath} already exists (save mode {mode})")
        partition_by = list(self._save_args.get("partitionBy") or [])
        missing = [c for c in partition_by if c not in data.columns]
        if missing:
            raise DatasetError(f"{self._filepath}: partitionBy columns {missing} not in the data")
        fs, root = self._filesystem()
        staging = self._staging(root)
        writer = functools.partial(
            _write_files,
            root=fs.unstrip_protocol(staging),
            file_format=self._format,
            partition_by=partition_by,
            header=bool(self._save_args.get("header", True)),
            storage_options=self._storage_options,
        )
        try:
            # Only the attempts that succeeded report their files: a failed or
            # speculative attempt's files stay in the staging folder.
            written = data.mapInArrow(writer, _WRITTEN).collect()  # bounded: one row per file
            below = {fs._strip_protocol(r.file)[len(staging) :] for r in written}
            self._move_into_place(fs, staging, root, sorted(below))
        finally:
            with suppress(FileNotFoundError):
                fs.rm(staging, recursive=True)
        if mode == "overwrite":
            dynamic = self._save_args.get("partitionOverwriteMode", "static") == "dynamic"
            directories = {posixpath.dirname(root + rel) for rel in below}
            self._remove_stale({root + rel for rel in below}, directories, dynamic)

    @staticmethod
    def _move_into_place(
        fs: fsspec.AbstractFileSystem, staging: str, root: str, below: list[str]
    ) -> None:
        """Move the staged files to `root`; on any failure remove those already there."""
        targets = [root + rel for rel in below]
        try:
            if isinstance(fs, LocalFileSystem):
                for rel, target in zip(below, targets, strict=True):
                    fs.makedirs(posixpath.dirname(target), exist_ok=True)
                    fs.mv(staging + rel, target)
            elif below:
                # An object store renames by copying: copy them all (concurrently where
                # the filesystem can); the staging folder is removed afterwards.
                fs.copy([staging + rel for rel in below], targets)
        except BaseException:
            with suppress(Exception):  # the error that stopped the move is the one to see
                arrived = [target for target in targets if fs.exists(target)]
                if arrived:
                    fs.rm(arrived)
            raise

    def _remove_stale(self, keep: set[str], directories: set[str], dynamic: bool) -> None:
        """Delete files the save did not write: in the written partitions, or everywhere."""
        fs, root = self._filesystem()
        if not fs.exists(root):
            return
        scopes = directories if dynamic else [root]
        for scope in scopes:
            stale = [p for p in fs.find(scope) if p not in keep]
            if stale:
                fs.rm(stale)
