"""Running geodata pipelines as Airflow DAGs (needs the `airflow` extra).

`make_airflow_dag` builds a pipeline's DAG in code; `kedro airflow create` renders the
same DAG into a file from `templates/airflow_dag.j2`.
"""

from geodata.orchestration.dag import make_airflow_dag, region_params
from geodata.orchestration.runtime import KedroNodesOperator, RemoveWorkingData

__all__ = ["KedroNodesOperator", "RemoveWorkingData", "make_airflow_dag", "region_params"]
