"""Enrich pipeline wiring."""

from kedro.pipeline import Node, Pipeline

from geodata.pipelines.enrich.nodes import (
    assign_buildings,
    assign_nearest_roads,
    assign_parcels,
    join_enrichments,
)


def create_pipeline(**kwargs) -> Pipeline:
    """Parcels, buildings and nearest roads per address, joined back onto every address."""
    return Pipeline(
        [
            Node(
                assign_parcels,
                inputs=["addresses", "raw_parcels", "params:enrich"],
                outputs="int_parcel_assignments",
                name="assign_parcels",
            ),
            Node(
                assign_buildings,
                inputs=["addresses", "raw_buildings", "params:enrich"],
                outputs="int_building_assignments",
                name="assign_buildings",
            ),
            Node(
                assign_nearest_roads,
                inputs=["addresses", "raw_roads", "params:enrich"],
                outputs="int_road_assignments",
                name="assign_nearest_roads",
            ),
            Node(
                join_enrichments,
                inputs=[
                    "addresses",
                    "int_parcel_assignments",
                    "int_building_assignments",
                    "int_road_assignments",
                ],
                outputs="prm_addresses",
                name="join_enrichments",
            ),
        ],
        namespace="enrich",
        inputs={"addresses": "normalize.int_addresses"},
        parameters={"params:enrich"},
        tags=["enrich"],
    )
