"""Evaluation command: run the default pipeline on a labelled set and score its output.

    geodata-evaluate --profile demo --records 20000 --json evaluation.json
    geodata-evaluate --profile lists --split report --records 20000
    geodata-evaluate --raw-dir /path/to/labelled_set --env local

Generates a labelled set (or takes `--raw-dir`, any folder in the raw layout
with `truth/records.parquet` and `truth/addresses.parquet`), runs `__default__`
in a throwaway copy of the project for the run date that reads every source's
latest delivery, and prints the figures (docs/quality.md) as a table and JSON.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kedro.framework.hooks import hook_impl
from kedro.io import DatasetError
from pydantic import BaseModel
from pyspark.sql import SparkSession

from geodata.evaluation import (
    EvaluationReport,
    RunOutputs,
    evaluate_outputs,
    read_truth,
    run_partition,
)
from geodata.evaluation.truth import latest_delivery_date
from geodata.runtime.session import make_project_copy, project_session
from geodata.runtime.sources import read_declared_sources
from geodata.sample_data.lists import SPLITS
from geodata.schemas import UNKNOWN_REGION

PROFILES = ("demo", "hard", "lists")

DEMO_RECORDS_PER_ADDRESS = 2.2
"""In-scope source records per true address in the demo region (measured on seed 42)."""

DEMO_US_SHARE = 0.86
"""Share of the demo region's addresses in US-CA (the rest in FI-18)."""


@dataclass(frozen=True)
class LabelledSet:
    """Where a labelled set's raw files are and the Kedro environment that declares its
    sources."""

    raw_dir: Path
    env: str


def generate_labelled_set(
    profile: str, records: int, seed: int, out: Path, split: str | None = None
) -> LabelledSet:
    """Generate a labelled set of about `records` in-scope source records into `out`.

    `demo` is the embedded demo region's generator scaled to the size; `hard` is
    the harder generator profile, whose extra sources are declared in the
    `evaluation` Kedro environment; `lists` is the family built from faker's
    address vocabularies (`geodata.sample_data.lists`), in the same environment.

    Args:
        profile: `demo`, `hard` or `lists`.
        records: Approximate number of source records a run reads.
        seed: Generator seed.
        out: Folder to write the raw layout into.
        split: `lists` only: `tune` (the default) or `report`.

    Returns:
        The raw folder and the environment to run it with.
    """
    from geodata.sample_data import generate_region, write_region

    if split is not None and profile != "lists":
        raise ValueError(f"--split is for the lists profile, not {profile!r}")
    if profile == "lists":
        from geodata.sample_data.lists.generate import generate_lists_set

        write_region(generate_lists_set(seed, records, split or "tune"), out)
        return LabelledSet(out, "evaluation")
    if profile == "demo":
        addresses = records / DEMO_RECORDS_PER_ADDRESS
        frames = generate_region(
            seed=seed,
            us_addresses=max(300, round(addresses * DEMO_US_SHARE)),
            fi_addresses=max(50, round(addresses * (1 - DEMO_US_SHARE))),
        )
        write_region(frames, out)
        return LabelledSet(out, "local")
    if profile == "hard":
        write_region(generate_region(seed=seed, profile="hard", source_records=records), out)
        return LabelledSet(out, "evaluation")
    raise ValueError(f"--profile must be one of {PROFILES}, not {profile!r}")


def _plain(value: Any) -> Any:
    """Parameters as plain data (Kedro hands typed parameters over as pydantic models)."""
    return value.model_dump() if isinstance(value, BaseModel) else value


def _level_names(params: dict[str, Any]) -> dict[str, list[str]]:
    conflate = _plain(params.get("conflate")) or {}
    scoring = _plain(conflate.get("scoring")) or {}
    return {
        c["name"]: [level["name"] for level in c.get("levels", [])]
        for c in scoring.get("comparisons", [])
    }


def _load_optional(catalog, name: str):
    try:
        return catalog.load(name)
    except DatasetError:
        return None


class _KeptInputs:
    """A run's datasets as its nodes read them.

    Data a stage keeps in memory (`geodata.datasets.InTaskDataset`, such as the
    candidate pairs) is gone when the run ends; this hook keeps what the nodes were
    given (the kept rows themselves, not a plan to compute them again).
    """

    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.kept: dict[str, Any] = {}

    @hook_impl
    def before_node_run(self, inputs: dict[str, Any]) -> None:
        for name in self.names & inputs.keys():
            self.kept[name] = inputs[name]


def evaluate_project(
    project: Path,
    raw_dir: Path,
    *,
    env: str = "local",
    execution_dt: str | None = None,
    region: str | None = None,
) -> EvaluationReport:
    """Run `__default__` in `project` on `raw_dir` and evaluate its outputs.

    Spark is the project's (started by its hook from `conf/<env>/spark.yml`), or
    the process's active session if there is one.

    Args:
        project: A project copy whose `data/01_raw` is the labelled set.
        raw_dir: The labelled set (for the truth files).
        env: Kedro environment declaring the labelled set's sources.
        execution_dt: Run date; default the latest delivery date in the truth.
        region: Limit the run (and the evaluation) to one ISO 3166-2 region.

    Returns:
        The report, with the pipeline and evaluation times in its context.
    """
    run_dt = execution_dt or latest_delivery_date(raw_dir)
    params: dict[str, Any] = {"run.execution_dt": run_dt}
    if region:
        params["run.iso_3166_2"] = region
    with project_session(project, env=env, params=params) as session:
        context = session.load_context()
        level_names = _level_names(context.params)
        sources = read_declared_sources(context.config_loader)
        events = sorted(n for n, block in sources.items() if block.get("kind") == "corrections")
        kept = _KeptInputs({"conflate.fea_candidate_pairs"})
        session._hook_manager.register(kept)  # Kedro takes hooks from settings only
        started = time.perf_counter()
        session.run()
        pipeline_s = time.perf_counter() - started

        started = time.perf_counter()
        catalog = context.catalog
        truth = read_truth(SparkSession.getActiveSession(), raw_dir.resolve())
        regions = [region] if region else None
        outputs = RunOutputs(
            conflated=run_partition(catalog.load("conflated_addresses"), run_dt, regions),
            lineage=run_partition(catalog.load("address_lineage"), run_dt, regions),
            # Records whose region cannot be told are quarantined under the unknown region.
            quarantine=run_partition(
                catalog.load("quarantine"), run_dt, regions and [*regions, UNKNOWN_REGION]
            ),
            candidate_pairs=kept.kept.get("conflate.fea_candidate_pairs"),
            scored_pairs=_load_optional(catalog, "conflate.mo_scored_pairs"),
        )
        report = evaluate_outputs(
            truth,
            outputs,
            run_dt,
            event_sources=events,
            regions=regions,
            level_names=level_names,
        )
        evaluate_s = time.perf_counter() - started
    report.context.update(
        env=env,
        sources=len(sources),
        pipeline_s=round(pipeline_s, 1),
        evaluate_s=round(evaluate_s, 1),
        records_per_s=round(report.records.in_scope / pipeline_s) if pipeline_s else None,
    )
    return report


def run_evaluation(
    source_project: Path,
    workdir: Path,
    *,
    profile: str = "demo",
    records: int = 20_000,
    seed: int = 42,
    split: str | None = None,
    raw_dir: Path | None = None,
    env: str | None = None,
    execution_dt: str | None = None,
    region: str | None = None,
) -> EvaluationReport:
    """Generate (or take) a labelled set, run the pipeline on it in a copy, evaluate.

    Args:
        source_project: The project whose config is copied (its `conf/`).
        workdir: Where the labelled set and the project copy go.
        profile: Generator profile when `raw_dir` is not given.
        records: Approximate in-scope source records to generate.
        seed: Generator seed.
        split: `lists` profile only: `tune` (default) or `report`.
        raw_dir: An existing labelled set; nothing is generated then.
        env: Kedro environment; default `local` for `demo` and `--raw-dir`,
            `evaluation` for `hard` and `lists`.
        execution_dt: Run date; default the latest delivery date in the truth.
        region: Limit the run to one ISO 3166-2 region.

    Returns:
        The report; its context holds the profile, sizes and timings.
    """
    generate_s = 0.0
    if raw_dir is None:
        started = time.perf_counter()
        labelled = generate_labelled_set(profile, records, seed, workdir / "raw", split)
        generate_s = time.perf_counter() - started
        context: dict[str, object] = {"profile": profile, "seed": seed}
        if profile == "lists":
            context["split"] = split or "tune"
    else:
        labelled = LabelledSet(raw_dir.resolve(), "local")
        context = {"raw_dir": str(raw_dir)}
    project = make_project_copy(source_project, workdir / "project", raw_dir=labelled.raw_dir)
    report = evaluate_project(
        project,
        labelled.raw_dir,
        env=env or labelled.env,
        execution_dt=execution_dt,
        region=region,
    )
    report.context = {**context, "generate_s": round(generate_s, 1), **report.context}
    return report


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geodata-evaluate",
        description="Run the pipeline on a labelled set and print its quality figures.",
    )
    parser.add_argument("--profile", choices=PROFILES, default="demo", help="generator profile")
    parser.add_argument(
        "--records", type=int, default=20_000, help="approximate source records to generate"
    )
    parser.add_argument("--seed", type=int, default=42, help="generator seed")
    parser.add_argument(
        "--split",
        choices=SPLITS,
        help="lists profile: tune (default) or report (only ever reported, never tuned on)",
    )
    parser.add_argument(
        "--raw-dir", type=Path, help="evaluate this labelled set instead of generating one"
    )
    parser.add_argument("--env", help="Kedro environment declaring the labelled set's sources")
    parser.add_argument("--execution-dt", help="run date (default: latest delivery in the truth)")
    parser.add_argument("--region", help="limit the run to one ISO 3166-2 region")
    parser.add_argument("--project-path", type=Path, default=Path.cwd(), help="project root")
    parser.add_argument("--workdir", type=Path, help="keep the labelled set and outputs here")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, evaluate, print the table and the JSON."""
    args = _parser().parse_args(argv)
    if args.raw_dir is not None and not (args.raw_dir / "truth" / "records.parquet").is_file():
        raise SystemExit(f"--raw-dir {args.raw_dir} has no truth/records.parquet")
    if args.split is not None and (args.profile != "lists" or args.raw_dir is not None):
        raise SystemExit("--split goes with --profile lists (and no --raw-dir)")
    with tempfile.TemporaryDirectory(prefix="geodata-eval-") as scratch:
        workdir = (args.workdir or Path(scratch)).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        report = run_evaluation(
            args.project_path.resolve(),
            workdir,
            profile=args.profile,
            records=args.records,
            seed=args.seed,
            split=args.split,
            raw_dir=args.raw_dir,
            env=args.env,
            execution_dt=args.execution_dt,
            region=args.region,
        )
        spark = SparkSession.getActiveSession()
        if spark is not None:  # before its metastore and warehouse in `scratch` go away
            spark.stop()
    figures = report.as_dict()
    print(report.render_table())
    print(json.dumps(figures))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
