"""Each run's working data lives in a folder keyed by its date and region scope.

The catalog patterns of the intermediate, primary, feature, models and model-output
layers resolve, through the `run_key` resolver, to
`<base_location>/work/<execution_dt>/<scope>/`, whichever way the run parameters
arrive: `kedro run --params`, `run_project(params=...)` or an Airflow task's
`runtime_params`. No Spark is started here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from kedro.framework.cli.utils import _split_params

from geodata import settings
from geodata.params import RunParams
from geodata.runtime.session import nested_params, project_session
from geodata.runtime.working_data import run_key, scopes_overlap
from tests.kedro_project import PROD_VARIABLES, REPO, make_project_copy

WORKING_PATTERNS = {
    "{stage}.int_{name}": "02_intermediate/{stage}/{name}",
    "{stage}.prm_{name}": "03_primary/{stage}/{name}",
    "{stage}.fea_{name}": "04_feature/{stage}/{name}",
    "{stage}.mo_{name}": "07_model_output/{stage}/{name}",
}


def _loader(runtime_params: dict | None = None, env: str = "local", conf: Path = REPO / "conf"):
    return settings.CONFIG_LOADER_CLASS(
        conf_source=str(conf), env=env, runtime_params=runtime_params, **settings.CONFIG_LOADER_ARGS
    )


def _working_dirs(catalog: dict) -> set[str]:
    """The folder each working-data pattern resolves to, with the layer part taken off."""
    dirs = set()
    for pattern, tail in WORKING_PATTERNS.items():
        filepath = catalog[pattern]["filepath"]
        assert filepath.endswith("/" + tail), (pattern, filepath)
        dirs.add(filepath.removesuffix("/" + tail))
    return dirs


def _cli(text: str) -> dict:
    """Runtime parameters as `kedro run --params <text>` hands them to the session."""
    return _split_params(None, None, text)


@pytest.mark.parametrize(
    ("runtime_params", "folder"),
    [
        ({}, "data/work/2026-11-01/all"),
        (_cli("run.execution_dt=2026-12-05"), "data/work/2026-12-05/all"),
        (_cli("run.iso_3166_2=US-CA"), "data/work/2026-11-01/US-CA"),
        (_cli("run.iso_3166_1=US"), "data/work/2026-11-01/US"),
        (_cli("run.iso_3166_1=FI,run.iso_3166_2=FI-18"), "data/work/2026-11-01/FI-18"),
        (_cli("run.iso_3166_2="), "data/work/2026-11-01/all"),  # empty on the command line
        (_cli("run.iso_3166_1=us,run.iso_3166_2=us-ca"), "data/work/2026-11-01/US-CA"),
        # An Airflow task: `{"run": run.model_dump(mode="json")}`.
        (
            {"run": RunParams(execution_dt="2026-11-20", iso_3166_2="").model_dump(mode="json")},
            "data/work/2026-11-20/all",
        ),
    ],
)
def test_every_working_layer_resolves_to_the_runs_folder(runtime_params, folder):
    catalog = _loader(runtime_params)["catalog"]
    assert _working_dirs(catalog) == {folder}
    # Published and raw data are not the run's.
    assert "/work/" not in catalog["run_report"]["filepath"]
    # The match model is kept per run, beside the working data that a run removes.
    model = catalog["{stage}.mdl_{name}"]["filepath"]
    assert model == folder.replace("data/work/", "data/06_models/") + "/{stage}/{name}.csv"


def test_the_run_date_default_comes_from_globals_only(tmp_path):
    project = make_project_copy(tmp_path / "project")
    globals_file = project / "conf/local/globals.yml"
    globals_file.write_text(globals_file.read_text() + 'default_execution_dt: "2027-01-02"\n')
    loader = _loader(conf=project / "conf")
    assert loader["parameters"]["run"]["execution_dt"] == "2027-01-02"
    assert _working_dirs(loader["catalog"]) == {"data/work/2027-01-02/all"}


def test_dotted_params_of_run_project_reach_the_resolver_nested(tmp_path):
    project = make_project_copy(tmp_path / "project")
    params = {"run.execution_dt": "2026-12-05", "run.iso_3166_2": "FI-18"}
    with project_session(project, params=params) as session:
        context = session.load_context()
        assert _working_dirs(context.config_loader["catalog"]) == {"data/work/2026-12-05/FI-18"}
        assert context.config_loader["parameters"]["run"]["iso_3166_2"] == "FI-18"


def test_nested_and_dotted_params_merge_in_any_order():
    nested = {"run": {"execution_dt": "2026-12-05"}}
    dotted = {"run.iso_3166_2": "US-CA", "export.x": 1}
    expected = {"run": {"execution_dt": "2026-12-05", "iso_3166_2": "US-CA"}, "export": {"x": 1}}
    assert nested_params({**nested, **dotted}) == expected
    assert nested_params({**dotted, **nested}) == expected


def test_prod_keeps_working_data_under_its_object_store_location(monkeypatch):
    for name, value in PROD_VARIABLES.items():
        monkeypatch.setenv(name, value)
    catalog = _loader({"run": {"execution_dt": "2026-11-01", "iso_3166_2": "US-CA"}}, "prod")
    assert _working_dirs(catalog["catalog"]) == {"s3a://geodata-test/geodata/work/2026-11-01/US-CA"}


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (("2026-11-01", "", ""), "2026-11-01/all"),
        (("2026-11-01", None, None), "2026-11-01/all"),
        ((date(2026, 11, 1), "US", ""), "2026-11-01/US"),
        (("2026-11-01", "", "FI-18"), "2026-11-01/FI-18"),
        (("2026-11-01", " us ", "us-ca"), "2026-11-01/US-CA"),
    ],
)
def test_run_key_is_the_date_and_the_narrowest_filter(args, key):
    assert run_key(*args) == key


@pytest.mark.parametrize(
    "args",
    [
        ("2026-11-31", "", ""),
        ("../../etc", "", ""),
        ("2026-11-01", "../x", ""),
        ("2026-11-01", "", "US/../../x"),
        ("2026-11-01", "FI", "US-CA"),
    ],
)
def test_run_key_refuses_anything_but_a_date_and_iso_codes(args):
    with pytest.raises(ValueError, match="working data location"):
        run_key(*args)


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ("all", "US-CA", True),
        ("all", "all", True),
        ("US", "US-CA", True),
        ("US-CA", "US", True),
        ("US-CA", "US-CA", True),
        ("US-CA", "FI-18", False),
        ("US", "FI", False),
        ("US", "FI-18", False),
        ("US-CA", "US-NY", False),
    ],
)
def test_scopes_overlap_where_they_share_output_partitions(a, b, overlap):
    assert scopes_overlap(a, b) is overlap
