"""Running geodata pipelines as Airflow DAGs (needs the `airflow` extra).

`make_airflow_dag` builds a pipeline's DAG in code; `kedro airflow create` renders the
same DAG into a file from `templates/airflow_dag.j2`. A team's task that reads the output
tables goes after `task_of_node(tasks, geodata.hooks.PUBLISH_NODE)`, the task that
publishes them.
"""

from geodata.orchestration.dag import make_airflow_dag, region_params, task_of_node
from geodata.orchestration.runtime import KedroNodesOperator, RemoveWorkingData

__all__ = [
    "KedroNodesOperator",
    "RemoveWorkingData",
    "make_airflow_dag",
    "region_params",
    "task_of_node",
]
