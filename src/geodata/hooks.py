"""Project hooks: the environment's sources, the one SparkSession, per-node timings, a
progress line per stage and the run's QA report."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kedro.framework.hooks import hook_impl
from kedro.io import MemoryDataset
from kedro.pipeline import Pipeline
from pyspark.sql import DataFrame

from geodata.pipeline_registry import STAGES
from geodata.reporting.publish import QA_NODES, write_qa_report
from geodata.runtime.environment import check_services_reachable
from geodata.runtime.sources import read_declared_sources, session_sources, use_sources

logger = logging.getLogger(__name__)


class ProjectHooks:
    """Hands the environment's sources to the pipelines; creates the process's SparkSession.

    Sources: see `geodata.runtime.sources`. Spark: from `conf/<env>/spark.yml`.

    Every parameter key and value is checked when the context is created
    (`geodata.params.validate_project_params`), and the session is started only
    after the catalog is built, so a bad or unknown parameter fails before any
    Spark work.
    A cluster or metastore that does not answer fails within seconds, before
    Spark would start retrying it.
    """

    def __init__(self) -> None:
        self._context = None

    @hook_impl
    def after_context_created(self, context) -> None:
        """Check every parameter key and value, build the pipelines from this environment's
        sources, and keep the context for Spark."""
        from geodata.params import validate_project_params

        # The config loader's parameters already hold `--params`; `context.params` would
        # build every pipeline (before the sources are known) to validate node inputs only.
        validate_project_params(context.config_loader["parameters"])
        use_sources(read_declared_sources(context.config_loader))
        # `spark.yml` is read only when a run starts Spark: commands that never do
        # (`kedro airflow create --env prod`) need none of the cluster's variables.
        self._context = context

    @hook_impl
    def after_catalog_created(self, catalog) -> None:
        """Start (or reuse) the SparkSession once parameters have been validated."""
        from pyspark import SparkContext

        from geodata.runtime.spark import (
            build_spark_session,
            resolve_spark_config,
            sizes_small_runs,
        )

        context = self._context
        spark_yml = dict(context.config_loader["spark"])
        # A session that is already running keeps its options: the size is not needed.
        starts = SparkContext._active_spark_context is None
        sized = starts and sizes_small_runs(spark_yml)
        source_bytes = source_files_bytes(catalog, session_sources()) if sized else None
        config = resolve_spark_config(spark_yml, Path(context.project_path), source_bytes)
        check_services_reachable(config)
        spark = build_spark_session(config, hive=True)
        ui_url = spark.sparkContext.uiWebUrl
        if ui_url:
            logger.info("Spark UI: %s", ui_url)


def source_files_bytes(catalog, sources: Iterable[str]) -> int | None:
    """Bytes of the files of the sources' raw deliveries (`<source>.raw`), or None if unknown.

    Unknown when a source's raw dataset is not a `DeliveryDataset` or its files
    cannot be listed (a store that does not answer is reported by the run itself).
    """
    from geodata.datasets import DeliveryDataset

    total = 0
    for name in sources:
        dataset = catalog.get(f"{name}.raw")
        if not isinstance(dataset, DeliveryDataset):
            return None
        try:
            total += dataset.delivered_bytes()
        except Exception:  # the run's own read reports it
            logger.debug("size of %s.raw not known", name, exc_info=True)
            return None
    return total


PUBLISH_NODE = "export.build_output_tables"
DRAFT_REPORT = "export.run_report"


def _label_spark_jobs(node_name: str | None) -> None:
    """Name the node in the Spark jobs this thread starts from now on (None: no node).

    The Spark UI shows it as each job's description, and the event log carries it as
    the `geodata.node` property (`geodata.benchmark.spark_events.NODE_PROPERTY`), so
    Spark's work can be summed per node. Nothing is done before Spark has started.
    """
    from pyspark import SparkContext

    context = SparkContext._active_spark_context
    if context is None:
        return
    context.setLocalProperty("geodata.node", node_name)
    context.setJobDescription(node_name)


class RunTimingHooks:
    """Measures each node's wall time; adds it to the run report and writes the QA report.

    Spark jobs are labelled with the node they run for (`_label_spark_jobs`).

    Spark is lazy: most of a node's work happens when its outputs are saved, so a
    node's time runs from its start to its last saved output. The report is published
    with the tables, so it carries the timings of the nodes run before publication in
    this process. The QA report (`qa_report`, see `geodata.reporting.publish`) is
    written after any run that made the run report or one of its figures, with every
    node's timing of that run.
    """

    def __init__(self) -> None:
        self._started: dict[str, float] = {}
        self._timings: dict[str, float] = {}

    @hook_impl
    def before_pipeline_run(self) -> None:
        """Start a fresh set of timings."""
        self._started.clear()
        self._timings.clear()

    @hook_impl
    def before_node_run(self, node, inputs: dict[str, Any]) -> dict[str, Any] | None:
        """Note when a node starts; give the report to publish the timings so far."""
        self._started[node.name] = time.perf_counter()
        _label_spark_jobs(node.name)
        if node.name == PUBLISH_NODE and DRAFT_REPORT in inputs and self._timings:
            timings = dict(sorted(self._timings.items()))
            return {DRAFT_REPORT: {**inputs[DRAFT_REPORT], "timings_s": timings}}
        return None

    def _record(self, node) -> None:
        started = self._started.get(node.name)
        if started is not None:
            self._timings[node.name] = round(time.perf_counter() - started, 3)

    @hook_impl
    def after_node_run(self, node) -> None:
        """Note how long the node function took."""
        self._record(node)

    @hook_impl
    def after_dataset_saved(self, node) -> None:
        """Extend the node's time to cover saving (and so computing) its outputs."""
        self._record(node)

    @hook_impl
    def after_pipeline_run(self, catalog) -> None:
        """Write the QA report with the run's node timings, when the run made part of it."""
        _label_spark_jobs(None)
        timings = dict(sorted(self._timings.items()))
        if QA_NODES & set(self._timings) and write_qa_report(catalog, timings):
            logger.info("QA report written: %s", catalog.get("qa_report"))


def _stage(node) -> str:
    """A node's stage: its stage tag (`ingest`, …, `export`), else its name."""
    return next((tag for tag in STAGES if tag in node.tags), node.name)


class StageProgressHooks:
    """Logs one line per stage once its nodes have run and their outputs are saved:
    seconds and rows.

    The rows counted are the stage's working datasets that no node of the stage
    reads (`normalize.int_addresses`, …), read back from storage (a count of stored
    Parquet, not a recomputation); datasets held in memory are named, not counted.
    The export stage reports the run report's totals instead of its tables, which
    hold every run date.
    """

    def __init__(self) -> None:
        self._remaining: Counter[str] = Counter()
        self._handed_on: dict[str, list[str]] = {}
        self._started: dict[str, float] = {}
        self._unsaved: dict[str, set[str]] = {}
        self._logged: set[str] = set()
        self._catalog = None
        # `ThreadRunner` (the default of `kedro run`) calls hooks from several threads.
        self._lock = threading.Lock()

    @hook_impl
    def before_pipeline_run(self, pipeline: Pipeline, catalog) -> None:
        """Note each stage's nodes and the working datasets it hands on."""
        self._catalog = catalog
        self._remaining = Counter(_stage(node) for node in pipeline.nodes)
        self._started.clear()
        self._unsaved.clear()
        self._logged.clear()
        self._handed_on = {
            stage: sorted(
                name
                for name in Pipeline([n for n in pipeline.nodes if _stage(n) == stage]).outputs()
                if "." in name  # a stage's working data is namespaced; published data is not
            )
            for stage in self._remaining
        }

    @hook_impl
    def before_node_run(self, node) -> None:
        """Start the stage's clock at its first node; its outputs are now to be saved."""
        stage = _stage(node)
        with self._lock:
            self._started.setdefault(stage, time.perf_counter())
            self._unsaved.setdefault(stage, set()).update(node.outputs)

    @hook_impl
    def after_node_run(self, node) -> None:
        """Count the stage's nodes down (Kedro saves a node's outputs after this hook)."""
        stage = _stage(node)
        with self._lock:
            self._remaining[stage] -= 1
            # The last node had no outputs, and every other's are saved.
            done = self._finished(stage)
        if done:
            self._log_stage(stage, self._catalog)

    @hook_impl
    def after_dataset_saved(self, dataset_name: str, node) -> None:
        """Log the stage's line once every node of it has run and every output of them is
        saved: threads may save an earlier node's outputs after the last node has run."""
        stage = _stage(node)
        with self._lock:
            self._unsaved.get(stage, set()).discard(dataset_name)
            done = self._finished(stage)
        if done:
            self._log_stage(stage, self._catalog)

    def _finished(self, stage: str) -> bool:
        """Whether the stage is done and not yet logged (marks it logged); under the lock."""
        if self._remaining[stage] > 0 or self._unsaved.get(stage) or stage in self._logged:
            return False
        self._logged.add(stage)
        return True

    def _log_stage(self, stage: str, catalog) -> None:
        seconds = time.perf_counter() - self._started.get(stage, time.perf_counter())
        counts = [self._count(catalog, name) for name in self._handed_on.get(stage, [])]
        if stage == "export" and "run_report" in catalog and catalog.exists("run_report"):
            report = catalog.load("run_report")
            records = report["records"]
            counts = [
                f"{report['merges']['addresses']:,} addresses",
                f"{sum(records['lineage_by_source'].values()):,} lineage rows",
                f"{sum(records['quarantine_by_source'].values()):,} quarantined",
            ]
        logger.info("Stage %s done in %.1f s: %s", stage, seconds, ", ".join(counts) or "-")

    @staticmethod
    def _count(catalog, name: str) -> str:
        if isinstance(catalog.get(name), MemoryDataset):
            return f"{name} (in memory)"
        data = catalog.load(name)
        rows = data.count() if isinstance(data, DataFrame) else None
        return f"{name} {rows:,} rows" if rows is not None else name
