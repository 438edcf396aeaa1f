"""Ingest nodes: map a source's columns to canonical fields and validate its latest delivery."""

from __future__ import annotations

from functools import reduce

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from geodata.address.region import country_of_region, resolve_country
from geodata.datasets.deliveries import column_problems
from geodata.params import RunParams, SourceParams
from geodata.schemas import ADDRESS_FIELDS, MAPPED_SCHEMA, TEXT_FIELDS

_COORDINATE_FIELDS = ("lon", "lat")

REJECT_REASONS = (
    "invalid_delivery_date",
    "missing_record_id",
    "duplicate_record_id",
    "field_too_long",
    "invalid_text",
    "missing_coordinates",
    "invalid_coordinates",
    "null_island",
    "invalid_action",
)
"""Reason codes this stage gives to quarantined records, in the order they are checked."""

TEXT_CHECKED: tuple[str, ...] = (*TEXT_FIELDS, *(f"fix_{f}" for f in ADDRESS_FIELDS))
"""Mapped text fields checked for junk before normalization (which would clean it away)."""

MAX_FIELD_LENGTH = 200
"""Longest text one address field may hold. Street and place names in use stay well under
100 characters; twice that leaves room for the longest with a qualifier, while a field
holding a whole row, a document or a run-on of junk is far longer."""

MAX_FULL_ADDRESS_LENGTH = 500
"""Longest one-line address: house number, street, unit, locality, region, postcode and
country together, each well within `MAX_FIELD_LENGTH`."""

# Java regular expressions (Spark's `rlike`). Control characters other than tab and line
# breaks (which free-text exports carry as whitespace) are not text; U+FFFD is what a
# reader puts where bytes were not valid in the file's encoding, so the value is no
# longer what the source wrote.
_NOT_TEXT = r"[\p{Cc}&&[^\t\n\r]]|\x{FFFD}"
_LETTER_OR_DIGIT = r"[\p{L}\p{N}]"
# Sources write "-", "?", "..." or "—" where they have no value; normalization reads
# punctuation alone as an empty field, so such a placeholder costs no record. Text with
# neither a letter nor a digit that is not punctuation (symbols, invisible or
# private-use characters) is junk.
_PLACEHOLDER = r"^[\p{P}\p{Z}\s]*$"


class SourceColumnError(ValueError):
    """A source's delivery lacks a column its `columns:` block maps."""


_DATE_FORMATS = ("yyyyMMdd", "yyyy/M/d", "d.M.yyyy")
"""Ways files write a date besides ISO 8601's: compact, with slashes year first, and the
day first with dots (Finnish and most of Europe)."""


def _delivery_date(text: Column, source: SourceParams) -> Column:
    """A delivery date as files write it: ISO 8601 (a date or a timestamp), one of
    `_DATE_FORMATS`, or with slashes and the year last, the month first in a US source
    and the day first elsewhere (the other order where that cannot be a date, "25/10")."""
    slashes = ("M/d/yyyy", "d/M/yyyy")
    country, region = source.constants.get("country"), source.constants.get("region")
    in_us = (resolve_country(country) if country else region and country_of_region(region)) == "US"
    if not in_us:
        slashes = slashes[::-1]
    return F.coalesce(
        F.try_to_date(text),
        *[F.try_to_date(text, pattern) for pattern in (*_DATE_FORMATS, *slashes)],
    )


def _mapped_value(source: SourceParams, field: str) -> Column:
    if field in source.columns:
        value = F.col(f"`{source.columns[field]}`")
    elif field in source.constants:
        value = F.lit(source.constants[field])
    else:
        return F.lit(None).cast(MAPPED_SCHEMA[field].dataType)
    if field in _COORDINATE_FIELDS:
        # "60,1699": a decimal comma, as Finnish and most European locales print
        # decimals (a coordinate has no thousands to separate).
        text = F.trim(value.cast("string"))
        decimal_comma = text.rlike(r"^[+-]?\d{1,3},\d+$")
        return (
            F.when(decimal_comma, F.regexp_replace(text, ",", "."))
            .otherwise(text)
            .try_cast("double")
        )
    if field == "dt":
        return _delivery_date(F.trim(value.cast("string")), source)
    return F.nullif(F.trim(value.cast("string")), F.lit(""))


def map_source_records(
    raw: DataFrame, source: SourceParams, run: RunParams, *, source_name: str
) -> DataFrame:
    """Records of the source's latest delivery on or before `run.execution_dt`, canonically named.

    Rows in: every row of every delivery in `raw`. Rows out: each row of the
    chosen delivery (all rows when the source has no `dt` column; for a
    `kind: corrections` source every correction dated on or before the run
    date) plus rows whose date cannot be read, with the canonical columns of `MAPPED_SCHEMA`
    and `reject_reason` (null for valid records). Duplicate record ids keep one
    row (the smallest raw text) and reject the others.

    Raises:
        SourceColumnError: A mapped column is missing from the delivery, or (as a
            `geodata.datasets.deliveries.DeliveryDataset` notes) from some of its files,
            or a file holds it as another kind of type than the catalog declares.
    """
    missing = sorted(col for col in source.columns.values() if col not in raw.columns)
    if missing:
        raise SourceColumnError(
            f"source {source_name!r}: column(s) {missing} mapped in parameters "
            f"sources.{source_name}.columns are missing from its data "
            f"(columns present: {sorted(raw.columns)})"
        )
    _check_delivery_files(raw, source, source_name)
    fixed = {
        "source": F.lit(source_name),
        "geometry_accuracy": F.lit(source.geometry_accuracy),
        "priority": F.lit(source.priority),
        "raw": F.to_json(F.struct(*[F.col(f"`{c}`") for c in raw.columns])),
    }
    mapped = raw.select(
        *[
            fixed.get(field.name, _mapped_value(source, field.name))
            .cast(field.dataType)
            .alias(field.name)
            for field in MAPPED_SCHEMA.fields
        ]
    )
    delivered = _latest_delivery(mapped, source, run)
    return _with_reject_reason(delivered, source)


def _listed(files: list[str], count: int) -> str:
    more = f" and {count - len(files)} more" if count > len(files) else ""
    return f"{files}{more}"


def _check_delivery_files(raw: DataFrame, source: SourceParams, source_name: str) -> None:
    """Raise if the loaded delivery noted files that lack a mapped column or mistype it.

    Reads only the schema: a `DeliveryDataset` notes each file's problems in the column
    metadata when it loads; other DataFrames carry no notes.
    """
    problems = []
    for column in sorted(set(source.columns.values())):
        noted = column_problems(raw.schema[column])
        if noted is None:
            continue
        where = f"column {column!r} mapped in parameters sources.{source_name}.columns"
        if noted.missing_count:
            files = _listed(noted.missing_from, noted.missing_count)
            problems.append(f"{where} is missing from file(s) {files}")
        if noted.other_type_count:
            files = _listed(noted.other_type_in, noted.other_type_count)
            declared = raw.schema[column].dataType.simpleString()
            problems.append(f"{where} is not {declared} as declared in file(s) {files}")
    if problems:
        raise SourceColumnError(f"source {source_name!r}: " + "; ".join(problems))


def _latest_delivery(mapped: DataFrame, source: SourceParams, run: RunParams) -> DataFrame:
    if "dt" not in source.columns:
        return mapped
    run_dt = F.lit(run.execution_dt)
    unreadable = F.col("dt").isNull()
    if source.kind == "corrections":
        # Corrections are events, not snapshots: every one made by the run date counts.
        return mapped.where((F.col("dt") <= run_dt) | unreadable)
    # One row, whatever the data (null when no delivery is on or before the run date):
    # set beside every row, so that the delivery is read once more only for its date.
    latest = mapped.where(F.col("dt") <= run_dt).agg(F.max("dt").alias("delivery_dt"))
    return (
        mapped.crossJoin(F.broadcast(latest))
        .where((F.col("dt") == F.col("delivery_dt")) | unreadable)
        .drop("delivery_dt")
    )


def is_too_long(value: Column, max_length: int) -> Column:
    """Whether a text column holds more than `max_length` characters (null for null)."""
    return F.length(value) > max_length


def is_invalid_text(value: Column) -> Column:
    """Whether a text column holds junk (null for null).

    Junk holds a control character or U+FFFD (bytes lost to a wrong encoding), or has
    neither a letter nor a digit in any script and is not a punctuation placeholder;
    non-ASCII letters, `1/2`, `#`, `-` and apostrophes are text.
    """
    return value.rlike(_NOT_TEXT) | (~value.rlike(_LETTER_OR_DIGIT) & ~value.rlike(_PLACEHOLDER))


def _max_length(field: str) -> int:
    return MAX_FULL_ADDRESS_LENGTH if field == "full_address" else MAX_FIELD_LENGTH


def _any(conditions: list[Column]) -> Column:
    return reduce(lambda left, right: left | right, conditions)


def _point_problem(lon: Column, lat: Column) -> Column:
    """Why a record's point is unusable: `missing_coordinates`, `invalid_coordinates`
    (outside -90..90 / -180..180) or `null_island` (0, 0); null for a usable point."""
    return (
        F.when(lon.isNull() | lat.isNull() | F.isnan(lon) | F.isnan(lat), "missing_coordinates")
        .when((F.abs(lat) > 90) | (F.abs(lon) > 180), "invalid_coordinates")
        .when((F.abs(lat) < 1e-6) & (F.abs(lon) < 1e-6), "null_island")
    )


def _with_reject_reason(records: DataFrame, source: SourceParams) -> DataFrame:
    """The records with `reject_reason` (null for valid records).

    A correction is placed by its point, so one without a usable point is rejected
    for it. An address record without one (a geocoder that failed, a point typed
    with its axes swapped, a placeholder 0, 0) is still an address when its text is
    one: its point is dropped (its raw record keeps what was delivered) and it is
    conflated on its text; normalization rejects it if its text is no address
    either.
    """
    lon, lat = F.col("lon"), F.col("lat")
    point_problem = _point_problem(lon, lat)
    duplicate_rank = F.row_number().over(
        Window.partitionBy("source", "source_record_id").orderBy(F.col("raw").asc_nulls_last())
    )
    checks: list[tuple[Column, Column]] = [
        (F.col("dt").isNull() & F.lit("dt" in source.columns), F.lit("invalid_delivery_date")),
        (F.col("source_record_id").isNull(), F.lit("missing_record_id")),
        (duplicate_rank > 1, F.lit("duplicate_record_id")),
        # Judged on the mapped text, before normalization folds the junk away unseen.
        (
            _any([is_too_long(F.col(f), _max_length(f)) for f in TEXT_CHECKED]),
            F.lit("field_too_long"),
        ),
        (_any([is_invalid_text(F.col(f)) for f in TEXT_CHECKED]), F.lit("invalid_text")),
    ]
    if source.kind == "corrections":
        action = F.lower(F.col("action"))
        checks.append((point_problem.isNotNull(), point_problem))
        is_invalid_action = ~action.isin("add", "fix", "suppress") | action.isNull()
        checks.append((is_invalid_action, F.lit("invalid_action")))
    reason = reduce(
        lambda acc, check: acc.when(check[0], check[1]),
        checks[1:],
        F.when(checks[0][0], checks[0][1]),
    )
    result = records.withColumn("reject_reason", reason)
    if source.kind == "corrections":
        return result.withColumn("action", F.lower(F.col("action")))
    usable = point_problem.isNull()
    return result.withColumns({"lon": F.when(usable, lon), "lat": F.when(usable, lat)})


def combine_sources(*sources: DataFrame) -> DataFrame:
    """All sources' mapped records in one DataFrame (rows in = rows out)."""
    return reduce(DataFrame.unionByName, sources)
