"""Project runs that many tests read: the demo region once, and a run history on a small region.

Whole pipeline runs are the slow part of the suite, so each is made once per test
session and its outcome (tables, reports, copies of the partitions as they were) is
kept for every test that asserts on it. The small region is a few hundred generated
addresses with the demo's sources and noise: enough for every contract, quick to run.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from geodata.commands.evaluate import run_evaluation
from geodata.evaluation import EvaluationReport
from geodata.runtime.session import make_project_copy, run_project
from geodata.sample_data import generate_region, write_region

REPO = Path(__file__).resolve().parents[1]
DEMO_RAW = REPO / "data" / "01_raw"

SMALL_REGION = {"seed": 11, "us_addresses": 300, "fi_addresses": 60}
"""The small region's generator arguments: about 360 real addresses, 800 source records."""

D1, D2 = "2026-11-01", "2026-11-20"
"""The history's run dates: the demo's date, and a later one with new deliveries."""

CHURN_SHARE = 0.05
PARTITION_COLUMNS = ("execution_dt", "iso_3166_1", "iso_3166_2")
TABLES = ("conflated_addresses", "address_lineage", "quarantine")


def write_small_region(out: Path) -> Path:
    """Generate the small region's raw layout (sources, reference data, truth) into `out`."""
    write_region(generate_region(**SMALL_REGION), out)
    return out


def use_database(project: Path, database: str) -> None:
    """Point a project copy's `local` tables at their own Hive database."""
    globals_file = project / "conf/local/globals.yml"
    text = globals_file.read_text()
    assert "hive_database: geodata\n" in text
    globals_file.write_text(
        text.replace("hive_database: geodata\n", f"hive_database: {database}\n")
    )


def partition(spark: SparkSession, table: str, run_dt: str, region: str | None = None) -> DataFrame:
    """One run date's rows of a table, optionally of one region."""
    frame = spark.table(table).where(F.col("execution_dt") == F.lit(run_dt).cast("date"))
    return frame.where(F.col("iso_3166_2") == region) if region else frame


def snapshot(spark: SparkSession, table: str, run_dt: str, region: str | None = None) -> list:
    """A partition's rows as sorted tuples (maps left out: they do not sort), to compare runs."""
    frame = partition(spark, table, run_dt, region)
    flat = [f.name for f in frame.schema if f.dataType.typeName() != "map"]
    return sorted(tuple(row) for row in frame.select(*flat).collect())


@dataclass(frozen=True)
class DemoRun:
    """The demo region's run: the project copy it ran in, and the evaluation of its output."""

    project: Path
    report: EvaluationReport


def run_demo_region(workdir: Path) -> DemoRun:
    """Run and evaluate the demo region for D1 as `geodata-evaluate --raw-dir` does."""
    report = run_evaluation(REPO, workdir, raw_dir=DEMO_RAW, execution_dt=D1)
    return DemoRun(workdir / "project", report)


@dataclass(frozen=True)
class LocalRun:
    """`kedro run --env local` as the README's quick start runs it, in a copy of the project."""

    project: Path
    output: str  # what the command printed (stdout and stderr)

    @property
    def reporting(self) -> Path:
        return self.project / "data" / "08_reporting"


def run_local_command(workdir: Path) -> LocalRun:
    """Run `kedro run --env local` on the demo region in its own process, as a user does.

    The copy also holds the repository's notebooks and the committed figures they
    read, so the notebooks run against this run as they would in a clone.
    """
    project = make_project_copy(REPO, workdir / "project", raw_dir=DEMO_RAW)
    shutil.copytree(REPO / "notebooks", project / "notebooks")
    (project / "docs").mkdir()
    shutil.copy(REPO / "docs" / "quality_demo.json", project / "docs" / "quality_demo.json")
    env = {
        **os.environ,
        "KEDRO_DISABLE_TELEMETRY": "1",
        "DO_NOT_TRACK": "1",
        "SPARK_LOCAL_IP": "127.0.0.1",
        "PYTHONUNBUFFERED": "1",
        "COLUMNS": "200",  # a wide terminal: Kedro's log lines are not wrapped
    }
    done = subprocess.run(
        [sys.executable, "-m", "kedro", "run", "--env", "local"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=1200,
        check=False,
    )
    (workdir / "kedro_run.log").write_text(done.stdout)
    assert done.returncode == 0, f"kedro run --env local failed:\n{done.stdout[-6000:]}"
    return LocalRun(project, done.stdout)


# ---------------------------------------------------------------- new deliveries (churn)


def _churn(frame: pd.DataFrame, id_column: str, renumber, seed: int) -> pd.DataFrame:
    """`frame` without a random 5 % of its rows, plus 5 % new records at new house numbers."""
    rng = random.Random(seed)
    count = max(1, round(len(frame) * CHURN_SHARE))
    kept = frame.drop(index=rng.sample(list(frame.index), count))
    new = frame.loc[rng.sample(list(frame.index), count)].copy()
    new[id_column] = [f"NEW-{seed}-{i}" for i in range(count)]
    new = renumber(new, [str(20_000 + i) for i in range(count)])
    return pd.concat([kept, new], ignore_index=True)


def _set_column(column: str):
    def renumber(frame: pd.DataFrame, numbers: list[str]) -> pd.DataFrame:
        frame[column] = numbers
        return frame

    return renumber


def _renumber_text(frame: pd.DataFrame, numbers: list[str]) -> pd.DataFrame:
    frame["address"] = [
        number + text[len(text) - len(text.lstrip("0123456789")) :]
        for number, text in zip(numbers, frame["address"], strict=True)
    ]
    return frame


def write_churned_deliveries(raw: Path, previous_dt: str, new_dt: str) -> None:
    """New deliveries dated `new_dt` in which every source lost 5 % and gained 5 % new records.

    The dated sources get a new delivery beside the old ones; the undated one is rewritten.
    """
    county_path = raw / "county_gis/addresses.csv"
    county = pd.read_csv(county_path, dtype=str, keep_default_na=False)
    latest = county[
        county["EDIT_DATE"] == county.loc[county["EDIT_DATE"] <= previous_dt, "EDIT_DATE"].max()
    ]
    delivery = _churn(latest, "OBJECTID", _set_column("ADDNUM"), seed=1).assign(EDIT_DATE=new_dt)
    pd.concat([county, delivery]).to_csv(county_path, index=False)

    vendor_path = raw / "vendor_acme/addresses.parquet"
    vendor = pd.read_parquet(vendor_path)
    used = vendor[vendor["file_dt"] <= pd.Timestamp(previous_dt).date()]
    latest = used[used["file_dt"] == used["file_dt"].max()]
    delivery = _churn(latest, "rec_id", _set_column("house_no"), seed=2)
    delivery["file_dt"] = pd.Series([pd.Timestamp(new_dt).date()] * len(delivery)).astype(
        vendor["file_dt"].dtype
    )
    pd.concat([vendor, delivery], ignore_index=True).to_parquet(vendor_path, index=False)

    open_path = raw / "open_data/addresses.csv"
    open_data = pd.read_csv(open_path, dtype=str, keep_default_na=False)
    _churn(open_data, "id", _renumber_text, seed=3).to_csv(open_path, index=False)


# ---------------------------------------------------------------- the run history


@dataclass
class Run:
    """One run of the history: its parameters and what it left behind."""

    label: str
    params: dict[str, Any]
    report: dict[str, Any]
    lineage: pd.DataFrame  # address_id, source, source_record_id, iso_3166_2 of its date
    snapshots: dict[str, list] = field(default_factory=dict)  # "table/date/region" → rows


@dataclass
class RunHistory:
    """Runs of the default pipeline, one after another, in one project copy of the small region.

    1. `d1`: every region on D1 (CSV export on). Its tables and CSV files are copied
       as they were to `d1_copy/`.
    2. `d2_us`: US-CA on D2, after new deliveries with 5 % churn per source.
    3. `d2_fi`: FI-18 on D2.
    4. `d2_us_again`: US-CA on D2 again.
    """

    project: Path
    raw: Path
    database: str
    warehouse: Path
    d1_copy: Path
    runs: dict[str, Run]

    @property
    def table(self) -> str:
        return f"{self.database}.conflated_addresses"

    def export_dir(self, root: Path | None = None) -> Path:
        """The CSV export's folder, in the project or in a copy of it."""
        return (root or self.project / "data/08_reporting") / "conflated_addresses_csv"


WATCHED = [
    ("conflated_addresses", D1, None),
    ("address_lineage", D1, None),
    ("quarantine", D1, None),
    ("conflated_addresses", D2, "US-CA"),
    ("address_lineage", D2, "US-CA"),
    ("quarantine", D2, "US-CA"),
]


def make_run_history(spark: SparkSession, small_raw: Path, base: Path) -> RunHistory:
    """Run the history's four runs (see `RunHistory`) and keep what the tests read."""
    database = "geodata_history"
    raw = base / "raw"
    shutil.copytree(small_raw, raw)  # the history writes new deliveries into its own copy
    project = make_project_copy(REPO, base / "project", raw_dir=raw)
    use_database(project, database)
    common = {"export.table": f"{database}.conflated_addresses", "export.csv_enabled": True}
    warehouse = Path(spark.conf.get("spark.sql.warehouse.dir").removeprefix("file:"))
    history = RunHistory(project, raw, database, warehouse, base / "d1_copy", {})

    def run(label: str, run_dt: str, region: str = "") -> None:
        params = {**common, "run.execution_dt": run_dt, "run.iso_3166_2": region}
        run_project(project, params=params)
        report = json.loads((project / "data/08_reporting/run_report.json").read_text())
        lineage = (
            partition(spark, f"{database}.address_lineage", run_dt)
            .select("address_id", "source", "source_record_id", "iso_3166_2")
            .toPandas()
        )
        record = Run(label, params, report, lineage)
        for table, date, scope in WATCHED:
            if spark.catalog.tableExists(f"{database}.{table}"):
                key = f"{table}/{date}/{scope or 'all'}"
                record.snapshots[key] = snapshot(spark, f"{database}.{table}", date, scope)
        history.runs[label] = record

    run("d1", D1)
    for table in TABLES:
        shutil.copytree(warehouse / f"{database}.db" / table, history.d1_copy / "warehouse" / table)
    shutil.copytree(history.export_dir(), history.export_dir(history.d1_copy))
    write_churned_deliveries(raw, D1, D2)
    run("d2_us", D2, "US-CA")
    run("d2_fi", D2, "FI-18")
    run("d2_us_again", D2, "US-CA")
    return history
