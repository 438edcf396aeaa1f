"""Publishing a run's tables together against a real Hive metastore: partitions replaced,
regions in scope emptied, a publication that dies half way rolled back, no leftovers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from kedro.io import DatasetError

from geodata.datasets import PublishedTablesDataset
from geodata.datasets.publication import _Files
from geodata.schemas import ADDRESS_LINEAGE_SCHEMA, QUARANTINE_SCHEMA, RunTables

NOV, DEC = date(2026, 11, 1), date(2026, 12, 1)
HISTORY = [
    ("a1", "s", "1", NOV, "US", "US-CA"),
    ("n1", "s", "3", NOV, "US", "US-NY"),
    ("f1", "s", "2", NOV, "FI", "FI-18"),
    ("f1", "s", "2", DEC, "FI", "FI-18"),
]
NEW = ("a9", "s", "9", NOV, "US", "US-CA")


def _scope(country=None, region=None):
    return {"execution_dt": "2026-11-01", "iso_3166_1": country, "iso_3166_2": region}


def _lineage(spark, rows):
    return spark.createDataFrame(rows, ADDRESS_LINEAGE_SCHEMA)


def _quarantine(spark, rows):
    return spark.createDataFrame(
        [("s", rid, "null_island", "{}", dt, c, r) for _, _, rid, dt, c, r in rows],
        QUARANTINE_SCHEMA,
    )


def _publisher(database: str) -> PublishedTablesDataset:
    return PublishedTablesDataset(
        tables={"address_lineage": f"{database}.lineage", "quarantine": f"{database}.quarantine"},
        runs_table=f"{database}.runs",
    )


def _tables(spark, database: str, rows) -> RunTables:
    return {"address_lineage": _lineage(spark, rows), "quarantine": _quarantine(spark, rows)}


def _seed(spark, database: str) -> None:
    """Both tables as an earlier run of every region left them."""
    _publisher(database).save(RunTables(_tables(spark, database, HISTORY), _scope()))


def _rows(spark, table: str) -> list[tuple]:
    return sorted(tuple(r) for r in spark.table(table).collect())


def _lineage_rows(spark, database: str) -> list[tuple]:
    return _rows(spark, f"{database}.lineage")


@pytest.mark.parametrize(
    ("scope", "emptied"),
    [
        (_scope(), {"US-NY", "FI-18"}),  # every region: the date's other regions are emptied
        (_scope("US"), {"US-NY"}),  # a country's run empties only its own regions
        (_scope("US", "US-CA"), set()),  # a region's run touches only its region
    ],
)
def test_a_run_replaces_its_partitions_and_empties_the_rest_of_its_scope(
    clean_hive, scope, emptied
):
    spark = clean_hive
    _seed(spark, "geodata_p1")
    _publisher("geodata_p1").save(RunTables(_tables(spark, "geodata_p1", [NEW]), scope))
    kept = [r for r in HISTORY if r[3] == DEC or (r[5] not in emptied and r[5] != "US-CA")]
    assert _lineage_rows(spark, "geodata_p1") == sorted([NEW, *kept])
    # Both tables moved together.
    quarantined = {(r[1], r[6]) for r in _rows(spark, "geodata_p1.quarantine")}
    assert quarantined == {(r[2], r[5]) for r in [NEW, *kept]}
    partitions = {r[0] for r in spark.sql("SHOW PARTITIONS geodata_p1.lineage").collect()}
    assert len(partitions) == len({(r[3], r[5]) for r in [NEW, *kept]})


def test_each_attempt_is_recorded_publishing_then_committed(clean_hive):
    spark = clean_hive
    _seed(spark, "geodata_p2")
    runs = spark.table("geodata_p2.runs").orderBy("recorded_at").collect()
    assert [r["status"] for r in runs] == ["publishing", "committed"]
    assert len({r["attempt"] for r in runs}) == 1
    assert json.loads(runs[-1]["rows"]) == {"address_lineage": 4, "quarantine": 4}
    assert json.loads(runs[0]["scope"]) == _scope()


def test_a_publication_that_dies_half_way_is_rolled_back_by_the_next(clean_hive, monkeypatch):
    spark = clean_hive
    _seed(spark, "geodata_p3")
    before = _lineage_rows(spark, "geodata_p3")
    publisher = _publisher("geodata_p3")
    swapped = []
    original = PublishedTablesDataset._set_location

    def dies_after_two_swaps(self, session, swap, location):
        if len(swapped) == 2:
            raise KeyboardInterrupt("the process is gone")  # stands for SIGKILL mid-swap
        swapped.append(swap)
        original(self, session, swap, location)

    monkeypatch.setattr(PublishedTablesDataset, "_set_location", dies_after_two_swaps)
    with pytest.raises(KeyboardInterrupt):
        publisher.save(RunTables(_tables(spark, "geodata_p3", [NEW]), _scope("US")))
    monkeypatch.undo()
    assert _lineage_rows(spark, "geodata_p3") != before  # readers would see a half swap now

    # A run of a scope that does not overlap leaves it alone: that run may be alive.
    _publisher("geodata_p3").save(
        RunTables(_tables(spark, "geodata_p3", []), _scope("FI", "FI-18"))
    )
    # The next publication of an overlapping scope first undoes it, then publishes.
    _publisher("geodata_p3").save(RunTables(_tables(spark, "geodata_p3", HISTORY), _scope()))
    assert _lineage_rows(spark, "geodata_p3") == sorted(HISTORY)
    last = {}
    for row in spark.table("geodata_p3.runs").orderBy("recorded_at").collect():
        last[row["attempt"]] = row["status"]
    assert sorted(last.values()) == ["committed", "committed", "committed", "rolled_back"]


def _table_root(spark, table: str) -> str:
    rows = spark.sql(f"DESCRIBE TABLE EXTENDED {table}").collect()
    return next(r[1] for r in rows if r[0] == "Location")


def test_no_staged_or_replaced_files_are_left_behind(clean_hive):
    spark = clean_hive
    _seed(spark, "geodata_p4")
    root = _table_root(spark, "geodata_p4.lineage")
    files = _Files(spark)
    (seed_attempt,) = files.children(f"{root}/_runs/2026-11-01_all_all")
    for _ in range(2):
        _publisher("geodata_p4").save(
            RunTables(_tables(spark, "geodata_p4", [NEW]), _scope("US", "US-CA"))
        )
    # One attempt of the region's scope is left: the committed one.
    assert len(list(files.children(f"{root}/_runs/2026-11-01_US_US-CA"))) == 1
    # The seed's US-CA folder was replaced and removed; its other regions still serve.
    seed_dates = {Path(p).name for p in files.children(seed_attempt)} - {"_SUCCESS"}
    assert seed_dates == {"execution_dt=2026-11-01", "execution_dt=2026-12-01"}
    seed_nov_us = f"{seed_attempt}/execution_dt=2026-11-01/iso_3166_1=US"
    assert {Path(p).name for p in files.children(seed_nov_us)} == {"iso_3166_2=US-NY"}
    assert _lineage_rows(spark, "geodata_p4") == sorted(
        [NEW, *(r for r in HISTORY if r[5] != "US-CA")]
    )


# ---------------------------------------------------------------- files published with them


def _file_publisher(database: str, reporting: Path) -> PublishedTablesDataset:
    csv = {
        "type": "spark.SparkDataset",
        "filepath": str(reporting / "lineage_csv"),
        "file_format": "csv",
        "save_args": {"mode": "overwrite", "header": True, "partitionBy": PARTITIONS},
    }
    report = {"type": "json.JSONDataset", "filepath": str(reporting / "run_report.json")}
    return PublishedTablesDataset(
        tables={"address_lineage": f"{database}.lineage", "quarantine": f"{database}.quarantine"},
        runs_table=f"{database}.runs",
        files={"lineage_csv": csv, "run_report": report},
    )


PARTITIONS = ["execution_dt", "iso_3166_1", "iso_3166_2"]


def _with_files(spark, database: str, rows, scope, report: dict, csv: bool = True) -> RunTables:
    files = {"run_report": report}
    if csv:
        files["lineage_csv"] = _lineage(spark, rows)
    return RunTables(_tables(spark, database, rows), scope, files)


def _csv_partitions(reporting: Path) -> set[str]:
    root = reporting / "lineage_csv"
    return {str(p.relative_to(root)) for p in root.glob("execution_dt=*/iso_3166_1=*/iso_3166_2=*")}


def _csv_ids(reporting: Path) -> set[str]:
    found = set()
    for part in (reporting / "lineage_csv").glob("execution_dt=*/*/*/*.csv"):
        found |= {line.split(",")[0] for line in part.read_text().splitlines()[1:]}
    return found


def test_the_csv_export_and_report_are_published_with_the_tables(clean_hive, tmp_path):
    spark = clean_hive
    reporting = tmp_path / "reporting"
    publisher = _file_publisher("geodata_f1", reporting)
    publisher.save(_with_files(spark, "geodata_f1", HISTORY, _scope(), {"run": "seed"}))
    assert json.loads((reporting / "run_report.json").read_text()) == {"run": "seed"}
    assert _csv_ids(reporting) == {"a1", "n1", "f1"}

    # A country's run: its region replaced, its other region emptied, FI and December kept.
    publisher.save(_with_files(spark, "geodata_f1", [NEW], _scope("US"), {"run": "us"}))
    assert json.loads((reporting / "run_report.json").read_text()) == {"run": "us"}
    assert _csv_partitions(reporting) == {
        "execution_dt=2026-11-01/iso_3166_1=US/iso_3166_2=US-CA",
        "execution_dt=2026-11-01/iso_3166_1=FI/iso_3166_2=FI-18",
        "execution_dt=2026-12-01/iso_3166_1=FI/iso_3166_2=FI-18",
    }
    assert _csv_ids(reporting) == {"a9", "f1"}
    assert not (reporting / "_runs").exists()  # nothing staged or set aside is left


def test_files_of_a_publication_killed_while_moving_them_are_put_back(
    clean_hive, tmp_path, monkeypatch
):
    from geodata.datasets.publication import _FileSets

    spark = clean_hive
    reporting = tmp_path / "reporting"
    publisher = _file_publisher("geodata_f2", reporting)
    publisher.save(_with_files(spark, "geodata_f2", HISTORY, _scope(), {"run": "seed"}))
    seed_partitions, seed_ids = _csv_partitions(reporting), _csv_ids(reporting)
    moved = []
    original = _FileSets.swap

    def dies_after_two_moves(self, move):
        if len(moved) == 2:
            raise KeyboardInterrupt("the process is gone")  # stands for SIGKILL mid-move
        moved.append(move)
        original(self, move)

    monkeypatch.setattr(_FileSets, "swap", dies_after_two_moves)
    with pytest.raises(KeyboardInterrupt):
        publisher.save(_with_files(spark, "geodata_f2", [NEW], _scope("US"), {"run": "us"}))
    monkeypatch.undo()
    assert _csv_partitions(reporting) != seed_partitions  # half moved: the window

    # The next overlapping publication (this one without a CSV export) puts every file
    # of the killed attempt back before it publishes its own report.
    publisher.save(_with_files(spark, "geodata_f2", HISTORY, _scope(), {"run": "next"}, csv=False))
    assert _csv_partitions(reporting) == seed_partitions
    assert _csv_ids(reporting) == seed_ids
    assert json.loads((reporting / "run_report.json").read_text()) == {"run": "next"}
    statuses = [r["status"] for r in spark.table("geodata_f2.runs").collect()]
    assert statuses.count("rolled_back") == 1


def test_a_file_the_catalog_does_not_publish_is_refused_before_anything_is_written(clean_hive):
    spark = clean_hive
    tables = RunTables(_tables(spark, "geodata_f3", HISTORY), _scope(), {"stray": {"a": 1}})
    with pytest.raises(DatasetError, match="stray"):
        _publisher("geodata_f3").save(tables)
    assert not spark.catalog.databaseExists("geodata_f3")


@pytest.mark.parametrize("existed", [True, False])
def test_putting_files_back_twice_changes_nothing_more(tmp_path, existed):
    from geodata.datasets.publication import _FileSets, _Move

    final, new, previous = (tmp_path / name for name in ("report.json", "staged", "previous"))
    if existed:
        final.write_text("old")
    new.write_text("new")
    move = _Move(str(final), str(new), str(previous / "report.json"), existed=existed)
    files = _FileSets({})
    files.swap(move)
    assert final.read_text() == "new"
    for _ in range(2):  # a rollback killed before it was recorded runs again
        files.roll_back(move)
        assert (final.read_text() if final.exists() else None) == ("old" if existed else None)


@pytest.mark.parametrize("killed_after", range(4))  # four files move
def test_an_object_store_move_killed_after_any_file_is_put_back(killed_after, monkeypatch):
    """On an object store a folder moves file by file; a kill may come between any two."""
    import fsspec

    from geodata.datasets.publication import _FileSets, _Move

    fs = fsspec.filesystem("memory")
    root = f"/publication{killed_after}"
    old = {"/part-0.csv": b"old 0", "/part-1.csv": b"old 1"}
    for rel, content in old.items():
        fs.pipe(f"{root}/final{rel}", content)
    for rel, content in {"/part-0.csv": b"new 0", "/part-9.csv": b"new 9"}.items():
        fs.pipe(f"{root}/staged{rel}", content)
    files = _FileSets({})
    move = _Move(
        f"memory://{root}/final",
        f"memory://{root}/staged",
        f"memory://{root}/previous",
        existed=True,
        new_files=["/part-0.csv", "/part-9.csv"],
    )
    moves = []
    original_mv = type(fs).mv

    def dies(self, source, target, **kwargs):
        if len(moves) == killed_after:
            raise KeyboardInterrupt("the process is gone")
        moves.append(source)
        original_mv(self, source, target, **kwargs)

    monkeypatch.setattr(type(fs), "mv", dies)
    with pytest.raises(KeyboardInterrupt):
        files.swap(move)
    monkeypatch.undo()
    for _ in range(2):  # a rollback killed before it was recorded runs again
        files.roll_back(move)
        found = {path[len(f"{root}/final") :]: fs.cat(path) for path in fs.find(f"{root}/final")}
        assert found == old


def test_a_spark_file_set_is_staged_with_a_static_overwrite_and_moved_through_hadoop(
    spark, tmp_path, monkeypatch
):
    """The staged folder is new, so the catalog's dynamic overwrite is moot there, and the
    S3A committers refuse one; Spark wrote the files, so Hadoop's file system moves them."""
    from kedro_datasets.spark import SparkDataset

    from geodata.datasets.publication import _FileSets

    saved_with = []
    original = SparkDataset.save

    def save(self, data):
        saved_with.append(dict(self._save_args))
        original(self, data)

    monkeypatch.setattr(SparkDataset, "save", save)
    csv = {
        "type": "spark.SparkDataset",
        "filepath": f"file://{tmp_path}/lineage_csv",
        "file_format": "csv",
        "save_args": {
            "mode": "overwrite",
            "header": True,
            "partitionBy": PARTITIONS,
            "partitionOverwriteMode": "dynamic",
        },
    }
    files = _FileSets({"lineage_csv": csv})
    moves = files.stage("lineage_csv", _lineage(spark, HISTORY), "s/a1", lambda _: True)
    assert saved_with[0]["partitionOverwriteMode"] == "static"
    assert {move.via for move in moves} == {"hadoop"}
    for move in moves:
        files.swap(move)
    assert _csv_partitions(tmp_path) == {
        "execution_dt=2026-11-01/iso_3166_1=US/iso_3166_2=US-CA",
        "execution_dt=2026-11-01/iso_3166_1=US/iso_3166_2=US-NY",
        "execution_dt=2026-11-01/iso_3166_1=FI/iso_3166_2=FI-18",
        "execution_dt=2026-12-01/iso_3166_1=FI/iso_3166_2=FI-18",
    }
    assert _csv_ids(tmp_path) == {"a1", "n1", "f1"}
    files.clean_up("s")
    assert not (tmp_path / "_runs").exists()


@pytest.mark.parametrize("killed_after", range(4))  # four files move
def test_a_spark_file_set_moved_file_by_file_is_put_back_after_a_kill(
    spark, tmp_path, killed_after, monkeypatch
):
    """Where a folder does not rename in one step (s3a), Hadoop moves a Spark file set's
    folder file by file; a kill may come between any two."""
    from geodata.datasets.publication import _Files, _FileSets, _Move

    old = {"part-0.csv": "old 0", "part-1.csv": "old 1"}
    for folder, contents in (
        ("final", old),
        ("staged", {"part-0.csv": "new 0", "part-9.csv": "new 9"}),
    ):
        (tmp_path / folder).mkdir()
        for name, text in contents.items():
            (tmp_path / folder / name).write_text(text)
    move = _Move(
        f"file://{tmp_path}/final",
        f"file://{tmp_path}/staged",
        f"file://{tmp_path}/previous",
        existed=True,
        new_files=["/part-0.csv", "/part-9.csv"],
        via="hadoop",
    )
    monkeypatch.setattr(_Files, "renames_folders_at_once", lambda self, path: False)
    renamed = []
    original_rename = _Files.rename

    def dies(self, source, target):
        if len(renamed) == killed_after:
            raise KeyboardInterrupt("the process is gone")
        renamed.append(source)
        original_rename(self, source, target)

    files = _FileSets({})
    monkeypatch.setattr(_Files, "rename", dies)
    with pytest.raises(KeyboardInterrupt):
        files.swap(move)
    monkeypatch.setattr(_Files, "rename", original_rename)
    for _ in range(2):  # a rollback killed before it was recorded runs again
        files.roll_back(move)
        final = tmp_path / "final"
        assert {p.name: p.read_text() for p in final.iterdir() if p.is_file()} == old


def test_folders_replaced_by_a_run_killed_after_its_commit_go_with_the_next_run(
    clean_hive, monkeypatch
):
    spark = clean_hive
    publisher = _publisher("geodata_p5")
    publisher.save(RunTables(_tables(spark, "geodata_p5", [NEW]), _scope("US", "US-CA")))

    def killed(*args, **kwargs):
        raise KeyboardInterrupt("the process is gone")  # stands for SIGKILL after the commit

    monkeypatch.setattr(PublishedTablesDataset, "_clean_up", killed)
    with pytest.raises(KeyboardInterrupt):
        publisher.save(RunTables(_tables(spark, "geodata_p5", HISTORY), _scope()))
    monkeypatch.undo()
    publisher.save(RunTables(_tables(spark, "geodata_p5", HISTORY), _scope()))

    assert _lineage_rows(spark, "geodata_p5") == sorted(HISTORY)
    files = _Files(spark)
    root = _table_root(spark, "geodata_p5.lineage")
    in_use = {
        next(
            r[1]
            for r in spark.sql(
                "DESCRIBE FORMATTED geodata_p5.lineage PARTITION ("
                + ", ".join(f"{k} = '{v}'" for k, v in (x.split("=") for x in p[0].split("/")))
                + ")"
            ).collect()
            if r[0] == "Location"  # the partition's; the table's comes after it
        )
        for p in spark.sql("SHOW PARTITIONS geodata_p5.lineage").collect()
    }
    attempts = [a for scope in files.children(f"{root}/_runs") for a in files.children(scope)]
    # Every attempt folder left holds a partition in use: the region run's is gone.
    assert len(attempts) == 1
    assert all(path.startswith(attempts[0]) for path in in_use), (attempts, in_use)
    # No empty folder at a partition's default location either.
    assert [c for c in files.children(root) if "execution_dt=" in c] == []
