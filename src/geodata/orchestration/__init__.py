"""Running geodata pipelines as Airflow DAGs (needs the `airflow` extra).

`make_airflow_dag` builds a pipeline's DAG in code; `kedro airflow create` renders the
same DAG into a file from `templates/airflow_dag.j2`. A team's task that reads the output
tables goes after `task_of_node(tasks, geodata.hooks.PUBLISH_NODE)`, the task that
publishes them.
"""

from __future__ import annotations

import importlib
from typing import Any

# Each name's module, imported on first use: `geodata.orchestration.config` (read by
# every `kedro` command for the DAG settings) must not import Airflow itself.
_EXPORTS = {
    "KedroNodesOperator": "geodata.orchestration.runtime",
    "RemoveWorkingData": "geodata.orchestration.runtime",
    "make_airflow_dag": "geodata.orchestration.dag",
    "region_params": "geodata.orchestration.dag",
    "task_of_node": "geodata.orchestration.dag",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)


__all__ = [
    "KedroNodesOperator",
    "RemoveWorkingData",
    "make_airflow_dag",
    "region_params",
    "task_of_node",
]
