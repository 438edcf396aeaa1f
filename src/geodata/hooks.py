"""Project hooks: the environment's sources, the one SparkSession, and per-node timings."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from kedro.framework.hooks import hook_impl

from geodata.runtime.environment import check_services_reachable
from geodata.runtime.sources import read_declared_sources, use_sources

logger = logging.getLogger(__name__)


class ProjectHooks:
    """Hands the environment's sources to the pipelines; creates the process's SparkSession.

    Sources: see `geodata.runtime.sources`. Spark: from `conf/<env>/spark.yml`.

    The session is started after the catalog is built, i.e. after Kedro has
    validated the run parameters, so a bad parameter fails before any Spark work.
    A cluster or metastore that does not answer fails within seconds, before
    Spark would start retrying it.
    """

    def __init__(self) -> None:
        self._context = None

    @hook_impl
    def after_context_created(self, context) -> None:
        """Build the pipelines from this environment's sources; keep the context for Spark."""
        use_sources(read_declared_sources(context.config_loader))
        # `spark.yml` is read only when a run starts Spark: commands that never do
        # (`kedro airflow create --env prod`) need none of the cluster's variables.
        self._context = context

    @hook_impl
    def after_catalog_created(self) -> None:
        """Start (or reuse) the SparkSession once parameters have been validated."""
        from geodata.runtime.spark import build_spark_session, resolve_spark_config

        context = self._context
        config = resolve_spark_config(
            dict(context.config_loader["spark"]), Path(context.project_path)
        )
        check_services_reachable(config)
        build_spark_session(config, hive=True)


class RunTimingHooks:
    """Measures each node's wall time and adds it to the run report, if the run wrote one.

    Spark is lazy: most of a node's work happens when its outputs are saved, so a
    node's time runs from its start to its last saved output.
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
    def before_node_run(self, node) -> None:
        """Note when a node starts."""
        self._started[node.name] = time.perf_counter()

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
        """Add the node timings to `export.run_report` when this run produced one."""
        name = "run_report"
        if name not in catalog or "export.build_run_report" not in self._timings:
            return
        report = catalog.load(name)
        report["timings_s"] = dict(sorted(self._timings.items()))
        catalog.save(name, report)
        logger.info("Run report written with %d node timings", len(self._timings))
