"""The run's QA report as one self-contained HTML page: figures inline, nothing fetched.

Images are embedded as `data:` URIs and the styles inline, so the page opens offline,
from a mail attachment or an object store, exactly as written.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from html import escape
from typing import Any

from matplotlib.figure import Figure

QA_FIGURES = {
    "qa_records_by_stage": "Records per source and stage",
    "qa_record_outcomes": "Where each record ended",
    "qa_addresses_by_region": "Addresses per region",
    "qa_cluster_sizes": "Records per output address",
    "qa_confidence": "Confidence",
    "qa_survivorship_wins": "Fields won in survivorship",
    "qa_source_pair_merges": "Merges per source pair",
    "qa_address_map": "A sample of addresses on the map",
}
"""The reporting layer's plot datasets, in the order the report shows them."""

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 62rem; color: #222; }
h1 { margin-bottom: 0.2rem; } .meta { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.8rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.ok { color: #1a7f37; font-weight: bold; } .bad { color: #cf222e; font-weight: bold; }
figure { margin: 1rem 0 2rem; } img { max-width: 100%; }
figcaption { color: #666; font-size: 0.9rem; }
"""


def figure_png(fig: Figure) -> bytes:
    """A figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def _image(png_base64: str, alt: str) -> str:
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{png_base64}">'


def _table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    def cell(value: Any) -> str:
        return f"{value:,}" if isinstance(value, int) else escape(str(value))

    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _summary(report: Mapping[str, Any]) -> str:
    records = report["records"]
    accounting = report["accounting"]
    merges = report["merges"]
    balanced = accounting["balanced"]
    verdict = (
        '<span class="ok">every record is in exactly one of lineage or quarantine</span>'
        if balanced
        else '<span class="bad">records are missing or counted twice: see the table</span>'
    )
    rows = [
        (
            source,
            records["ingested_by_source"].get(source, 0),
            accounting["in_scope_by_source"].get(source, 0),
            records["lineage_by_source"].get(source, 0),
            records["quarantine_by_source"].get(source, 0),
        )
        for source in sorted(accounting["in_scope_by_source"])
    ]
    figures = [
        ("output addresses", merges["addresses"]),
        ("candidate pairs", merges["candidate_pairs"]),
        ("matched pairs", merges["matched_pairs"]),
        ("pairs decided by a hard rule", merges["hard_rule_pairs"]),
    ]
    return (
        f"<p>Row accounting: {verdict}.</p>"
        + _table(("source", "read", "in scope", "in lineage", "quarantined"), rows)
        + _table(("figure", "value"), figures)
    )


def render_qa_report(
    report: Mapping[str, Any],
    images: Mapping[str, str],
    timings_png: str | None = None,
) -> str:
    """The HTML page of one run.

    Args:
        report: The run report (`run_report.json`'s content).
        images: Base64 PNG of each QA figure, by dataset name (see `QA_FIGURES`); a
            figure that is missing is named as missing rather than left out silently.
        timings_png: Base64 PNG of the node timings, when the run measured them.

    Returns:
        A complete HTML document that references nothing outside itself.
    """
    run = report["run"]
    scope = " / ".join(v for v in (run.get("iso_3166_1"), run.get("iso_3166_2")) if v) or "all"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>geodata run {escape(run['execution_dt'])}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>geodata run of {escape(run['execution_dt'])}</h1>",
        f'<p class="meta">regions: {escape(scope)} · table: {escape(run["table"])}</p>',
        "<h2>Summary</h2>",
        _summary(report),
    ]
    for name, caption in QA_FIGURES.items():
        parts.append(f"<h2>{escape(caption)}</h2>")
        if name in images:
            parts.append(f'<figure id="{name}">{_image(images[name], caption)}</figure>')
        else:
            parts.append(f'<p class="bad">{escape(name)} was not produced by this run.</p>')
    if timings_png is not None:
        parts.append("<h2>Node timings</h2>")
        parts.append(
            f'<figure id="node_timings">{_image(timings_png, "node timings")}'
            "<figcaption>Seconds from each node's start to its last saved output.</figcaption>"
            "</figure>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)


def png_base64(png: bytes) -> str:
    """PNG bytes as the base64 text an `<img>` data URI holds."""
    return base64.b64encode(png).decode("ascii")
