"""Normalize nodes: parse and canonicalize every ingested record, split valid from rejected."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc
from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T
from pyspark.sql.pandas.types import to_arrow_schema

from geodata.address import NormalizedAddress, normalize_address
from geodata.checkpoints import checkpointed
from geodata.conflation.localities import post_towns, with_post_towns
from geodata.conflation.lost_units import (
    LETTERS_AND_UNITS_EVIDENCE,
    recover_lost_letters_and_units,
)
from geodata.conflation.named_buildings import (
    BUILDING_EVIDENCE,
    building_numbers,
    with_building_numbers,
)
from geodata.conflation.premises import PREMISE_EVIDENCE, premise_streets, with_premise_streets
from geodata.conflation.street_ends import STREET_END_EVIDENCE, street_ends, with_street_ends
from geodata.params import RunParams
from geodata.schemas import (
    ADDRESS_FIELDS,
    CANONICAL_SCHEMA,
    TEXT_FIELDS,
    UNKNOWN_COUNTRY,
    UNKNOWN_REGION,
)

# Every parsed field except the verdict, typed as in the canonical record (the
# building's name a British record writes beside its number is text, and is read by
# `with_what_the_region_tells` only).
_PARSED_FIELDS = tuple(
    (
        f.name,
        CANONICAL_SCHEMA[f.name].dataType if f.name in CANONICAL_SCHEMA.names else T.StringType(),
    )
    for f in dataclasses.fields(NormalizedAddress)
    if f.name != "reject_reason"
)
_INPUT_TEXT = TEXT_FIELDS
_TEXT_COLUMNS = (*_INPUT_TEXT, *[f"fix_{name}" for name in ADDRESS_FIELDS])
"""Columns parsed in Python; the fix columns are replaced by their normalized values."""


def _normalize_texts(
    texts: dict[str, list[str | None]], has_point: list[bool] | None = None
) -> dict[str, list]:
    """Parsed fields, normalized fix values and the verdict for each record of a batch.

    Args:
        texts: The batch's text columns (`TEXT_FIELDS` and `fix_<field>`) as lists.
        has_point: Per record, whether it has a point (all False when not given).

    Returns:
        One list per `_PARSED_FIELDS` name, per `fix_<field>` and `normalize_reason`.
    """
    columns: dict[str, list] = {name: [] for name, _ in _PARSED_FIELDS}
    fixes: dict[str, list] = {f"fix_{name}": [] for name in ADDRESS_FIELDS}
    reasons = []
    fix_columns = [texts[f"fix_{name}"] for name in ADDRESS_FIELDS]
    rows = zip(*(texts[name] for name in _INPUT_TEXT), strict=True)
    if has_point is None:
        has_point = [False] * len(fix_columns[0])
    for row, given_fixes, point in zip(
        rows, zip(*fix_columns, strict=True), has_point, strict=True
    ):
        parsed = normalize_address(**dict(zip(_INPUT_TEXT, row, strict=True)), has_point=point)
        for name, _ in _PARSED_FIELDS:
            columns[name].append(getattr(parsed, name))
        reasons.append(parsed.reject_reason)
        if any(given_fixes):
            given = dict(zip(ADDRESS_FIELDS, given_fixes, strict=True))
            # Fix values are canonicalized in the context of the target address so
            # that, e.g., a new unit "4" becomes "# 4" exactly as a source's would.
            fixed = normalize_address(
                house_number=given["house_number"] or parsed.house_number,
                street=given["street"] or parsed.street,
                unit=given["unit"] or parsed.unit,
                locality=given["locality"] or parsed.locality,
                region=parsed.iso_3166_2,
                postcode=given["postcode"] or parsed.postcode,
                country=parsed.iso_3166_1,
                full_address=None,
            )
            for name in ADDRESS_FIELDS:
                fixes[f"fix_{name}"].append(getattr(fixed, name) if given[name] else None)
        else:
            for name in ADDRESS_FIELDS:
                fixes[f"fix_{name}"].append(None)
    return {**columns, **fixes, "normalize_reason": reasons}


COUNTRYLESS_TEXT = "countryless_text"
"""The text fields as given, kept for a record whose country is unknown, so that it is
parsed again by its country's rules once its neighbours place it
(`reparsed_in_placed_country`); null for every other record."""

_COUNTRYLESS_TYPE = T.StructType([T.StructField(n, T.StringType(), True) for n in _INPUT_TEXT])


def _strings(column: pa.Array) -> list[str | None]:
    """A column's values as Python strings (None for nulls)."""
    if not pa.types.is_string(column.type):
        column = column.cast(pa.string())
    return column.to_pylist()


def _has_point(batch: pa.RecordBatch) -> pa.Array:
    """Per record, whether it has a point (the ingest keeps only usable ones: a point
    off the globe or at 0, 0 is dropped)."""
    return pc.and_(batch.column("lat").is_valid(), batch.column("lon").is_valid())


def _batch_with(
    batch: pa.RecordBatch, values: dict[str, list | pa.Array], schema: pa.Schema
) -> pa.RecordBatch:
    """`batch` in `schema`, with the columns in `values` (Arrow arrays, or lists typed
    by the schema) replacing or adding to its own."""
    arrays = [
        values[field.name]
        if isinstance(values.get(field.name), pa.Array)
        else pa.array(values[field.name], type=field.type)
        if field.name in values
        else batch.column(field.name)
        for field in schema
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _normalize_batch(batch: pa.RecordBatch, out_schema: pa.Schema) -> pa.RecordBatch:
    """One Arrow batch of mapped records with its text replaced by canonical fields.

    Only the text columns become Python values; the others (ids, points, the raw
    record) pass through as Arrow arrays, untouched.
    """
    texts = {name: _strings(batch.column(name)) for name in _TEXT_COLUMNS}
    parsed = _normalize_texts(texts, _has_point(batch).to_pylist())
    # Only a record without a country keeps its text: the others carry nulls, which
    # cost nothing to write and read back.
    countryless = [country is None for country in parsed["iso_3166_1"]]
    struct_type = out_schema.field(COUNTRYLESS_TEXT).type
    if any(countryless):
        parsed[COUNTRYLESS_TEXT] = pa.StructArray.from_arrays(
            [
                pa.array(
                    [v if kept else None for v, kept in zip(texts[name], countryless, strict=True)],
                    type=pa.string(),
                )
                for name in _INPUT_TEXT
            ],
            fields=list(struct_type),
            mask=pa.array([not kept for kept in countryless]),
        )
    else:
        parsed[COUNTRYLESS_TEXT] = pa.nulls(len(countryless), type=struct_type)
    return _batch_with(batch, parsed, out_schema)


def _reparse_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """`reparsed_in_placed_country` on one Arrow batch (same schema out)."""
    texts = batch.column(COUNTRYLESS_TEXT)
    given = {name: texts.field(name).to_pylist() for name in _INPUT_TEXT}
    valid = texts.is_valid().to_pylist()
    countries = batch.column("iso_3166_1").to_pylist()
    regions = batch.column("iso_3166_2").to_pylist()
    reasons = batch.column("reason").to_pylist()
    points = _has_point(batch).to_pylist()
    columns = {name: batch.column(name).to_pylist() for name, _ in _PARSED_FIELDS}
    for i, kept in enumerate(valid):
        if not kept or countries[i] is None or reasons[i] is not None:
            continue
        fields = {name: given[name][i] for name in _INPUT_TEXT}
        again = normalize_address(
            **{**fields, "country": countries[i], "region": regions[i]}, has_point=points[i]
        )
        if again.reject_reason is None:
            for name, _ in _PARSED_FIELDS:
                columns[name][i] = getattr(again, name)
    return _batch_with(batch, columns, batch.schema)


def reparsed_in_placed_country(placed: DataFrame) -> DataFrame:
    """Records placed in a country by their neighbours, parsed again by its rules.

    A record without a country is parsed by no country's conventions ("FLAT 1 46
    KING AVENUE" reads as number 1 of FLAT); once `with_regions_from_neighbours`
    has placed it, its text as given (`COUNTRYLESS_TEXT`) is parsed with the
    country and region it was placed in. The new parse replaces the old unless it
    rejects the record. Other rows pass unchanged.
    """

    def reparse(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            yield _reparse_batch(batch)

    return placed.mapInArrow(reparse, placed.schema)


NEIGHBOURHOOD_CELL_DEG = 0.02
"""Grid cell (about 2 km north-south); a record's neighbourhood is its cell and the
eight around it."""

NEIGHBOURHOOD_REGION_SHARE = 0.9
"""Share of a neighbourhood's records that must lie in one region for it to be the
neighbourhood's."""

_AROUND = [(dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)]


def _around() -> Column:
    """One row per cell of a 3x3 neighbourhood: its row and column offsets `dr`, `dc`."""
    return F.explode(
        F.array(*[F.struct(F.lit(dr).alias("dr"), F.lit(dc).alias("dc")) for dr, dc in _AROUND])
    )


SWAPPED_POINT_NEIGHBOURS = 5
"""Records of the country around a swapped-back point for the swap to be believed."""

SWAPPED_POINT_RATIO = 10
"""How many times more of the country's records must lie around the swapped-back point
than around the point as written (an order of magnitude)."""


def neighbourhood_cells(normalized: DataFrame) -> DataFrame:
    """`iso_3166_1`, `_row`, `_col`, `iso_3166_2`, `source`, `_n`: how many valid
    records with a point lie in each grid cell of `NEIGHBOURHOOD_CELL_DEG`, per region
    and source, their points as written (few rows: one per occupied cell, region and
    source).

    Both the swapped points and the regions from neighbours count these, so a run
    counts them once: records whose points are swapped back are counted where
    written, far from the others (which is how they are found).
    """
    return (
        normalized.where(F.col("reason").isNull() & F.col("lat").isNotNull())
        .groupBy(
            "iso_3166_1",
            F.floor(F.col("lat") / NEIGHBOURHOOD_CELL_DEG).alias("_row"),
            F.floor(F.col("lon") / NEIGHBOURHOOD_CELL_DEG).alias("_col"),
            "iso_3166_2",
            "source",
        )
        .agg(F.count("*").alias("_n"))
    )


def _neighbourhood_counts(cells: DataFrame, *by: str) -> DataFrame:
    """`iso_3166_1`, `_row`, `_col`, the `by` columns and `_n`: per grid cell, how many
    of the records counted in `cells` (`neighbourhood_cells`) lie in it and the eight
    cells around it."""
    return (
        cells.select("iso_3166_1", "_row", "_col", *by, "_n", _around().alias("_d"))
        .groupBy(
            "iso_3166_1",
            (F.col("_row") + F.col("_d.dr")).alias("_row"),
            (F.col("_col") + F.col("_d.dc")).alias("_col"),
            *by,
        )
        .agg(F.sum("_n").alias("_n"))
    )


def with_swapped_points_restored(normalized: DataFrame, cells: DataFrame) -> DataFrame:
    """Points written with latitude and longitude swapped, swapped back.

    A point with its axes swapped is still a valid point when the longitude is
    under 90° (British and Finnish addresses), far from where the address is. A
    record is taken to have swapped them when at least `SWAPPED_POINT_NEIGHBOURS`
    valid records of its country lie around the swapped point (its grid cell of
    `NEIGHBOURHOOD_CELL_DEG` and the eight around it), and `SWAPPED_POINT_RATIO`
    times more than around the point as written; or when the same holds of the
    records of the other sources alone, and more records in all lie around the
    swapped-back point than around the point as written. A source that swaps many points puts
    them together, far from everyone else's: around such a point lie its own
    source's other swapped points, which say nothing of where addresses are. A
    lone rural address has no neighbours where its swapped point would be, and
    keeps its point.

    Args:
        normalized: Parsed records with `reason` (null when valid), `iso_3166_1`,
            `lat`, `lon`, `source`.
        cells: `neighbourhood_cells` of the records.

    Returns:
        The same rows and columns, with `lat` and `lon` swapped for those records
        (valid ones, and those of a known country without a region).
    """
    # Only valid records count as neighbours; the counts are one row per occupied
    # cell (and source), so they are broadcast and the records are not shuffled.
    counts = _neighbourhood_counts(cells)
    by_source = _neighbourhood_counts(cells, "source")
    row, column = (F.floor(F.col(c) / NEIGHBOURHOOD_CELL_DEG) for c in ("lat", "lon"))
    swapped_row, swapped_column = (
        F.floor(F.col(c) / NEIGHBOURHOOD_CELL_DEG) for c in ("lon", "lat")
    )
    keyed = normalized.withColumns(
        {
            "_own_row": row,
            "_own_col": column,
            "_sw_row": F.when(F.abs(F.col("lon")) <= 90, swapped_row),
            "_sw_col": F.when(F.abs(F.col("lon")) <= 90, swapped_column),
        }
    )
    joined = keyed
    for at in ("own", "sw"):
        # All the country's records around the point, and its own source's.
        cell = {"_row": f"_{at}_row", "_col": f"_{at}_col"}
        joined = joined.join(
            F.broadcast(counts.withColumnsRenamed({**cell, "_n": f"_{at}_n"})),
            ["iso_3166_1", *cell.values()],
            "left",
        ).join(
            F.broadcast(by_source.withColumnsRenamed({**cell, "_n": f"_{at}_source_n"})),
            ["iso_3166_1", *cell.values(), "source"],
            "left",
        )
    own_n, swapped_n, own_source_n, swapped_source_n = (
        F.coalesce(name, F.lit(0)) for name in ("_own_n", "_sw_n", "_own_source_n", "_sw_source_n")
    )

    def more_around_swapped(own: Column, swapped: Column) -> Column:
        return (swapped >= SWAPPED_POINT_NEIGHBOURS) & (own * SWAPPED_POINT_RATIO < swapped)

    # A record of a known country without its region is placed by its point next
    # (`with_regions_from_neighbours`): its point is put back first.
    placeable = F.col("reason").isNull() | (F.col("reason") == "unknown_region")
    swap = placeable & (
        more_around_swapped(own_n, swapped_n)
        # (More records in all around the swapped-back point: where two sources each
        # lie where the other's swapped points would, the larger is where addresses are.)
        | (
            (swapped_n > own_n)
            & more_around_swapped(own_n - own_source_n, swapped_n - swapped_source_n)
        )
    )
    return joined.select(
        *[
            F.when(swap, F.col("lon" if name == "lat" else "lat"))
            .otherwise(F.col(name))
            .alias(name)
            if name in ("lat", "lon")
            else F.col(name)
            for name in normalized.columns
        ]
    )


def _share_of_region(counts: DataFrame) -> DataFrame:
    """`_id`, `_region` for the records whose neighbours (`_id`, `iso_3166_2`, `_n`) lie at
    least `NEIGHBOURHOOD_REGION_SHARE` in one region."""
    record = Window.partitionBy("_id")
    return (
        counts.withColumn("_share", F.col("_n") / F.sum("_n").over(record))
        .where(F.col("_share") >= NEIGHBOURHOOD_REGION_SHARE)
        .select("_id", F.col("iso_3166_2").alias("_region"))
    )


def with_regions_from_neighbours(normalized: DataFrame, cells: DataFrame) -> DataFrame:
    """Records rejected only for an unknown region or country, placed where their
    neighbours are.

    A source's region column may be empty or unreadable ("Calif."), and some
    files name no country at all: the record lies in the region of the addresses
    around it. Its neighbours are the valid records around its point (its grid
    cell of `NEIGHBOURHOOD_CELL_DEG` and the eight around it; of its own country
    when it names one), else, for a record without a point or whose neighbourhood
    tells no region, those with its postcode, else those with its locality, else
    those on its street (the street's phonetic key). Its region is the one at least
    `NEIGHBOURHOOD_REGION_SHARE` of its neighbours lie in (a neighbourhood across
    a border, or a town or street name that many regions have, tells none), and
    its country that region's. A placed record is valid (no reason comes after
    the region's); one whose neighbours tell no region stays rejected. A record
    placed in a country it did not name is parsed again by that country's rules
    (`reparsed_in_placed_country`) when the rows carry `COUNTRYLESS_TEXT`.

    Args:
        normalized: Parsed records with `reason` (null when valid), `iso_3166_1`,
            `iso_3166_2`, `lat`, `lon`, `postcode`, `locality`, `street_phonetic`.
        cells: `neighbourhood_cells` of the records.

    Returns:
        The same rows and columns, with `iso_3166_1`, `iso_3166_2` and `reason` set
        for the records placed.
    """
    row = F.floor(F.col("lat") / NEIGHBOURHOOD_CELL_DEG)
    column = F.floor(F.col("lon") / NEIGHBOURHOOD_CELL_DEG)
    valid = normalized.where(F.col("reason").isNull())
    keys = ("postcode", "locality", "street_phonetic")
    # Postcodes, localities and streets are counted together once: summed per key below.
    places = valid.groupBy("iso_3166_1", *keys, "iso_3166_2").agg(F.count("*").alias("_n"))
    is_unplaced = F.col("reason").isin("unknown_region", "unknown_country")
    # Only the (few) records to place are joined, read once (checkpointed) for the
    # four ways of placing them; the others pass through unshuffled.
    unplaced = normalized.where(is_unplaced)
    others = normalized.where(~F.coalesce(is_unplaced, F.lit(False)))
    keyed = unplaced.withColumn("_id", F.monotonically_increasing_id()).transform(checkpointed)
    # A record that names its country meets that country's records only.
    same_country = F.col("_country").isNull() | (F.col("_country") == F.col("iso_3166_1"))
    around = _around()
    near = (
        keyed.where(F.col("lat").isNotNull() & F.col("lon").isNotNull())
        .select(
            "_id",
            F.col("iso_3166_1").alias("_country"),
            around.alias("_d"),
            row.alias("_r0"),
            column.alias("_c0"),
        )
        .select(
            "_id",
            "_country",
            (F.col("_r0") + F.col("_d.dr")).alias("_row"),
            (F.col("_c0") + F.col("_d.dc")).alias("_col"),
        )
        .join(F.broadcast(cells), ["_row", "_col"])
        .where(same_country)
        .groupBy("_id", "iso_3166_2")
        .agg(F.sum("_n").alias("_n"))
    )
    by_name = [
        keyed.where(F.col(key).isNotNull())
        .select("_id", F.col("iso_3166_1").alias("_country"), key)
        .join(places.where(F.col(key).isNotNull()), key)
        .where(same_country)
        .groupBy("_id", "iso_3166_2")
        .agg(F.sum("_n").alias("_n"))
        for key in keys
    ]
    found = [_share_of_region(counts) for counts in (near, *by_name)]
    located = keyed
    for rank, regions in enumerate(found):
        located = located.join(
            regions.withColumnRenamed("_region", f"_region{rank}"), "_id", "left"
        )
    region = F.coalesce(*[F.col(f"_region{rank}") for rank in range(len(found))])
    # An ISO 3166-2 code begins with its country's ISO 3166-1 code.
    country = F.split(F.col("_region"), "-").getItem(0)
    placed = located.withColumn("_region", region).select(
        *[
            F.coalesce("_region", "iso_3166_2").alias("iso_3166_2")
            if name == "iso_3166_2"
            else F.coalesce("iso_3166_1", country).alias("iso_3166_1")
            if name == "iso_3166_1"
            else F.when(F.col("_region").isNull(), F.col("reason")).alias("reason")
            if name == "reason"
            else F.col(name)
            for name in normalized.columns
        ]
    )
    if COUNTRYLESS_TEXT in normalized.columns:
        placed = reparsed_in_placed_country(placed)
    # Few rows, read by both of the node's outputs: placed once.
    return others.unionByName(placed.transform(checkpointed))


SHARED_POINT_STREETS = 3
"""Streets whose records one source puts at one point for it to be a centroid."""

SHARED_POINT_ACCURACY = "postal"
"""The geometry accuracy of a point a source shares between streets."""


SHARED_POINT_EVIDENCE = ("source", "lat", "lon", "street_base", "geometry_accuracy")
"""The columns `shared_points` reads."""


def shared_points(records: DataFrame) -> DataFrame:
    """`source`, `lat`, `lon`, `_shared`: the points a source shares between streets
    (`with_shared_points_coarse`), one row per point (a few per postcode or town at most).

    Args:
        records: Canonical records, or just their `SHARED_POINT_EVIDENCE`.
    """
    return (
        records.where(
            F.col("lat").isNotNull()
            & F.col("street_base").isNotNull()
            & ~F.col("geometry_accuracy").eqNullSafe(SHARED_POINT_ACCURACY)
        )
        .groupBy("source", "lat", "lon")
        .agg(F.countDistinct("street_base").alias("_streets"))
        .where(F.col("_streets") >= SHARED_POINT_STREETS)
        .select("source", "lat", "lon", F.lit(True).alias("_shared"))
    )


def with_shared_points_coarse(records: DataFrame, shared: DataFrame) -> DataFrame:
    """Records whose source puts addresses of several streets at one point, as coarse.

    A geocoder that finds only the postcode or the town places the address at
    that area's centre, and some sources still label such a point as their usual
    accuracy ("parcel"). A point is a rooftop, an entrance or a parcel of one
    address, of a building's flats, or of a corner lot's two streets; when one
    source puts records of `SHARED_POINT_STREETS` or more different streets at
    exactly one point, it is the centre of an area, and those records' geometry
    accuracy becomes `SHARED_POINT_ACCURACY`: their distance is no evidence, no
    parcel or building is assigned to it, and survivorship prefers other points.

    Args:
        records: Canonical records (`source`, `lat`, `lon`, `street_base`,
            `geometry_accuracy`).
        shared: `shared_points` of the records.

    Returns:
        The same rows and columns.
    """
    # One row per shared point: broadcast, so that the wide records are not shuffled to
    # meet them.
    return (
        records.join(F.broadcast(shared), ["source", "lat", "lon"], "left")
        .withColumn(
            "geometry_accuracy",
            F.when(F.col("_shared"), F.lit(SHARED_POINT_ACCURACY)).otherwise(
                F.col("geometry_accuracy")
            ),
        )
        .select(*records.columns)
    )


_REGION_EVIDENCE = tuple(
    dict.fromkeys(
        [
            *STREET_END_EVIDENCE,
            *SHARED_POINT_EVIDENCE,
            "iso_3166_2",
            "locality",
            *LETTERS_AND_UNITS_EVIDENCE,
            *BUILDING_EVIDENCE,
            *PREMISE_EVIDENCE,
        ]
    )
)
"""The columns the corrections of `with_what_the_region_tells` decide on."""


def with_what_the_region_tells(records: DataFrame) -> DataFrame:
    """Valid records corrected by what the region's other records show: where a street
    ends and its locality begins (`geodata.conflation.street_ends`), a house's name
    run into its street (`geodata.conflation.premises`), the number of a
    building a record names alone (`geodata.conflation.named_buildings`), points a
    source shares between streets as coarse (`with_shared_points_coarse`), a dependent
    locality run together with its post town (`geodata.conflation.localities`), and
    house letters and units a source lost (`geodata.conflation.lost_units`).

    Each correction decides on a few narrow columns, so they are read from the wide
    records once, kept, and every decision is made from them (the others from the
    streets and localities as cut again); the records are then read once more, as
    they are written, through one broadcast join per correction.

    Args:
        records: Canonical records, and the `building_name` their parse left out.

    Returns:
        The same rows and columns.
    """
    evidence = records.select(*_REGION_EVIDENCE).transform(checkpointed)
    ends = street_ends(evidence).transform(checkpointed)
    if not ends.isEmpty():  # a few rows, kept: most regions' lines say where streets end
        # The other corrections decide on the streets and localities as cut again.
        evidence = with_street_ends(evidence, ends)
        records = with_street_ends(records, ends)
    premises = premise_streets(evidence).transform(checkpointed)
    if not premises.isEmpty():  # a few rows, kept: British houses named before streets
        # A premise found may then take its building's number.
        evidence = with_premise_streets(evidence, premises)
        records = with_premise_streets(records, premises)
    numbers = building_numbers(evidence).transform(checkpointed)
    if not numbers.isEmpty():  # a few rows, kept: only British records name buildings
        # Units and letters are then judged on the buildings' numbers.
        evidence = with_building_numbers(evidence, numbers)
        records = with_building_numbers(records, numbers)
    shared = shared_points(evidence).transform(checkpointed)
    towns = post_towns(evidence).transform(checkpointed)
    return recover_lost_letters_and_units(
        with_post_towns(with_shared_points_coarse(records, shared), towns), evidence
    )


def normalize_records(records: DataFrame, run: RunParams) -> tuple[DataFrame, DataFrame]:
    """Canonical address records of the run's scope, and the records rejected so far.

    Rows in: every ingested record (with the ingest `reject_reason`). Rows out:
    each record in the run's country/region scope goes to exactly one output:
    valid ones to the first (`CANONICAL_SCHEMA`), rejected ones (ingest or
    normalization reason) to the second as quarantine rows. Rejected records
    whose region cannot be determined are kept under region `ZZ-ZZ`. Before they
    are written, valid records are corrected by what the other records around
    them show: points with swapped axes (`with_swapped_points_restored`), the
    region of a record without one (`with_regions_from_neighbours`), points a
    source shares between streets (`with_shared_points_coarse`), a dependent
    locality run together with its post town (`geodata.conflation.localities`),
    and house letters and units a source lost (`geodata.conflation.house_letters`,
    `geodata.conflation.lost_units`).
    """
    passthrough = [f for f in records.schema.fields if f.name not in _INPUT_TEXT]
    passthrough = [f for f in passthrough if not f.name.startswith("fix_")]
    out_schema = T.StructType(
        [
            *passthrough,
            *[T.StructField(n, t, True) for n, t in _PARSED_FIELDS],
            *[T.StructField(f"fix_{n}", T.StringType(), True) for n in ADDRESS_FIELDS],
            T.StructField("normalize_reason", T.StringType(), True),
            T.StructField(COUNTRYLESS_TEXT, _COUNTRYLESS_TYPE, True),
        ]
    )

    arrow_schema = to_arrow_schema(out_schema)

    def normalize_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            yield _normalize_batch(batch, arrow_schema)

    normalized = records.mapInArrow(normalize_batches, out_schema)
    reason = F.coalesce(F.col("reject_reason"), F.col("normalize_reason"))
    if run.country_filter:
        normalized = normalized.where(
            F.col("iso_3166_1").isNull() | (F.col("iso_3166_1") == run.country_filter)
        )
    # Both outputs are read from one parse of the records, checkpointed to local disk
    # as the neighbourhoods are counted (the parse's job), read back for each output.
    # The neighbourhood counts are small and read by both corrections: counted once.
    parsed = normalized.withColumn("reason", reason).localCheckpoint(
        eager=False, storageLevel=StorageLevel.DISK_ONLY
    )
    cells = neighbourhood_cells(parsed).transform(checkpointed)
    normalized = with_regions_from_neighbours(with_swapped_points_restored(parsed, cells), cells)
    if run.iso_3166_2:
        normalized = normalized.where(
            F.col("iso_3166_2").isNull() | (F.col("iso_3166_2") == run.iso_3166_2)
        )
    # What the region's records tell is put back here, where the records are written
    # anyway: the evidence is a few columns of every valid record of the region (kept
    # once, then aggregated), each change a broadcast join.
    valid = with_what_the_region_tells(
        normalized.where(F.col("reason").isNull()).select(
            *[F.col(f.name).cast(f.dataType) for f in CANONICAL_SCHEMA.fields], "building_name"
        )
    ).drop("building_name")
    rejected = normalized.where(F.col("reason").isNotNull()).select(
        "source",
        "source_record_id",
        "reason",
        "raw",
        F.coalesce("iso_3166_1", F.lit(UNKNOWN_COUNTRY)).alias("iso_3166_1"),
        F.when(F.col("iso_3166_1").isNull(), F.lit(UNKNOWN_REGION))
        .otherwise(F.coalesce("iso_3166_2", F.concat(F.col("iso_3166_1"), F.lit("-ZZ"))))
        .alias("iso_3166_2"),
    )
    return valid, rejected
