"""Example: geodata's default pipeline inside a team's own DAG, followed by a legacy task.

`make_airflow_dag` builds the same DAG that `kedro airflow create` renders (settings from
`conf/<env>/airflow.yml`); this file adds the team's existing `create_index` task, which
builds the address search index, after conflation: downstream of the task that publishes
the output tables (whatever the DAG's task grouping). Copy it into the Airflow DAGs
folder and replace `create_index` with your own callable.

The Airflow workers and DAG processor need `GEODATA_PROJECT_PATH` (see README,
"Deploying on Airflow").
"""

from __future__ import annotations

import logging

from airflow.providers.standard.operators.python import PythonOperator

from geodata.hooks import PUBLISH_NODE
from geodata.orchestration import make_airflow_dag, task_of_node
from geodata.orchestration.runtime import run_params_for

logger = logging.getLogger(__name__)


def create_index(logical_date=None, params=None, **_context) -> dict[str, str]:
    """The team's legacy task: (re)build the search index of the run's addresses.

    Stands for an existing callable; here it reports which partition it would index.
    """
    run = run_params_for(logical_date, params or {})
    partition = {
        "execution_dt": run.execution_dt.isoformat(),
        "iso_3166_1": run.iso_3166_1,
        "iso_3166_2": run.iso_3166_2,
    }
    logger.info("Indexing geodata.conflated_addresses partition %s", partition)
    return partition


dag, geodata_tasks = make_airflow_dag(
    "__default__",
    env="local",
    dag_id="example_geodata_with_index",
    dag_kwargs={"tags": ["geodata", "example"]},
)

index = PythonOperator(task_id="create_index", python_callable=create_index, dag=dag)
# The tables are readable once published, which is after every conflation task.
task_of_node(geodata_tasks, PUBLISH_NODE) >> index
