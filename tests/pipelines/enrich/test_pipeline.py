"""Enrich pipeline: nodes on a small region, the wiring, and the parameters file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner
from pydantic import ValidationError
from pyspark.sql import functions as F

from geodata.pipelines.enrich.nodes import (
    ENRICHMENT_COLUMNS,
    EnrichParams,
    assign_buildings,
    assign_nearest_roads,
    assign_parcels,
    join_enrichments,
)
from geodata.pipelines.enrich.pipeline import create_pipeline
from geodata.schemas import CANONICAL_SCHEMA
from geodata.spatial import METRES_PER_DEGREE

PARAMETERS_FILE = Path(__file__).parents[3] / "conf" / "base" / "parameters_enrich.yml"
PARAMS = {"cell_size_deg": 0.002, "road_search_radius_m": 75}
KEY = ("source", "source_record_id")


def _address(source: str, record_id: str, lat: float | None, lon: float | None) -> dict:
    record = dict.fromkeys(CANONICAL_SCHEMA.fieldNames())
    record.update(
        source=source,
        source_record_id=record_id,
        house_number="12",
        street="MAIN ST",
        iso_3166_1="US",
        iso_3166_2="US-CA",
        lat=lat,
        lon=lon,
        geometry_accuracy="rooftop",
        priority=1,
    )
    return record


def _box(west: float, south: float, east: float, north: float) -> str:
    ring = [(west, south), (east, south), (east, north), (west, north), (west, south)]
    return "POLYGON ((" + ", ".join(f"{x!r} {y!r}" for x, y in ring) + "))"


# Main St runs east-west along lat 37.0010; the block south of it is parcel P1 with
# building B1 at its east end; parcel P2 is across the street.
MAIN_ST = "LINESTRING (-122.0030 37.0010, -121.9970 37.0010)"


@pytest.fixture(scope="module")
def addresses(spark):
    rows = [
        _address("county", "1", 37.0009, -121.9990),  # in P1 and B1, ~11 m from Main St
        _address("county", "2", 37.0005, -122.0015),  # in P1 only, ~56 m from Main St
        _address("vendor", "1", 37.0015, -122.0000),  # same record id, other source: in P2
        _address("vendor", "2", 37.0500, -121.9000),  # nothing near
        _address("vendor", "3", None, None),  # no coordinates
    ]
    return spark.createDataFrame(rows, CANONICAL_SCHEMA)


@pytest.fixture(scope="module")
def roads(spark):
    return spark.createDataFrame(
        [
            ("r_main", "Main St", "US-CA", MAIN_ST),
            ("r_far", "Far Rd", "US-CA", "LINESTRING (-122.0030 36.9900, -121.9970 36.9900)"),
        ],
        "road_id STRING, name STRING, iso_3166_2 STRING, wkt STRING",
    )


@pytest.fixture(scope="module")
def parcels(spark):
    return spark.createDataFrame(
        [
            ("P1", "US-CA", _box(-122.0030, 37.0000, -121.9970, 37.0010)),
            ("P2", "US-CA", _box(-122.0030, 37.0012, -121.9970, 37.0020)),
        ],
        "parcel_id STRING, iso_3166_2 STRING, wkt STRING",
    )


@pytest.fixture(scope="module")
def buildings(spark):
    return spark.createDataFrame(
        [
            ("B1", "US-CA", _box(-121.9995, 37.0002, -121.9985, 37.0009)),
        ],
        "building_id STRING, iso_3166_2 STRING, wkt STRING",
    )


def _kept_columns(addresses) -> list[str]:
    """The addresses' columns an enriched record keeps: all but the raw record."""
    return [c for c in addresses.columns if c != "raw"]


def _assert_enriched(result, addresses) -> None:
    assert "raw" in addresses.columns  # read from the canonical records where needed
    assert result.columns == [*_kept_columns(addresses), *ENRICHMENT_COLUMNS]
    collected = result.collect()
    assert len(collected) == 5  # every address, once
    rows = {(row.source, row.source_record_id): row for row in collected}
    assert len(rows) == 5
    ids = {key: (r.parcel_id, r.building_id, r.road_id, r.road_name) for key, r in rows.items()}
    assert ids == {
        ("county", "1"): ("P1", "B1", "r_main", "Main St"),
        ("county", "2"): ("P1", None, "r_main", "Main St"),
        ("vendor", "1"): ("P2", None, "r_main", "Main St"),
        ("vendor", "2"): (None, None, None, None),
        ("vendor", "3"): (None, None, None, None),
    }
    assert rows[("county", "1")].road_distance_m == pytest.approx(0.0001 * METRES_PER_DEGREE)
    assert rows[("county", "2")].road_distance_m == pytest.approx(0.0005 * METRES_PER_DEGREE)
    assert rows[("vendor", "3")].road_distance_m is None
    # Input columns pass through unchanged.
    assert rows[("county", "1")].street == "MAIN ST"
    assert rows[("vendor", "3")].lat is None


def test_nodes_enrich_every_address(addresses, roads, parcels, buildings):
    params = EnrichParams(**PARAMS)

    parcel_ids = assign_parcels(addresses, parcels, params)
    building_ids = assign_buildings(addresses, buildings, params)
    nearest_roads = assign_nearest_roads(addresses, roads, params)
    result = join_enrichments(addresses, parcel_ids, building_ids, nearest_roads)

    assert parcel_ids.columns == [*KEY, "parcel_id"]
    assert building_ids.columns == [*KEY, "building_id"]
    assert nearest_roads.columns == [*KEY, "road_id", "road_name", "road_distance_m"]
    _assert_enriched(result, addresses)


def test_coarse_points_get_no_parcel_building_or_road(addresses, roads, parcels, buildings):
    """A postcode centroid inside building B1 says nothing about which building is the
    address's own: it gets no enrichment, while the same point as a rooftop gets B1."""
    params = EnrichParams(**PARAMS)
    postal = addresses.where("source = 'county' AND source_record_id = '1'").withColumn(
        "geometry_accuracy", F.lit("postal")
    )
    both = postal.withColumn("source", F.lit("postal_directory")).unionByName(
        addresses.where("source = 'county' AND source_record_id = '1'")
    )

    result = join_enrichments(
        both,
        assign_parcels(both, parcels, params),
        assign_buildings(both, buildings, params),
        assign_nearest_roads(both, roads, params),
    )

    ids = {r.source: (r.parcel_id, r.building_id, r.road_id) for r in result.collect()}
    assert ids == {"postal_directory": (None, None, None), "county": ("P1", "B1", "r_main")}


def test_join_enrichments_replaces_existing_enrichment_columns(addresses, spark):
    stale = addresses.withColumn("road_id", addresses["street"])
    empty = spark.createDataFrame([], "source STRING, source_record_id STRING")

    result = join_enrichments(
        stale,
        empty.selectExpr("*", "CAST(NULL AS STRING) AS parcel_id"),
        empty.selectExpr("*", "CAST(NULL AS STRING) AS building_id"),
        empty.selectExpr(
            "*",
            "CAST(NULL AS STRING) AS road_id",
            "CAST(NULL AS STRING) AS road_name",
            "CAST(NULL AS DOUBLE) AS road_distance_m",
        ),
    )

    assert result.columns == [*_kept_columns(addresses), *ENRICHMENT_COLUMNS]
    assert result.where("road_id IS NOT NULL").count() == 0
    assert result.count() == 5


def test_pipeline_runs_with_kedro_runner(addresses, roads, parcels, buildings):
    catalog = DataCatalog(
        {
            "normalize.int_addresses": MemoryDataset(addresses),
            "enrich.raw_roads": MemoryDataset(roads),
            "enrich.raw_parcels": MemoryDataset(parcels),
            "enrich.raw_buildings": MemoryDataset(buildings),
            # A plain dict, as when no parameter validation ran; nodes validate it.
            "params:enrich": MemoryDataset(dict(PARAMS)),
        }
    )

    outputs = SequentialRunner().run(create_pipeline(), catalog)

    _assert_enriched(outputs["enrich.prm_addresses"].load(), addresses)


def test_pipeline_wiring():
    pipeline = create_pipeline()

    assert {node.name for node in pipeline.nodes} == {
        "enrich.assign_parcels",
        "enrich.assign_buildings",
        "enrich.assign_nearest_roads",
        "enrich.join_enrichments",
    }
    assert pipeline.inputs() == {
        "normalize.int_addresses",
        "enrich.raw_roads",
        "enrich.raw_parcels",
        "enrich.raw_buildings",
        "params:enrich",
    }
    assert pipeline.outputs() == {"enrich.prm_addresses"}


def test_parameters_file_validates():
    params = EnrichParams(**yaml.safe_load(PARAMETERS_FILE.read_text())["enrich"])

    assert params.cell_size_deg == 0.002
    assert params.road_search_radius_m == 75
    assert params.coarse_accuracies == ["postal", "unknown"]


@pytest.mark.parametrize(
    "bad",
    [
        {"cell_size_deg": 0, "road_search_radius_m": 75},
        {"cell_size_deg": 0.002, "road_search_radius_m": -1},
        {"cell_size_deg": 0.002, "road_search_radius_m": 75, "unknown": 1},
        {"cell_size_deg": 0.002, "road_search_radius_m": 75, "road_max_bbox_cells": 0},
    ],
)
def test_bad_parameters_are_rejected(bad):
    with pytest.raises(ValidationError):
        EnrichParams(**bad)
