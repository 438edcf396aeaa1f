"""WorkingDataset: data saved by this process is read back with its written schema, without
a Spark job; as Spark would read it; other data as `spark.SparkDataset` reads it."""

from __future__ import annotations

import itertools

from pyspark.sql import functions as F

from geodata.datasets import WorkingDataset

_groups = itertools.count()


def _jobs_started(spark, action) -> tuple[list[int], object]:
    """The Spark jobs `action` starts (in a job group of its own), and its result."""
    context = spark.sparkContext
    group = f"working-dataset-{next(_groups)}"
    context.setJobGroup(group, "WorkingDataset test")
    try:
        result = action()
    finally:
        context.setLocalProperty("spark.jobGroup.id", None)
    return list(context.statusTracker().getJobIdsForGroup(group)), result


def _data(spark):
    return spark.createDataFrame(
        [("a", 1, ["x", None], {"k": 1.5}), ("b", None, None, None)],
        "id string not null, n long, tags array<string>, scores map<string,double>",
    ).withColumn("point", F.struct(F.lit(1.0).alias("lat"), F.lit(2.0).alias("lon")))


def _dataset(path) -> WorkingDataset:
    return WorkingDataset(
        filepath=str(path), file_format="parquet", save_args={"mode": "overwrite"}
    )


def test_a_dataset_saved_here_loads_without_a_job_and_as_spark_reads_it(spark, tmp_path):
    data = _data(spark)
    dataset = _dataset(tmp_path / "out")
    dataset.save(data)

    jobs, loaded = _jobs_started(spark, dataset.load)
    other_jobs, inferred = _jobs_started(spark, _dataset(tmp_path / "out").load)

    assert jobs == []
    assert other_jobs  # another process's dataset reads a footer for the schema
    # The same schema Spark infers (every field nullable), and the same rows.
    assert loaded.schema == inferred.schema
    assert loaded.schema["id"].nullable  # written "not null", read as Spark reads files
    assert sorted(loaded.collect()) == sorted(data.collect())
    assert dataset.exists()


def test_a_schema_in_load_args_wins_over_the_written_one(spark, tmp_path):
    dataset = WorkingDataset(
        filepath=str(tmp_path / "out"),
        file_format="parquet",
        load_args={"schema": "id string"},
        save_args={"mode": "overwrite"},
    )
    dataset.save(_data(spark))

    assert dataset.load().columns == ["id"]


def test_a_dataset_not_saved_here_is_read_as_spark_dataset_reads_it(spark, tmp_path):
    _dataset(tmp_path / "out").save(_data(spark))
    fresh = _dataset(tmp_path / "out")

    assert fresh.exists()
    assert fresh.load().count() == 2
    assert not _dataset(tmp_path / "missing").exists()
