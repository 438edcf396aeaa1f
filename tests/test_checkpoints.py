"""Checkpointed intermediate results: computed once, kept in the session as bytes."""

from __future__ import annotations

from pyspark.sql import functions as F

from geodata.checkpoints import checkpointed


def _kept_blocks(spark) -> dict[int, object]:
    """RDD id -> storage level of every RDD the session holds blocks of."""
    infos = spark.sparkContext._jsc.sc().getRDDStorageInfo()
    return {info.id(): info.storageLevel() for info in infos if info.numCachedPartitions() > 0}


def test_checkpointed_rows_are_the_same_rows_kept_serialized_in_memory_or_on_disk(spark):
    before = _kept_blocks(spark)
    frame = spark.range(500).select(
        F.col("id"), F.concat(F.lit("record "), F.col("id").cast("string")).alias("text")
    )

    kept = checkpointed(frame)

    new = {rdd: level for rdd, level in _kept_blocks(spark).items() if rdd not in before}
    assert new, "an eager checkpoint keeps its blocks as it returns"
    for level in new.values():
        assert level.useMemory() and level.useDisk()
        assert not level.deserialized()  # bytes, not row objects on the heap
    assert sorted(kept.collect()) == sorted(frame.collect())


def test_a_lazy_checkpoint_keeps_nothing_until_read(spark):
    before = _kept_blocks(spark)
    kept = checkpointed(spark.range(50), eager=False)

    assert set(_kept_blocks(spark)) == set(before)
    assert kept.count() == 50
    assert set(_kept_blocks(spark)) - set(before)
