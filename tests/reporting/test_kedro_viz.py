"""`kedro viz build` of a project that has just run, opened in headless Chromium: the stages'
graph draws, a source's namespace expands, and a reporting plot previews its image.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import struct
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from geodata.pipeline_registry import STAGES
from tests.reporting.browser import chromium_page, static_server

SOURCE = "county_gis"
SOURCE_NODE = "map_source_records"  # each source namespace's one node (pipelines/ingest)
PLOT = "qa_cluster_sizes"
PNG_DATA_URL = "data:image/png;base64,"
GRAPH = "svg.pipeline-flowchart__graph"
TIMEOUT_MS = 60_000
ENV = {"KEDRO_DISABLE_TELEMETRY": "1", "DO_NOT_TRACK": "1", "SPARK_LOCAL_IP": "127.0.0.1"}


@dataclass(frozen=True)
class VizSite:
    """The static site `kedro viz build` wrote, and the API data it serves."""

    project: Path
    root: Path

    @property
    def main(self) -> dict:
        return json.loads((self.root / "api" / "main").read_text())

    def node(self, node_id: str) -> dict:
        return json.loads((self.root / "api" / "nodes" / node_id).read_text())


@pytest.fixture(scope="module")
def viz_site(local_run) -> VizSite:
    """`kedro viz build --include-hooks --include-previews` in the run's project copy.

    The project's hook declares the environment's sources, without which the ingest
    pipeline cannot be built (hence --include-hooks); --include-previews writes the
    datasets' previews (the plots' PNGs) into the site.
    """
    build = local_run.project / "build"
    shutil.rmtree(build, ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-m", "kedro", "viz", "build", "--include-hooks", "--include-previews"],
        cwd=local_run.project,
        env={**os.environ, **ENV},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=900,
        check=False,
    )
    # The command reports a failed build on its output and still exits with 0.
    assert done.returncode == 0 and (build / "api" / "main").is_file(), (
        f"kedro viz build failed:\n{done.stdout[-6000:]}"
    )
    return VizSite(local_run.project, build)


@pytest.fixture()
def viz_page(viz_site):
    """The built site served on 127.0.0.1 and opened in Chromium, its graph drawn."""
    with static_server(viz_site.root) as url, chromium_page(allowed_origin=url) as page:
        # The first-visit feature tour pops up over the graph; this is the setting its
        # own "hide" switch stores.
        page.context.add_init_script(
            "window.localStorage.setItem('KedroViz', JSON.stringify({showFeatureHints: false}))"
        )
        page.goto(f"{url}/")
        page.locator(f"{GRAPH} g.pipeline-node").first.wait_for(timeout=TIMEOUT_MS)
        yield page


def graph_node(page, name: str, node_type: str):
    """The graph's SVG node of that type and full name (`modularPipeline`, `task`, `data`)."""
    return page.locator(
        f'{GRAPH} g.pipeline-node[data-node-type="{node_type}"][data-node-fullname="{name}"]'
    )


def screenshot(page, tmp_path: Path, step: str) -> None:
    path = tmp_path / f"kedro_viz_{step}.png"
    page.screenshot(path=path, full_page=True)
    print(f"screenshot: {path}")


def namespace_path(main: dict, name: str) -> list[str]:
    """The namespaces to expand, outermost first, to reach the one named `name`."""
    found = [ns for ns in main["modular_pipelines"] if ns.split(".")[-1] == name]
    assert len(found) == 1, f"namespace {name!r}: {found} in {sorted(main['modular_pipelines'])}"
    parts = found[0].split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def test_every_stage_is_drawn_as_a_collapsed_namespace(viz_site, viz_page, tmp_path):
    # Layers are drawn only when the datasets' layers follow the data's flow.
    assert viz_site.main["layers"] == [
        "raw",
        "intermediate",
        "primary",
        "feature",
        "models",
        "model_output",
        "reporting",
    ]
    for stage in STAGES:
        node = graph_node(viz_page, stage, "modularPipeline")
        expect(node).to_be_in_viewport(timeout=TIMEOUT_MS)
        expect(node).to_have_text(stage)
        # A trial click waits until the node holds still (the graph zooms to fit after
        # it first draws) and fails if anything covers it.
        node.click(trial=True, timeout=TIMEOUT_MS)
    # Collapsed: every node belongs to a stage or a source, so none is drawn on its own.
    expect(viz_page.locator(f'{GRAPH} g.pipeline-node[data-node-type="task"]')).to_have_count(0)
    viz_page.mouse.move(0, 0)  # off the last stage, which highlights its neighbours on hover
    screenshot(viz_page, tmp_path, "stages")


def test_a_source_namespace_expands_to_its_node(viz_site, viz_page, tmp_path):
    # The demo region declares the source this test opens.
    declared = viz_site.project / "conf/local/parameters_sources.yml"
    assert SOURCE in yaml.safe_load(declared.read_text())["sources"]

    inner = graph_node(viz_page, SOURCE_NODE, "task")
    expect(inner).to_have_count(0)
    for namespace in namespace_path(viz_site.main, SOURCE):
        collapsed = graph_node(viz_page, namespace, "modularPipeline")
        collapsed.click()
        # Expanded, the namespace's node replaces it in the graph.
        expect(collapsed).to_have_count(0, timeout=TIMEOUT_MS)
    expect(inner).to_be_visible(timeout=TIMEOUT_MS)
    expect(inner).to_have_count(1)  # only this source's: the others stay collapsed
    expect(inner).to_have_text(SOURCE_NODE)
    screenshot(viz_page, tmp_path, "source_expanded")


def test_a_reporting_plot_previews_its_image(viz_site, viz_page, tmp_path):
    node = graph_node(viz_page, PLOT, "data")
    expect(node).to_be_visible(timeout=TIMEOUT_MS)
    metadata = viz_site.node(node.get_attribute("data-id"))
    assert metadata["type"].endswith("MatplotlibDataset"), metadata["type"]
    assert metadata["preview_type"] == "ImagePreview"
    figure = Path(metadata["filepath"])
    assert figure.is_relative_to(viz_site.project / "data" / "08_reporting"), figure
    png = figure.read_bytes()

    # The dataset's row in the sidebar: in the graph, the reporting layer sits under the
    # minimap and the toolbar.
    viz_page.locator(".pipeline-nodelist").get_by_role("button", name=PLOT, exact=True).click()
    expect(node).to_have_class(re.compile(r"\bpipeline-node--selected\b"))
    panel = viz_page.locator(".pipeline-metadata--visible")
    expect(panel.get_by_role("heading", name=PLOT, exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    expect(panel).to_contain_text("matplotlib.MatplotlibDataset")
    image = panel.locator("img.pipeline-metadata__plot-image")
    expect(image).to_be_visible(timeout=TIMEOUT_MS)
    screenshot(viz_page, tmp_path, "plot_preview")

    # The image is the run's own figure, decoded and drawn at its size.
    source = image.get_attribute("src")
    assert source.startswith(PNG_DATA_URL), source[:60]
    assert base64.b64decode(source.removeprefix(PNG_DATA_URL)) == png
    width = struct.unpack(">I", png[16:20])[0]  # the PNG header's IHDR width
    image.evaluate("img => img.decode()")
    assert image.evaluate("img => img.naturalWidth") == width
