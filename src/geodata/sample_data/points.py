"""Where a source puts an address: its rooftop, parcel, interpolated, entrance or postal
point, with the source's noise."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geodata.sample_data.world import World

POINT_KINDS: dict[str, str] = {
    "rooftop": "b",
    "parcel": "p",
    "interpolated": "i",
    "entrance": "e",
}
"""Point kind -> prefix of its plane coordinates in `World.addresses` (`bx, by`, ...)."""


def gaussian_offsets(
    rng: np.random.Generator, n: int, sigma: float | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """`n` plane offsets (dx, dy) with Gaussian noise of `sigma` metres on each axis."""
    return rng.normal(0.0, sigma, n), rng.normal(0.0, sigma, n)


def disc_offsets(rng: np.random.Generator, radius: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Plane offsets (dx, dy) `radius` metres away from the point, in uniform directions."""
    angle = rng.uniform(0, 2 * np.pi, len(radius))
    return radius * np.cos(angle), radius * np.sin(angle)


def locate(
    world: World, template: np.ndarray, kind: str, dx: np.ndarray, dy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Lon/lat (7 decimals) of each record's address point of `kind`, moved by (dx, dy) metres.

    `template` is the row in `world.addresses` per record. Kinds: `POINT_KINDS`, and
    `postal`: the mean building point of the address's postcode (where a postal
    geocoder puts it).
    """
    truth = world.addresses.iloc[template]
    if kind == "postal":
        centroids = world.addresses.groupby(["region", "postcode"], sort=False)[["bx", "by"]]
        key = pd.MultiIndex.from_arrays([truth["region"], truth["postcode"]])
        c = centroids.mean().reindex(key)
        x, y = c["bx"].to_numpy(), c["by"].to_numpy()
    else:
        column = POINT_KINDS[kind]
        x, y = truth[f"{column}x"].to_numpy(), truth[f"{column}y"].to_numpy()
    lon, lat = world.lonlat(truth["region"].to_numpy(), x + dx, y + dy)
    return np.round(lon, 7), np.round(lat, 7)


def points(
    world: World,
    template: np.ndarray,
    kind: str,
    rng: np.random.Generator,
    sigma: float | np.ndarray = 0.0,
    disc: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """`locate` with noise: Gaussian of `sigma` metres, or uniform up to `disc` metres away."""
    n = len(template)
    if disc:
        dx, dy = disc_offsets(rng, rng.uniform(0.0, disc, n))
    else:
        dx, dy = gaussian_offsets(rng, n, sigma)
    return locate(world, template, kind, dx, dy)
