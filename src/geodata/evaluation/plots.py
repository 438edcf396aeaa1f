"""Plots of an evaluation report (its JSON form): score distributions, errors by level,
geometry error CDF.

    python -m geodata.evaluation.plots evaluation.json --out docs/img
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure


def plot_weight_histogram(figures: dict[str, Any], ax: Axes) -> None:
    """Match weights of truly matching and non-matching candidate pairs (log count scale)."""
    bins = figures["weight_histogram"]
    starts = [b["bin_from"] for b in bins]
    width = (starts[1] - starts[0]) if len(starts) > 1 else 1.0
    ax.bar(
        starts,
        [b["non_match"] for b in bins],
        width=width,
        align="edge",
        alpha=0.6,
        label="non-matches",
        color="tab:red",
    )
    ax.bar(
        starts,
        [b["match"] for b in bins],
        width=width,
        align="edge",
        alpha=0.6,
        label="true matches",
        color="tab:blue",
    )
    ax.set_yscale("log")
    ax.set_xlabel("match weight (bits)")
    ax.set_ylabel("candidate pairs")
    ax.set_title("Score distribution of candidate pairs")
    ax.legend()


def plot_level_errors(figures: dict[str, Any], ax: Axes) -> None:
    """False positives and false negatives among labelled pairs, per comparison level."""
    labels, false_pos, false_neg = [], [], []
    for comparison, levels in figures["level_errors"].items():
        for level in levels:
            labels.append(f"{comparison}: {level['name']}")
            false_pos.append(level["false_positive"])
            false_neg.append(level["false_negative"])
    positions = range(len(labels))
    ax.barh(
        [p - 0.2 for p in positions],
        false_pos,
        height=0.4,
        label="false positives",
        color="tab:red",
    )
    ax.barh(
        [p + 0.2 for p in positions],
        false_neg,
        height=0.4,
        label="false negatives",
        color="tab:blue",
    )
    ax.set_yticks(list(positions), labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("labelled pairs wrongly clustered")
    ax.set_title("Clustering errors by comparison level")
    ax.legend()


def plot_geometry_cdf(figures: dict[str, Any], ax: Axes) -> None:
    """Share of output addresses within each distance of their true point."""
    metres = figures["geometry"]["percentiles_m"]
    shares = [p / (len(metres) - 1) for p in range(len(metres))] if len(metres) > 1 else []
    ax.plot([max(m, 0.01) for m in metres], shares, drawstyle="steps-post")
    ax.set_xscale("log")
    ax.set_xlabel("geometry error (m)")
    ax.set_ylabel("share of output addresses")
    ax.set_title("Geometry error CDF")
    ax.grid(True, which="both", alpha=0.3)


def quality_figure(figures: dict[str, Any]) -> Figure:
    """Score distribution and geometry error CDF side by side."""
    # A bare Figure (no pyplot): no GUI backend, nothing left open in a notebook.
    fig = Figure(figsize=(11, 4))
    left, right = fig.subplots(1, 2)
    plot_weight_histogram(figures, left)
    plot_geometry_cdf(figures, right)
    fig.tight_layout()
    return fig


def level_errors_figure(figures: dict[str, Any]) -> Figure:
    """Errors by comparison level, one bar pair per level."""
    rows = sum(len(levels) for levels in figures["level_errors"].values())
    fig = Figure(figsize=(8, max(3.0, 0.22 * rows)))
    ax = fig.subplots()
    plot_level_errors(figures, ax)
    fig.tight_layout()
    return fig


def save_plots(figures: dict[str, Any], out_dir: Path, prefix: str = "evaluation") -> list[Path]:
    """Write the report's plots as PNG files into `out_dir`; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in (("scores_geometry", quality_figure), ("level_errors", level_errors_figure)):
        path = out_dir / f"{prefix}_{name}.png"
        fig = build(figures)
        fig.savefig(path, dpi=110)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Read an evaluation JSON and save its plots."""
    parser = argparse.ArgumentParser(prog="python -m geodata.evaluation.plots")
    parser.add_argument("report", type=Path, help="JSON written by geodata-evaluate")
    parser.add_argument("--out", type=Path, default=Path("docs/img"))
    parser.add_argument("--prefix", default="evaluation")
    args = parser.parse_args(argv)
    for path in save_plots(json.loads(args.report.read_text()), args.out, args.prefix):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
