"""Plots of one run for its QA report: where records went, how they merged, what won.

Every function takes plain data (the run report's JSON form, or a bounded sample as
pandas) and returns a matplotlib `Figure`; none touches Spark, files or pyplot state.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from geodata.spatial.geometry import parse_geometries

_WIDTH = 8.0


def _figure(height: float) -> Figure:
    return Figure(figsize=(_WIDTH, height), layout="constrained")


def _empty(fig: Figure, title: str) -> Figure:
    ax = fig.subplots()
    ax.set_title(title)
    ax.text(0.5, 0.5, "no rows in this run", ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return fig


def _legend_outside(ax) -> None:
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)


def _sources(report: Mapping[str, Any]) -> list[str]:
    records = report["records"]
    names = set(records["ingested_by_source"]) | set(records["lineage_by_source"])
    return sorted(names | set(records["quarantine_by_source"]))


def plot_records_by_stage(report: Mapping[str, Any]) -> Figure:
    """Records of each source as read, in the run's scope, normalized, in lineage, quarantined."""
    records = report["records"]
    stages = {
        "read": records["ingested_by_source"],
        "in scope": records["in_scope_by_source"],
        "normalized": records["normalized_by_source"],
        "in lineage": records["lineage_by_source"],
        "quarantined": records["quarantine_by_source"],
    }
    sources = _sources(report)
    fig = _figure(1.2 + 0.55 * max(len(sources), 1))
    title = "Records per source and stage"
    if not sources:
        return _empty(fig, title)
    ax = fig.subplots()
    height = 0.8 / len(stages)
    positions = np.arange(len(sources))
    for i, (stage, counts) in enumerate(stages.items()):
        values = [counts.get(source, 0) for source in sources]
        ax.barh(positions + i * height, values, height=height, label=stage)
    ax.set_yticks(positions + height * (len(stages) - 1) / 2, sources)
    ax.invert_yaxis()
    ax.set_xlabel("records")
    ax.set_title(title)
    _legend_outside(ax)
    return fig


def plot_record_outcomes(report: Mapping[str, Any]) -> Figure:
    """Where each in-scope record ended: in an address's lineage, or quarantined by reason."""
    lineage = report["records"]["lineage_by_source"]
    reasons: dict[str, dict[str, int]] = {}
    for key, count in report["quarantine_reasons"].items():
        source, reason = key.split("/", 1)
        reasons.setdefault(reason, {})[source] = count
    sources = _sources(report)
    fig = _figure(1.2 + 0.45 * max(len(sources), 1))
    title = "Where each record ended (lineage, or quarantine by reason)"
    if not sources:
        return _empty(fig, title)
    ax = fig.subplots()
    left = np.zeros(len(sources))
    for label, counts in [("lineage", lineage), *sorted(reasons.items())]:
        values = np.array([counts.get(source, 0) for source in sources], dtype=float)
        ax.barh(sources, values, left=left, label=label)
        left += values
    ax.invert_yaxis()
    ax.set_xlabel("records")
    ax.set_title(title)
    _legend_outside(ax)
    return fig


def plot_addresses_by_region(report: Mapping[str, Any]) -> Figure:
    """Output addresses per ISO 3166-2 region."""
    counts = report["merges"]["addresses_by_region"]
    fig = _figure(3.0)
    title = "Addresses per region"
    if not counts:
        return _empty(fig, title)
    ax = fig.subplots()
    regions = sorted(counts)
    bars = ax.bar(regions, [counts[r] for r in regions], color="tab:green")
    ax.bar_label(bars, fmt="{:,.0f}")
    ax.set_ylabel("addresses")
    ax.set_title(title)
    return fig


def plot_cluster_sizes(report: Mapping[str, Any]) -> Figure:
    """How many source records each output address holds (log count scale)."""
    sizes = {int(k): v for k, v in report["merges"]["cluster_sizes"].items()}
    fig = _figure(3.0)
    title = "Records per output address"
    if not sizes:
        return _empty(fig, title)
    ax = fig.subplots()
    ax.bar(list(sizes), list(sizes.values()), color="tab:blue")
    ax.set_yscale("log")
    ax.set_xlabel("source records in the address")
    ax.set_ylabel("addresses")
    ax.set_title(title)
    return fig


def plot_confidence(report: Mapping[str, Any]) -> Figure:
    """Distribution of the output addresses' confidence (bins of the report's histogram)."""
    histogram = report["merges"]["confidence_histogram"]
    fig = _figure(3.0)
    title = "Confidence of output addresses"
    if not any(histogram.values()):
        return _empty(fig, title)
    ax = fig.subplots()
    starts = [float(k) for k in histogram]
    width = starts[1] - starts[0] if len(starts) > 1 else 1.0
    ax.bar(starts, list(histogram.values()), width=width, align="edge", color="tab:purple")
    ax.set_yscale("log")
    ax.set_xlim(0, 1)
    ax.set_xlabel("confidence")
    ax.set_ylabel("addresses")
    ax.set_title(title)
    return fig


def plot_survivorship_wins(report: Mapping[str, Any]) -> Figure:
    """How many output fields each source supplied (survivorship winners, by field)."""
    wins: Mapping[str, Mapping[str, int]] = report["merges"]["survivorship_wins"]
    fields = sorted({field for by_field in wins.values() for field in by_field})
    fig = _figure(3.6)
    title = "Fields won in survivorship, per source"
    if not fields:
        return _empty(fig, title)
    ax = fig.subplots()
    bottom = np.zeros(len(fields))
    for source in sorted(wins):
        values = np.array([wins[source].get(field, 0) for field in fields], dtype=float)
        ax.bar(fields, values, bottom=bottom, label=source)
        bottom += values
    ax.set_ylabel("addresses")
    ax.tick_params(axis="x", labelrotation=30)
    ax.set_title(title)
    _legend_outside(ax)
    return fig


def plot_source_pair_merges(report: Mapping[str, Any]) -> Figure:
    """Addresses holding records of both sources of a pair; the diagonal, of one source twice."""
    pairs: Mapping[str, int] = report["merges"]["source_pair_merges"]
    sources = sorted({name for key in pairs for name in key.split("/", 1)})
    fig = _figure(1.5 + 0.6 * max(len(sources), 1))
    title = "Merged addresses per source pair"
    if not sources:
        return _empty(fig, title)
    index = {name: i for i, name in enumerate(sources)}
    matrix = np.zeros((len(sources), len(sources)))
    for key, count in pairs.items():
        a, b = key.split("/", 1)
        matrix[index[a], index[b]] = matrix[index[b], index[a]] = count
    ax = fig.subplots()
    image = ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(sources)), sources, rotation=30, ha="right")
    ax.set_yticks(range(len(sources)), sources)
    high = matrix.max() or 1.0
    for (row, column), count in np.ndenumerate(matrix):
        color = "white" if count > high / 2 else "black"
        ax.text(column, row, f"{count:,.0f}", ha="center", va="center", color=color)
    fig.colorbar(image, ax=ax, label="addresses")
    ax.set_title(title)
    return fig


def plot_node_timings(timings: Mapping[str, float], top: int = 25) -> Figure:
    """The slowest nodes' seconds (start to last saved output), coloured by stage."""
    slowest = sorted(timings.items(), key=lambda kv: kv[1], reverse=True)[:top]
    fig = _figure(1.2 + 0.28 * max(len(slowest), 1))
    title = f"Slowest {len(slowest)} of {len(timings)} nodes"
    if not slowest:
        return _empty(fig, title)
    ax = fig.subplots()
    stages = sorted({name.split(".", 1)[0] for name, _ in slowest})
    colors = {stage: f"C{i}" for i, stage in enumerate(stages)}
    names = [name for name, _ in slowest]
    ax.barh(
        names,
        [seconds for _, seconds in slowest],
        color=[colors[name.split(".", 1)[0]] for name in names],
    )
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize="small")
    ax.set_xlabel("seconds")
    ax.set_title(title)
    return fig


def _draw_lines(ax, geometries: Sequence[Any], **style: Any) -> None:
    xs: list[float] = []
    ys: list[float] = []
    for geometry in geometries:
        if geometry is None:  # unparsable WKT: nothing to draw
            continue
        parts = getattr(geometry, "geoms", [geometry])
        for part in parts:
            ring = getattr(part, "exterior", part)
            x, y = ring.xy
            xs.extend([*x, math.nan])
            ys.extend([*y, math.nan])
    if xs:
        ax.plot(xs, ys, **style)


def plot_address_map(
    addresses: pd.DataFrame, roads: Sequence[str], buildings: Sequence[str], region: str
) -> Figure:
    """A sample of output addresses over the roads and building outlines around them.

    Args:
        addresses: `lat`, `lon`, `source_count` of a bounded sample of addresses.
        roads: Road geometries as WKT (lines).
        buildings: Building geometries as WKT (polygons).
        region: The ISO 3166-2 region drawn, for the title.
    """
    fig = _figure(_WIDTH)
    title = f"Addresses over roads and buildings, {region or 'no region'}"
    if addresses.empty:
        return _empty(fig, title)
    ax = fig.subplots()
    _draw_lines(ax, parse_geometries(pd.Series(list(buildings), dtype=object)), color="0.7", lw=0.6)
    _draw_lines(ax, parse_geometries(pd.Series(list(roads), dtype=object)), color="0.35", lw=1.2)
    points = ax.scatter(
        addresses["lon"],
        addresses["lat"],
        c=addresses["source_count"],
        cmap="viridis",
        s=9,
        zorder=3,
    )
    colorbar = fig.colorbar(points, ax=ax, label="sources per address", shrink=0.7)
    colorbar.locator = MaxNLocator(integer=True)
    colorbar.update_ticks()
    ax.ticklabel_format(useOffset=False)
    # Degrees of longitude shrink with latitude: equal metres on both axes.
    ax.set_aspect(1.0 / max(math.cos(math.radians(float(addresses["lat"].median()))), 0.01))
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title(f"{title} ({len(addresses):,} addresses)")
    return fig
