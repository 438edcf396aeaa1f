"""Spatial grid index for native Spark spatial joins (points to polygons, points to nearest lines).

Geometries explode to the grid cells they touch, joins are equi-joins on the cell, and the
exact shapely test runs vectorised in `mapInPandas`; see ARCHITECTURE.md, "Reference data".
"""

from geodata.spatial.geometry import METRES_PER_DEGREE, local_offsets_m
from geodata.spatial.grid import explode_cells, point_cell, with_geometry_bounds
from geodata.spatial.joins import nearest_lines, points_in_polygons

__all__ = [
    "METRES_PER_DEGREE",
    "explode_cells",
    "local_offsets_m",
    "nearest_lines",
    "point_cell",
    "points_in_polygons",
    "with_geometry_bounds",
]
