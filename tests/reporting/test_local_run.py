"""What `kedro run --env local` shows a user: a line per stage as it ends, the Spark UI's
address, and a QA report that opens in a browser with no network."""

from __future__ import annotations

import json
import re

import pytest

from geodata.pipeline_registry import STAGES
from geodata.reporting.html import QA_FIGURES
from tests.reporting.browser import chromium_page

STAGE_LINE = re.compile(r"Stage (\w+) done in ([\d.]+) s: (.+)")


@pytest.fixture(scope="module")
def run_report(local_run):
    return json.loads((local_run.reporting / "run_report.json").read_text())


def _rows(counts: str, dataset: str) -> int:
    return int(re.search(rf"{re.escape(dataset)} ([\d,]+) rows", counts).group(1).replace(",", ""))


def test_each_stage_logs_one_line_with_its_seconds_and_counts(local_run, run_report):
    lines = {m.group(1): m for m in STAGE_LINE.finditer(local_run.output)}
    assert list(lines) == list(STAGES)  # in order, once each
    assert all(float(m.group(2)) > 0 for m in lines.values())
    records, merges = run_report["records"], run_report["merges"]
    ingest, normalize = lines["ingest"].group(3), lines["normalize"].group(3)
    assert _rows(ingest, "ingest.int_records") == sum(records["ingested_by_source"].values())
    assert _rows(normalize, "normalize.int_addresses") == sum(
        records["normalized_by_source"].values()
    )
    assert _rows(lines["conflate"].group(3), "conflate.mo_addresses") == merges["addresses"]
    assert lines["export"].group(3).startswith(f"{merges['addresses']:,} addresses")


def test_the_spark_ui_address_is_logged_at_start(local_run):
    ui = re.search(r"Spark UI: (http://[\w.\-]+:\d+)", local_run.output)
    assert ui, "the local environment's Spark UI address was not logged"
    assert local_run.output.index(ui.group(0)) < local_run.output.index("Stage ingest done")


def test_the_qa_report_opens_offline_with_every_figure(local_run, run_report, tmp_path):
    page_path = local_run.reporting / "qa_report.html"
    requested: list[str] = []
    with chromium_page(allowed_origin="file://") as page:
        page.on("request", lambda request: requested.append(request.url))
        page.goto(page_path.as_uri())
        page.wait_for_load_state("load")
        images = page.eval_on_selector_all(
            "figure img", "imgs => imgs.map(i => [i.closest('figure').id, i.naturalWidth])"
        )
        page.screenshot(path=str(tmp_path / "qa_report.png"), full_page=True)
        heading = page.text_content("h1")
    print(f"QA report screenshot: {tmp_path / 'qa_report.png'}")
    assert dict(images).keys() == {*QA_FIGURES, "node_timings"}
    assert all(width > 100 for _, width in images)  # each image decoded and drawn
    # The page and its inline images only: nothing from a network.
    assert all(url.startswith(("file://", "data:")) for url in requested), requested
    assert run_report["run"]["execution_dt"] in heading
