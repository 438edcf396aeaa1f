"""Intermediate results kept in the Spark session, stored as bytes.

`DataFrame.localCheckpoint` computes a result once and keeps its rows in the
executors' block stores for the reads that follow. By default the JVM keeps them
as row objects (Spark's `MEMORY_AND_DISK`: deserialized), which stay live on the
heap until the session drops them: at 1 M records the collector then copied and
marked gigabytes of such rows again and again (17 full collections of 0.5 to
0.9 s each). Kept as serialized bytes (PySpark's `StorageLevel.MEMORY_AND_DISK`
is Spark's `MEMORY_AND_DISK_SER`), they are a few large arrays the collector
skips over; reading them back costs a decode. Measured in docs/performance.md.
"""

from __future__ import annotations

from pyspark import StorageLevel
from pyspark.sql import DataFrame

KEPT_LEVEL = StorageLevel.MEMORY_AND_DISK
"""Memory, then local disk, serialized (PySpark's storage levels are never deserialized)."""


def checkpointed(data: DataFrame, eager: bool = True) -> DataFrame:
    """`data` computed once and kept in the session as bytes (`KEPT_LEVEL`).

    For a chain: `frame.where(...).transform(checkpointed)`.

    Args:
        data: The DataFrame whose rows are read more than once.
        eager: Compute the rows now (a job) rather than at the first read.
    """
    return data.localCheckpoint(eager=eager, storageLevel=KEPT_LEVEL)
