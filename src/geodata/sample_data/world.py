"""A region's ground truth: its towns laid out, their addresses and reference geodata.

Localities are laid out on a metre plane per region and projected to lon/lat by the
region's `Projection` (see `towns`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodata.sample_data.layout import (
    LocalityLayout,
    LocalitySpec,
    grid_dimensions,
    layout_locality,
)
from geodata.sample_data.lots import LotModel, addresses_of_lots, face_points, select_lots
from geodata.sample_data.reference import reference_frames
from geodata.sample_data.towns import FI_18, US_CA, RegionSpec
from geodata.sample_data.variants import street_text

PHANTOM_COUNT = 5
"""Addresses a vendor carries that do not exist (users suppress them)."""


@dataclass
class World:
    """Ground truth of the demo: streets, roads, parcels, buildings and addresses.

    `addresses` holds the truth columns plus what sources need to render a
    record: street components, house number parts, unit parts and plane
    coordinates of the building centroid (`bx, by`), parcel centroid
    (`px, py`), interpolated street point (`ix, iy`) and entrance (`ex, ey`).
    """

    regions: dict[str, RegionSpec]
    streets: pd.DataFrame
    roads: pd.DataFrame
    parcels: pd.DataFrame
    buildings: pd.DataFrame
    addresses: pd.DataFrame

    def lonlat(self, region: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple:
        """Lon/lat of plane points, each in its own region's projection."""
        lon = np.empty(len(region))
        lat = np.empty(len(region))
        for code, spec in self.regions.items():
            mask = region == code
            lon[mask], lat[mask] = spec.projection.to_lonlat(x[mask], y[mask])
        return lon, lat


def rng_for(seed: int, *key: int | str) -> np.random.Generator:
    """An independent generator per purpose, so one part's draws never shift another's."""
    words = [seed] + [
        k if isinstance(k, int) else int.from_bytes(k.encode(), "little") for k in key
    ]
    return np.random.default_rng(words)


def _build_locality(
    spec: LocalitySpec, model: LotModel, target: int, seed: int, region: str
) -> tuple[LocalityLayout, pd.DataFrame]:
    """A layout with room for `target` addresses, and the lots that hold exactly that many."""
    blocks = max(9, math.ceil(target / 20))
    for attempt in range(30):
        nx, ny = grid_dimensions(blocks, spec.block_size)
        layout = layout_locality(spec, model, nx, ny, rng_for(seed, region, spec.name, attempt))
        total = int(layout.lots["n_units"].sum())
        if total >= target and (attempt > 0 or total <= 1.3 * target):
            chosen = select_lots(layout.lots, target, rng_for(seed, region, spec.name, "select"))
            return layout, chosen
        grown = math.ceil(nx * ny * 1.08 * target / max(total, 1))
        blocks = max(grown, nx * ny + 1) if total < target else grown
    raise RuntimeError(f"could not lay out {target} addresses in {spec.name}")


def _locality_targets(spec: RegionSpec, total: int) -> list[int]:
    targets = [math.floor(total * loc.share) for loc in spec.localities[1:]]
    return [total - sum(targets), *targets]


def _region_tables(spec: RegionSpec, total: int, seed: int) -> dict[str, pd.DataFrame]:
    """Streets, roads, faces and selected lots of every locality of a region, in plane metres."""
    streets, roads, faces, lots = [], [], [], []
    n_streets = n_roads = n_faces = 0
    east_edge = 0.0
    for loc_index, (loc, target) in enumerate(
        zip(spec.localities, _locality_targets(spec, total), strict=True)
    ):
        layout, chosen = _build_locality(loc, loc.lots or spec.lots, target, seed, spec.iso_3166_2)
        ax, ay, fx, fy = loc.anchor
        dx, dy = ax - fx * layout.width, ay - fy * layout.height
        if loc.gap is not None:
            dx, dy = east_edge + loc.gap, 0.0
        east_edge = dx + layout.width
        zone_rows, zone_cols = len(loc.postcodes), len(loc.postcodes[0])
        streets.append(layout.streets.assign(locality=loc.name, locality_index=loc_index))
        roads.append(
            layout.roads.assign(
                street=layout.roads["street"] + n_streets,
                x0=layout.roads["x0"] + dx,
                x1=layout.roads["x1"] + dx,
                y0=layout.roads["y0"] + dy,
                y1=layout.roads["y1"] + dy,
            )
        )
        f = layout.faces
        faces.append(
            f.assign(
                street=f["street"] + n_streets,
                road=f["road"] + n_roads,
                ox=f["ox"] + dx,
                oy=f["oy"] + dy,
                locality=loc.name,
            )
        )
        # Postcode zone from the building's position in its town, before moving the town.
        cx, cy = face_points(
            layout.faces,
            chosen["face"].to_numpy(),
            (chosen["b_l"] + chosen["b_r"]).to_numpy() / 2,
            (chosen["b_t0"] + chosen["b_t1"]).to_numpy() / 2,
        )
        col = np.clip((cx / layout.width * zone_cols).astype(int), 0, zone_cols - 1)
        row = np.clip((cy / layout.height * zone_rows).astype(int), 0, zone_rows - 1)
        postcodes = np.array(loc.postcodes, dtype=object)[row, col]
        lots.append(
            chosen.assign(
                face=chosen["face"] + n_faces,
                street=chosen["street"] + n_streets,
                postcode=postcodes,
                locality=loc.name,
            )
        )
        n_streets += len(layout.streets)
        n_roads += len(layout.roads)
        n_faces += len(layout.faces)
    return {
        "streets": pd.concat(streets, ignore_index=True),
        "roads": pd.concat(roads, ignore_index=True),
        "faces": pd.concat(faces, ignore_index=True),
        "lots": pd.concat(lots, ignore_index=True),
    }


def _region_addresses(spec: RegionSpec, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Addresses of a region's selected lots with plane coordinates of each point kind."""
    faces, lots = tables["faces"], tables["lots"]
    face = lots["face"].to_numpy()
    f = faces.iloc[face]
    h = f["h"].to_numpy()
    s0, s1 = lots["face_s_lo"].to_numpy(), lots["face_s_hi"].to_numpy()
    s_mid = (lots["s_l"] + lots["s_r"]).to_numpy() / 2
    b_mid = (lots["b_l"] + lots["b_r"]).to_numpy() / 2
    lots = lots.assign(
        lot_index=np.arange(len(lots)),
        road=f["road"].to_numpy(),
    )
    lots["px"], lots["py"] = face_points(faces, face, s_mid, h + f["depth"].to_numpy() / 2)
    lots["bx"], lots["by"] = face_points(
        faces, face, b_mid, (lots["b_t0"] + lots["b_t1"]).to_numpy() / 2
    )
    # Interpolated along the face's number range, as a street-centreline geocoder does.
    number = lots["hn_base"].to_numpy().astype(float)
    lo, hi = lots["face_lo"].to_numpy(), lots["face_hi"].to_numpy()
    share = np.divide(number - lo, hi - lo, out=np.full(len(lots), 0.5), where=hi > lo)
    lots["ix"], lots["iy"] = face_points(faces, face, s0 + share * (s1 - s0), 0.3 * h)

    units = addresses_of_lots(lots)
    a = units.join(lots.drop(columns=["unit_kind"]), on="lot")
    staircases = np.ceil(a["n_units"] / np.maximum(a["per_staircase"], 1)).to_numpy()
    stair_no = np.where(
        a["staircase"].notna(), a["unit_index"] // np.maximum(a["per_staircase"], 1), 0
    )
    entrance_s = np.where(
        a["staircase"].notna(),
        a["b_l"] + (stair_no + 0.5) / np.maximum(staircases, 1) * (a["b_r"] - a["b_l"]),
        (a["b_l"] + a["b_r"]) / 2,
    )
    a["ex"], a["ey"] = face_points(faces, a["face"].to_numpy(), entrance_s, a["b_t0"].to_numpy())
    hn = a["hn_base"].astype(str)
    a["house_number"] = np.where(a["fraction"], hn + " 1/2", hn + a["suffix"])
    a["region"] = spec.iso_3166_2
    a["phantom"] = False
    return a


def _phantoms(
    spec: RegionSpec, tables: dict[str, pd.DataFrame], rng: np.random.Generator
) -> pd.DataFrame:
    """Vendor-only addresses at plausible but unused numbers along real block faces."""
    faces, lots = tables["faces"], tables["lots"]
    candidates = np.unique(lots.loc[lots["multi"].eq(False), "face"].to_numpy())
    picked = rng.choice(candidates, size=min(PHANTOM_COUNT, len(candidates)), replace=False)
    rows = []
    for face in np.sort(picked):
        f = faces.iloc[face]
        on_face = lots[lots["face"] == face]
        even = bool(on_face["even"].iloc[0])
        used = set(on_face["hn_base"].tolist())
        block = int(f["block"]) * 100
        options = [n for n in range(block + (2 if even else 1), block + 99, 2) if n not in used]
        number = int(rng.choice(options))
        share = (number - block) / 100
        s = f["s0"] + share * (f["s1"] - f["s0"])
        t = f["h"] + f["depth"] / 2
        x, y = f["ox"] + f["ux"] * s + f["nx"] * t, f["oy"] + f["uy"] * s + f["ny"] * t
        rows.append(
            {
                "face": face,
                "street": int(f["street"]),
                "road": int(f["road"]),
                "hn_base": number,
                "suffix": "",
                "fraction": False,
                "house_number": str(number),
                "unit_kind": 0,
                "unit_index": 0,
                "unit_id": None,
                "staircase": None,
                "unit": None,
                "locality": f["locality"],
                "postcode": on_face["postcode"].iloc[0],
                "even": even,
                "multi": False,
                "lot_index": -1,
                "bx": x,
                "by": y,
                "px": x,
                "py": y,
                "ix": x,
                "iy": y,
                "ex": x,
                "ey": y,
                "region": spec.iso_3166_2,
                "phantom": True,
            }
        )
    return pd.DataFrame(rows)


def build_world(seed: int, us_addresses: int, fi_addresses: int) -> World:
    """The ground truth of the demo region for a seed and address counts."""
    return build_regions(seed, {US_CA: us_addresses, FI_18: fi_addresses})


def build_regions(seed: int, totals: dict[RegionSpec, int]) -> World:
    """The ground truth of `totals`' regions, each with its number of real addresses."""
    regions = tuple(totals)
    streets, addresses = [], []
    reference: dict[str, list[pd.DataFrame]] = {"roads": [], "parcels": [], "buildings": []}
    street_offset = 0
    for spec in regions:
        tables = _region_tables(spec, totals[spec], seed)
        tables["streets"]["canonical"] = [
            street_text(*parts)
            for parts in tables["streets"][["directional", "name", "street_type"]].itertuples(
                index=False
            )
        ]
        region_addresses = _region_addresses(spec, tables)
        if spec.with_phantoms:
            phantoms = _phantoms(spec, tables, rng_for(seed, spec.iso_3166_2, "phantoms"))
            region_addresses = pd.concat([region_addresses, phantoms], ignore_index=True)
        frames = reference_frames(spec, tables)
        for name, frame in frames.items():
            reference[name].append(frame)

        lot_index = region_addresses["lot_index"].to_numpy()
        has_lot = lot_index >= 0
        for kind in ("parcel", "building"):
            ids = frames[f"{kind}s"][f"{kind}_id"].to_numpy()
            region_addresses[f"{kind}_id"] = np.where(has_lot, ids[lot_index], None)
        road_ids = frames["roads"]["road_id"].to_numpy()
        region_addresses["road_id"] = road_ids[region_addresses["road"].to_numpy()]
        region_addresses["street"] = region_addresses["street"] + street_offset
        region_addresses["iso_3166_1"] = spec.iso_3166_1
        streets.append(tables["streets"].assign(region=spec.iso_3166_2))
        addresses.append(region_addresses)
        street_offset += len(tables["streets"])

    street_table = pd.concat(streets, ignore_index=True)
    a = pd.concat(addresses, ignore_index=True)
    a = a.rename(columns={"street": "street_index"})
    street_index = a["street_index"].to_numpy()
    for column, source in (
        ("street", "canonical"),
        ("directional", "directional"),
        ("street_name", "name"),
        ("street_type", "street_type"),
    ):
        a[column] = street_table[source].to_numpy()[street_index]
    sequence = a.groupby("region", sort=False).cumcount().to_numpy() + 1
    a["truth_address_id"] = [f"{r}-{i:07d}" for r, i in zip(a["region"], sequence, strict=True)]
    world = World(
        regions={spec.iso_3166_2: spec for spec in regions},
        streets=street_table,
        roads=pd.concat(reference["roads"], ignore_index=True),
        parcels=pd.concat(reference["parcels"], ignore_index=True),
        buildings=pd.concat(reference["buildings"], ignore_index=True),
        addresses=a,
    )
    a["lon"], a["lat"] = world.lonlat(a["region"].to_numpy(), a["bx"], a["by"])
    return world


def truth_addresses(world: World) -> pd.DataFrame:
    """The `truth/addresses.parquet` table."""
    a = world.addresses
    return pd.DataFrame(
        {
            "truth_address_id": a["truth_address_id"].astype(object),
            "house_number": a["house_number"].astype(object),
            "street": a["street"].astype(object),
            "unit": a["unit"].astype(object),
            "locality": a["locality"].astype(object),
            "postcode": a["postcode"].astype(object),
            "iso_3166_1": a["iso_3166_1"].astype(object),
            "iso_3166_2": a["region"].astype(object),
            "lat": a["lat"].round(7).astype("float64"),
            "lon": a["lon"].round(7).astype("float64"),
            "building_id": a["building_id"].astype(object),
            "parcel_id": a["parcel_id"].astype(object),
            "road_id": a["road_id"].astype(object),
            "phantom": a["phantom"].astype(bool),
        }
    )


def world_frames(world: World) -> dict[str, pd.DataFrame]:
    """The frames a world gives directly: reference geodata and `truth_addresses`."""
    return {
        "roads": world.roads,
        "parcels": world.parcels,
        "buildings": world.buildings,
        "truth_addresses": truth_addresses(world),
    }
