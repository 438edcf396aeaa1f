"""The sample-data pipeline, its parameters and its catalog entries."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from kedro.io import DataCatalog

from geodata.pipelines.sample_data.nodes import generate_demo_region
from geodata.pipelines.sample_data.pipeline import create_pipeline
from geodata.sample_data import FRAME_NAMES, OUTPUT_PATHS, SampleDataParams, write_region
from tests.sample_data.conftest import SMALL

CONF = Path(__file__).resolve().parents[2] / "conf" / "base"


def _catalog_config() -> dict:
    return yaml.safe_load((CONF / "catalog_00_sample_data.yml").read_text())


def test_pipeline_has_one_named_node_with_every_frame():
    pipeline = create_pipeline()
    (node,) = pipeline.nodes
    assert node.name == "generate_demo_region"
    assert node.inputs == ["params:sample_data"]
    assert sorted(node.outputs) == sorted(f"sample_data.{name}" for name in FRAME_NAMES)


def test_parameters_validate_into_the_typed_model():
    config = yaml.safe_load((CONF / "parameters_sample_data.yml").read_text())["sample_data"]
    params = SampleDataParams.model_validate(config)
    assert params == SampleDataParams(seed=42, us_addresses=5000, fi_addresses=800)
    with pytest.raises(ValueError, match="us_addresses"):
        SampleDataParams.model_validate({**config, "us_addresses": 10})
    with pytest.raises(ValueError, match="extra"):
        SampleDataParams.model_validate({**config, "size": 1})


def test_node_returns_every_frame_by_name(small_region):
    frames = generate_demo_region(SampleDataParams(**SMALL))
    assert list(frames) == list(FRAME_NAMES)
    assert all(frames[n].equals(small_region[n]) for n in FRAME_NAMES)


def test_catalog_entries_write_the_files_the_cli_writes(small_region, tmp_path):
    config = _catalog_config()
    assert sorted(config) == sorted(f"sample_data.{name}" for name in FRAME_NAMES)
    for name in FRAME_NAMES:
        entry = config[f"sample_data.{name}"]
        assert entry["filepath"] == f"${{globals:raw_dir}}/{OUTPUT_PATHS[name]}"
        assert entry["metadata"] == {"kedro-viz": {"layer": "raw"}}
    resolved = {
        key: {
            **entry,
            "filepath": entry["filepath"].replace("${globals:raw_dir}", str(tmp_path / "kedro")),
        }
        for key, entry in config.items()
    }
    catalog = DataCatalog.from_config(resolved)
    for name in FRAME_NAMES:
        catalog.save(f"sample_data.{name}", small_region[name])
    write_region(small_region, tmp_path / "cli")
    for relative in OUTPUT_PATHS.values():
        kedro_file, cli_file = tmp_path / "kedro" / relative, tmp_path / "cli" / relative
        if kedro_file.suffix == ".parquet":
            assert pq.read_table(kedro_file).equals(pq.read_table(cli_file)), relative
        else:
            assert kedro_file.read_bytes() == cli_file.read_bytes(), relative
    corrections = catalog.load("sample_data.user_corrections")
    assert len(corrections) == len(small_region["user_corrections"])
    county = catalog.load("sample_data.county_gis")
    assert county["ZIP"].dropna().str.fullmatch(r"\d{5}").all()
