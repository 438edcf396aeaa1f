"""Enrich nodes: attach the parcel, building and nearest road to each canonical address.

Spatial joins run on the grid index in `geodata.spatial`; every node is a pure function
of DataFrames and the `enrich` parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from geodata.schemas import RECORD_KEY_COLUMNS
from geodata.spatial import nearest_lines, points_in_polygons
from geodata.spatial.grid import MIN_CELL_DEG, fitted_cell_deg

ENRICHMENT_COLUMNS = ("parcel_id", "building_id", "road_id", "road_name", "road_distance_m")
"""Columns `join_enrichments` appends, in order (null when nothing was found)."""


class EnrichParams(BaseModel):
    """`enrich:` parameters: the grid cell size and the road search radius."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cell_size_deg: float = Field(
        ge=MIN_CELL_DEG,
        le=1,
        description="Grid cell size in degrees for the road join, and the largest cell "
        "the parcel and building joins may fit to their polygons.",
    )
    road_search_radius_m: float = Field(
        gt=0, le=1000, description="Farthest a road may be from an address, in metres."
    )
    road_max_bbox_cells: int = Field(
        64,
        ge=1,
        description="Roads whose buffered bbox spans more cells are indexed by segments.",
    )
    coarse_accuracies: list[str] = Field(
        default_factory=lambda: ["postal", "unknown"],
        description="Geometry accuracy classes too coarse to tell a parcel, building or road: "
        "such points get none.",
    )


def _locatable(addresses: DataFrame, params: EnrichParams | Mapping[str, Any]) -> DataFrame:
    """Addresses whose point is precise enough to stand in a parcel, building or by a road.

    A postcode centroid lies in some building, but not in the address's own one:
    assigning it would be a wrong fact, and two such points would share a building.
    """
    coarse = _settings(params).coarse_accuracies
    return addresses.where(
        F.col("geometry_accuracy").isNull() | ~F.col("geometry_accuracy").isin(coarse)
    )


def _settings(params: EnrichParams | Mapping[str, Any]) -> EnrichParams:
    # Kedro hands nodes a validated EnrichParams; a plain dict (a runner without
    # parameter validation, a notebook) is validated here the same way.
    return EnrichParams.model_validate(params)


def _assign_polygons(
    addresses: DataFrame, polygons: DataFrame, polygon_id: str, params: EnrichParams
) -> DataFrame:
    """Record key + `polygon_id` of the smallest polygon containing each address point.

    The grid cell is fitted to the polygons' typical size (`fitted_cell_deg`), at most
    `cell_size_deg`: parcels and buildings are far smaller than a road's search area.
    """
    shapes = polygons.select(F.col(polygon_id).cast("string").alias(polygon_id), "wkt")
    return points_in_polygons(
        _locatable(addresses, params),
        shapes,
        point_key=list(RECORD_KEY_COLUMNS),
        polygon_id=polygon_id,
        cell_deg=fitted_cell_deg(shapes, _settings(params).cell_size_deg),
    )


def assign_parcels(addresses: DataFrame, parcels: DataFrame, params: EnrichParams) -> DataFrame:
    """Rows in: canonical addresses and parcels. Rows out: one per address inside a parcel
    (addresses with a coarse point, see `EnrichParams.coarse_accuracies`, get none).

    Columns out: `source`, `source_record_id`, `parcel_id` (the smallest containing
    parcel; a point on a parcel edge counts as inside).
    """
    return _assign_polygons(addresses, parcels, "parcel_id", params)


def assign_buildings(addresses: DataFrame, buildings: DataFrame, params: EnrichParams) -> DataFrame:
    """Rows in: canonical addresses and buildings. Rows out: one per address inside a building
    (none for coarse points).

    Columns out: `source`, `source_record_id`, `building_id` (the smallest containing
    building footprint).
    """
    return _assign_polygons(addresses, buildings, "building_id", params)


def assign_nearest_roads(addresses: DataFrame, roads: DataFrame, params: EnrichParams) -> DataFrame:
    """Rows in: canonical addresses and roads. Rows out: one per address with a road in reach
    (none for coarse points).

    Columns out: `source`, `source_record_id`, `road_id`, `road_name`, `road_distance_m`
    of the nearest road within `road_search_radius_m` (ties to the smallest road id).
    """
    settings = _settings(params)
    nearest = nearest_lines(
        _locatable(addresses, settings),
        roads.select(
            F.col("road_id").cast("string").alias("road_id"),
            F.col("name").cast("string").alias("road_name"),
            "wkt",
        ),
        point_key=list(RECORD_KEY_COLUMNS),
        line_id="road_id",
        line_name="road_name",
        radius_m=settings.road_search_radius_m,
        cell_deg=settings.cell_size_deg,
        max_bbox_cells=settings.road_max_bbox_cells,
    )
    return nearest.select(
        *RECORD_KEY_COLUMNS, "road_id", "road_name", F.col("distance_m").alias("road_distance_m")
    )


def join_enrichments(
    addresses: DataFrame, parcels: DataFrame, buildings: DataFrame, roads: DataFrame
) -> DataFrame:
    """Rows in: canonical addresses and the three assignments. Rows out: every address, once.

    Each address keeps its columns but its raw record (an existing column named like
    an enrichment is replaced) and gains `parcel_id`, `building_id`, `road_id`,
    `road_name` and `road_distance_m`, null where nothing was found. The raw record,
    most of a canonical record's bytes, is read only to quarantine what end users
    suppress: `conflate` reads it from the canonical records, so this stage neither
    shuffles nor writes it. The assignments are unique per
    (`source`, `source_record_id`), so the left joins neither drop nor repeat rows.
    They are hash joins: the addresses, the wide side, are not sorted.
    """
    passthrough = [c for c in addresses.columns if c not in (*ENRICHMENT_COLUMNS, "raw")]
    enriched = (
        addresses.select(*passthrough)
        .join(
            parcels.select(*RECORD_KEY_COLUMNS, "parcel_id").hint("shuffle_hash"),
            on=list(RECORD_KEY_COLUMNS),
            how="left",
        )
        .join(
            buildings.select(*RECORD_KEY_COLUMNS, "building_id").hint("shuffle_hash"),
            on=list(RECORD_KEY_COLUMNS),
            how="left",
        )
        .join(
            roads.select(*RECORD_KEY_COLUMNS, "road_id", "road_name", "road_distance_m").hint(
                "shuffle_hash"
            ),
            on=list(RECORD_KEY_COLUMNS),
            how="left",
        )
    )
    return enriched.select(
        *passthrough,
        F.col("parcel_id").cast("string").alias("parcel_id"),
        F.col("building_id").cast("string").alias("building_id"),
        F.col("road_id").cast("string").alias("road_id"),
        F.col("road_name").cast("string").alias("road_name"),
        F.col("road_distance_m").cast("double").alias("road_distance_m"),
    )
