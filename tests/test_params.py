"""Run, export and source parameter models (no Spark)."""

from datetime import date

import pytest
from pydantic import ValidationError

from geodata.params import ExportParams, RunParams, SourceParams


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
