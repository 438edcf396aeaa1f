"""QA figures drawn from a run report: every count shown is the report's, and no run is
too empty to draw."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection

from geodata.reporting import figures
from tests.reporting.report_data import empty_run_report, run_report

REPORT_PLOTS = [
    figures.plot_records_by_stage,
    figures.plot_record_outcomes,
    figures.plot_addresses_by_region,
    figures.plot_cluster_sizes,
    figures.plot_confidence,
    figures.plot_survivorship_wins,
    figures.plot_source_pair_merges,
]


def _bars(fig):
    (ax,) = fig.axes[:1]
    return ax.patches


def test_records_by_stage_draws_each_source_at_each_stage():
    fig = figures.plot_records_by_stage(run_report())
    widths = sorted(bar.get_width() for bar in _bars(fig))
    # alpha: 120 read, 100 in scope, 97 normalized, 95 lineage, 5 quarantined; beta likewise
    assert widths == sorted([120, 100, 97, 95, 5, 80, 80, 80, 78, 2])
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["alpha", "beta"]


def test_record_outcomes_stack_to_the_records_in_scope():
    report = run_report()
    fig = figures.plot_record_outcomes(report)
    ax = fig.axes[0]
    ends = {}
    for bar in ax.patches:
        source = round(bar.get_y() + bar.get_height() / 2)
        ends[source] = max(ends.get(source, 0), bar.get_x() + bar.get_width())
    assert ends == {0: 100, 1: 80}  # in scope: every record is in lineage or quarantine
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["lineage", "null_island", "unknown_region"]


def test_region_cluster_and_confidence_bars_hold_the_reports_counts():
    report = run_report()
    regions = figures.plot_addresses_by_region(report)
    assert sorted(b.get_height() for b in _bars(regions)) == [40, 70]
    sizes = figures.plot_cluster_sizes(report)
    assert [b.get_height() for b in _bars(sizes)] == [50, 57, 3]
    assert sizes.axes[0].get_yscale() == "log"
    confidence = figures.plot_confidence(report)
    heights = [b.get_height() for b in _bars(confidence)]
    assert sum(heights) == sum(report["merges"]["confidence_histogram"].values())
    assert confidence.axes[0].get_xlim() == (0, 1)


def test_survivorship_wins_stack_every_sources_wins_per_field():
    fig = figures.plot_survivorship_wins(run_report())
    ax = fig.axes[0]
    fields = [t.get_text() for t in ax.get_xticklabels()]
    assert fields == ["house_number", "street", "unit"]
    tops = {}
    for bar in ax.patches:
        column = round(bar.get_x() + bar.get_width() / 2)
        tops[fields[column]] = max(tops.get(fields[column], 0), bar.get_y() + bar.get_height())
    assert tops == {"house_number": 110, "street": 110, "unit": 5}


def test_source_pair_merges_are_a_symmetric_matrix_with_repeats_on_the_diagonal():
    fig = figures.plot_source_pair_merges(run_report())
    matrix = fig.axes[0].get_images()[0].get_array()
    assert np.array_equal(matrix, [[2, 60], [60, 0]])


@pytest.mark.parametrize("plot", REPORT_PLOTS, ids=lambda f: f.__name__)
def test_a_run_without_records_still_draws_every_figure(plot):
    fig = plot(empty_run_report())
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "no rows in this run" in texts


def test_node_timings_show_the_slowest_nodes_first():
    timings = {f"conflate.node_{i}": float(i) for i in range(40)} | {"ingest.read": 100.0}
    fig = figures.plot_node_timings(timings, top=5)
    ax = fig.axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == [
        "ingest.read",
        "conflate.node_39",
        "conflate.node_38",
        "conflate.node_37",
        "conflate.node_36",
    ]
    assert ax.get_title() == "Slowest 5 of 41 nodes"
    # Each stage has its own colour.
    assert ax.patches[0].get_facecolor() != ax.patches[1].get_facecolor()


def test_address_map_draws_every_sampled_point_over_roads_and_building_outlines():
    addresses = pd.DataFrame(
        {"lat": [60.17, 60.171, 60.172], "lon": [24.94, 24.941, 24.942], "source_count": [1, 2, 3]}
    )
    roads = ["LINESTRING (24.939 60.17, 24.943 60.172)", "not wkt"]
    buildings = ["POLYGON ((24.94 60.17, 24.9405 60.17, 24.9405 60.1705, 24.94 60.17))"]
    fig = figures.plot_address_map(addresses, roads, buildings, "FI-18")
    ax = fig.axes[0]
    (points,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(points.get_offsets()) == 3
    building_line, road_line = ax.lines  # one line each, parts separated by gaps
    assert np.count_nonzero(~np.isnan(building_line.get_xdata())) == 4  # the closed ring
    assert np.count_nonzero(~np.isnan(road_line.get_xdata())) == 2  # invalid WKT skipped
    assert "FI-18" in ax.get_title()


def test_address_map_of_no_addresses_says_so():
    fig = figures.plot_address_map(pd.DataFrame(columns=["lat", "lon"]), [], [], "")
    assert "no rows in this run" in [t.get_text() for t in fig.axes[0].texts]
