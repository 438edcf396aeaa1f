"""One locality's physical layout: street grid, diagonal streets, lots, buildings, addresses.

Everything is in metres on the locality's own plane (origin at the grid's
south-west corner); `world` moves localities into place and projects them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from geodata.sample_data.vocabulary import FINNISH_NAME_PREFIXES, USPS_STREET_TYPES

HUNDREDS_PROPORTIONAL = "hundreds_proportional"
"""US block numbering: block k holds 100k..100k+99, numbers proportional to position."""
HUNDREDS_SEQUENTIAL = "hundreds_sequential"
"""US block numbering: block k holds 100k+1, 100k+2, ... in lot order."""
STREET_SEQUENTIAL = "street_sequential"
"""Nordic numbering: 1, 3, 5 ... on one side and 2, 4, 6 ... on the other, whole street."""

UNIT_NONE, UNIT_APT, UNIT_STE, UNIT_STAIRCASE, UNIT_FLAT = 0, 1, 2, 3, 4
"""Unit kinds: none, apartment (APT 4), suite (STE 101), Finnish staircase (A 5), flat (FLAT 2)."""

_SUITES_PER_FLOOR = 8
_FLATS_PER_FLOOR = 12
_FLOOR_NUMBERED_FROM = 61
"""Apartment blocks this large number their flats by floor (APT 101, 102, ... 201)."""
_PROPORTIONAL_SLOTS = 48


@dataclass(frozen=True)
class DiagonalStreet:
    """A straight street cutting across a grid between two of its intersections."""

    name: str
    street_type: str
    start: tuple[float, float]
    """Start as a fraction of the grid's width and height, snapped to an intersection."""
    end: tuple[float, float]
    half_width: float = 14.0
    lot_depth: float = 30.0
    block_length: float = 100.0


@dataclass(frozen=True)
class LotModel:
    """How lots are cut along a block face and what stands on them."""

    single_width: tuple[float, float]
    multi_width: tuple[float, float]
    multi_share: float
    front_setback: tuple[float, float]
    side_setback: tuple[float, float]
    single_depth: tuple[float, float]
    multi_depth: tuple[float, float]
    letter_split_share: float = 0.0
    fraction_split_share: float = 0.0
    suite_share: float = 0.0
    unit_model: str = "us"
    large_share: float = 0.0
    """Share of multi-unit lots that are large apartment blocks (US model)."""
    large_units: tuple[int, int] = (100, 400)
    """Unit count range of a large apartment block."""


@dataclass(frozen=True)
class LocalitySpec:
    """A town: its grid, street names, numbering scheme and postcode zones."""

    name: str
    share: float
    postcodes: tuple[tuple[str, ...], ...]
    """Postcode zones: rows south to north, columns west to east."""
    avenues: tuple[tuple[str, str], ...]
    cross_streets: tuple[tuple[str, str], ...] | None
    """East-west streets south to north; None numbers them 1ST ST, 2ND ST, ..."""
    numbering: str
    anchor: tuple[float, float, float, float]
    """(x, y, fx, fy): the grid point (fx * width, fy * height) sits at region point (x, y)."""
    block_size: tuple[float, float] = (140.0, 90.0)
    half_width: float = 10.0
    diagonals: tuple[DiagonalStreet, ...] = ()
    twin_avenues: bool = False
    """Split every avenue at the middle cross street into N ... / S ... twins."""
    middle_avenue: tuple[str, str] | None = None
    avenue_facing_period: int = 3
    lots: LotModel | None = None
    """The locality's own lot model (rural lots); None: the region's."""
    gap: float | None = None
    """Place the town this many metres east of the previous one (bottoms aligned), not by
    `anchor`."""
    name_prefixes: tuple[str, ...] | None = None
    """Prefixes for a second street of a name without a type (None: the Finnish ones)."""


@dataclass
class LocalityLayout:
    """Streets, roads, block faces and addressed lots of one locality (local metres)."""

    streets: pd.DataFrame
    roads: pd.DataFrame
    faces: pd.DataFrame
    lots: pd.DataFrame
    width: float
    height: float


def ordinal_street_name(number: int) -> str:
    """`1ST`, `2ND`, `3RD`, `11TH`, `24TH`: USPS numbered street names."""
    if number % 100 in (11, 12, 13):
        return f"{number}TH"
    return f"{number}{ {1: 'ST', 2: 'ND', 3: 'RD'}.get(number % 10, 'TH') }"


def _unique_names(
    base: tuple[tuple[str, str], ...],
    count: int,
    taken: set[tuple[str, str]],
    name_prefixes: tuple[str, ...] = FINNISH_NAME_PREFIXES,
) -> list[tuple[str, str]]:
    """`count` names cycling through `base`; each later cycle moves to the next street type
    (US) or adds a Finnish prefix (PIENI, ISO, ...)."""
    types = list(USPS_STREET_TYPES)
    names: list[tuple[str, str]] = []
    for k in range(count):
        name, street_type = base[k % len(base)]
        cycle = k // len(base)
        start = types.index(street_type) if street_type in types else 0
        options = [(name, types[(start + cycle + a) % len(types)]) for a in range(len(types))]
        if not street_type:  # Finnish: Pieni Roobertinkatu next to Iso Roobertinkatu
            prefixes = ("", *name_prefixes)
            prefix = prefixes[cycle % len(prefixes)]
            options = [(f"{prefix}{name}" if cycle < len(prefixes) else f"{name} {cycle}", "")]
        free = [o for o in options if o not in taken]
        candidate = free[0] if free else (f"{name} {cycle + 1}", street_type)
        taken.add(candidate)
        names.append(candidate)
    return names


class _Builder:
    """Accumulates streets, road segments and block faces of one layout."""

    def __init__(self) -> None:
        self.streets: list[tuple[str, str, str]] = []
        self._street_index: dict[tuple[str, str, str], int] = {}
        self.roads: list[tuple[int, float, float, float, float, int]] = []
        self.faces: list[tuple] = []

    def street(self, directional: str, name: str, street_type: str) -> int:
        key = (directional, name, street_type)
        if key not in self._street_index:
            self._street_index[key] = len(self.streets)
            self.streets.append(key)
        return self._street_index[key]

    def road(self, street: int, x0: float, y0: float, x1: float, y1: float, diag: int) -> int:
        self.roads.append((street, x0, y0, x1, y1, diag))
        return len(self.roads) - 1

    def face(
        self,
        *,
        street: int,
        road: int,
        origin: tuple[float, float],
        along: tuple[float, float],
        normal: tuple[float, float],
        span: tuple[float, float],
        setback: float,
        depth: float,
        block: int,
        offset: float,
        diag: int = -1,
    ) -> None:
        """A block face: lots stand between `span` metres `along` the street from `origin`,
        from `setback` to `setback + depth` metres to the `normal` side of its centreline.

        `block` is the face's hundred-block index, `offset` the distance of `origin`
        from where the street's numbering starts, `diag` the diagonal street (-1: grid).
        """
        self.faces.append(
            (street, road, *origin, *along, *normal, *span, setback, depth, block, offset, diag)
        )


_FACE_COLUMNS = (
    "street",
    "road",
    "ox",
    "oy",
    "ux",
    "uy",
    "nx",
    "ny",
    "s0",
    "s1",
    "h",
    "depth",
    "block",
    "offset",
    "diag",
)
EAST, WEST, NORTH, SOUTH = (1.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.0, -1.0)


def grid_dimensions(blocks: int, block_size: tuple[float, float]) -> tuple[int, int]:
    """Columns and rows of a roughly square grid with about `blocks` blocks."""
    dx, dy = block_size
    nx = max(3, round(math.sqrt(blocks * dy / dx)))
    ny = max(3, math.ceil(blocks / nx))
    return nx, ny


def _grid(spec: LocalitySpec, nx: int, ny: int, b: _Builder) -> None:
    dx, dy = spec.block_size
    hw = spec.half_width
    xs = np.arange(nx + 1) * dx
    ys = np.arange(ny + 1) * dy
    middle_row, middle_col = ny // 2, nx // 2

    taken: set[tuple[str, str]] = {(d.name, d.street_type) for d in spec.diagonals}
    if spec.middle_avenue:
        taken.add(spec.middle_avenue)
    prefixes = FINNISH_NAME_PREFIXES if spec.name_prefixes is None else spec.name_prefixes
    if spec.cross_streets is None:
        cross = [(ordinal_street_name(j + 1), "ST") for j in range(ny + 1)]
    else:
        cross = _unique_names(spec.cross_streets, ny + 1, taken, prefixes)
    avenues = _unique_names(spec.avenues, nx + 1, taken, prefixes)
    if spec.middle_avenue:
        avenues.insert(middle_col, spec.middle_avenue)
        avenues.pop()

    row_street = [b.street("", *cross[j]) for j in range(ny + 1)]
    row_road = [
        [b.road(row_street[j], xs[i], ys[j], xs[i + 1], ys[j], -1) for i in range(nx)]
        for j in range(ny + 1)
    ]
    north = [b.street("N" if spec.twin_avenues else "", *avenues[i]) for i in range(nx + 1)]
    south = [b.street("S" if spec.twin_avenues else "", *avenues[i]) for i in range(nx + 1)]
    col_road = [
        [
            b.road(north[i] if j >= middle_row else south[i], xs[i], ys[j], xs[i], ys[j + 1], -1)
            for j in range(ny)
        ]
        for i in range(nx + 1)
    ]

    period = spec.avenue_facing_period
    avenue_facing = {i for i in range(nx) if i % period == middle_col % period}
    if spec.twin_avenues and middle_col > 0:
        avenue_facing.add(middle_col - 1)
    for j in range(ny):
        for i in range(nx):
            if i not in avenue_facing:
                # Lots face the cross streets: the block's south half fronts street j,
                # its north half street j + 1.
                for row, normal in ((j, NORTH), (j + 1, SOUTH)):
                    b.face(
                        street=row_street[row],
                        road=row_road[row][i],
                        origin=(xs[i], ys[row]),
                        along=EAST,
                        normal=normal,
                        span=(hw, dx - hw),
                        setback=hw,
                        depth=dy / 2 - hw,
                        block=i,
                        offset=xs[i],
                    )
                continue
            # Lots face the avenues; twin avenues number away from the middle row.
            for c, normal in ((i, EAST), (i + 1, WEST)):
                if spec.twin_avenues and j < middle_row:
                    origin, along = (xs[c], ys[j + 1]), SOUTH
                    block, offset, street = middle_row - 1 - j, ys[middle_row] - ys[j + 1], south[c]
                elif spec.twin_avenues:
                    origin, along = (xs[c], ys[j]), NORTH
                    block, offset, street = j - middle_row, ys[j] - ys[middle_row], north[c]
                else:
                    origin, along = (xs[c], ys[j]), NORTH
                    block, offset, street = j, ys[j], north[c]
                b.face(
                    street=street,
                    road=col_road[c][j],
                    origin=origin,
                    along=along,
                    normal=normal,
                    span=(hw, dy - hw),
                    setback=hw,
                    depth=dx / 2 - hw,
                    block=block,
                    offset=offset,
                )


def _diagonal_ends(spec: LocalitySpec, diagonal: DiagonalStreet, nx: int, ny: int):
    dx, dy = spec.block_size
    start = np.array([round(diagonal.start[0] * nx) * dx, round(diagonal.start[1] * ny) * dy])
    end = np.array([round(diagonal.end[0] * nx) * dx, round(diagonal.end[1] * ny) * dy])
    return start, end


def _diagonals(spec: LocalitySpec, nx: int, ny: int, b: _Builder) -> list:
    corridors = []
    for d_index, diagonal in enumerate(spec.diagonals):
        start, end = _diagonal_ends(spec, diagonal, nx, ny)
        length = float(np.hypot(*(end - start)))
        along = (end - start) / length
        left = np.array([-along[1], along[0]])
        street = b.street("", diagonal.name, diagonal.street_type)
        for k in range(math.ceil(length / diagonal.block_length)):
            a = k * diagonal.block_length
            z = min(length, a + diagonal.block_length)
            p, q = start + along * a, start + along * z
            road = b.road(street, p[0], p[1], q[0], q[1], d_index)
            if z - a < 20:
                continue
            for normal in (left, -left):
                b.face(
                    street=street,
                    road=road,
                    origin=tuple(p),
                    along=tuple(along),
                    normal=tuple(normal),
                    span=(4.0, z - a - 4.0),
                    setback=diagonal.half_width,
                    depth=diagonal.lot_depth,
                    block=k,
                    offset=a,
                    diag=d_index,
                )
        line = shapely.LineString([start, end])
        corridors.append(
            shapely.buffer(line, diagonal.half_width + diagonal.lot_depth, cap_style="flat")
        )
    return corridors


def _cut_lots(faces: pd.DataFrame, model: LotModel, rng: np.random.Generator) -> pd.DataFrame:
    """Lots along every face: random widths filling the face exactly, in face order."""
    length = (faces["s1"] - faces["s0"]).to_numpy()
    n_faces = len(faces)
    slots = math.ceil(length.max() / model.single_width[0]) + 2
    multi = rng.random((n_faces, slots)) < model.multi_share
    width = np.where(
        multi,
        rng.uniform(*model.multi_width, (n_faces, slots)),
        rng.uniform(*model.single_width, (n_faces, slots)),
    )
    keep = np.cumsum(width, axis=1) <= length[:, None]
    count = keep.sum(axis=1)
    leftover = length - np.where(keep, width, 0.0).sum(axis=1)
    # A remainder wide enough for a house becomes one more lot; a sliver is shared out.
    extra = leftover >= model.single_width[0]
    rows = np.nonzero(extra)[0]
    width[rows, count[rows]] = leftover[rows]
    multi[rows, count[rows]] = False
    keep[rows, count[rows]] = True
    width = np.where(keep, width, 0.0)
    scale = np.divide(length, width.sum(axis=1), out=np.zeros(n_faces), where=width.sum(1) > 0)
    width *= scale[:, None]
    right = np.cumsum(width, axis=1)
    face_idx, slot = np.nonzero(keep)
    s_r = faces["s0"].to_numpy()[face_idx] + right[face_idx, slot]
    return pd.DataFrame(
        {
            "face": face_idx,
            "s_l": s_r - width[face_idx, slot],
            "s_r": s_r,
            "multi": multi[face_idx, slot],
        }
    )


def face_points(
    faces: pd.DataFrame, face: np.ndarray, s: np.ndarray, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Plane coordinates of (s metres along, t metres off the centreline) on each face."""
    f = faces.iloc[face]
    x = f["ox"].to_numpy() + f["ux"].to_numpy() * s + f["nx"].to_numpy() * t
    y = f["oy"].to_numpy() + f["uy"].to_numpy() * s + f["ny"].to_numpy() * t
    return x, y


def rectangle_corners(lots: pd.DataFrame, faces: pd.DataFrame, s_l, s_r, t0, t1) -> np.ndarray:
    """(n, 5, 2) closed counter-clockwise rings of the (s, t) rectangles on each lot's face."""
    f = faces.iloc[lots["face"].to_numpy()]
    ccw = (f["ux"].to_numpy() * f["ny"].to_numpy() - f["uy"].to_numpy() * f["nx"].to_numpy()) > 0
    ring_s = [s_l, s_r, s_r, s_l]
    ring_t = [t0, t0, t1, t1]
    corners = np.empty((len(lots), 5, 2))
    for c in range(4):
        k = np.where(ccw, c, 3 - c)
        s = np.choose(k, ring_s)
        t = np.choose(k, ring_t)
        corners[:, c, 0], corners[:, c, 1] = face_points(faces, lots["face"].to_numpy(), s, t)
    corners[:, 4] = corners[:, 0]
    return corners


def _parcel_rings(lots: pd.DataFrame, faces: pd.DataFrame) -> np.ndarray:
    f = faces.iloc[lots["face"].to_numpy()]
    h = f["h"].to_numpy()
    return rectangle_corners(
        lots, faces, lots["s_l"].to_numpy(), lots["s_r"].to_numpy(), h, h + f["depth"].to_numpy()
    )


def _drop_overlaps(
    lots: pd.DataFrame, faces: pd.DataFrame, spec: LocalitySpec, corridors, nx: int, ny: int
) -> pd.DataFrame:
    """Lots clear of every diagonal street's corridor (grid lots) or of grid streets (diagonal)."""
    if not corridors:
        return lots
    dx, dy = spec.block_size
    hw = spec.half_width
    width, height = nx * dx, ny * dy
    polygons = shapely.polygons(_parcel_rings(lots, faces))
    diag = faces["diag"].to_numpy()[lots["face"].to_numpy()]
    rights_of_way = shapely.union_all(
        [shapely.box(-hw, j * dy - hw, width + hw, j * dy + hw) for j in range(ny + 1)]
        + [shapely.box(i * dx - hw, -hw, i * dx + hw, height + hw) for i in range(nx + 1)]
    )
    shapely.prepare(rights_of_way)
    town = shapely.box(0, 0, width, height)
    keep = np.ones(len(lots), dtype=bool)
    for d_index, corridor in enumerate(corridors):
        shapely.prepare(corridor)
        hit = shapely.intersects(corridor, polygons)
        keep &= ~(hit & (diag != d_index))
    on_diagonal = diag >= 0
    keep &= ~(on_diagonal & shapely.intersects(rights_of_way, polygons))
    keep &= ~(on_diagonal & ~shapely.within(polygons, town))
    return lots[keep].reset_index(drop=True)


def _number_lots(lots: pd.DataFrame, faces: pd.DataFrame, numbering: str) -> pd.DataFrame:
    """House number bases: even on the left of the direction numbers grow in, odd on the right."""
    f = faces.iloc[lots["face"].to_numpy()]
    even = (f["nx"].to_numpy() * -f["uy"].to_numpy() + f["ny"].to_numpy() * f["ux"].to_numpy()) > 0
    centre = (lots["s_l"].to_numpy() + lots["s_r"].to_numpy()) / 2
    lots = lots.assign(even=even, street=f["street"].to_numpy())
    if numbering == HUNDREDS_PROPORTIONAL:
        s0, s1 = f["s0"].to_numpy(), f["s1"].to_numpy()
        slot = np.clip(1 + np.floor((centre - s0) / (s1 - s0) * _PROPORTIONAL_SLOTS), 1, 48)
        number = 100 * f["block"].to_numpy() + np.where(even, 2 * slot, 2 * slot - 1)
    elif numbering == HUNDREDS_SEQUENTIAL:
        rank = lots.assign(c=centre).groupby("face")["c"].rank(method="first").to_numpy() - 1
        number = 100 * f["block"].to_numpy() + np.where(even, 2 * rank + 2, 2 * rank + 1)
    elif numbering == STREET_SEQUENTIAL:
        position = f["offset"].to_numpy() + centre
        rank = (
            lots.assign(p=position).groupby(["street", "even"])["p"].rank(method="first")
        ).to_numpy() - 1
        number = np.where(even, 2 * rank + 2, 2 * rank + 1)
    else:
        raise ValueError(f"unknown numbering {numbering!r}")
    lots["hn_base"] = number.astype(np.int64)
    return lots.sort_values(["face", "s_l"], kind="stable").reset_index(drop=True)


def _split_lots(lots: pd.DataFrame, model: LotModel, rng: np.random.Generator) -> pd.DataFrame:
    """Some houses' lots split in two: `12A`/`12B`, or a `10 1/2` squeezed in before `12`."""
    lots = lots.assign(suffix="", fraction=False)
    if not (model.letter_split_share or model.fraction_split_share):
        return lots
    first_in_face = lots["face"].ne(lots["face"].shift())
    previous_number = lots["hn_base"].shift(fill_value=0).to_numpy()
    eligible = (~lots["multi"] & (lots["s_r"] - lots["s_l"] >= 11.0)).to_numpy()
    draw = rng.random(len(lots))
    letter = eligible & (draw < model.letter_split_share)
    fraction = (
        eligible
        & ~first_in_face.to_numpy()
        & (draw >= model.letter_split_share)
        & (draw < model.letter_split_share + model.fraction_split_share)
    )
    split = letter | fraction
    source = np.repeat(np.arange(len(lots)), np.where(split, 2, 1))
    half = np.zeros(len(source), dtype=np.int64)
    half[1:] = (source[1:] == source[:-1]).astype(np.int64)
    out = lots.iloc[source].reset_index(drop=True)
    is_split = split[source]
    mid = ((out["s_l"] + out["s_r"]) / 2).to_numpy()
    out["s_r"] = np.where(is_split & (half == 0), mid, out["s_r"])
    out["s_l"] = np.where(is_split & (half == 1), mid, out["s_l"])
    is_letter = letter[source]
    out["suffix"] = np.where(is_letter, np.where(half == 0, "A", "B"), "")
    left_fraction = fraction[source] & (half == 0)
    out["fraction"] = left_fraction
    out["hn_base"] = np.where(left_fraction, previous_number[source], out["hn_base"])
    return out


def _draw_units(lots: pd.DataFrame, model: LotModel, rng: np.random.Generator) -> pd.DataFrame:
    """Units per lot: 1 for houses; 2-60 apartments or suites, or Finnish staircases."""
    n = len(lots)
    multi = lots["multi"].to_numpy()
    if model.unit_model == "us":
        size_class = rng.random(n)
        units = np.where(
            size_class < 0.6,
            rng.integers(2, 7, n),
            np.where(size_class < 0.9, rng.integers(7, 21, n), rng.integers(21, 61, n)),
        )
        kind = np.where(rng.random(n) < model.suite_share, UNIT_STE, UNIT_APT)
        if model.large_share:
            large = rng.random(n) < model.large_share
            units = np.where(large, rng.integers(*model.large_units, n), units)
            kind = np.where(large, UNIT_APT, kind)
        per_staircase = np.zeros(n, dtype=np.int64)
    elif model.unit_model == "gb":
        units = np.where(rng.random(n) < 0.8, rng.integers(2, 7, n), rng.integers(7, 31, n))
        kind = np.full(n, UNIT_FLAT)
        per_staircase = np.zeros(n, dtype=np.int64)
    else:
        staircases = rng.choice([1, 2, 3], size=n, p=[0.3, 0.45, 0.25])
        per_staircase = rng.integers(3, 10, n)
        units = staircases * per_staircase
        kind = np.full(n, UNIT_STAIRCASE)
    return lots.assign(
        n_units=np.where(multi, units, 1).astype(np.int64),
        unit_kind=np.where(multi, kind, UNIT_NONE).astype(np.int64),
        per_staircase=np.where(multi, per_staircase, 0).astype(np.int64),
    )


def _place_buildings(
    lots: pd.DataFrame, faces: pd.DataFrame, model: LotModel, rng: np.random.Generator
) -> pd.DataFrame:
    """A building rectangle inside each lot, set back from the street and the side lines."""
    n = len(lots)
    f = faces.iloc[lots["face"].to_numpy()]
    h, depth = f["h"].to_numpy(), f["depth"].to_numpy()
    multi = lots["multi"].to_numpy()
    front = rng.uniform(*model.front_setback, n)
    side = rng.uniform(*model.side_setback, n)
    building_depth = np.where(
        multi, rng.uniform(*model.multi_depth, n), rng.uniform(*model.single_depth, n)
    )
    building_depth = np.minimum(building_depth, depth - front - 2.0)
    return lots.assign(
        b_l=lots["s_l"] + side,
        b_r=lots["s_r"] - side,
        b_t0=h + front,
        b_t1=h + front + building_depth,
    )


def layout_locality(
    spec: LocalitySpec, model: LotModel, nx: int, ny: int, rng: np.random.Generator
) -> LocalityLayout:
    """Every lot a grid of `nx` x `ny` blocks (plus its diagonals) holds, numbered, with units."""
    b = _Builder()
    _grid(spec, nx, ny, b)
    corridors = _diagonals(spec, nx, ny, b)
    faces = pd.DataFrame(b.faces, columns=list(_FACE_COLUMNS))
    lots = _cut_lots(faces, model, rng)
    lots = _drop_overlaps(lots, faces, spec, corridors, nx, ny)
    lots = _number_lots(lots, faces, spec.numbering)
    lots = _split_lots(lots, model, rng)
    # The face's official number range, before any lot is left vacant (what geocoders use).
    lots["face_lo"] = lots.groupby("face")["hn_base"].transform("min")
    lots["face_hi"] = lots.groupby("face")["hn_base"].transform("max")
    centre = (lots["s_l"] + lots["s_r"]) / 2
    lots["face_s_lo"] = centre.groupby(lots["face"]).transform("min")
    lots["face_s_hi"] = centre.groupby(lots["face"]).transform("max")
    lots = _draw_units(lots, model, rng)
    lots = _place_buildings(lots, faces, model, rng)
    streets = pd.DataFrame(b.streets, columns=["directional", "name", "street_type"])
    roads = pd.DataFrame(b.roads, columns=["street", "x0", "y0", "x1", "y1", "diag"])
    dx, dy = spec.block_size
    return LocalityLayout(streets, roads, faces, lots, nx * dx, ny * dy)


def select_lots(lots: pd.DataFrame, target: int, rng: np.random.Generator) -> pd.DataFrame:
    """Lots holding exactly `target` addresses; the rest stay vacant (dropped).

    The last lot taken keeps only as many units as are still needed.
    """
    order = rng.permutation(len(lots))
    counts = lots["n_units"].to_numpy()[order]
    cumulative = np.cumsum(counts)
    if cumulative[-1] < target:
        raise ValueError(f"layout holds {cumulative[-1]} addresses, fewer than {target}")
    last = int(np.searchsorted(cumulative, target))
    chosen = lots.iloc[np.sort(order[: last + 1])].copy()
    needed = target - (int(cumulative[last - 1]) if last else 0)
    position = chosen.index.get_loc(lots.index[order[last]])
    n_units = chosen["n_units"].to_numpy().copy()
    n_units[position] = needed
    chosen["n_units"] = n_units
    if needed == 1:
        for column, value in (("multi", False), ("unit_kind", UNIT_NONE), ("per_staircase", 0)):
            values = chosen[column].to_numpy().copy()
            values[position] = value
            chosen[column] = values
    return chosen.reset_index(drop=True)


def addresses_of_lots(lots: pd.DataFrame) -> pd.DataFrame:
    """One row per address: each lot's units (or the lot itself), with canonical unit text."""
    n_units = lots["n_units"].to_numpy()
    lot = np.repeat(np.arange(len(lots)), n_units)
    index = np.arange(len(lot)) - (np.cumsum(n_units) - n_units)[lot]
    kind = lots["unit_kind"].to_numpy()[lot]
    per = np.maximum(lots["per_staircase"].to_numpy()[lot], 1)
    suite = (1 + index // _SUITES_PER_FLOOR) * 100 + index % _SUITES_PER_FLOOR
    flat = (1 + index // _FLATS_PER_FLOOR) * 100 + index % _FLATS_PER_FLOOR + 1
    floor_numbered = (kind == UNIT_APT) & (n_units[lot] >= _FLOOR_NUMBERED_FROM)
    unit_id = np.where(kind == UNIT_STE, suite, np.where(floor_numbered, flat, index + 1)).astype(
        str
    )
    letters = np.array([chr(ord("A") + s) for s in range(26)])
    letter = letters[np.minimum(index // per, 25)]
    prefix = np.where(
        kind == UNIT_APT,
        "APT ",
        np.where(
            kind == UNIT_STE,
            "STE ",
            np.where(kind == UNIT_FLAT, "FLAT ", np.char.add(letter, " ")),
        ),
    )
    none = kind == UNIT_NONE
    return pd.DataFrame(
        {
            "lot": lot,
            "unit_index": index,
            "unit_kind": kind,
            "unit_id": np.where(none, None, unit_id),
            "staircase": np.where(kind == UNIT_STAIRCASE, letter, None),
            "unit": np.where(none, None, np.char.add(prefix, unit_id)),
        }
    )
