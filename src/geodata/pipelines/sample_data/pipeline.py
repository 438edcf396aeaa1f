"""Sample-data pipeline wiring: one node writing every frame of the demo region."""

from kedro.pipeline import Node, Pipeline

from geodata.pipelines.sample_data.nodes import generate_demo_region
from geodata.sample_data import FRAME_NAMES


def create_pipeline(**kwargs) -> Pipeline:
    """`generate_demo_region`: `params:sample_data` -> `sample_data.<frame>` for each frame."""
    return Pipeline(
        [
            Node(
                generate_demo_region,
                inputs="params:sample_data",
                outputs={name: f"sample_data.{name}" for name in FRAME_NAMES},
                name="generate_demo_region",
            )
        ],
        tags=["sample_data"],
    )
