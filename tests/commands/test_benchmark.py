"""The benchmark command end to end at one tiny size with Splink, and its parts.

The command measures each size in a fresh Python process (its own SparkSession,
event log and memory figures), so the end-to-end test starts no Spark of its own
and does not use the test session's. That child JVM is the test's main cost.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from geodata.benchmark.measure import (
    cpu_between,
    jvm_cpu_seconds,
    jvm_pid,
    python_peak_rss_mb,
    stage_seconds,
)
from geodata.benchmark.sizing import in_scope_record_count
from geodata.benchmark.spark_events import NODE_PROPERTY, PHASE_PROPERTY, read_phase_totals
from geodata.commands.benchmark import main, parse_records, parse_spark_setting
from tests.kedro_project import REPO

# The suite's Spark settings (tests/conftest.py): two cores, one shuffle partition.
TEST_SPARK = [
    "spark.master=local[2]",
    "spark.sql.shuffle.partitions=1",
    "spark.default.parallelism=1",
    "spark.driver.memory=2g",
]


@pytest.mark.pipeline
def test_benchmark_of_a_tiny_region_with_splink(workdir, capsys):
    out = workdir / "figures" / "bench.json"
    spark_args = [arg for setting in TEST_SPARK for arg in ("--spark-conf", setting)]
    argv = ["--records", "3000", "--peer", "splink", "--json", str(out), *spark_args]
    assert main([*argv, "--project-path", str(REPO)]) == 0

    combined = json.loads(out.read_text())
    printed = capsys.readouterr().out
    assert json.loads(printed.strip().splitlines()[-1]) == combined
    # Log lines of the test process may share stdout; the table starts at its header.
    header = next(line for line in printed.splitlines() if line.startswith("figure "))
    assert header.split()[1:] == ["3,000"]  # one column per size
    assert "splink s" in printed

    (size,) = combined["sizes"]
    assert size["target_records"] == 3000
    # The generator was sized to the target from measured records per address.
    assert abs(size["records_in_scope"] - 3000) / 3000 < 0.05
    assert size["source_rows_all_deliveries"] > size["records_in_scope"]

    floor, pipeline = size["floor"], size["pipeline"]
    assert floor["seconds"] > 0
    assert pipeline["seconds"] > 0
    assert pipeline["ratio_to_floor"] == pytest.approx(
        pipeline["seconds"] / floor["seconds"], rel=0.05, abs=0.1
    )
    assert pipeline["source_rows_per_s"] == pytest.approx(
        size["source_rows_all_deliveries"] / pipeline["seconds"], rel=0.05
    )
    stages = pipeline["stages_s"]
    assert set(stages) == {"ingest", "normalize", "enrich", "conflate", "export"}
    assert all(seconds > 0 for seconds in stages.values())
    assert sum(stages.values()) == pytest.approx(sum(pipeline["nodes_s"].values()), abs=0.1)
    assert "county_gis.map_source_records" in pipeline["nodes_s"]

    spark = pipeline["spark"]
    assert spark["jobs"] > 0
    assert spark["task_seconds"] > 0
    # Spark's jobs are labelled with the Kedro node they ran for and summed per node.
    per_node = pipeline["nodes_spark"]
    assert set(per_node) <= set(pipeline["nodes_s"])
    assert per_node["conflate.choose_best_values"]["jobs"] > 0
    assert per_node["normalize.normalize_records"]["task_seconds"] > 0
    assert sum(node["jobs"] for node in per_node.values()) <= spark["jobs"]
    assert "node conflate.choose_best_values task s" in printed
    assert spark["shuffle_read_bytes"] > 0
    assert spark["shuffle_write_bytes"] > 0
    assert pipeline["memory"]["driver_jvm_peak_rss_mb"] > 0
    assert pipeline["memory"]["python_peak_rss_mb"] > 0
    # The driver JVM's CPU over the run, with the compiler's and the collector's apart.
    cpu = pipeline["jvm_cpu_s"]
    assert cpu["total"] > 0
    assert cpu["compiler"] > 0
    assert cpu["gc"] >= 0
    assert cpu["compiler"] + cpu["gc"] <= cpu["total"]
    assert "of it JIT compiler" in printed

    scores = pipeline["pairwise"]
    assert 0 <= scores["precision"] <= 1
    assert 0 <= scores["recall"] <= 1
    assert scores["f1"] > 0.9

    splink = size["peers"]["splink"]
    assert splink["backend"] == "duckdb"
    assert splink["seconds"] > 0
    assert splink["ratio_to_floor"] == pytest.approx(
        splink["seconds"] / floor["seconds"], rel=0.05, abs=0.1
    )
    # Splink read the pipeline's normalized records, every one of them in one cluster.
    assert 0 < splink["clusters"] <= splink["records"] <= size["records_in_scope"]
    assert 0 <= splink["pairwise"]["precision"] <= 1
    assert 0 <= splink["pairwise"]["recall"] <= 1
    assert "spark" not in splink  # DuckDB starts no Spark jobs


def test_records_and_spark_settings_are_parsed():
    assert parse_records("200000,1_000_000, 5000000") == [200_000, 1_000_000, 5_000_000]
    with pytest.raises(Exception, match="positive"):
        parse_records("1000,0")
    with pytest.raises(Exception, match="comma list"):
        parse_records("200k")
    assert parse_spark_setting("spark.master=local[2]") == ("spark.master", "local[2]")
    with pytest.raises(Exception, match="KEY=VALUE"):
        parse_spark_setting("spark.master")


def test_in_scope_records_follow_the_run_date():
    truth = pd.DataFrame(
        {
            "source": ["gis"] * 3 + ["vendor"] + ["open"] * 2 + ["fixes"] * 3,
            "source_record_id": ["1", "1", "2", "a", "x", "y", "c1", "c2", "c3"],
            "dt": [
                *("2026-09-01", "2026-10-01", "2026-10-01", "2026-11-15", None, None),
                *("2026-09-03", "2026-10-20", "2026-11-02"),
            ],
        }
    )
    # gis: its October delivery (2 records); vendor: nothing delivered yet; open: undated,
    # always (2); fixes: events up to the run date (2).
    assert in_scope_record_count(truth, "2026-11-01", event_sources=["fixes"]) == 6
    # Were `fixes` deliveries, only the latest of them would count.
    assert in_scope_record_count(truth, "2026-11-01") == 5
    assert in_scope_record_count(truth, "2026-11-15", event_sources=["fixes"]) == 8


def test_node_times_sum_by_stage_with_sources_as_ingest():
    timings = {
        "county_gis.map_source_records": 2.0,
        "ingest.combine_sources": 1.0,
        "normalize.normalize_records": 3.0,
        "conflate.score_pairs": 4.0,
        "conflate.cluster_matches": 0.5,
        "export.build_run_report": 1.5,
        "sample_data.build_region": 7.0,
    }
    assert stage_seconds(timings, ["county_gis"]) == {
        "ingest": 3.0,
        "normalize": 3.0,
        "enrich": 0.0,
        "conflate": 4.5,
        "export": 1.5,
        "other": 7.0,
    }


def _event(kind: str, **fields) -> str:
    return json.dumps({"Event": f"SparkListener{kind}", **fields}, separators=(",", ":"))


def test_shuffle_bytes_are_summed_by_the_phase_of_the_job_that_ran_the_stage(tmp_path):
    def task(stage: int, read: int, written: int) -> str:
        metrics = {
            "Executor Run Time": 1500,
            "Shuffle Read Metrics": {"Remote Bytes Read": read, "Local Bytes Read": 1},
            "Shuffle Write Metrics": {"Shuffle Bytes Written": written},
        }
        return _event("TaskEnd", **{"Stage ID": stage, "Task Metrics": metrics})

    lines = [
        _event("ApplicationStart", **{"App Name": "bench"}),
        _event("JobStart", **{"Job ID": 0, "Stage IDs": [0], "Properties": {NODE_PROPERTY: "n1"}}),
        task(0, 0, 10),
        _event(
            "JobStart",
            **{
                "Job ID": 1,
                "Stage IDs": [1, 2],
                "Properties": {PHASE_PROPERTY: "a", NODE_PROPERTY: "n1"},
            },
        ),
        task(1, 0, 100),
        task(2, 99, 0),
        # Job 2 reuses stage 2's output (listed again, skipped) and runs stage 3.
        _event(
            "JobStart", **{"Job ID": 2, "Stage IDs": [2, 3], "Properties": {PHASE_PROPERTY: "b"}}
        ),
        task(3, 49, 7),
        _event("TaskEnd", **{"Stage ID": 3}),  # a failed task without metrics
    ]
    log = tmp_path / "local-1"
    log.write_text("\n".join(lines) + "\n")

    totals = {phase: t.as_dict() for phase, t in read_phase_totals(log).items()}

    def totals_of(jobs, tasks, task_seconds, read, written):
        return {
            "jobs": jobs,
            "tasks": tasks,
            "task_seconds": task_seconds,
            "shuffle_read_bytes": read,
            "shuffle_write_bytes": written,
        }

    assert totals == {
        "": totals_of(1, 1, 1.5, 1, 10),
        "a": totals_of(1, 2, 3.0, 101, 100),
        "b": totals_of(1, 2, 1.5, 50, 7),
    }
    # The same log by Kedro node: jobs 0 and 1 ran for node n1, job 2 for none.
    by_node = {node: t.as_dict() for node, t in read_phase_totals(log, NODE_PROPERTY).items()}
    assert by_node == {"n1": totals_of(2, 3, 4.5, 102, 110), "": totals_of(1, 2, 1.5, 50, 7)}


def test_a_process_reports_its_own_peak_memory_not_its_parents():
    # The benchmark measures each size in a process the generating one starts: that
    # process's peak must not include the generator's.
    held = bytearray(400 * 1024 * 1024)  # the parent's pages, touched
    held[::4096] = b"x" * len(held[::4096])
    parent = python_peak_rss_mb()
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "from geodata.benchmark.measure import python_peak_rss_mb as p; print(p())",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "KEDRO_DISABLE_TELEMETRY": "1"},
    )
    del held
    assert parent >= 400
    assert 0 < int(child.stdout.split()[-1]) < parent - 300


def test_jvm_cpu_counts_the_whole_process_and_its_compiler_and_collector_threads(spark):
    pid = jvm_pid(spark)
    before = jvm_cpu_seconds(pid)
    spark.range(2_000_000).selectExpr("sum(id * 7 % 13)").collect()
    after = jvm_cpu_seconds(pid)
    spent = cpu_between(before, after)

    assert set(before) == {"total", "compiler", "gc"}
    assert after["total"] > before["total"] > 0
    # A JVM compiles as it runs: its compiler threads have used CPU since it started.
    assert after["compiler"] > 0
    assert after["compiler"] + after["gc"] <= after["total"]
    assert spent["total"] > 0
    assert cpu_between(None, after) is None
    # A process that is not there has no figures.
    assert jvm_cpu_seconds(2**22 + 1) is None
