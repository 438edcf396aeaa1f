"""The evaluation command end to end on the demo region, and its labelled-set generator.

The command's run of the demo region is the suite's one demo run (the `demo_run`
session fixture, tests/runs.py): the evaluation runs in-process, and the project hook
reuses the test session's SparkSession and Hive metastore.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from geodata.commands.evaluate import generate_labelled_set, main


def test_evaluation_of_the_demo_region(demo_run):
    # Pairwise precision and recall, and every in-scope record accounted for, are
    # asserted on the same report by tests/test_end_to_end.py (the quality figures).
    report = demo_run.report
    figures = json.loads(json.dumps(report.as_dict()))

    records = figures["records"]
    assert records["in_scope"] > 800
    assert records["unlabelled_in_lineage"] == 0
    # The engine does its job on the demo profile.
    assert figures["bcubed"]["precision"] >= 0.98
    assert figures["fields"]["overall"] >= 0.95
    assert figures["geometry"]["median_m"] < 25
    assert figures["quarantine"]["recall"] >= 0.95
    assert figures["clusters"]["truth_addresses"] > 300
    # Pairs: bounded per record, both classes in the score histogram, levels named.
    pairs = figures["candidate_pairs"]
    assert 0 < pairs["pairs_per_record"] < 5
    assert pairs["true_pairs"] == figures["pairwise"]["true_pairs"]
    assert 0 < pairs["true_pairs_blocked"] <= pairs["true_pairs"]
    assert pairs["max_pairs_per_record"] >= pairs["p99_pairs_per_record"] >= 1
    assert sum(b["match"] for b in figures["weight_histogram"]) > 0
    assert sum(b["non_match"] for b in figures["weight_histogram"]) > 0
    street_levels = {level["name"] for level in figures["level_errors"]["street"]}
    assert "exact" in street_levels
    assert figures["context"]["pipeline_s"] > 0
    assert figures["context"]["env"] == "local"

    table = report.render_table()
    assert "pairwise precision" in table
    assert "candidate pairs" in table


def test_a_generated_labelled_set_has_its_sources_and_truth(workdir):
    labelled = generate_labelled_set("demo", 800, seed=3, out=workdir / "raw")
    assert labelled.env == "local"
    truth = pd.read_parquet(labelled.raw_dir / "truth" / "records.parquet")
    # Every delivery's records are labelled: valid ones with their true address.
    assert len(truth) > 800
    assert truth.loc[~truth["invalid"], "truth_address_id"].notna().all()
    assert truth["invalid"].any()
    sources = {path.parent.name for path in labelled.raw_dir.glob("*/*") if path.is_file()}
    assert set(truth["source"]) <= sources


def test_command_rejects_a_folder_without_truth(workdir):
    with pytest.raises(SystemExit, match=r"no truth/records\.parquet"):
        main(["--raw-dir", str(workdir)])
