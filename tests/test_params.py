"""Parameter models: run, export and source blocks, and the whole tree (no Spark)."""

import copy
import inspect
import os
import re
import subprocess
import sys
from datetime import date
from typing import get_args, get_type_hints

import pytest
import yaml
from kedro.framework.project import configure_project
from pydantic import BaseModel, ValidationError

from geodata import settings
from geodata.params import (
    ExportParams,
    ProjectParams,
    ProjectParamsError,
    RunParams,
    SourceParams,
    validate_project_params,
)
from geodata.pipeline_registry import register_pipelines
from geodata.runtime.session import make_project_copy
from tests.kedro_project import PROD_VARIABLES, REPO


def test_run_params_parse_and_normalize_case():
    run = RunParams(execution_dt="2026-11-01", iso_3166_1="us", iso_3166_2="us-ca")
    assert run.execution_dt == date(2026, 11, 1)
    assert (run.iso_3166_1, run.iso_3166_2) == ("US", "US-CA")
    assert run.country_filter == "US"


def test_region_alone_implies_its_country():
    assert RunParams(execution_dt="2026-11-01", iso_3166_2="FI-18").country_filter == "FI"


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"execution_dt": "2026-13-01"}, "execution_dt"),
        ({"execution_dt": "yesterday"}, "execution_dt"),
        ({"execution_dt": "2026-11-01", "iso_3166_2": "US-XX"}, "run.iso_3166_2"),
        ({"execution_dt": "2026-11-01", "iso_3166_1": "QQ"}, "run.iso_3166_1"),
        ({"execution_dt": "2026-11-01", "iso_3166_1": "FI", "iso_3166_2": "US-CA"}, "US-CA"),
        ({"execution_dt": "2026-11-01", "region": "US-CA"}, "region"),
    ],
)
def test_bad_run_params_name_the_parameter(values, named):
    with pytest.raises(ValidationError, match=named):
        RunParams(**values)


@pytest.mark.parametrize("table", ["geodata.conflated_addresses", "addresses", "_a.b_1"])
def test_valid_table_names(table):
    assert ExportParams(table=table).table == table


@pytest.mark.parametrize(
    "table", ["geodata.t; DROP TABLE x", "1abc", "a.b.c", "geodata.", "`x`", "a-b"]
)
def test_table_names_that_could_inject_sql_are_refused(table):
    with pytest.raises(ValidationError, match="table"):
        ExportParams(table=table)


def _source(**overrides):
    block = {
        "priority": 1,
        "geometry_accuracy": "rooftop",
        "columns": {
            "source_record_id": "ID",
            "house_number": "NUM",
            "street": "STREET",
            "lon": "X",
            "lat": "Y",
        },
        "constants": {"country": "US"},
    }
    block.update(overrides)
    return block


def test_a_minimal_source_declaration_is_valid():
    source = SourceParams(**_source())
    assert source.kind == "addresses"
    assert source.columns["street"] == "STREET"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"geometry_accuracy": "roof"}, "geometry_accuracy"),
        ({"columns": {"source_record_id": "ID", "lon": "X", "lat": "Y"}}, "full_address"),
        (
            {
                "columns": {
                    "source_record_id": "ID",
                    "full_address": "A",
                    "lon": "X",
                    "lat": "Y",
                    "colour": "C",
                }
            },
            "colour",
        ),
        ({"constants": {}}, "country or region"),
        (
            {"columns": {"house_number": "N", "street": "S", "lon": "X", "lat": "Y"}},
            "source_record_id",
        ),
        ({"kind": "corrections"}, "action"),
        ({"priority": -1}, "priority"),
    ],
)
def test_bad_source_declarations_say_what_is_wrong(overrides, message):
    with pytest.raises(ValidationError, match=message):
        SourceParams(**_source(**overrides))


# ------------------------------------------------------------ the whole parameter tree


def _committed(env: str, monkeypatch) -> dict:
    """An environment's merged parameters (base + `env`), as a session loads them."""
    for name, value in PROD_VARIABLES.items():
        monkeypatch.setenv(name, value)
    loader = settings.CONFIG_LOADER_CLASS(
        conf_source=str(REPO / "conf"), env=env, **settings.CONFIG_LOADER_ARGS
    )
    return loader["parameters"]


@pytest.fixture()
def local_params(monkeypatch) -> dict:
    return _committed("local", monkeypatch)


def _with(params: dict, dotted: str, value) -> dict:
    """A deep copy of `params` with `value` at `dotted` (`a.b.0.c`: list index 0)."""
    changed = copy.deepcopy(params)
    *parents, leaf = dotted.split(".")
    level = changed
    for part in parents:
        level = level[int(part)] if isinstance(level, list) else level[part]
    level[leaf] = value
    return changed


@pytest.mark.parametrize("env", ["local", "prod", "evaluation"])
def test_every_environments_committed_parameters_validate(env, monkeypatch):
    params = validate_project_params(_committed(env, monkeypatch))
    declared = yaml.safe_load((REPO / f"conf/{env}/parameters_sources.yml").read_text())
    assert set(params.sources) == set(declared["sources"])
    assert params.conflate.scoring.comparisons


@pytest.mark.parametrize(
    ("key", "named"),
    [
        ("bogus_top", "unknown parameter 'bogus_top'"),
        ("export.csv_enable", "unknown parameter 'export.csv_enable'"),
        ("conflate.scoring.match_treshold", "unknown parameter 'conflate.scoring.match_treshold'"),
        ("sources.county_gis.colums", "unknown parameter 'sources.county_gis.colums'"),
        (
            "conflate.scoring.comparisons.0.levels.1.weight",
            "unknown parameter 'conflate.scoring.comparisons[0].levels[1].weight'",
        ),
    ],
)
def test_an_unknown_key_at_any_level_is_named(local_params, key, named):
    with pytest.raises(ProjectParamsError, match=re.escape(named)):
        validate_project_params(_with(local_params, key, 1))


def test_a_misspelt_key_names_the_key_it_resembles(local_params):
    bad = _with(local_params, "conflate.scoring.match_treshold", 0.3)
    with pytest.raises(
        ProjectParamsError, match=r"did you mean 'conflate\.scoring\.match_threshold'"
    ):
        validate_project_params(bad)


@pytest.mark.parametrize(
    ("key", "value", "named"),
    [
        (
            "sample_data.seed",
            "abc",
            r"'sample_data\.seed' = 'abc': Input should be a valid integer",
        ),
        (
            "enrich.road_search_radius_m",
            -5,
            r"'enrich\.road_search_radius_m' = -5: .*greater than 0",
        ),
        ("run.iso_3166_2", "US-ZZ", r"run\.iso_3166_2='US-ZZ' is not an ISO 3166-2"),
        ("export.table", "x; DROP TABLE y", r"'export\.table' = 'x; DROP TABLE y'"),
        (
            "sources.county_gis.geometry_accuracy",
            "roof",
            r"county_gis\.geometry_accuracy' = 'roof'",
        ),
    ],
)
def test_a_bad_value_names_the_key_and_what_was_expected(local_params, key, value, named):
    with pytest.raises(ProjectParamsError, match=named):
        validate_project_params(_with(local_params, key, value))


def test_a_source_name_that_cannot_be_a_namespace_is_refused(local_params):
    sources = local_params["sources"]
    bad = _with(local_params, "sources", {**sources, "County-GIS": sources["county_gis"]})
    with pytest.raises(ProjectParamsError, match=r"bad key 'sources\.County-GIS'"):
        validate_project_params(bad)


def test_every_problem_is_reported_at_once(local_params):
    bad = _with(_with(local_params, "bogus_top", 1), "sample_data.seed", -1)
    with pytest.raises(ProjectParamsError) as failure:
        validate_project_params(bad)
    assert "'bogus_top'" in str(failure.value) and "'sample_data.seed'" in str(failure.value)


def test_the_tree_uses_each_nodes_own_parameter_model(local_params):
    """Each `params:` input a node takes has, at its path in `ProjectParams`, the node's model."""
    configure_project("geodata")  # as every Kedro session of the project does
    pipelines = register_pipelines(local_params["sources"])
    checked = 0
    for node in {n for pipeline in pipelines.values() for n in pipeline.nodes}:
        func = inspect.unwrap(node.func)
        hints = get_type_hints(func)
        for argument, dataset in zip(inspect.signature(func).parameters, node.inputs, strict=False):
            hint = hints.get(argument)
            if not dataset.startswith("params:") or not isinstance(hint, type):
                continue
            block = ProjectParams
            for part in dataset.removeprefix("params:").split("."):
                is_model = isinstance(block, type) and issubclass(block, BaseModel)
                # a model's field, or a free key's value (`sources.<name>`: dict[str, X])
                block = block.model_fields[part].annotation if is_model else get_args(block)[-1]
            assert block is hint, (node.name, dataset)
            checked += 1
    assert checked > 10


def test_unknown_parameter_on_the_command_line_fails_before_spark_starts(tmp_path):
    project = make_project_copy(REPO, tmp_path / "project")
    env = {
        **os.environ,
        "KEDRO_DISABLE_TELEMETRY": "1",
        "DO_NOT_TRACK": "1",
        "SPARK_LOCAL_IP": "127.0.0.1",
        "COLUMNS": "200",  # a wide terminal: the message is not wrapped
    }
    done = subprocess.run(
        [sys.executable, "-m", "kedro", "run", "--env", "local", "--params", "bogus_top=1"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode != 0
    assert "unknown parameter 'bogus_top'" in done.stdout
    for spark_sign in ("SparkContext", "Spark UI", "spark-submit", "WARN NativeCodeLoader"):
        assert spark_sign not in done.stdout
    assert not (project / "data" / "hive").exists()
