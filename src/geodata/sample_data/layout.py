"""One locality's physical layout: street grid, diagonal streets, block faces and their lots.

Everything is in metres on the locality's own plane (origin at the grid's
south-west corner); `world` moves localities into place and projects them.
`lots` cuts the lots along the faces and builds on them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from geodata.sample_data.lots import LotModel, cut_lots, develop_lots, parcel_rings
from geodata.sample_data.vocabulary import FINNISH_NAME_PREFIXES, USPS_STREET_TYPES


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
    anchor: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    """(x, y, fx, fy): the grid point (fx * width, fy * height) sits at region point (x, y).
    Unused where `gap` places the town."""
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

    def block_face(street, road, origin, along, normal, block, offset) -> None:
        # A side of a grid block: lots between the cross streets' edges, back to its middle.
        length, across = (dx, dy) if along in (EAST, WEST) else (dy, dx)
        b.face(
            street=street,
            road=road,
            origin=origin,
            along=along,
            normal=normal,
            span=(hw, length - hw),
            setback=hw,
            depth=across / 2 - hw,
            block=block,
            offset=offset,
        )

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
                    origin = (xs[i], ys[row])
                    block_face(row_street[row], row_road[row][i], origin, EAST, normal, i, xs[i])
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
                block_face(street, col_road[c][j], origin, along, normal, block, offset)


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


def _drop_overlaps(
    lots: pd.DataFrame, faces: pd.DataFrame, spec: LocalitySpec, corridors, nx: int, ny: int
) -> pd.DataFrame:
    """Lots clear of every diagonal street's corridor (grid lots) or of grid streets (diagonal)."""
    if not corridors:
        return lots
    dx, dy = spec.block_size
    hw = spec.half_width
    width, height = nx * dx, ny * dy
    polygons = shapely.polygons(parcel_rings(lots, faces))
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


def layout_locality(
    spec: LocalitySpec, model: LotModel, nx: int, ny: int, rng: np.random.Generator
) -> LocalityLayout:
    """Every lot a grid of `nx` x `ny` blocks (plus its diagonals) holds, numbered, with units."""
    b = _Builder()
    _grid(spec, nx, ny, b)
    corridors = _diagonals(spec, nx, ny, b)
    faces = pd.DataFrame(b.faces, columns=list(_FACE_COLUMNS))
    lots = cut_lots(faces, model, rng)
    lots = _drop_overlaps(lots, faces, spec, corridors, nx, ny)
    lots = develop_lots(lots, faces, model, spec.numbering, rng)
    streets = pd.DataFrame(b.streets, columns=["directional", "name", "street_type"])
    roads = pd.DataFrame(b.roads, columns=["street", "x0", "y0", "x1", "y1", "diag"])
    dx, dy = spec.block_size
    return LocalityLayout(streets, roads, faces, lots, nx * dx, ny * dy)
