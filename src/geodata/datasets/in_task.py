"""Data one node hands to the next node of its own Airflow task: kept in the Spark session."""

from __future__ import annotations

from typing import Any

from kedro.io import MemoryDataset
from pyspark.sql import DataFrame

from geodata.checkpoints import checkpointed


class InTaskDataset(MemoryDataset):
    """A Spark DataFrame that stays in the process between two nodes of one stage.

    Writing a node's output as Parquet and reading it back is what lets another
    process (another Airflow task, a restarted run) start from it. Between two
    nodes that always run in one task (one stage, `group_by: namespace`) it is
    only cost: a Spark job, a file commit and a decode per dataset. The DataFrame
    is kept in the session instead:

    - `checkpoint: false` (the default) hands the plan itself on, so the consumer's
      job computes it. For data read once, by one node.
    - `checkpoint: true` computes the rows once as the dataset is saved and keeps
      them in the executors' block stores (memory, then local disk, as bytes;
      `geodata.checkpoints.checkpointed`). For data read several times.

    Being a `MemoryDataset`, it makes kedro-airflow's and geodata's DAG grouping
    keep its producer and consumers in one task.

    Args:
        checkpoint: Compute and keep the rows at save.
        metadata: Free-form metadata (kedro-viz's layer).
    """

    def __init__(self, checkpoint: bool = False, metadata: dict[str, Any] | None = None):
        super().__init__(copy_mode="assign", metadata=metadata)
        self._checkpoint = checkpoint

    def save(self, data: DataFrame) -> None:
        """Keep `data`: its plan, or its rows when `checkpoint` is set."""
        if not isinstance(data, DataFrame):
            raise TypeError(f"InTaskDataset keeps Spark DataFrames; got {type(data).__name__}")
        super().save(checkpointed(data) if self._checkpoint else data)

    def _describe(self) -> dict[str, Any]:
        return {**super()._describe(), "checkpoint": self._checkpoint}
