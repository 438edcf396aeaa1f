"""InTaskDataset: a DataFrame handed to the next node of the same task, as a plan or as rows
computed once, never written; an in-memory dataset for DAG grouping."""

from __future__ import annotations

import pytest
from kedro.io import DataCatalog, DatasetError, MemoryDataset
from kedro.pipeline import Node, Pipeline
from kedro_airflow.grouping import group_memory_nodes
from pyspark.sql import functions as F
from pyspark.sql import types as T

from geodata.datasets import InTaskDataset
from geodata.orchestration.config import group_pipeline_nodes, in_memory_crossings


def _counted(spark, rows: int):
    """A DataFrame whose rows count, in an accumulator, how often they are computed."""
    computed = spark.sparkContext.accumulator(0)

    def value(n):
        computed.add(1)
        return n * 2

    doubled = F.udf(value, T.LongType())
    return spark.range(rows).select(doubled("id").alias("twice")), computed


def test_a_checkpointed_frame_is_computed_once_at_save_and_never_again(spark):
    frame, computed = _counted(spark, 20)
    dataset = InTaskDataset(checkpoint=True)
    dataset.save(frame)
    assert computed.value == 20  # computed as it was saved
    for _ in range(2):  # every consumer reads the kept rows
        loaded = dataset.load()
        assert sorted(r.twice for r in loaded.collect()) == [2 * n for n in range(20)]
    assert computed.value == 20


def test_a_plan_is_handed_on_and_computed_by_its_reader(spark):
    frame, computed = _counted(spark, 10)
    dataset = InTaskDataset()
    dataset.save(frame)
    assert computed.value == 0  # nothing ran at save
    assert dataset.load().agg(F.sum("twice")).first()[0] == 90
    assert computed.value == 10


def test_only_spark_frames_are_kept_and_nothing_is_read_before_a_save(spark):
    dataset = InTaskDataset(checkpoint=True)
    with pytest.raises(DatasetError, match="not been saved"):
        dataset.load()
    with pytest.raises(DatasetError, match="InTaskDataset keeps Spark DataFrames; got list"):
        dataset.save([1, 2])


def test_catalog_entries_build_it_and_dag_grouping_keeps_its_nodes_together(tmp_path):
    def stored(name):
        return {"type": "pandas.CSVDataset", "filepath": str(tmp_path / f"{name}.csv")}

    catalog = DataCatalog.from_config(
        {
            "stage.input": stored("input"),
            "stage.kept": {"type": "geodata.datasets.InTaskDataset", "checkpoint": True},
            "stage.passed": {"type": "geodata.datasets.InTaskDataset"},
            "stage.output": stored("output"),
            "report": stored("report"),
        }
    )
    assert isinstance(catalog.get("stage.kept"), MemoryDataset)
    assert "checkpoint=True" in repr(catalog.get("stage.kept"))

    def step(frame):
        return frame

    pipeline = Pipeline(
        [
            Node(step, "stage.input", "stage.kept", name="first"),
            Node(step, "stage.kept", "stage.passed", name="second"),
            Node(step, "stage.passed", "stage.output", name="third"),
            Node(step, "stage.output", "report", name="fourth"),
        ]
    )
    # kedro-airflow's grouping keeps nodes that hand data on in memory in one task;
    # stored data may cross tasks.
    groups = group_memory_nodes(catalog, pipeline)
    assert sorted(sorted(group.nodes) for group in groups) == [
        ["first", "second", "third"],
        ["fourth"],
    ]
    # A task per node splits both hand-overs, which the DAG builders refuse.
    assert in_memory_crossings(pipeline, pipeline.group_nodes_by(group_by=None), catalog) == [
        ("stage.kept", "first", "second"),
        ("stage.passed", "second", "third"),
    ]
    with pytest.raises(ValueError, match=r"group_by='none' puts first and second in different"):
        group_pipeline_nodes(pipeline, "none", catalog)
