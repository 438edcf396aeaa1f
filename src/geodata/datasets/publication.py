"""Publishes a run's three output tables, its CSV export and its report together: staged
files first, then one short step that a killed run can never leave half done.

Hive has no multi-table transaction, so a run's tables are published like this
(docs/reliability.md):

1. Stage: each table's rows are written as Parquet under the table's location, in a
   folder of their own (`_runs/<scope>/<attempt>/`); each file dataset (the CSV
   export, the run report) is saved, with its own dataset type, to the same kind of
   folder beside its path. Readers see nothing of it.
2. Record: a row in the runs table (`<database>.runs`) marks the attempt
   `publishing`, with the plan: each partition's new location and the one it had,
   and each file or partition folder's staged path and where its previous one goes.
3. Swap: each partition in the run's scope is pointed at its staged folder (added
   when new); a partition in scope the run has no rows for is pointed at an empty
   folder. These are metadata calls only. Then each file (or partition folder of a
   partitioned file set) is renamed into place, its previous one renamed aside.
4. Commit: a second row marks the attempt `committed`. Then the replaced folders,
   the emptied partitions and earlier attempts' leftovers are removed.

An attempt killed before 4 is rolled back by the next publication whose scope
overlaps it, before anything else: every partition gets back the location it had
and every file its previous version, so readers see what they saw before the
killed run.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
from fsspec.implementations.local import LocalFileSystem
from kedro.io import AbstractDataset, DatasetError
from kedro.io.core import parse_dataset_definition
from py4j.protocol import Py4JJavaError
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from geodata.datasets.hive_table import HivePartitionedTableDataset, quote_identifier
from geodata.datasets.validation import SparkSchemaValidator
from geodata.schemas import PARTITION_COLUMNS, RunTables

logger = logging.getLogger(__name__)

RUNS_SCHEMA = T.StructType(
    [
        T.StructField("attempt", T.StringType(), False),
        T.StructField("execution_dt", T.StringType(), False),
        T.StructField("scope", T.StringType(), False),  # JSON: partition column → value
        T.StructField("status", T.StringType(), False),  # publishing | committed | rolled_back
        T.StructField("recorded_at", T.TimestampType(), False),
        T.StructField("rows", T.StringType(), True),  # JSON: table → rows published
        T.StructField("plan", T.StringType(), True),  # JSON: see _Plan.as_json
    ]
)


_LISTING_ATTEMPTS = 3
"""Times a folder's recursive listing is tried while other runs delete below it."""


def _literal(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _spec(partition: Mapping[str, str]) -> str:
    return ", ".join(f"{quote_identifier(c)} = {_literal(partition[c])}" for c in PARTITION_COLUMNS)


def _scope_key(scope: Mapping[str, str | None]) -> str:
    return "_".join(scope.get(c) or "all" for c in PARTITION_COLUMNS)


def _overlaps(a: Mapping[str, str | None], b: Mapping[str, str | None]) -> bool:
    return all(a.get(c) is None or b.get(c) is None or a[c] == b[c] for c in PARTITION_COLUMNS)


@dataclass
class _Swap:
    """One partition of one table: where it pointed before the run, and where after."""

    table: str
    partition: dict[str, str]
    old: str | None
    new: str
    emptied: bool


@dataclass
class _Move:
    """One file, or one partition folder of a file set, of a published file dataset.

    At the swap, `final` (when there) is renamed to `previous`, then `new` (None: an
    emptied partition) to `final`. Rolling back puts `previous` back, or removes a
    `final` that did not exist before (`existed`); done twice, it changes nothing more.
    `new_files` are the staged files' paths below `new` ("" for a file): on an object
    store a folder moves file by file, and rolling back moves those files back first.
    `via` names the file system layer the dataset writes through, which moves it too:
    `hadoop` (Spark's, for Spark datasets) or `fsspec` (the others, and plans recorded
    without it).
    """

    final: str
    new: str | None
    previous: str
    existed: bool
    new_files: list[str] = field(default_factory=list)
    via: str = "fsspec"


def _parent(path: str) -> tuple[str, str]:
    parent, _, name = path.rstrip("/").rpartition("/")
    return parent or ".", name


class _Files:
    """The Hadoop file system calls publication needs, on any scheme Spark reads.

    Tables, the runs table and file datasets written by Spark go through these, so
    they reach storage with Spark's own connector and settings (`s3a://`, `hdfs://`,
    `file://`, ...).
    """

    def __init__(self, spark: SparkSession) -> None:
        self._jvm = spark._jvm
        self._conf = spark._jsc.hadoopConfiguration()

    def _fs(self, path: str):
        hadoop_path = self._jvm.org.apache.hadoop.fs.Path(path)
        return hadoop_path, hadoop_path.getFileSystem(self._conf)

    def exists(self, path: str) -> bool:
        hadoop_path, fs = self._fs(path)
        return fs.exists(hadoop_path)

    def mkdirs(self, path: str) -> None:
        hadoop_path, fs = self._fs(path)
        fs.mkdirs(hadoop_path)

    def delete(self, path: str) -> None:
        hadoop_path, fs = self._fs(path)
        fs.delete(hadoop_path, True)

    def delete_if_empty(self, path: str) -> None:
        hadoop_path, fs = self._fs(path)
        if fs.exists(hadoop_path) and not fs.listStatus(hadoop_path):
            fs.delete(hadoop_path, False)

    def rename(self, source: str, target: str) -> None:
        """Rename a file or folder to `target`, which must not exist; makes its parent."""
        source_path, fs = self._fs(source)
        target_path = self._jvm.org.apache.hadoop.fs.Path(target)
        fs.mkdirs(target_path.getParent())
        if not fs.rename(source_path, target_path):
            raise DatasetError(f"could not rename {source} to {target}")

    def renames_folders_at_once(self, path: str) -> bool:
        """Whether a folder rename is one step: on HDFS and local disks, not object stores."""
        return self._fs(path)[1].getScheme() in ("file", "hdfs")

    def files_below(self, path: str) -> list[str]:
        """The files at or below `path`, as paths relative to it ("" for a file)."""
        hadoop_path, fs = self._fs(path)
        if not fs.exists(hadoop_path):
            return []
        root = fs.makeQualified(hadoop_path)
        if fs.getFileStatus(root).isFile():
            return [""]
        prefix = len(root.toString().rstrip("/"))
        found, listing = [], fs.listFiles(root, True)
        while listing.hasNext():
            found.append(listing.next().getPath().toString()[prefix:])
        return sorted(found)

    def partition_folders(self, root: str, columns: list[str]) -> set[str]:
        """The `col=value/...` folders below `root`, one level per column, relative to it."""
        hadoop_path, fs = self._fs(root)
        qualified = fs.makeQualified(hadoop_path)
        pattern = "/".join(f"{column}=*" for column in columns)
        found = fs.globStatus(self._jvm.org.apache.hadoop.fs.Path(qualified, pattern)) or []
        prefix = len(qualified.toString().rstrip("/")) + 1
        return {status.getPath().toString()[prefix:] for status in found if status.isDirectory()}

    def write_file(self, path: str, data: bytes) -> None:
        """Write `data` to `path` whole: to a hidden name first, then renamed to `path`."""
        target, fs = self._fs(path)
        hidden = self._jvm.org.apache.hadoop.fs.Path(target.getParent(), f"_{target.getName()}")
        stream = fs.create(hidden, True)
        try:
            stream.write(bytearray(data))
        finally:
            stream.close()
        if not fs.rename(hidden, target):
            raise DatasetError(f"could not rename {hidden} to {target}")

    def has_files(self, path: str) -> bool:
        hadoop_path, fs = self._fs(path)
        for attempt in range(_LISTING_ATTEMPTS):
            try:
                return fs.exists(hadoop_path) and fs.listFiles(hadoop_path, True).hasNext()
            except Py4JJavaError:
                # A concurrent run's clean-up may delete an empty partition folder below
                # `path` while this listing walks it (another region's run shares the
                # date's folder): list again, unless the folder is gone.
                if not fs.exists(hadoop_path):
                    return False
                if attempt == _LISTING_ATTEMPTS - 1:
                    raise
        return False

    def children(self, path: str) -> Iterator[str]:
        hadoop_path, fs = self._fs(path)
        if fs.exists(hadoop_path):
            for status in fs.listStatus(hadoop_path):
                yield status.getPath().toString()


class _FsspecFiles:
    """The calls of `_Files` that file sets need, through fsspec: for file datasets that
    write through fsspec themselves (the run report, `ObjectStoreDataset`)."""

    @staticmethod
    def _fs(path: str) -> tuple[fsspec.AbstractFileSystem, str]:
        return fsspec.core.url_to_fs(path)

    def exists(self, path: str) -> bool:
        fs, stripped = self._fs(path)
        return fs.exists(stripped)

    def delete(self, path: str) -> None:
        fs, stripped = self._fs(path)
        if fs.exists(stripped):
            fs.rm(stripped, recursive=True)

    def delete_if_empty(self, path: str) -> None:
        fs, stripped = self._fs(path)
        with suppress(OSError):  # filled meanwhile, or a store without folders
            if fs.exists(stripped) and not fs.ls(stripped):
                fs.rmdir(stripped)

    def rename(self, source: str, target: str) -> None:
        """Rename a file (or, on a local disk, a folder) to `target`."""
        fs, stripped = self._fs(source)
        target = self._fs(target)[1]
        if isinstance(fs, LocalFileSystem):
            fs.makedirs(_parent(target)[0], exist_ok=True)
            fs.mv(stripped, target, recursive=True)
        else:
            fs.mv(stripped, target)

    def renames_folders_at_once(self, path: str) -> bool:
        return isinstance(self._fs(path)[0], LocalFileSystem)

    def files_below(self, path: str) -> list[str]:
        fs, stripped = self._fs(path)
        root = stripped.rstrip("/")
        return sorted(found[len(root) :] for found in fs.find(root))

    def partition_folders(self, root: str, columns: list[str]) -> set[str]:
        fs, path = self._fs(root)
        pattern = "/".join(f"{column}=*" for column in columns)
        return {found[len(path.rstrip("/")) + 1 :] for found in fs.glob(f"{path}/{pattern}")}


def _writes_with_spark(config: Mapping[str, Any]) -> bool:
    """Whether a file dataset's type writes through Spark (and so Hadoop's file systems)."""
    from kedro_datasets.spark import SparkDataset

    dataset_type, _ = parse_dataset_definition(dict(config))
    return issubclass(dataset_type, SparkDataset)


class _FileSets:
    """A run's file datasets (the CSV export, the run report), staged and moved into place.

    Each is saved with its own dataset type to `<its folder>/_runs/<attempt>/<name>`,
    so it never lies inside the path readers list. A partitioned file set (one with
    `save_args.partitionBy`) is moved partition folder by partition folder, and its
    partitions in the run's scope that the run wrote nothing to are emptied; any other
    file dataset is moved whole. Paths go through the file system layer the dataset
    writes with: Hadoop's for a Spark dataset (`spark.SparkDataset`: `s3a://`,
    `hdfs://`, ... with Spark's credentials and committers), fsspec's for the others.
    A folder moves in one rename on a local disk or HDFS, and file by file on an
    object store, where a rename is a copy and a delete.
    """

    def __init__(self, configs: Mapping[str, Mapping[str, Any]]) -> None:
        self._configs = {name: dict(config) for name, config in configs.items()}
        self._via = {
            name: "hadoop" if _writes_with_spark(config) else "fsspec"
            for name, config in self._configs.items()
        }
        self._hadoop: _Files | None = None

    def names(self) -> set[str]:
        return set(self._configs)

    def layers(self) -> dict[str, str]:
        """Each file dataset's file system layer: `hadoop` or `fsspec`."""
        return dict(sorted(self._via.items()))

    def _files(self, via: str) -> _Files | _FsspecFiles:
        if via == "fsspec":
            return _FsspecFiles()
        if self._hadoop is None:
            self._hadoop = _Files(SparkSession.builder.getOrCreate())
        return self._hadoop

    def stage(self, name: str, data: Any, attempt: str, covers) -> list[_Move]:
        """Save `data` to the attempt's folder; the moves that publish it."""
        config = self._configs[name]
        via = self._via[name]
        files = self._files(via)
        final = str(config["filepath"]).rstrip("/")
        parent, leaf = _parent(final)
        staged = f"{parent}/_runs/{attempt}/{leaf}"
        previous = f"{parent}/_runs/{attempt}/_previous/{leaf}"
        save_args = dict(config.get("save_args") or {})
        staged_config = {**config, "filepath": staged}
        if "partitionOverwriteMode" in save_args:
            # The staged folder is new, so which partitions an overwrite replaces is moot
            # there (the swap replaces them); and S3A committers refuse dynamic overwrite.
            staged_config["save_args"] = {**save_args, "partitionOverwriteMode": "static"}
        AbstractDataset.from_config(name, staged_config).save(data)
        columns = list(save_args.get("partitionBy") or [])
        if not columns:
            exists = files.exists(final)
            return [_Move(final, staged, previous, exists, files.files_below(staged), via)]
        written = files.partition_folders(staged, columns)
        existing = files.partition_folders(final, columns)
        in_scope = {
            folder
            for folder in existing
            if covers(dict(part.split("=", 1) for part in folder.split("/")))
        }
        return [
            _Move(
                f"{final}/{folder}",
                f"{staged}/{folder}" if folder in written else None,
                f"{previous}/{folder}",
                existed=folder in existing,
                new_files=files.files_below(f"{staged}/{folder}") if folder in written else [],
                via=via,
            )
            for folder in sorted(written | in_scope)
        ]

    @staticmethod
    def _rename(files: _Files | _FsspecFiles, source: str, target: str) -> None:
        """Rename a file or folder: in one step where the file system can, else file by file."""
        if files.renames_folders_at_once(source):
            files.rename(source, target)
            return
        source, target = source.rstrip("/"), target.rstrip("/")
        for rel in files.files_below(source):
            files.rename(source + rel, target + rel)

    def swap(self, move: _Move) -> None:
        files = self._files(move.via)
        if files.exists(move.final):
            self._rename(files, move.final, move.previous)
        if move.new is not None:
            self._rename(files, move.new, move.final)

    def roll_back(self, move: _Move) -> None:
        files = self._files(move.via)
        if not files.renames_folders_at_once(move.final):
            self._roll_back_files(files, move)
            return
        if files.exists(move.previous):
            files.delete(move.final)
            files.rename(move.previous, move.final)
        elif not move.existed:
            files.delete(move.final)  # new to this attempt, and perhaps already moved in

    @staticmethod
    def _roll_back_files(files: _Files | _FsspecFiles, move: _Move) -> None:
        """Undo a move file by file: the new files moved in go back to where they were
        staged, then the previous files back to `final`. Each step finds its own
        progress from what is where, so a rollback killed half way can run again."""
        final = move.final.rstrip("/")
        if move.new is not None:
            new = move.new.rstrip("/")
            for rel in move.new_files:
                if not files.exists(new + rel) and files.exists(final + rel):
                    files.rename(final + rel, new + rel)
        previous = move.previous.rstrip("/")
        for rel in files.files_below(previous):
            if files.exists(final + rel):
                # A previous file copied aside and not yet deleted: the same bytes (a
                # Hadoop rename does not replace an existing file).
                files.delete(final + rel)
            files.rename(previous + rel, final + rel)

    def clean_up(self, folder: str) -> None:
        """Remove `_runs/<folder>` (a scope's attempts, or one attempt) beside every file set."""
        parents = {
            (_parent(str(config["filepath"]).rstrip("/"))[0], self._via[name])
            for name, config in self._configs.items()
        }
        for parent, via in sorted(parents):
            files = self._files(via)
            files.delete(f"{parent}/_runs/{folder}")
            files.delete_if_empty(f"{parent}/_runs")  # another scope's attempt may be there


class PublishedTablesDataset(AbstractDataset[RunTables, DataFrame]):
    """A run's `conflated_addresses`, `address_lineage` and `quarantine`, and its file
    datasets (CSV export, run report), published together.

    Saving a `geodata.schemas.RunTables` stages, records, swaps and commits as the
    module says. Loading gives the runs table (one row per attempt and status).

    Args:
        tables: Output schema name (`geodata.schemas.OUTPUT_SCHEMAS`) → `database.table`.
        runs_table: The runs table, `database.table`.
        files: Name → dataset config (as in the catalog, with a `filepath`) of each file
            dataset `RunTables.files` may hold.
        metadata: Free-form metadata (e.g. for kedro-viz).
    """

    def __init__(
        self,
        *,
        tables: Mapping[str, str],
        runs_table: str,
        files: Mapping[str, Mapping[str, Any]] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self._tables = {
            schema: HivePartitionedTableDataset(table=table, schema=schema)
            for schema, table in tables.items()
        }
        database, _, name = runs_table.rpartition(".")
        self._runs = f"{quote_identifier(database or 'default')}.{quote_identifier(name)}"
        self._files = _FileSets(files or {})
        self.metadata = metadata

    def _describe(self) -> dict[str, Any]:
        return {
            "tables": {k: t.table for k, t in self._tables.items()},
            "runs": self._runs,
            "files": self._files.layers(),
        }

    @staticmethod
    def _spark() -> SparkSession:
        return SparkSession.builder.getOrCreate()

    # ---------------------------------------------------------------- the runs table

    def _create_runs_table(self, spark: SparkSession) -> None:
        database = self._runs.split(".")[0]
        spark.sql(f"CREATE DATABASE IF NOT EXISTS {database}")
        columns = ", ".join(f"`{f.name}` {f.dataType.simpleString()}" for f in RUNS_SCHEMA)
        spark.sql(f"CREATE TABLE IF NOT EXISTS {self._runs} ({columns}) USING parquet")

    def _record(self, spark: SparkSession, attempt: str, scope, status: str, **extra) -> None:
        row = {
            "attempt": attempt,
            "execution_dt": scope.get("execution_dt") or "",
            "scope": json.dumps(dict(scope), sort_keys=True),
            "status": status,
            "recorded_at": datetime.now(UTC),
            "rows": json.dumps(extra.get("rows")) if "rows" in extra else None,
            "plan": json.dumps(extra.get("plan")) if "plan" in extra else None,
        }
        # One Parquet file per record, written by this process: runs of different
        # regions record at the same time, and Spark jobs writing into one table
        # share (and delete) its `_temporary` folder.
        types = {"recorded_at": pa.timestamp("us", tz="UTC")}  # Spark's TIMESTAMP; rest text
        columns = {
            f.name: pa.array([row[f.name]], types.get(f.name, pa.string())) for f in RUNS_SCHEMA
        }
        buffer = pa.BufferOutputStream()
        pq.write_table(pa.table(columns), buffer)
        name = f"{attempt.replace('/', '_')}_{status}_{uuid.uuid4().hex[:8]}.parquet"
        location = self._location(spark, self._runs, None)
        _Files(spark).write_file(f"{location}/{name}", buffer.getvalue().to_pybytes())
        spark.catalog.refreshTable(self._runs.replace("`", ""))

    def _load(self) -> DataFrame:
        spark = self._spark()
        spark.catalog.refreshTable(self._runs.replace("`", ""))
        return spark.table(self._runs)

    def _exists(self) -> bool:
        return self._spark().catalog.tableExists(self._runs.replace("`", ""))

    # ---------------------------------------------------------------- partitions

    @staticmethod
    def _location(spark: SparkSession, table: str, partition: Mapping[str, str] | None) -> str:
        target = f"{table} PARTITION ({_spec(partition)})" if partition else table
        command = "DESCRIBE FORMATTED" if partition else "DESCRIBE TABLE EXTENDED"
        for row in spark.sql(f"{command} {target}").collect():  # bounded: a table's metadata
            if row[0] == "Location":
                return row[1]
        raise DatasetError(f"no location for {target}")

    @staticmethod
    def _partitions(spark: SparkSession, table: str) -> list[dict[str, str]]:
        rows = spark.sql(f"SHOW PARTITIONS {table}").collect()  # bounded: partitions
        return [dict(part.split("=", 1) for part in row[0].split("/")) for row in rows]

    def _set_location(self, spark: SparkSession, swap: _Swap, location: str | None) -> None:
        spec = _spec(swap.partition)
        if location is None:
            spark.sql(f"ALTER TABLE {swap.table} DROP IF EXISTS PARTITION ({spec})")
        else:
            spark.sql(f"ALTER TABLE {swap.table} ADD IF NOT EXISTS PARTITION ({spec})")
            spark.sql(
                f"ALTER TABLE {swap.table} PARTITION ({spec}) SET LOCATION {_literal(location)}"
            )

    # ---------------------------------------------------------------- recovery

    def _roll_back_unfinished(self, spark: SparkSession, scope: Mapping[str, str | None]) -> None:
        """Undo the swaps of attempts that recorded `publishing` and never finished."""
        latest = (
            self._load()
            .groupBy("attempt")
            .agg(F.max_by(F.struct("status", "scope", "plan"), "recorded_at").alias("last"))
            .where(F.col("last.status") == "publishing")
            .select("attempt", "last.scope", "last.plan")
            .collect()  # bounded: attempts killed while publishing
        )
        for row in latest:
            other = json.loads(row["scope"])
            if not _overlaps(scope, other):
                continue  # another region's run may be publishing right now
            plan = json.loads(row["plan"])
            swaps = [_Swap(**swap) for swap in plan["partitions"]]
            moves = [_Move(**move) for move in plan["files"]]
            for swap in swaps:
                self._set_location(spark, swap, swap.old)
            for move in reversed(moves):
                self._files.roll_back(move)
            self._record(spark, row["attempt"], other, "rolled_back")
            self._files.clean_up(row["attempt"])
            logger.warning("Rolled back %s, killed while publishing", row["attempt"])

    def _finished(self, spark: SparkSession, attempts: list[str]) -> set[str]:
        """Those of `attempts` whose last status is `committed` or `rolled_back`."""
        if not attempts:
            return set()
        rows = (
            self._load()
            .where(F.col("attempt").isin(attempts))
            .groupBy("attempt")
            .agg(F.max_by("status", "recorded_at").alias("status"))
            .where(F.col("status").isin("committed", "rolled_back"))
            .collect()  # bounded: the attempts given
        )
        return {row["attempt"] for row in rows}

    # ---------------------------------------------------------------- publication

    def _save(self, data: RunTables) -> None:
        unknown = set(data.files) - self._files.names()
        if unknown:
            raise DatasetError(f"published_tables: no `files` entry for {sorted(unknown)}")
        spark = self._spark()
        self._create_runs_table(spark)
        self._roll_back_unfinished(spark, data.scope)
        files = _Files(spark)
        attempt = (
            f"{_scope_key(data.scope)}/{datetime.now(UTC):%Y%m%dT%H%M%S}_{uuid.uuid4().hex[:8]}"
        )
        swaps: list[_Swap] = []
        counts: dict[str, int] = {}
        for schema, dataset in self._tables.items():
            rows = SparkSchemaValidator(schema).validate(data.tables[schema])
            dataset.create_table(spark)
            table = dataset.qualified
            staged = f"{self._location(spark, table, None)}/_runs/{attempt}"
            rows.write.partitionBy(*PARTITION_COLUMNS).parquet(staged)
            written = {
                tuple(str(r[c]) for c in PARTITION_COLUMNS): r["count"]
                for r in spark.read.schema(rows.schema)
                .parquet(staged)
                .groupBy(*PARTITION_COLUMNS)
                .count()
                .collect()
            }  # bounded: one row per partition
            counts[schema] = sum(written.values())
            existing = self._partitions(spark, table)
            in_scope = [p for p in existing if data.covers(p)]
            targets = {values: False for values in written} | {
                tuple(p[c] for c in PARTITION_COLUMNS): True
                for p in in_scope
                if tuple(p[c] for c in PARTITION_COLUMNS) not in written
            }
            known = {tuple(p[c] for c in PARTITION_COLUMNS) for p in existing}
            for values, emptied in targets.items():
                partition = dict(zip(PARTITION_COLUMNS, values, strict=True))
                folder = "/".join(f"{c}={v}" for c, v in partition.items())
                new = f"{staged}/_emptied/{folder}" if emptied else f"{staged}/{folder}"
                if emptied:
                    files.mkdirs(new)
                old = self._location(spark, table, partition) if values in known else None
                swaps.append(_Swap(table, partition, old, new, emptied))
        moves = [
            move
            for name, rows in sorted(data.files.items())
            for move in self._files.stage(name, rows, attempt, data.covers)
        ]
        plan = {"partitions": [s.__dict__ for s in swaps], "files": [m.__dict__ for m in moves]}
        self._record(spark, attempt, data.scope, "publishing", plan=plan, rows=counts)
        logger.info(
            "Publishing %s: %d partitions of %d tables, %d files",
            attempt,
            len(swaps),
            len(counts),
            len(moves),
        )
        for swap in swaps:
            self._set_location(spark, swap, swap.new)
        for move in moves:
            self._files.swap(move)
        self._record(spark, attempt, data.scope, "committed", rows=counts)
        logger.info("Published %s: %s", attempt, counts)
        self._clean_up(spark, files, swaps, attempt, data.scope)

    def _clean_up(self, spark, files: _Files, swaps: list[_Swap], attempt: str, scope) -> None:
        """After the commit: remove replaced folders, emptied partitions and leftovers."""
        for swap in swaps:
            if swap.old and swap.old != swap.new:
                files.delete(swap.old)
            if swap.emptied:
                self._set_location(spark, swap, None)
        scope_key = _scope_key(scope)
        self._files.clean_up(scope_key)
        for dataset in self._tables.values():
            table = dataset.qualified
            location = self._location(spark, table, None)
            in_use = {self._location(spark, table, p) for p in self._partitions(spark, table)}
            unused = {
                f"{scope_folder.rstrip('/').rsplit('/', 1)[-1]}/{name}": folder
                for scope_folder in files.children(f"{location}/_runs")
                for folder in files.children(scope_folder)
                if (name := folder.rstrip("/").rsplit("/", 1)[-1])
                and not any(path.startswith(folder.rstrip("/") + "/") for path in in_use)
            }
            unused.pop(attempt, None)
            # This scope's: killed or rolled back (no overlapping run is alive, the run
            # lock says). Another scope's: only once finished, as that run may be
            # staging now; a run killed after its commit leaves such folders behind.
            finished = self._finished(
                spark, [a for a in unused if not a.startswith(f"{scope_key}/")]
            )
            for other, folder in unused.items():
                if other.startswith(f"{scope_key}/") or other in finished:
                    files.delete(folder)
            for child in files.children(location):
                name = child.rstrip("/").rsplit("/", 1)[-1]
                if name.startswith(".spark-staging"):
                    with suppress(Exception):  # a writer's leftovers from before
                        files.delete(child)
            for swap in swaps:
                # Made by ADD PARTITION and never used (the partition points at its staged
                # folder): this run's own partitions' only, as a run of another region
                # may be adding its partitions below the same date's folder right now.
                default = "/".join(
                    [location, *(f"{c}={swap.partition[c]}" for c in PARTITION_COLUMNS)]
                )
                if swap.table == table and files.exists(default) and not files.has_files(default):
                    files.delete(default)
                    # Its parents too once empty (a non-recursive delete, which another
                    # region's run adding a folder below them at that moment refuses).
                    for depth in range(len(PARTITION_COLUMNS) - 1, 0, -1):
                        parent = default.rsplit("/", len(PARTITION_COLUMNS) - depth)[0]
                        with suppress(Exception):
                            files.delete_if_empty(parent)
            spark.catalog.refreshTable(table.replace("`", ""))
