"""Writes a run's QA report from what the run left in the catalog: the run report (with
its node timings) and the stored PNG of each QA figure."""

from __future__ import annotations

import logging

from kedro.io import DataCatalog

logger = logging.getLogger(__name__)

QA_NODES = frozenset(
    {"export.build_output_tables", "export.plot_run_report", "export.plot_address_map"}
)
"""Nodes whose outputs the QA report shows (the published run report, the figures): a run
of any of them rewrites the report."""


def write_qa_report(catalog: DataCatalog, timings: dict[str, float] | None = None) -> bool:
    """Render `qa_report` from `run_report` and the stored `qa_*` figures; whether it did.

    Figures are read as stored (a run split into tasks, as on Airflow, writes them in
    different processes); a figure not stored yet is named as missing in the page.
    `timings` (node → seconds), when given, replace the report's own `timings_s`.
    """
    # Plotting is imported here, not with the hooks: every `kedro` command loads those.
    from geodata.reporting.figures import plot_node_timings
    from geodata.reporting.html import QA_FIGURES, figure_png, png_base64, render_qa_report

    if "qa_report" not in catalog or "run_report" not in catalog:
        return False
    if not catalog.exists("run_report"):
        return False
    report = catalog.load("run_report")
    images = {
        name: catalog.get(name).preview()
        for name in QA_FIGURES
        if name in catalog and catalog.exists(name)
    }
    timings = timings or report.get("timings_s")
    timings_png = png_base64(figure_png(plot_node_timings(timings))) if timings else None
    catalog.save("qa_report", render_qa_report(report, images, timings_png))
    missing = sorted(set(QA_FIGURES) - set(images))
    if missing:
        logger.warning("QA report written without %s: not stored yet", ", ".join(missing))
    return True
