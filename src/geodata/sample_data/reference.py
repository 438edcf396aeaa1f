"""A region's reference geodata: roads, parcels and buildings as WKT in lon/lat."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geodata.sample_data.lots import rectangle_corners
from geodata.sample_data.towns import RegionSpec
from geodata.sample_data.variants import title_words


def _wkt_polygons(lon: np.ndarray, lat: np.ndarray) -> list[str]:
    """WKT of closed rings given as (n, 5) lon and lat arrays."""
    return [
        "POLYGON ((" + ", ".join(f"{x:.7f} {y:.7f}" for x, y in zip(xs, ys, strict=True)) + "))"
        for xs, ys in zip(lon, lat, strict=True)
    ]


def reference_frames(spec: RegionSpec, tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Roads, parcels and buildings of a region as WKT in lon/lat, ids in lot/road order."""
    code = spec.iso_3166_2
    lots, faces, roads = tables["lots"], tables["faces"], tables["roads"]
    face = lots["face"].to_numpy()
    rings = {
        "parcel": rectangle_corners(
            lots,
            faces,
            lots["s_l"].to_numpy(),
            lots["s_r"].to_numpy(),
            faces["h"].to_numpy()[face],
            (faces["h"] + faces["depth"]).to_numpy()[face],
        ),
        "building": rectangle_corners(
            lots, faces, *(lots[c].to_numpy() for c in ("b_l", "b_r", "b_t0", "b_t1"))
        ),
    }
    frames = {}
    for kind, letter in (("parcel", "P"), ("building", "B")):
        lon, lat = spec.projection.to_lonlat(rings[kind][..., 0], rings[kind][..., 1])
        frames[f"{kind}s"] = pd.DataFrame(
            {
                f"{kind}_id": [f"{code}-{letter}{i + 1:07d}" for i in range(len(lots))],
                "iso_3166_2": code,
                "wkt": _wkt_polygons(lon, lat),
            }
        )
    lon0, lat0 = spec.projection.to_lonlat(roads["x0"], roads["y0"])
    lon1, lat1 = spec.projection.to_lonlat(roads["x1"], roads["y1"])
    canonical = tables["streets"]["canonical"].to_numpy()
    frames["roads"] = pd.DataFrame(
        {
            "road_id": [f"{code}-R{i + 1:06d}" for i in range(len(roads))],
            "name": [title_words(canonical[s]) for s in roads["street"]],
            "iso_3166_2": code,
            "wkt": [
                f"LINESTRING ({a:.7f} {b:.7f}, {c:.7f} {d:.7f})"
                for a, b, c, d in zip(lon0, lat0, lon1, lat1, strict=True)
            ],
        }
    )
    return frames
