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
    shuffle_read_bytes: int = 0
    shuffle_write_bytes: int = 0

    def as_dict(self) -> dict[str, int]:
        """The totals, for JSON."""
        return asdict(self)


def _shuffle_bytes(metrics: dict[str, Any]) -> tuple[int, int]:
    read = metrics.get("Shuffle Read Metrics") or {}
    write = metrics.get("Shuffle Write Metrics") or {}
    read_bytes = int(read.get("Remote Bytes Read", 0)) + int(read.get("Local Bytes Read", 0))
    return read_bytes, int(write.get("Shuffle Bytes Written", 0))


# Event types this reader uses; other lines (SQL plans, block updates) are skipped unparsed.
_JOB_START = '"Event":"SparkListenerJobStart"'
_TASK_END = '"Event":"SparkListenerTaskEnd"'


def read_phase_totals(event_log: Path) -> dict[str, PhaseTotals]:
    """Sum the jobs and task shuffle metrics of an event log by phase.

    A stage belongs to the first job that lists it (later jobs list it again when
    they reuse its shuffle output, as skipped). Jobs started outside any phase are
    under `""`.

    Args:
        event_log: One application's uncompressed event log file.

    Returns:
        Totals by phase name.
    """
    totals: dict[str, PhaseTotals] = {}
    stage_phase: dict[int, str] = {}
    with event_log.open(encoding="utf-8") as lines:
        for line in lines:
            if _JOB_START in line:
                event = json.loads(line)
                phase = (event.get("Properties") or {}).get(PHASE_PROPERTY) or ""
                totals.setdefault(phase, PhaseTotals()).jobs += 1
                for stage in event.get("Stage IDs", []):
                    stage_phase.setdefault(stage, phase)
            elif _TASK_END in line:
                event = json.loads(line)
                phase = stage_phase.get(event["Stage ID"], "")
                phase_totals = totals.setdefault(phase, PhaseTotals())
                read, written = _shuffle_bytes(event.get("Task Metrics") or {})
                phase_totals.tasks += 1
                phase_totals.shuffle_read_bytes += read
                phase_totals.shuffle_write_bytes += written
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
