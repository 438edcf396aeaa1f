"""Benchmark: the default pipeline on generated regions of given sizes, beside the Parquet
I/O floor and, optionally, Splink on the same records.

    geodata-benchmark --records 200000,1000000,5000000 --peer splink --json bench.json

For each target number of source records a run reads, generates a demo region (US-CA
and FI-18) sized to it, and measures in a fresh process (one Spark session): (1) the
floor: reading every source's rows and writing and re-reading them as Parquet, (2)
the default pipeline on the same rows: seconds in all, by stage and by node, ratio to
the floor, rows per second, Spark jobs and shuffle bytes, peak memory, pairwise
precision/recall/F1 against the generator's truth, and (3) each `--peer` on the
pipeline's normalized records. Prints one table with a column per size, and the JSON.
Generating the regions is not measured. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

import geodata
from geodata.benchmark.sizing import RegionPlan, measure_records_per_address
from geodata.benchmark.spark_events import event_log_settings
from geodata.benchmark.splink_peer import PEERS
from geodata.runtime.session import config_loader, make_project_copy
from geodata.runtime.sources import read_declared_sources

RUN_DATE = "2026-11-01"
"""The run date: the demo generator's deliveries up to it are in scope."""

ENV = "local"
"""The Kedro environment measured (it declares the demo region's sources)."""


def parse_records(text: str) -> list[int]:
    """`"200000,1000000"` → `[200000, 1000000]`; each a positive number of records."""
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma list of numbers: {text!r}") from None
    if not sizes or min(sizes) <= 0:
        raise argparse.ArgumentTypeError(f"record counts must be positive: {text!r}")
    return sizes


def parse_spark_setting(text: str) -> tuple[str, str]:
    """`"spark.sql.shuffle.partitions=16"` → `("spark.sql.shuffle.partitions", "16")`."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, not {text!r}")
    return key.strip(), value.strip()


def event_sources(project: Path, env: str = ENV) -> list[str]:
    """Sources the environment declares as events (`kind: corrections`)."""
    declared = read_declared_sources(config_loader(project / "conf", env))
    return sorted(name for name, block in declared.items() if block.get("kind") == "corrections")


def configure_spark(project: Path, settings: dict[str, Any], env: str = ENV) -> None:
    """Set Spark settings in a project copy's `conf/<env>/spark.yml` (over its own)."""
    path = project / "conf" / env / "spark.yml"
    current = yaml.safe_load(path.read_text()) if path.is_file() else {}
    path.write_text(yaml.safe_dump({**(current or {}), **settings}, sort_keys=False))


def _child_environment() -> dict[str, str]:
    """This process's environment, with the `geodata` it runs first on the path."""
    package_root = str(Path(geodata.__file__).resolve().parents[1])
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (package_root, path) if p)}


def measure_in_process(
    source_project: Path,
    plan: RegionPlan,
    seed: int,
    peers: Sequence[str],
    spark_settings: dict[str, str],
    size_dir: Path,
) -> dict[str, Any]:
    """Generate the planned region, then measure it in a new Python process.

    Args:
        source_project: The project whose config is copied.
        plan: The region's size.
        seed: Generator seed.
        peers: Peers to run after the pipeline.
        spark_settings: Spark settings over the environment's own.
        size_dir: Folder for this size's region, project copy and scratch.

    Returns:
        The size's figures (`geodata.benchmark.measure.measure_size`) with its plan.
    """
    from geodata.sample_data import generate_region, write_region

    raw = size_dir / "raw"
    write_region(
        generate_region(seed=seed, us_addresses=plan.us_addresses, fi_addresses=plan.fi_addresses),
        raw,
    )
    project = make_project_copy(source_project, size_dir / "project", raw_dir=raw)
    event_dir = size_dir / "spark-events"
    configure_spark(project, {**event_log_settings(event_dir), **spark_settings})
    out = size_dir / "figures.json"
    command = [
        sys.executable,
        "-m",
        "geodata.benchmark.measure",
        *("--project", str(project), "--raw", str(raw), "--execution-dt", RUN_DATE),
        *("--workdir", str(size_dir / "scratch"), "--event-dir", str(event_dir)),
        *("--out", str(out)),
        *(arg for peer in peers for arg in ("--peer", peer)),
    ]
    subprocess.run(command, check=True, env=_child_environment())
    return {
        "target_records": plan.target_records,
        "plan": plan.as_dict(),
        **json.loads(out.read_text()),
    }


def run_benchmark(
    source_project: Path,
    records: Sequence[int],
    *,
    seed: int = 7,
    fi_share: float = 0.1,
    peers: Sequence[str] = (),
    spark_settings: dict[str, str] | None = None,
    workdir: Path,
    keep: bool = False,
) -> dict[str, Any]:
    """Measure each size in its own process and combine the figures.

    Args:
        source_project: The project whose config is copied.
        records: Target numbers of in-scope source records, one size each.
        seed: Generator seed.
        fi_share: Share of the generated addresses in FI-18 (the rest in US-CA).
        peers: Peers to run after the pipeline (`splink`, `splink-spark`).
        spark_settings: Spark settings over the environment's own.
        workdir: Where each size's data goes.
        keep: Keep each size's region and outputs (else removed once measured).

    Returns:
        `{"settings": ..., "records_per_address": ..., "sizes": [...]}`.
    """
    spark_settings = dict(spark_settings or {})
    line = measure_records_per_address(seed, fi_share, RUN_DATE, event_sources(source_project))
    sizes = []
    for target in records:
        size_dir = workdir / f"records_{target}"
        size_dir.mkdir(parents=True, exist_ok=True)
        plan = line.plan(target, fi_share)
        sizes.append(
            measure_in_process(source_project, plan, seed, peers, spark_settings, size_dir)
        )
        if not keep:
            shutil.rmtree(size_dir, ignore_errors=True)
    return {
        "settings": {
            "seed": seed,
            "fi_share": fi_share,
            "execution_dt": RUN_DATE,
            "env": ENV,
            "peers": list(peers),
            "spark": spark_settings,
        },
        "records_per_address": {"slope": round(line.slope, 4), "fixed": round(line.fixed, 1)},
        "sizes": sizes,
    }


def _get(figures: dict[str, Any], path: str, *keys: str) -> Any:
    """The value at a dotted `path` (then at each of `keys`), or None where there is none."""
    value: Any = figures
    for key in (*path.split("."), *keys):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _count(value: Any) -> str:
    return f"{value:,}"


def _seconds(value: Any) -> str:
    return f"{value:,.1f}"


def _score(value: Any) -> str:
    return f"{value:.4f}"


def _megabytes(value: Any) -> str:
    return f"{value / 1e6:,.1f}"


Row = tuple[str, Callable[[dict[str, Any]], Any], Callable[[Any], str]]


def _field(path: str) -> Callable[[dict[str, Any]], Any]:
    return lambda figures: _get(figures, path)


def _rows(combined: dict[str, Any]) -> list[Row]:
    rows: list[Row] = [
        ("target source records", _field("target_records"), _count),
        ("records in scope", _field("records_in_scope"), _count),
        ("source rows, all deliveries", _field("source_rows_all_deliveries"), _count),
        ("addresses generated (US-CA)", _field("plan.us_addresses"), _count),
        ("addresses generated (FI-18)", _field("plan.fi_addresses"), _count),
        ("addresses out", _field("addresses_out"), _count),
        ("candidate pairs", _field("candidate_pairs"), _count),
        ("Parquet floor s", _field("floor.seconds"), _seconds),
        ("pipeline s", _field("pipeline.seconds"), _seconds),
        ("  ratio to floor", _field("pipeline.ratio_to_floor"), _seconds),
        ("  source rows / s", _field("pipeline.source_rows_per_s"), _count),
        *(
            (f"  {stage} s (node sum)", _field(f"pipeline.stages_s.{stage}"), _seconds)
            for stage in ("ingest", "normalize", "enrich", "conflate", "export", "other")
        ),
        ("  Spark jobs", _field("pipeline.spark.jobs"), _count),
        ("  Spark task s", _field("pipeline.spark.task_seconds"), _seconds),
        ("  shuffle read MB", _field("pipeline.spark.shuffle_read_bytes"), _megabytes),
        ("  shuffle write MB", _field("pipeline.spark.shuffle_write_bytes"), _megabytes),
        ("  driver JVM peak RSS MB", _field("pipeline.memory.driver_jvm_peak_rss_mb"), _count),
        ("  Python peak RSS MB", _field("pipeline.memory.python_peak_rss_mb"), _count),
        ("  driver JVM CPU s", _field("pipeline.jvm_cpu_s.total"), _seconds),
        ("    of it JIT compiler", _field("pipeline.jvm_cpu_s.compiler"), _seconds),
        ("    of it garbage collector", _field("pipeline.jvm_cpu_s.gc"), _seconds),
        ("  pairwise precision", _field("pipeline.pairwise.precision"), _score),
        ("  pairwise recall", _field("pipeline.pairwise.recall"), _score),
        ("  pairwise F1", _field("pipeline.pairwise.f1"), _score),
    ]
    for peer in combined["settings"]["peers"]:
        base = f"peers.{peer}"
        rows += [
            (f"{peer} s", _field(f"{base}.seconds"), _seconds),
            ("  ratio to floor", _field(f"{base}.ratio_to_floor"), _seconds),
            ("  records / s", _field(f"{base}.records_per_s"), _count),
            ("  Spark jobs", _field(f"{base}.spark.jobs"), _count),
            ("  shuffle read MB", _field(f"{base}.spark.shuffle_read_bytes"), _megabytes),
            ("  shuffle write MB", _field(f"{base}.spark.shuffle_write_bytes"), _megabytes),
            ("  driver JVM peak RSS MB", _field(f"{base}.memory.driver_jvm_peak_rss_mb"), _count),
            ("  Python peak RSS MB", _field(f"{base}.memory.python_peak_rss_mb"), _count),
            ("  pairwise precision", _field(f"{base}.pairwise.precision"), _score),
            ("  pairwise recall", _field(f"{base}.pairwise.recall"), _score),
            ("  pairwise F1", _field(f"{base}.pairwise.f1"), _score),
        ]
    # Node names hold dots, so they are looked up whole; slowest (at the largest size) first.
    largest = combined["sizes"][-1]["pipeline"]["nodes_s"] if combined["sizes"] else {}
    rows += [
        (
            f"node {node} s",
            lambda figures, node=node: _get(figures, "pipeline.nodes_s", node),
            _seconds,
        )
        for node in largest
    ]
    # Spark's work per node: the seconds its tasks ran on all cores.
    rows += [
        (
            f"node {node} task s",
            lambda figures, node=node: _get(figures, "pipeline.nodes_spark", node, "task_seconds"),
            _seconds,
        )
        for node in largest
    ]
    return rows


def render_table(combined: dict[str, Any]) -> str:
    """The figures as a text table: a row per figure, a column per size."""
    sizes = combined["sizes"]
    header = ["figure", *(f"{size['target_records']:,}" for size in sizes)]
    lines = [header]
    for label, value_of, show in _rows(combined):
        values = [value_of(size) for size in sizes]
        if all(value is None for value in values):  # e.g. Spark figures of a DuckDB peer
            continue
        lines.append([label, *("" if value is None else show(value) for value in values)])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    rendered = []
    for line in lines:
        label, *cells = line
        rendered.append(
            "  ".join(
                [
                    label.ljust(widths[0]),
                    *(c.rjust(w) for c, w in zip(cells, widths[1:], strict=True)),
                ]
            )
        )
    return "\n".join(line.rstrip() for line in rendered)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geodata-benchmark",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--records",
        type=parse_records,
        default=[50_000],
        help="comma list of target source record counts a run reads, one size each (default 50000)",
    )
    parser.add_argument(
        "--peer",
        action="append",
        choices=PEERS,
        default=[],
        help="also run this peer on the pipeline's normalized records (repeatable)",
    )
    parser.add_argument(
        "--fi-share", type=float, default=0.1, help="share of addresses in FI-18 (default 0.1)"
    )
    parser.add_argument("--seed", type=int, default=7, help="generator seed")
    parser.add_argument(
        "--spark-conf",
        type=parse_spark_setting,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="Spark setting over the environment's spark.yml (repeatable)",
    )
    parser.add_argument("--project-path", type=Path, default=Path.cwd(), help="project root")
    parser.add_argument("--workdir", type=Path, help="keep the generated data and outputs here")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, measure each size, print the table and the JSON."""
    args = _parser().parse_args(argv)
    if not 0 <= args.fi_share < 1:
        raise SystemExit(f"--fi-share must be in [0, 1), not {args.fi_share}")
    if args.peer:
        try:
            import splink  # noqa: F401
        except ImportError:
            raise SystemExit(
                "--peer needs Splink: pip install 'geodata[benchmark]' (or 'splink>=5.0,<6')"
            ) from None
    with tempfile.TemporaryDirectory(prefix="geodata-bench-") as scratch:
        workdir = (args.workdir or Path(scratch)).resolve()
        combined = run_benchmark(
            args.project_path.resolve(),
            args.records,
            seed=args.seed,
            fi_share=args.fi_share,
            peers=list(dict.fromkeys(args.peer)),
            spark_settings=dict(args.spark_conf),
            workdir=workdir,
            keep=args.workdir is not None,
        )
    print(render_table(combined))
    print(json.dumps(combined))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(combined, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
