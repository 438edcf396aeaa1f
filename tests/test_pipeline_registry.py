"""The pipelines are built from the sources the running environment declares, and only those.

`kedro run`, `kedro viz` and `kedro airflow create` all build pipelines inside a Kedro
session of their `--env`; `make_airflow_dag` builds them from that environment's config
loader. Both paths must give the same pipeline. No Spark is started here.
"""

from __future__ import annotations

import textwrap

import pytest
from kedro.framework.project import pipelines

from geodata import settings
from geodata.pipeline_registry import register_pipelines
from geodata.runtime import sources as sources_module
from geodata.runtime.session import project_session
from geodata.runtime.sources import NoSourcesError, read_declared_sources
from tests.kedro_project import PROD_VARIABLES, make_project_copy

DEMO_SOURCES = {"county_gis", "fi_open_data", "open_data", "user_corrections", "vendor_acme"}
ENV_SOURCES = {
    "local": DEMO_SOURCES,
    "prod": DEMO_SOURCES,
    "evaluation": DEMO_SOURCES | {"gb_open_data", "postal_directory"},
}


@pytest.fixture()
def project(tmp_path, monkeypatch):
    for name, value in PROD_VARIABLES.items():
        monkeypatch.setenv(name, value)
    return make_project_copy(tmp_path / "project")


def _ingested_sources(pipeline) -> set[str]:
    return {
        node.name.split(".")[0]
        for node in pipeline.nodes
        if node.name.endswith("map_source_records")
    }


def _session_pipelines(project, env: str) -> dict:
    with project_session(project, env=env) as session:
        session.load_context()  # as `kedro run`, `kedro viz` and `kedro airflow create` do
        return dict(pipelines)


@pytest.mark.parametrize("env", sorted(ENV_SOURCES))
def test_each_environment_builds_exactly_its_declared_sources(project, env):
    built = _session_pipelines(project, env)
    assert _ingested_sources(built["__default__"]) == ENV_SOURCES[env]
    assert _ingested_sources(built["ingest"]) == ENV_SOURCES[env]

    # The same pipeline when built from the environment's config without a session,
    # as `make_airflow_dag` does.
    loader = settings.CONFIG_LOADER_CLASS(
        conf_source=str(project / "conf"), env=env, **settings.CONFIG_LOADER_ARGS
    )
    direct = register_pipelines(read_declared_sources(loader))
    assert set(direct) == set(built)
    for name, pipeline in built.items():
        assert {n.name for n in direct[name].nodes} == {n.name for n in pipeline.nodes}, name


def test_a_regional_environment_lists_only_its_own_source(project):
    region = project / "conf" / "region_x"
    region.mkdir()
    (region / "catalog_01_raw.yml").write_text(
        textwrap.dedent(
            """
            town_register.raw:
              type: spark.SparkDataset
              filepath: data/01_raw/town_register/addresses.csv
              file_format: csv
              load_args: {header: true, schema: "ID STRING, ADDR STRING, X STRING, Y STRING"}
            """
        )
    )
    (region / "parameters_sources.yml").write_text(
        textwrap.dedent(
            """
            sources:
              town_register:
                priority: 1
                geometry_accuracy: entrance
                columns: {source_record_id: ID, full_address: ADDR, lon: X, lat: Y}
                constants: {country: US, region: US-CA}
            """
        )
    )
    built = _session_pipelines(project, "region_x")
    assert _ingested_sources(built["__default__"]) == {"town_register"}
    # Another environment in the same process gets its own pipelines again.
    assert _ingested_sources(_session_pipelines(project, "local")["__default__"]) == DEMO_SOURCES


def test_pipelines_outside_a_session_need_the_sources_given(monkeypatch):
    monkeypatch.setattr(sources_module, "_session_sources", None)
    with pytest.raises(NoSourcesError, match="register_pipelines"):
        register_pipelines()
    with pytest.raises(ValueError, match="declares no sources"):
        register_pipelines({})
