"""Spark jobs and shuffle bytes per phase of a process, read from Spark's event log.

Each phase (the floor, the pipeline, a peer) runs its Spark jobs under a local
property naming it; the job-start events carry it and list the job's stages, and
the task-end events carry each task's shuffle metrics. The log is one uncompressed
file (`spark.eventLog.compress` and, since Spark 4.0 turned it on by default,
`spark.eventLog.rolling.enabled` off), complete once the SparkContext has stopped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

PHASE_PROPERTY = "geodata.benchmark.phase"
"""Local property that names the phase a Spark job belongs to."""

NODE_PROPERTY = "geodata.node"
"""Local property that names the Kedro node a Spark job runs for (`geodata.hooks`)."""


def event_log_settings(event_dir: Path) -> dict[str, Any]:
    """Spark settings that write an uncompressed event log into `event_dir` (created)."""
    event_dir.mkdir(parents=True, exist_ok=True)
    return {
        "spark.eventLog.enabled": True,
        "spark.eventLog.compress": False,
        "spark.eventLog.rolling.enabled": False,
        "spark.eventLog.dir": event_dir.resolve().as_uri(),
    }


@contextmanager
def spark_phase(spark: SparkSession, phase: str) -> Iterator[None]:
    """Tag the Spark jobs this thread starts inside the block with `phase`."""
    context = spark.sparkContext
    previous = context.getLocalProperty(PHASE_PROPERTY)
    context.setLocalProperty(PHASE_PROPERTY, phase)
    try:
        yield
    finally:
        context.setLocalProperty(PHASE_PROPERTY, previous)


@dataclass
class PhaseTotals:
    """Spark work of one phase: jobs started, and shuffle bytes its tasks read and wrote."""

    jobs: int = 0
    tasks: int = 0
    task_seconds: float = 0.0
    shuffle_read_bytes: int = 0
    shuffle_write_bytes: int = 0

    def as_dict(self) -> dict[str, int | float]:
        """The totals, for JSON."""
        return {**asdict(self), "task_seconds": round(self.task_seconds, 1)}


def _shuffle_bytes(metrics: dict[str, Any]) -> tuple[int, int]:
    read = metrics.get("Shuffle Read Metrics") or {}
    write = metrics.get("Shuffle Write Metrics") or {}
    read_bytes = int(read.get("Remote Bytes Read", 0)) + int(read.get("Local Bytes Read", 0))
    return read_bytes, int(write.get("Shuffle Bytes Written", 0))


# Event types this reader uses; other lines (SQL plans, block updates) are skipped unparsed.
_JOB_START = '"Event":"SparkListenerJobStart"'
_TASK_END = '"Event":"SparkListenerTaskEnd"'


def read_phase_totals(event_log: Path, prop: str = PHASE_PROPERTY) -> dict[str, PhaseTotals]:
    """Sum the jobs and task metrics of an event log by a job property's value.

    A stage belongs to the first job that lists it (later jobs list it again when
    they reuse its shuffle output, as skipped). Jobs started without the property
    are under `""`. A task's seconds are its executor run time.

    Args:
        event_log: One application's uncompressed event log file.
        prop: The local property to group by: the phase (`PHASE_PROPERTY`) or the
            Kedro node (`NODE_PROPERTY`).

    Returns:
        Totals by the property's value.
    """
    totals: dict[str, PhaseTotals] = {}
    stage_group: dict[int, str] = {}
    with event_log.open(encoding="utf-8") as lines:
        for line in lines:
            if _JOB_START in line:
                event = json.loads(line)
                group = (event.get("Properties") or {}).get(prop) or ""
                totals.setdefault(group, PhaseTotals()).jobs += 1
                for stage in event.get("Stage IDs", []):
                    stage_group.setdefault(stage, group)
            elif _TASK_END in line:
                event = json.loads(line)
                group_totals = totals.setdefault(
                    stage_group.get(event["Stage ID"], ""), PhaseTotals()
                )
                metrics = event.get("Task Metrics") or {}
                read, written = _shuffle_bytes(metrics)
                group_totals.tasks += 1
                group_totals.task_seconds += int(metrics.get("Executor Run Time", 0)) / 1000
                group_totals.shuffle_read_bytes += read
                group_totals.shuffle_write_bytes += written
    return totals


def find_event_log(event_dir: Path) -> Path:
    """The one finished application log in `event_dir` (a fresh folder per process)."""
    logs = [
        p
        for p in event_dir.iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith(".inprogress")
    ]
    if len(logs) != 1:
        names = sorted(p.name for p in event_dir.iterdir())
        raise RuntimeError(f"expected one finished Spark event log in {event_dir}, found {names}")
    return logs[0]
