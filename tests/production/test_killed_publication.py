"""`kedro run --env local` killed with SIGKILL at three points of publishing its tables.

One project copy of the small region: a baseline run publishes version A, the raw
input changes, every stage but export runs once, and then the export stage alone is
killed inside the swap, while staging, and right after the commit, and finally runs
to its end. Readers must see A or B, never a mix that outlives the next run, and the
last run must leave no staged folders and no lock behind (docs/reliability.md).

`local`'s embedded Derby metastore is open in one JVM at a time, so the runs go one
after another and the tables are read between them by a short Spark process of its
own, started in the project copy with the copy's `local` settings.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from tests.conftest import TEST_SPARK
from tests.kedro_project import make_project_copy
from tests.production.conftest import python_env
from tests.runs import D1, TABLES
from tests.services import Service, start_service
from tests.watchdog import group_alive

pytestmark = pytest.mark.pipeline

DATABASE = "geodata"  # the copy's `local` tables
SCOPE_KEY = f"{D1}_all_all"  # a run of every region's folder below `<table>/_runs/`
LOCK = f"locks/{D1}__all.json"  # below `data/work/`: the lock of a run of every region
RUN_TIMEOUT_S = 1500
READ_TIMEOUT_S = 600
POLL_S = 0.05

EXPORT = ["--pipelines", "export"]
STAGES_BEFORE_EXPORT = ["--pipelines", "ingest,normalize,enrich,conflate"]

SAVING = re.compile(r"Saving data to published_tables \(")
PUBLISHING = re.compile(r"Publishing (\S+): \d+ partitions of \d+ tables")
PUBLISHED = re.compile(r"Published (\S+): \{")

# One unwrapped line per record, so that the markers above are found as logged.
LOGGING = """\
version: 1
disable_existing_loggers: false
formatters:
  plain: {format: "%(asctime)s %(levelname)s %(name)s: %(message)s"}
handlers:
  console: {class: logging.StreamHandler, formatter: plain, stream: ext://sys.stdout}
loggers:
  kedro: {level: INFO}
root: {handlers: [console]}
"""

# What a reader of the copy's tables sees, as JSON on the last line: per table its
# location, its partitions (location, rows) and a checksum of its rows; lineage rows
# whose address is not in conflated_addresses; and the runs table.
_READ_TABLES = """
import hashlib, json, sys
from pathlib import Path
from pyspark.sql import functions as F
from geodata import settings
from geodata.runtime.spark import build_spark_session, resolve_spark_config

database, tables = sys.argv[1], sys.argv[2].split(",")
loader = settings.CONFIG_LOADER_CLASS(
    conf_source="conf", env="local", **settings.CONFIG_LOADER_ARGS
)
spark = build_spark_session(resolve_spark_config(dict(loader["spark"]), Path.cwd()))
keys = ("execution_dt", "iso_3166_1", "iso_3166_2")

def location(command, target):
    rows = spark.sql(f"{command} {target}").collect()
    return next(r[1] for r in rows if r[0] == "Location")

def sortable(field):  # map entries in key order: a map's own order is not its content
    column = F.col(field.name)
    return F.array_sort(F.map_entries(column)) if field.dataType.typeName() == "map" else column

seen = {"tables": {}}
for table in tables:
    name = f"{database}.{table}"
    frame = spark.table(name)
    partitions = {}
    for (spec,) in spark.sql(f"SHOW PARTITIONS {name}").collect():
        values = dict(part.split("=", 1) for part in spec.split("/"))
        where = ", ".join(f"{k} = '{values[k]}'" for k in keys)
        partitions[spec] = {
            "location": location("DESCRIBE FORMATTED", f"{name} PARTITION ({where})"),
            "rows": 0,
        }
    for row in frame.groupBy(*keys).count().collect():
        partitions["/".join(f"{k}={row[k]}" for k in keys)]["rows"] = row["count"]
    rows = frame.select(F.to_json(F.struct(*[sortable(f).alias(f.name) for f in frame.schema])))
    text = "\\n".join(sorted(r[0] for r in rows.collect()))
    seen["tables"][table] = {
        "location": location("DESCRIBE TABLE EXTENDED", name),
        "partitions": partitions,
        "checksum": hashlib.sha256(text.encode()).hexdigest(),
    }
conflated = spark.table(f"{database}.conflated_addresses")
lineage = spark.table(f"{database}.address_lineage")
seen["orphans"] = lineage.join(conflated, [*keys, "address_id"], "left_anti").count()
seen["runs"] = [
    {"attempt": r["attempt"], "status": r["status"], "rows": r["rows"], "plan": r["plan"]}
    for r in spark.table(f"{database}.runs").orderBy("recorded_at").collect()
]
print(json.dumps(seen))
"""


@dataclass(frozen=True)
class Tables:
    """The output tables and the runs table as a separate reader saw them."""

    seen: dict[str, Any]

    def table(self, name: str) -> dict[str, Any]:
        return self.seen["tables"][name]

    def checksums(self) -> dict[str, str]:
        return {name: self.table(name)["checksum"] for name in TABLES}

    def locations(self) -> dict[str, dict[str, str]]:
        """Table → partition → location."""
        return {
            name: {spec: p["location"] for spec, p in self.table(name)["partitions"].items()}
            for name in TABLES
        }

    @property
    def orphans(self) -> int:
        """Lineage rows whose address is not in conflated_addresses of their partition."""
        return self.seen["orphans"]

    def rows(self, name: str) -> int:
        return sum(p["rows"] for p in self.table(name)["partitions"].values())

    def statuses(self) -> dict[str, list[str]]:
        """Attempt → its statuses, in the order they were recorded."""
        statuses: dict[str, list[str]] = {}
        for run in self.seen["runs"]:
            statuses.setdefault(run["attempt"], []).append(run["status"])
        return statuses

    def record(self, attempt: str, status: str) -> dict[str, Any]:
        return next(
            r for r in self.seen["runs"] if r["attempt"] == attempt and r["status"] == status
        )

    def folder(self, name: str) -> Path:
        """A table's folder on this machine."""
        return Path(self.table(name)["location"].removeprefix("file:"))


@dataclass
class Run:
    """One `kedro run` of the scenario: its pid, its output, and what it left behind."""

    name: str
    pid: int
    log: str
    attempt: str | None = None  # the publication attempt its log names
    lock: dict[str, Any] | None = None  # its lock file as the kill left it
    # Table → files of the attempt it was staging (below `_runs/<scope>/`), as the kill left them.
    staged: dict[str, list[str]] = field(default_factory=dict)

    def tail(self) -> str:
        return f"--- end of {self.name}'s output ---\n{self.log[-6000:]}"


@dataclass
class Scenario:
    """The runs in order and what a reader saw after each (see the module docstring)."""

    project: Path
    version_a: Tables
    killed_swapping: Run
    after_swapping: Tables
    killed_staging: Run
    after_staging: Tables
    killed_committed: Run
    after_committed: Tables
    final: Run
    after_final: Tables


def _kedro_run(*args: str) -> list[str]:
    return [sys.executable, "-m", "kedro", "run", "--env", "local", *args]


def _start(project: Path, name: str, args: list[str]) -> Service:
    log = project.parent / "logs" / f"{name}.log"
    log.parent.mkdir(exist_ok=True)
    return start_service(
        name, _kedro_run(*args), python_env(PYTHONUNBUFFERED="1"), project, log=log
    )


def _run_to_end(project: Path, name: str, args: list[str]) -> Run:
    service = _start(project, name, args)
    try:
        code = service.process.wait(timeout=RUN_TIMEOUT_S)
    finally:
        service.stop()
    run = Run(name, service.pid, service.log.read_text(errors="replace"))
    assert code == 0, f"{name} exited with {code}\n{run.tail()}"
    found = PUBLISHED.search(run.log)
    run.attempt = found.group(1) if found else None
    return run


def _kill_group(service: Service) -> None:
    """SIGKILL to the run's whole process group (its JVM too); wait until all of it is gone."""
    os.killpg(service.pid, signal.SIGKILL)
    service.process.wait(timeout=60)
    deadline = time.monotonic() + 60
    while group_alive(service.pid):
        if time.monotonic() > deadline:
            pytest.fail(f"{service.name}: processes of group {service.pid} outlived SIGKILL")
        time.sleep(POLL_S)


def _attempt_folders(tables: Tables, name: str) -> set[str]:
    """The attempt folders below a table's `_runs/<scope>/`."""
    runs = tables.folder(name) / "_runs" / SCOPE_KEY
    return {p.name for p in runs.iterdir()} if runs.exists() else set()


def _files_below(folder: Path) -> list[str]:
    # os.walk passes over folders that vanish while it looks (a writer moving its files).
    return sorted(
        str((Path(root) / name).relative_to(folder))
        for root, _, names in os.walk(folder)
        for name in names
    )


def _kill_at(
    project: Path, name: str, marker: re.Pattern, ready: Callable[[], object] | None = None
) -> Run:
    """Run the export stage; SIGKILL it once `marker` is logged (and `ready()` holds)."""
    service = _start(project, name, EXPORT)
    deadline = time.monotonic() + RUN_TIMEOUT_S
    try:
        while True:
            found = marker.search(service.log.read_text(errors="replace"))
            if found and (ready is None or ready()):
                break
            if service.process.poll() is not None:
                pytest.fail(
                    f"{name} exited with {service.process.returncode} before "
                    f"{marker.pattern!r}\n{service.output()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"{name}: no {marker.pattern!r} within {RUN_TIMEOUT_S}s")
            time.sleep(POLL_S)
        _kill_group(service)
    finally:
        service.stop()
    lock = project / "data/work" / LOCK
    return Run(
        name,
        service.pid,
        service.log.read_text(errors="replace"),
        attempt=found.groups()[0] if found.groups() else None,
        lock=json.loads(lock.read_text()) if lock.exists() else None,
    )


def _read(project: Path) -> Tables:
    done = subprocess.run(
        [sys.executable, "-c", _READ_TABLES, DATABASE, ",".join(TABLES)],
        cwd=project,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=READ_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, f"reading the tables failed:\n{done.stderr[-6000:]}"
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    # The run report is published with the tables: readers see it with them.
    reporting = project / "data/08_reporting"
    seen["report"] = json.loads((reporting / "run_report.json").read_text())
    seen["reporting_runs"] = sorted(str(p) for p in (reporting / "_runs").glob("*/*"))
    return Tables(seen)


def _drop_open_data_records(raw: Path) -> None:
    """A new open data delivery: the same file without every third record."""
    path = raw / "open_data/addresses.csv"
    records = pd.read_csv(path, dtype=str, keep_default_na=False)
    records[records.index % 3 != 0].to_csv(path, index=False)


@pytest.fixture(scope="module")
def scenario(small_raw, tmp_path_factory) -> Scenario:
    """The runs of the module docstring, each killed run read back before the next starts.

    The kill inside the swap comes first, so that the run killed while staging is the
    one that rolls it back, and what a reader sees after that can be compared with A.
    """
    base = tmp_path_factory.mktemp("killed_publication")
    raw = base / "raw"
    shutil.copytree(small_raw, raw)  # the scenario changes a delivery
    project = make_project_copy(base / "project", raw_dir=raw)
    spark_file = project / "conf/local/spark.yml"
    spark = yaml.safe_load(spark_file.read_text()) | TEST_SPARK  # keeps Derby and warehouse
    spark_file.write_text(yaml.safe_dump(spark))
    (project / "conf/logging.yml").write_text(LOGGING)

    _run_to_end(project, "baseline", [])
    version_a = _read(project)
    _drop_open_data_records(raw)
    _run_to_end(project, "stages_before_export", STAGES_BEFORE_EXPORT)

    killed_swapping = _kill_at(project, "killed_swapping", PUBLISHING)
    after_swapping = _read(project)

    # Killed once it writes staged files, after it rolled back the attempt killed inside
    # the swap.
    seen = {name: _attempt_folders(after_swapping, name) for name in TABLES}

    def staged_files() -> dict[str, list[str]]:
        """Table → the files below its `_runs/<scope>/` of attempts not there before."""
        staged = {}
        for name in TABLES:
            files = _files_below(after_swapping.folder(name) / "_runs" / SCOPE_KEY)
            new = [f for f in files if f.split("/")[0] not in seen[name]]
            if new:
                staged[name] = new
        return staged

    killed_staging = _kill_at(project, "killed_staging", SAVING, ready=staged_files)
    killed_staging.staged = staged_files()
    after_staging = _read(project)

    killed_committed = _kill_at(project, "killed_committed", PUBLISHED)
    after_committed = _read(project)

    final = _run_to_end(project, "final", EXPORT)
    return Scenario(
        project,
        version_a,
        killed_swapping,
        after_swapping,
        killed_staging,
        after_staging,
        killed_committed,
        after_committed,
        final,
        _read(project),
    )


def _in_attempt(location: str, tables: Tables, name: str, attempt: str) -> bool:
    """Whether a partition `location` of table `name` lies in `attempt`'s staged folder."""
    return location.startswith(f"{tables.table(name)['location']}/_runs/{attempt}/")


def test_a_run_killed_inside_the_swap_is_rolled_back_by_the_next_run(scenario, report_figure):
    killed, seen = scenario.killed_swapping, scenario.after_swapping
    assert killed.attempt, killed.tail()
    assert "Published " not in killed.log, killed.tail()
    assert seen.statuses()[killed.attempt] == ["publishing"], killed.tail()

    # Until the next run, each partition is where it was or where the plan moves it.
    plan = json.loads(seen.record(killed.attempt, "publishing")["plan"])["partitions"]
    moves = {
        (
            swap["table"].replace("`", "").split(".")[1],
            "/".join(f"{k}={v}" for k, v in swap["partition"].items()),
        ): swap
        for swap in plan
    }
    # The plan records, as the old location of each partition, what readers saw before.
    for (name, spec), swap in moves.items():
        assert swap["old"] == scenario.version_a.locations()[name].get(spec), swap
    swapped = 0
    for name, partitions in seen.locations().items():
        for spec, location in partitions.items():
            swap = moves.get((name, spec))
            assert swap is not None, f"{name} {spec} is outside the plan {plan}"
            assert location in (swap["old"], swap["new"]), (name, spec, location, swap)
            swapped += location == swap["new"] != swap["old"]
    report_figure(f"killed inside the swap: {swapped} of {len(plan)} partitions swapped")

    # The next run (the one killed while staging) undid it before writing anything.
    assert f"Rolled back {killed.attempt}, killed while publishing" in scenario.killed_staging.log
    after, following = scenario.after_staging, scenario.killed_staging
    assert after.statuses()[killed.attempt] == ["publishing", "rolled_back"], following.tail()
    assert after.locations() == scenario.version_a.locations(), following.tail()
    assert after.checksums() == scenario.version_a.checksums(), following.tail()
    assert after.seen["report"] == scenario.version_a.seen["report"], following.tail()


def test_a_run_killed_while_staging_changes_nothing_readers_see(scenario):
    killed, seen, version_a = scenario.killed_staging, scenario.after_staging, scenario.version_a
    assert "Publishing " not in killed.log, killed.tail()
    # The kill left staged files of one new attempt (for the next run to remove).
    assert killed.staged, killed.tail()
    stamps = {f.split("/")[0] for files in killed.staged.values() for f in files}
    assert len(stamps) == 1, (killed.staged, killed.tail())
    (stamp,) = stamps

    # Every partition where it was, with the same rows.
    assert seen.checksums() == version_a.checksums(), killed.tail()
    for name in TABLES:
        assert seen.table(name)["partitions"] == version_a.table(name)["partitions"], name
    assert seen.seen["report"] == version_a.seen["report"], killed.tail()
    assert f"{SCOPE_KEY}/{stamp}" not in seen.statuses()
    assert not any(stamp in loc for p in seen.locations().values() for loc in p.values())


def test_a_run_killed_after_its_commit_shows_the_new_version_in_all_three_tables(scenario):
    killed, seen = scenario.killed_committed, scenario.after_committed
    version_a = scenario.version_a
    assert killed.attempt, killed.tail()
    assert seen.statuses()[killed.attempt] == ["publishing", "committed"], killed.tail()
    published = json.loads(seen.record(killed.attempt, "committed")["rows"])
    for name in TABLES:
        locations = seen.locations()[name]
        assert locations, name
        for spec, location in locations.items():
            in_attempt = _in_attempt(location, seen, name, killed.attempt)
            assert in_attempt, f"{name} {spec} is at {location}\n{killed.tail()}"
        assert seen.rows(name) == published[name], name
    assert seen.orphans == 0, killed.tail()

    # Version B: the new delivery's rows, and the same rows the final run publishes.
    for name in ("conflated_addresses", "address_lineage"):
        assert seen.checksums()[name] != version_a.checksums()[name], name
    assert seen.rows("address_lineage") < version_a.rows("address_lineage")
    assert seen.checksums() == scenario.after_final.checksums()
    # The report published with them accounts for exactly their rows.
    report = seen.seen["report"]
    assert report != version_a.seen["report"]
    accounted = sum(report["accounting"]["accounted_by_source"].values())
    assert accounted == seen.rows("address_lineage") + seen.rows("quarantine")


def test_a_killed_runs_lock_is_taken_over_by_the_next_run(scenario):
    killed_and_next = [
        (scenario.killed_swapping, scenario.killed_staging),
        (scenario.killed_staging, scenario.killed_committed),
        (scenario.killed_committed, scenario.final),
    ]
    for killed, following in killed_and_next:
        assert killed.lock is not None, f"no lock left by {killed.name}\n{killed.tail()}"
        assert killed.lock["pid"] == killed.pid
        taken_over = f"Taking over from the run of {D1} for all (pid {killed.pid} on host"
        assert taken_over in following.log, following.tail()
    assert list((scenario.project / "data/work/locks").glob("*.json")) == []


def test_the_run_after_the_kills_publishes_and_leaves_no_debris(scenario):
    final, seen = scenario.final, scenario.after_final
    assert final.attempt, final.tail()
    (baseline,) = scenario.version_a.statuses()
    # The run killed while staging never recorded its attempt.
    assert seen.statuses() == {
        baseline: ["publishing", "committed"],
        scenario.killed_swapping.attempt: ["publishing", "rolled_back"],
        scenario.killed_committed.attempt: ["publishing", "committed"],
        final.attempt: ["publishing", "committed"],
    }, final.tail()
    for name in TABLES:
        for spec, location in seen.locations()[name].items():
            assert _in_attempt(location, seen, name, final.attempt), (name, spec, location)
        folder = seen.folder(name)
        writers_leftovers = list(folder.rglob(".spark-staging*"))
        assert writers_leftovers == [], writers_leftovers
        # Every attempt folder left is one a partition points into: the final run's.
        left = {f"{p.parent.name}/{p.name}" for p in (folder / "_runs").glob("*/*")}
        assert left == {final.attempt}, (name, left)
    # Nothing staged or set aside is left beside the report either.
    assert seen.seen["reporting_runs"] == [], final.tail()
