"""One benchmark size, measured in this process: the floor, the pipeline, the peers.

    python -m geodata.benchmark.measure --project DIR --raw DIR --out figures.json
        [--peer splink] [--peer splink-spark]

`geodata-benchmark` runs this once per size in a fresh process, so Spark starts
anew and the peak memory figures are this size's. The project copy's Spark
settings must write an uncompressed event log (`spark_events.event_log_settings`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame, SparkSession

from geodata.benchmark.spark_events import (
    NODE_PROPERTY,
    PhaseTotals,
    find_event_log,
    read_phase_totals,
    spark_phase,
)
from geodata.evaluation import pairwise_scores, read_truth, records_in_scope, run_partition
from geodata.runtime.session import project_session
from geodata.runtime.sources import read_declared_sources
from geodata.runtime.spark import wait_for_background_start

STAGES = ("ingest", "normalize", "enrich", "conflate", "export")
"""The default pipeline's stages, in order; node names are `<namespace>.<node>`."""

INPUT_DATASET = "normalize.int_addresses"
"""The run's normalized records: the peers' input."""


def parquet_floor(catalog, sources: list[str], scratch: Path) -> tuple[int, float]:
    """Rows of every source's raw deliveries, and seconds to read, write and re-read them.

    The raw files are counted once first, untimed, so that the timed read finds them
    in the OS cache as the pipeline does after the floor.

    Args:
        catalog: The run's catalog (its `<source>.raw` datasets).
        sources: The declared source names.
        scratch: Folder for the Parquet copies.

    Returns:
        The row count and the seconds.
    """
    frames = {name: catalog.load(f"{name}.raw") for name in sources}
    rows = sum(frame.count() for frame in frames.values())
    started = time.perf_counter()
    for name, frame in frames.items():
        frame.write.mode("overwrite").parquet(str(scratch / name))
    spark = SparkSession.getActiveSession()
    reread = sum(spark.read.parquet(str(scratch / name)).count() for name in frames)
    elapsed = time.perf_counter() - started
    if reread != rows:
        raise RuntimeError(f"the floor re-read {reread} rows of {rows} written")
    return rows, elapsed


def stage_seconds(timings: dict[str, float], sources: list[str]) -> dict[str, float]:
    """Node seconds summed by stage; a source's own namespace counts as ingest.

    Args:
        timings: Seconds by node name (`<namespace>.<node>`), as in the run report.
        sources: The declared source names.

    Returns:
        Seconds for each of `STAGES`, plus `other` for any namespace outside them.
    """
    totals = dict.fromkeys(STAGES, 0.0)
    for node, seconds in timings.items():
        namespace = node.split(".", 1)[0]
        stage = "ingest" if namespace in sources else namespace
        key = stage if stage in totals else "other"
        totals[key] = totals.get(key, 0.0) + seconds
    return {stage: round(seconds, 2) for stage, seconds in totals.items()}


def peak_rss_mb(pid: int) -> int | None:
    """Peak resident memory of process `pid` so far (Linux `VmHWM`), in MB; None elsewhere.

    `VmHWM` belongs to the process's own address space, unlike `getrusage`'s
    `ru_maxrss`, which Linux carries over from the parent through `exec`: a size
    measured in a process started by the generating one would report the
    generator's peak.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return None


def jvm_pid(spark: SparkSession) -> int:
    """The process id of the session's driver JVM."""
    return spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()


def jvm_peak_rss_mb(spark: SparkSession) -> int | None:
    """Peak resident memory of the driver JVM so far, in MB (`peak_rss_mb`)."""
    return peak_rss_mb(jvm_pid(spark))


def python_peak_rss_mb() -> int:
    """Peak resident memory of this Python process so far, in MB (`peak_rss_mb`, else
    `getrusage` where there is no /proc)."""
    peak = peak_rss_mb(os.getpid())
    if peak is None:
        peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return peak


JVM_THREAD_GROUPS = {
    "compiler": ("C1 CompilerThre", "C2 CompilerThre"),
    "gc": ("GC Thread", "G1 ", "VM Thread"),
}
"""Driver JVM threads whose CPU is reported apart, by name prefix (Linux truncates a
thread's name to 15 characters): the just-in-time compilers and the collector."""


def jvm_cpu_seconds(pid: int) -> dict[str, float] | None:
    """CPU seconds of process `pid` so far: `total`, and each `JVM_THREAD_GROUPS` group's.

    `total` is the process's (user + system, threads that ended included); a group
    sums the threads alive now, which for the compiler and collector threads, started
    with the JVM, is all of theirs. None where there is no /proc.
    """
    ticks = os.sysconf("SC_CLK_TCK")

    def cpu(stat: str) -> float:
        # Fields after the parenthesised name: utime and stime are the 12th and 13th.
        fields = stat[stat.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / ticks

    try:
        figures = {"total": cpu(Path(f"/proc/{pid}/stat").read_text())}
        threads = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return None
    groups = dict.fromkeys(JVM_THREAD_GROUPS, 0.0)
    for thread in threads:
        try:
            stat = (thread / "stat").read_text()
        except OSError:  # ended since it was listed
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        for group, prefixes in JVM_THREAD_GROUPS.items():
            if name.startswith(prefixes):
                groups[group] += cpu(stat)
    return {**figures, **groups}


def cpu_between(
    before: dict[str, float] | None, after: dict[str, float] | None
) -> dict[str, float] | None:
    """The CPU seconds (`jvm_cpu_seconds`) spent from `before` to `after`, rounded."""
    if before is None or after is None:
        return None
    return {key: round(after[key] - before[key], 1) for key in after}


def _scores(predicted: DataFrame, truth: DataFrame) -> dict[str, float]:
    scores = pairwise_scores(predicted, truth).as_dict()
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in scores.items()}


def _per_second(rows: int, seconds: float) -> int | None:
    return round(rows / seconds) if seconds else None


def _ratio(seconds: float, floor_s: float) -> float | None:
    return round(seconds / floor_s, 1) if floor_s else None


def _run_peer(peer: str, spark: SparkSession, records: Path, workdir: Path):
    from geodata.benchmark.splink_peer import run_splink_duckdb, run_splink_spark

    if peer == "splink":
        return run_splink_duckdb(records, workdir / "splink_clusters.parquet")
    if peer == "splink-spark":
        return run_splink_spark(
            spark, records, workdir / "splink_spark_clusters", workdir / "splink_checkpoints"
        )
    raise ValueError(f"unknown peer {peer!r}")


def measure_size(
    project: Path,
    raw_dir: Path,
    execution_dt: str,
    peers: list[str],
    workdir: Path,
    event_dir: Path,
) -> dict[str, Any]:
    """Measure the floor, the default pipeline and each peer on one generated region.

    Args:
        project: A project copy whose `data/01_raw` is the region and whose Spark
            settings write an uncompressed event log into `event_dir`.
        raw_dir: The region (for the truth files).
        execution_dt: The run date.
        peers: Peers to run after the pipeline on its normalized records.
        workdir: Scratch folder (floor copies, peers' clusters).
        event_dir: The Spark event log folder of this process.

    Returns:
        The size's figures (see docs/performance.md).
    """
    with project_session(project, params={"run.execution_dt": execution_dt}) as session:
        context = session.load_context()
        declared = read_declared_sources(context.config_loader)
        sources = sorted(declared)
        events = sorted(n for n, b in declared.items() if b.get("kind") == "corrections")
        catalog = context.catalog  # starts Spark through the project hook
        spark = SparkSession.getActiveSession()
        # The session's start-up work in the background (the metastore client, the
        # Python workers) is done before anything is timed.
        wait_for_background_start()
        with spark_phase(spark, "floor"):
            raw_rows, floor_s = parquet_floor(catalog, sources, workdir / "floor")
        cpu_before = jvm_cpu_seconds(jvm_pid(spark))
        with spark_phase(spark, "pipeline"):
            started = time.perf_counter()
            session.run()
            pipeline_s = time.perf_counter() - started
        pipeline_cpu = cpu_between(cpu_before, jvm_cpu_seconds(jvm_pid(spark)))
        pipeline_memory = {
            "driver_jvm_peak_rss_mb": jvm_peak_rss_mb(spark),
            "python_peak_rss_mb": python_peak_rss_mb(),
        }
        with spark_phase(spark, "evaluation"):
            truth = records_in_scope(read_truth(spark, raw_dir), execution_dt, events).cache()
            lineage = run_partition(catalog.load("address_lineage"), execution_dt)
            pipeline_scores = _scores(lineage, truth)
        records_path = project / catalog.config_resolver.resolve_pattern(INPUT_DATASET)["filepath"]
        peer_figures: dict[str, dict[str, Any]] = {}
        for peer in peers:
            with spark_phase(spark, peer):
                run = _run_peer(peer, spark, records_path, workdir)
            memory = {
                "driver_jvm_peak_rss_mb": jvm_peak_rss_mb(spark),
                "python_peak_rss_mb": python_peak_rss_mb(),
            }
            with spark_phase(spark, "evaluation"):
                scores = _scores(spark.read.parquet(str(run.clusters_path)), truth)
            peer_figures[peer] = {
                "backend": run.backend,
                "seconds": round(run.seconds, 1),
                "ratio_to_floor": _ratio(run.seconds, floor_s),
                "records": run.records,
                "clusters": run.clusters,
                "records_per_s": _per_second(run.records, run.seconds),
                "memory": memory,
                "pairwise": scores,
            }
        settings = {
            key: spark.conf.get(key, None)
            for key in (
                "spark.master",
                "spark.driver.memory",
                "spark.driver.extraJavaOptions",
                "spark.sql.shuffle.partitions",
            )
        }
    spark.stop()  # completes the event log
    event_log = find_event_log(event_dir)
    totals = read_phase_totals(event_log)
    node_totals = read_phase_totals(event_log, NODE_PROPERTY)
    report = json.loads((project / "data/08_reporting/run_report.json").read_text())
    timings = report["timings_s"]
    in_scope = sum(report["accounting"]["in_scope_by_source"].values())
    for peer, figures in peer_figures.items():
        if peer in totals:
            figures["spark"] = totals[peer].as_dict()
    return {
        "execution_dt": execution_dt,
        "source_rows_all_deliveries": raw_rows,
        "records_in_scope": in_scope,
        "addresses_out": report["merges"]["addresses"],
        "candidate_pairs": report["merges"]["candidate_pairs"],
        "floor": {
            "seconds": round(floor_s, 1),
            "spark": totals.get("floor", PhaseTotals()).as_dict(),
        },
        "pipeline": {
            "seconds": round(pipeline_s, 1),
            "ratio_to_floor": _ratio(pipeline_s, floor_s),
            "source_rows_per_s": _per_second(raw_rows, pipeline_s),
            "records_in_scope_per_s": _per_second(in_scope, pipeline_s),
            "stages_s": stage_seconds(timings, sources),
            "nodes_s": dict(sorted(timings.items(), key=lambda kv: -kv[1])),
            "spark": totals.get("pipeline", PhaseTotals()).as_dict(),
            # Spark's work per node: jobs, tasks, task seconds, shuffle bytes.
            "nodes_spark": {
                node: node_totals[node].as_dict()
                for node in sorted(node_totals, key=lambda n: -node_totals[n].task_seconds)
                if node in timings
            },
            "memory": pipeline_memory,
            # The driver JVM's CPU during the run: tasks and Spark's own threads, and
            # apart the compiler's and the collector's (both share the cores).
            "jvm_cpu_s": pipeline_cpu,
            "pairwise": pipeline_scores,
        },
        "peers": peer_figures,
        "machine": {"cores": os.cpu_count(), **settings},
    }


def main(argv: list[str] | None = None) -> None:
    """Measure one size and write its figures as JSON."""
    parser = argparse.ArgumentParser(prog="python -m geodata.benchmark.measure")
    parser.add_argument("--project", type=Path, required=True, help="the size's project copy")
    parser.add_argument("--raw", type=Path, required=True, help="the generated region")
    parser.add_argument("--execution-dt", required=True, help="run date")
    parser.add_argument("--peer", action="append", default=[], help="peer to run")
    parser.add_argument("--workdir", type=Path, required=True, help="scratch folder")
    parser.add_argument("--event-dir", type=Path, required=True, help="Spark event log folder")
    parser.add_argument("--out", type=Path, required=True, help="figures JSON to write")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    figures = measure_size(
        args.project.resolve(),
        args.raw.resolve(),
        args.execution_dt,
        args.peer,
        args.workdir.resolve(),
        args.event_dir.resolve(),
    )
    args.out.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
