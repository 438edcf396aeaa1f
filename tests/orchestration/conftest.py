"""A throwaway Airflow (SQLite metadata DB) with the project's DAGs in its DAGs folder.

Airflow reads its settings when first imported, so `AIRFLOW_HOME` and friends are set
here, before any test module of this folder imports `airflow`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.alerts import recording_alert_server
from tests.kedro_project import PROD_VARIABLES, REPO, make_project_copy

AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="geodata-airflow-"))
DAGS_FOLDER = AIRFLOW_HOME / "dags"
DAGS_FOLDER.mkdir()
os.environ.update(
    {
        "AIRFLOW_HOME": str(AIRFLOW_HOME),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{AIRFLOW_HOME / 'airflow.db'}",
    }
)

EXAMPLE_DAG = REPO / "airflow" / "dags" / "example_geodata_with_index.py"
ENVS = ("local", "prod")


@pytest.fixture(scope="session")
def airflow_project(tmp_path_factory, small_raw) -> Path:
    """A project copy of the small region the DAGs' tasks run in (`GEODATA_PROJECT_PATH`)."""
    return make_project_copy(tmp_path_factory.mktemp("airflow_project"), raw_dir=small_raw)


def generate_dags(project: Path, env: str, target: Path, *extra: str) -> None:
    """`kedro airflow create --all --env <env> --target-dir <target>`, in process.

    The project's `kedro airflow create` (src/geodata/cli.py) that `kedro` runs in the
    project: kedro-airflow's command with the project template and airflow.yml grouping.
    """
    from click.testing import CliRunner
    from kedro.framework.startup import bootstrap_project

    from geodata.cli import cli

    arguments = ["airflow", "create", "--all", "--env", env, "--target-dir", str(target)]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        if env == "prod":
            for name, value in PROD_VARIABLES.items():
                patch.setenv(name, value)
        result = CliRunner().invoke(cli, [*arguments, *extra], obj=bootstrap_project(project))
    assert result.exit_code == 0, f"{arguments}:\n{result.output}\n{result.exception!r}"


@pytest.fixture(scope="session")
def airflow_home(airflow_project) -> Path:
    """`AIRFLOW_HOME` with a fresh metadata DB, and the DAGs folder filled.

    The folder holds the DAG files `kedro airflow create` renders for every pipeline in
    `local` and `prod`, and the example DAG that hooks a legacy task.
    """
    from airflow.utils import db

    db.initdb()  # the tables of the installed Airflow's models, as `airflow db migrate` leaves
    for env in ENVS:
        generate_dags(airflow_project, env, DAGS_FOLDER)
    shutil.copy(EXAMPLE_DAG, DAGS_FOLDER / EXAMPLE_DAG.name)
    yield AIRFLOW_HOME
    shutil.rmtree(AIRFLOW_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def dag_bag(airflow_home, airflow_project):
    """Every DAG in the test DAGs folder, parsed as Airflow parses it."""
    from airflow.dag_processing.dagbag import DagBag

    # Only while Airflow parses or runs DAGs (see `project_env`): other tests build their
    # pipelines from their own project copies.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GEODATA_PROJECT_PATH", str(airflow_project))
        return DagBag(dag_folder=str(DAGS_FOLDER))


@pytest.fixture()
def project_env(monkeypatch, airflow_project) -> Path:
    """`GEODATA_PROJECT_PATH` for this test: the example DAG reads it when parsed."""
    monkeypatch.setenv("GEODATA_PROJECT_PATH", str(airflow_project))
    return airflow_project


@pytest.fixture()
def alert_server():
    """A local HTTP server standing in for the PagerDuty Events API (tests/alerts.py)."""
    with recording_alert_server() as server:
        yield server
