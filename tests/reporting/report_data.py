"""A small run report, as `run_report.json` holds it, for the QA report's tests."""

from __future__ import annotations

import copy
from typing import Any

RUN_REPORT: dict[str, Any] = {
    "run": {"execution_dt": "2026-11-01", "iso_3166_1": "", "iso_3166_2": "", "table": "g.t"},
    "records": {
        "ingested_by_source": {"alpha": 120, "beta": 80},
        "in_scope_by_source": {"alpha": 100, "beta": 80},
        "normalized_by_source": {"alpha": 97, "beta": 80},
        "lineage_by_source": {"alpha": 95, "beta": 78},
        "quarantine_by_source": {"alpha": 5, "beta": 2},
    },
    "quarantine_reasons": {
        "alpha/unknown_region": 3,
        "alpha/null_island": 2,
        "beta/unknown_region": 2,
    },
    "merges": {
        "candidate_pairs": 400,
        "matched_pairs": 90,
        "hard_rule_pairs": 4,
        "addresses": 110,
        "addresses_by_region": {"US-CA": 70, "FI-18": 40},
        "cluster_sizes": {"1": 50, "2": 57, "3": 3},
        "confidence_histogram": {f"{i / 20:.2f}": (i * 3 if i > 14 else 0) for i in range(20)},
        "survivorship_wins": {
            "alpha": {"street": 80, "house_number": 70},
            "beta": {"street": 30, "house_number": 40, "unit": 5},
        },
        "source_pair_merges": {"alpha/beta": 60, "alpha/alpha": 2},
    },
    "accounting": {
        "in_scope_by_source": {"alpha": 100, "beta": 80},
        "accounted_by_source": {"alpha": 100, "beta": 80},
        "balanced": True,
    },
}


def run_report(**changes: Any) -> dict[str, Any]:
    """A deep copy of `RUN_REPORT`; `changes` replace top-level sections."""
    report = copy.deepcopy(RUN_REPORT)
    report.update(changes)
    return report


def empty_run_report() -> dict[str, Any]:
    """The report of a run in which no source delivered a record."""
    report = run_report()
    for section in ("records", "accounting"):
        for key, value in report[section].items():
            if isinstance(value, dict):
                report[section][key] = {}
    report["quarantine_reasons"] = {}
    report["merges"] = {
        **{key: 0 for key in ("candidate_pairs", "matched_pairs", "hard_rule_pairs", "addresses")},
        "addresses_by_region": {},
        "cluster_sizes": {},
        "confidence_histogram": {f"{i / 20:.2f}": 0 for i in range(20)},
        "survivorship_wins": {},
        "source_pair_merges": {},
    }
    return report
