"""The default pipeline end to end on Spark + Hive: the demo region's run (quality and
output contracts) and the small region's run history (idempotent re-runs, partitions
of other regions and dates untouched). Both are session fixtures (tests/runs.py)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml
from pyspark.sql import functions as F

from geodata.conflation.neighbours import NEIGHBOURS_PROVENANCE
from geodata.evaluation import read_truth, records_in_scope
from geodata.reporting.html import QA_FIGURES
from tests.runs import D1, D2, DEMO_RAW, REPO

RAW = DEMO_RAW
SOURCES = yaml.safe_load((REPO / "conf/local/parameters_sources.yml").read_text())["sources"]


EVENT_SOURCES = sorted(n for n, b in SOURCES.items() if b.get("kind") == "corrections")


def _truth_records() -> pd.DataFrame:
    return pd.read_parquet(RAW / "truth" / "records.parquet")


def _in_scope(spark, run_dt: str):
    """Truth rows of the records a run for `run_dt` over every region reads."""
    return records_in_scope(read_truth(spark, RAW), run_dt, EVENT_SOURCES)


@pytest.fixture(scope="module")
def project(demo_run):
    """The project copy that has run `__default__` for 2026-11-01 over every region."""
    return demo_run.project


def _partition(spark, table: str, run_dt: str, region: str | None = None):
    frame = spark.table(table).where(F.col("execution_dt") == F.lit(run_dt).cast("date"))
    return frame.where(F.col("iso_3166_2") == region) if region else frame


def test_every_input_record_ends_in_lineage_or_quarantine(spark, project):
    lineage = _partition(spark, "geodata.address_lineage", D1)
    quarantine = _partition(spark, "geodata.quarantine", D1)
    counted = (
        lineage.select("source").unionByName(quarantine.select("source")).groupBy("source").count()
    )
    actual = {r.source: r["count"] for r in counted.collect()}
    expected = {
        r.source: r["count"] for r in _in_scope(spark, D1).groupBy("source").count().collect()
    }
    assert actual == expected

    # A record id is never in both tables (duplicate ids may repeat within quarantine).
    both = lineage.join(quarantine, ["source", "source_record_id"])
    assert both.count() == 0
    assert lineage.groupBy("source", "source_record_id").count().where("count > 1").count() == 0

    report = json.loads((project / "data" / "08_reporting" / "run_report.json").read_text())
    assert report["accounting"]["balanced"] is True
    assert report["timings_s"]["export.build_run_report"] >= 0


def test_run_report_merge_figures_agree_with_the_tables(spark, project):
    merges = json.loads((project / "data/08_reporting/run_report.json").read_text())["merges"]
    conflated = _partition(spark, "geodata.conflated_addresses", D1)
    assert sum(merges["confidence_histogram"].values()) == conflated.count() == merges["addresses"]

    winners = conflated.select(F.explode("provenance")).groupBy("value", "key").count().collect()
    expected_wins: dict[str, dict[str, int]] = {}
    for row in winners:
        expected_wins.setdefault(row["value"], {})[row["key"]] = row["count"]
    assert merges["survivorship_wins"] == expected_wins

    # Recounted apart from Spark: each address's sources, two by two.
    lineage = _partition(spark, "geodata.address_lineage", D1).select("address_id", "source")
    per_address = lineage.toPandas().groupby("address_id")["source"].agg(list)  # demo-sized
    expected_pairs: dict[str, int] = {}
    for sources in per_address:
        names = sorted(set(sources))
        keys = [f"{a}/{b}" for i, a in enumerate(names) for b in names[i + 1 :]]
        keys += [f"{name}/{name}" for name in names if sources.count(name) > 1]
        for key in keys:
            expected_pairs[key] = expected_pairs.get(key, 0) + 1
    assert merges["source_pair_merges"] == expected_pairs


def test_the_run_leaves_its_figures_and_qa_report(project):
    reporting = project / "data/08_reporting"
    for name in QA_FIGURES:
        png = reporting / "qa" / f"{name.removeprefix('qa_')}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
    page = (reporting / "qa_report.html").read_text()
    for name in [*QA_FIGURES, "node_timings"]:
        assert f'<figure id="{name}"><img alt=' in page, name
    assert "was not produced by this run" not in page


def test_invalid_records_are_quarantined_with_reasons(spark, project):
    quarantine = _partition(spark, "geodata.quarantine", D1)
    reasons = {r.source: set() for r in quarantine.select("source").distinct().collect()}
    for r in quarantine.select("source", "reason").distinct().collect():
        reasons[r.source].add(r.reason)
    # Address records without an address are quarantined for their text; a point spoiled
    # alone (0, 0 or a latitude past 90) costs no address record. A correction is placed
    # by its point, so one without a usable point is quarantined for it.
    addresses = set().union(
        *(found for source, found in reasons.items() if source != "user_corrections")
    )
    assert "unparseable_address" in addresses
    assert not addresses & {"null_island", "invalid_coordinates", "missing_coordinates"}
    assert "null_island" in reasons["user_corrections"]
    invalid = _in_scope(spark, D1).where("invalid").select("source", "source_record_id")
    assert invalid.count() > 0
    lineage = _partition(spark, "geodata.address_lineage", D1)
    assert lineage.join(invalid, ["source", "source_record_id"]).count() == 0
    assert quarantine.where(F.col("raw").isNull()).count() == 0


def test_quality_figures_on_the_demo_region(demo_run, report_figure):
    # The evaluation command's figures: the run's own tables against the demo's truth.
    report = demo_run.report
    print(report.render_table())
    scores, pairs = report.pairwise, report.candidate_pairs
    report_figure(
        f"demo region pairwise precision={scores.precision:.4f} recall={scores.recall:.4f} "
        f"f1={scores.f1:.4f} bcubed P/R={report.bcubed.precision:.4f}/"
        f"{report.bcubed.recall:.4f} field accuracy={report.fields.overall:.4f} "
        f"geometry median/p95={report.geometry.median_m:.1f}/{report.geometry.p95_m:.1f} m "
        f"quarantine P/R={report.quarantine.precision:.4f}/{report.quarantine.recall:.4f} "
        f"candidate pairs/record={pairs.pairs_per_record:.3f} (max {pairs.max_pairs_per_record})"
    )
    assert scores.precision >= 0.995
    assert scores.recall >= 0.99
    # Every in-scope record was accounted for, and the report is plain JSON.
    assert report.records.in_neither == 0
    assert report.records.in_lineage + report.records.in_quarantine == report.records.in_scope
    assert json.loads(json.dumps(report.as_dict()))["pairwise"]["recall"] == scores.recall


def test_output_matches_the_contract_and_ids_are_unique(spark, project):
    conflated = _partition(spark, "geodata.conflated_addresses", D1)
    assert conflated.count() > 5000
    assert conflated.groupBy("address_id").count().where("count > 1").count() == 0
    regions = {r.iso_3166_2 for r in conflated.select("iso_3166_2").distinct().collect()}
    assert regions == {"US-CA", "FI-18"}
    bad = conflated.where(
        (F.col("confidence") < 0)
        | (F.col("confidence") > 1)
        | (F.size("sources") < 1)
        | (F.col("source_count") != F.size("sources"))
    )
    assert bad.count() == 0
    # Every field value names its source, and that source is one of the address's sources
    # (or an end user's correction, or the street's other addresses).
    provenance_ok = conflated.select(
        F.forall(
            F.map_values("provenance"),
            lambda s: (
                F.array_contains(F.col("sources"), s)
                | s.isin("user_correction", NEIGHBOURS_PROVENANCE)
            ),
        ).alias("ok")
    )
    assert provenance_ok.where(~F.col("ok")).count() == 0
    lineage_ids = _partition(spark, "geodata.address_lineage", D1).select("address_id")
    assert lineage_ids.join(conflated, "address_id", "left_anti").count() == 0


def test_user_corrections_are_applied(spark, project):
    corrections = pd.read_json(RAW / "user_corrections" / "corrections.jsonl", lines=True)
    truth = _truth_records()
    truth = truth[truth["source"] == "user_corrections"].set_index("source_record_id")
    conflated = _partition(spark, "geodata.conflated_addresses", D1)
    lineage = _partition(spark, "geodata.address_lineage", D1)
    quarantine = _partition(spark, "geodata.quarantine", D1)

    fixes = corrections[corrections["action"] == "fix"]
    fixed = (
        lineage.where(F.col("source") == "user_corrections")
        .join(conflated, "address_id")
        .select("source_record_id", "provenance", "postcode", "street", "house_number", "unit")
        .toPandas()
        .set_index("source_record_id")
    )
    applied = fixed.index.intersection(fixes["correction_id"].astype(str))
    assert len(applied) >= 0.9 * len(fixes)
    for _, fix in fixes[fixes["correction_id"].astype(str).isin(applied)].iterrows():
        row = fixed.loc[str(fix["correction_id"])]
        provenance = dict(row["provenance"])
        if pd.notna(fix.get("new_postcode")):
            assert provenance["postcode"] == "user_correction"
            assert row["postcode"] == str(fix["new_postcode"])[:5]

    suppress_ids = corrections.loc[corrections["action"] == "suppress", "correction_id"].astype(str)
    suppressed = quarantine.where(
        (F.col("source") == "user_corrections") & (F.col("reason") == "suppressed_by_user")
    ).select("source_record_id")
    assert {r[0] for r in suppressed.collect()} >= set(suppress_ids) - set(
        quarantine.where(F.col("reason") == "correction_target_not_found")
        .select("source_record_id")
        .toPandas()["source_record_id"]
    )
    # The phantom addresses users suppressed are gone from the output.
    addresses = pd.read_parquet(RAW / "truth" / "addresses.parquet")
    phantoms = set(addresses.loc[addresses["phantom"], "truth_address_id"])
    phantom_records = spark.createDataFrame(
        _truth_records().loc[
            lambda t: t["truth_address_id"].isin(phantoms), ["source", "source_record_id"]
        ]
    )
    assert lineage.join(phantom_records, ["source", "source_record_id"]).count() == 0
    adds = corrections.loc[corrections["action"] == "add", "correction_id"].astype(str)
    added = lineage.where(F.col("source") == "user_corrections").select("source_record_id")
    assert set(adds) <= {r[0] for r in added.collect()}
    del truth


def test_a_region_run_leaves_other_regions_untouched(spark, run_history):
    us_run, fi_run = run_history.runs["d2_us"], run_history.runs["d2_fi"]
    for table in ("conflated_addresses", "address_lineage", "quarantine"):
        key = f"{table}/{D2}/US-CA"
        assert us_run.snapshots[key], key
        assert fi_run.snapshots[key] == us_run.snapshots[key], key
    # Each region run conflated its region only, and wrote it.
    assert set(us_run.report["merges"]["addresses_by_region"]) == {"US-CA"}
    assert set(fi_run.report["merges"]["addresses_by_region"]) == {"FI-18"}
    fi_rows = _partition(spark, run_history.table, D2, "FI-18").count()
    assert fi_rows == fi_run.report["merges"]["addresses_by_region"]["FI-18"] > 0


def test_rerun_with_the_same_parameters_is_idempotent(run_history):
    first, again = run_history.runs["d2_us"], run_history.runs["d2_us_again"]
    for table in ("conflated_addresses", "address_lineage", "quarantine"):
        key = f"{table}/{D2}/US-CA"
        assert again.snapshots[key] == first.snapshots[key], key
    assert again.report["merges"] == first.report["merges"]
    assert again.report["accounting"] == first.report["accounting"]


def test_a_run_for_another_date_leaves_earlier_runs_untouched(run_history):
    first = run_history.runs["d1"]
    for table in ("conflated_addresses", "address_lineage", "quarantine"):
        key = f"{table}/{D1}/all"
        assert first.snapshots[key], key
        for later in ("d2_us", "d2_fi", "d2_us_again"):
            assert run_history.runs[later].snapshots[key] == first.snapshots[key], (later, key)
