"""Benchmark: the default pipeline on a generated region, against the Parquet I/O floor.

    geodata-benchmark --us-addresses 20000 --fi-addresses 2000

Generates a region with the demo generator, measures in one Spark session
(1) the floor: reading every source's rows and writing and re-reading them as
Parquet, and (2) the default pipeline on the same rows, then prints the
figures (wall time, rows per second, ratio to the floor, slowest nodes, peak
memory of the driver JVM and of Python) as a table and as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

from geodata.runtime.session import make_project_copy, project_session
from geodata.runtime.sources import read_declared_sources
from geodata.sample_data import generate_region, write_region


def _parquet_floor(context, scratch: Path) -> tuple[int, float]:
    """Rows of every source's raw delivery file and the seconds to write + re-read them."""
    catalog = context.catalog  # starts Spark through the project hook
    sources = read_declared_sources(context.config_loader)
    frames = {name: catalog.load(f"{name}.raw") for name in sources}
    rows = sum(frame.count() for frame in frames.values())  # raw files are read once here
    started = time.perf_counter()
    for name, frame in frames.items():
        frame.write.mode("overwrite").parquet(str(scratch / name))
    spark = SparkSession.getActiveSession()
    reread = sum(spark.read.parquet(str(scratch / name)).count() for name in frames)
    elapsed = time.perf_counter() - started
    assert reread == rows
    return rows, elapsed


def _jvm_peak_rss_mb(spark: SparkSession) -> float | None:
    pid = spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def run_benchmark(
    source_project: Path, us_addresses: int, fi_addresses: int, seed: int, workdir: Path
) -> dict[str, Any]:
    """Generate a region in `workdir`, measure the floor and the pipeline, return the figures."""
    raw = workdir / "raw"
    started = time.perf_counter()
    write_region(
        generate_region(seed=seed, us_addresses=us_addresses, fi_addresses=fi_addresses), raw
    )
    generated_s = time.perf_counter() - started
    project = make_project_copy(source_project, workdir / "project", raw_dir=raw)

    with project_session(project, params={"run.execution_dt": "2026-11-01"}) as session:
        rows, floor_s = _parquet_floor(session.load_context(), workdir / "floor")
        started = time.perf_counter()
        session.run()
        pipeline_s = time.perf_counter() - started
    report = json.loads((project / "data/08_reporting/run_report.json").read_text())
    spark = SparkSession.getActiveSession()
    timings = sorted(report["timings_s"].items(), key=lambda kv: -kv[1])
    return {
        "us_addresses": us_addresses,
        "fi_addresses": fi_addresses,
        "source_rows_all_deliveries": rows,
        "records_in_scope": sum(report["accounting"]["in_scope_by_source"].values()),
        "addresses_out": report["merges"]["addresses"],
        "candidate_pairs": report["merges"]["candidate_pairs"],
        "generate_s": round(generated_s, 1),
        "parquet_floor_s": round(floor_s, 1),
        "pipeline_s": round(pipeline_s, 1),
        "ratio_to_floor": round(pipeline_s / floor_s, 1),
        "source_rows_per_s": round(rows / pipeline_s),
        "slowest_nodes_s": dict(timings[:6]),
        "machine_cores": os.cpu_count(),
        "shuffle_partitions": int(spark.conf.get("spark.sql.shuffle.partitions")),
        "driver_jvm_peak_rss_mb": _jvm_peak_rss_mb(spark),
        "python_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="geodata-benchmark", description=__doc__)
    parser.add_argument("--us-addresses", type=int, default=20_000)
    parser.add_argument("--fi-addresses", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--project-path", type=Path, default=Path.cwd())
    parser.add_argument("--workdir", type=Path, help="keep the generated data and outputs here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="geodata-bench-") as scratch:
        workdir = args.workdir or Path(scratch)
        figures = run_benchmark(
            args.project_path.resolve(), args.us_addresses, args.fi_addresses, args.seed, workdir
        )
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
