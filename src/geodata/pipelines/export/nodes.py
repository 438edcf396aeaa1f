"""Export nodes: shape the conflated data into the output contracts and report on the run."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from functools import reduce
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from geodata.conflation.comparisons import ScoringParams
from geodata.params import ExportParams, RunParams
from geodata.reporting import figures
from geodata.schemas import (
    ADDRESS_LINEAGE_SCHEMA,
    CONFLATED_ADDRESSES_SCHEMA,
    QUARANTINE_SCHEMA,
    RunTables,
)


def _conform(data: DataFrame, schema: T.StructType, run: RunParams) -> DataFrame:
    """`data` with the run's `execution_dt`, as the columns and types of `schema`, in order."""
    with_dt = data.withColumn("execution_dt", F.lit(run.execution_dt))
    return with_dt.select(*[F.col(f.name).cast(f.dataType) for f in schema.fields])


def run_scope(run: RunParams) -> dict[str, str | None]:
    """The output partitions a run answers for: its date, and its country and region filters."""
    return {
        "execution_dt": run.execution_dt.isoformat(),
        "iso_3166_1": run.country_filter or None,
        "iso_3166_2": run.iso_3166_2 or None,
    }


def build_output_tables(
    addresses: DataFrame,
    lineage: DataFrame,
    normalize_rejected: DataFrame,
    conflate_rejected: DataFrame,
    run_report: dict[str, Any],
    run: RunParams,
    export: ExportParams,
) -> RunTables:
    """The run's rows of `conflated_addresses`, `address_lineage` and `quarantine`, its
    CSV export and its report: everything a run publishes, together.

    Rows in: conflated addresses, their lineage and the records rejected by
    normalize and conflate; the run report. Out: the three tables' rows with the
    run's `execution_dt`, in the output tables' column order and types, with the
    run's scope (the partitions in scope the run left without rows, a region whose
    sources delivered nothing, are emptied), and the files published with them:
    `run_report`, and `conflated_addresses_csv` when `export.csv_enabled`.
    """
    quarantine = normalize_rejected.unionByName(conflate_rejected)
    files: dict[str, Any] = {"run_report": run_report}
    if export.csv_enabled:
        files["conflated_addresses_csv"] = build_csv_export(addresses, run)
    return RunTables(
        tables={
            "conflated_addresses": _conform(addresses, CONFLATED_ADDRESSES_SCHEMA, run),
            "address_lineage": _conform(lineage, ADDRESS_LINEAGE_SCHEMA, run),
            "quarantine": _conform(quarantine, QUARANTINE_SCHEMA, run),
        },
        scope=run_scope(run),
        files=files,
    )


def build_csv_export(addresses: DataFrame, run: RunParams) -> DataFrame:
    """The run's conflated addresses as CSV-writable rows.

    Rows in: conflated addresses. Rows out: the `conflated_addresses` rows with
    `sources` joined by `;` and `provenance` as JSON (CSV has no arrays or maps).
    """
    conflated = _conform(addresses, CONFLATED_ADDRESSES_SCHEMA, run)
    return conflated.withColumn("sources", F.array_join("sources", ";")).withColumn(
        "provenance", F.to_json("provenance")
    )


def _counts(frame: DataFrame, *keys: str) -> dict[str, int]:
    rows = frame.groupBy(*keys).count().collect()  # bounded: one row per key combination
    return {"/".join(str(r[k]) for k in keys): int(r["count"]) for r in rows}


def _counts_by_source(
    frames: dict[str, DataFrame], reasons: tuple[str, ...]
) -> dict[str, dict[tuple[str, str | None], int]]:
    """Rows per `source` (and `reason`, for the frames named in `reasons`) of each frame,
    counted in one aggregation over their union: one action instead of one per frame."""
    tagged = [
        frame.select(
            F.lit(name).alias("_frame"),
            F.col("source").cast("string").alias("source"),
            (F.col("reason") if name in reasons else F.lit(None)).cast("string").alias("reason"),
        )
        for name, frame in frames.items()
    ]
    counts: dict[str, dict[tuple[str, str | None], int]] = {name: {} for name in frames}
    union = reduce(DataFrame.unionByName, tagged)
    # bounded: one row per frame, source and reason
    for row in union.groupBy("_frame", "source", "reason").count().collect():
        counts[row["_frame"]][(str(row["source"]), row["reason"])] = int(row["count"])
    return counts


def _by_source(counts: Mapping[tuple[str, str | None], int]) -> dict[str, int]:
    """`_counts_by_source` entries summed per source."""
    totals: Counter[str] = Counter()
    for (source, _reason), count in counts.items():
        totals[source] += count
    return dict(totals)


CONFIDENCE_BINS = 20


def _confidence_histogram(conflated: DataFrame) -> dict[str, int]:
    """Addresses per confidence bin of width 1/CONFIDENCE_BINS, keyed by the bin's start."""
    bin_index = F.least(
        F.floor(F.col("confidence") * CONFIDENCE_BINS), F.lit(CONFIDENCE_BINS - 1)
    ).cast("int")
    counts = _counts(conflated.select(bin_index.alias("bin")), "bin")
    return {f"{i / CONFIDENCE_BINS:.2f}": counts.get(str(i), 0) for i in range(CONFIDENCE_BINS)}


def _survivorship_wins(conflated: DataFrame) -> dict[str, dict[str, int]]:
    """Per source, how many output addresses took each field from it (the provenance)."""
    winners = conflated.select(F.explode("provenance").alias("field", "source"))
    wins: dict[str, dict[str, int]] = {}
    for key, count in _counts(winners, "source", "field").items():
        source, field = key.split("/", 1)
        wins.setdefault(source, {})[field] = count
    return wins


def _source_pair_merges(lineage: DataFrame) -> dict[str, int]:
    """Addresses holding records of both sources of a pair (`a/b`, a < b), and of one twice.

    `a/a` counts the addresses that merged two or more records of source `a`.
    """
    per_source = lineage.groupBy("address_id", "source").agg(F.count("*").alias("records"))
    left, right = per_source.alias("left"), per_source.alias("right")
    across = left.join(
        right,
        (F.col("left.address_id") == F.col("right.address_id"))
        & (F.col("left.source") < F.col("right.source")),
    ).select(F.col("left.source").alias("a"), F.col("right.source").alias("b"))
    within = per_source.where(F.col("records") > 1).select(
        F.col("source").alias("a"), F.col("source").alias("b")
    )
    return _counts(across.unionByName(within), "a", "b")


def build_run_report(
    ingested: DataFrame,
    normalized: DataFrame,
    normalize_rejected: DataFrame,
    conflate_rejected: DataFrame,
    scored_pairs: DataFrame,
    conflated: DataFrame,
    lineage: DataFrame,
    run: RunParams,
    export: ExportParams,
    scoring: ScoringParams,
) -> dict[str, Any]:
    """Counts per source and stage, merge statistics, quarantine reasons and row accounting.

    Rows in: each stage's output. Out: a JSON-able dict. Every in-scope record
    (normalized or rejected by normalize) must end in exactly one of lineage or
    quarantine: `accounting.balanced` says whether the counts per source agree.
    """
    # Every count by source (and quarantine reason) in one pass over the stages' rows.
    by_source = _counts_by_source(
        {
            "ingested": ingested,
            "normalized": normalized,
            "normalize_rejected": normalize_rejected,
            "conflate_rejected": conflate_rejected,
            "lineage": lineage,
        },
        reasons=("normalize_rejected", "conflate_rejected"),
    )
    ingested_by_source = _by_source(by_source["ingested"])
    normalized_by_source = _by_source(by_source["normalized"])
    normalize_rejected_by_source = _by_source(by_source["normalize_rejected"])
    lineage_by_source = _by_source(by_source["lineage"])
    quarantine_reasons = Counter(by_source["normalize_rejected"])
    quarantine_reasons.update(by_source["conflate_rejected"])
    quarantine_by_source = _by_source(quarantine_reasons)
    sources = sorted(set(ingested_by_source) | set(lineage_by_source) | set(quarantine_by_source))
    in_scope = {
        s: normalized_by_source.get(s, 0) + normalize_rejected_by_source.get(s, 0) for s in sources
    }
    accounted = {s: lineage_by_source.get(s, 0) + quarantine_by_source.get(s, 0) for s in sources}
    cluster_sizes = _counts(
        lineage.groupBy("address_id").agg(F.count("*").alias("records")), "records"
    )
    pair_levels = scored_pairs.select(
        F.count("*").alias("candidate_pairs"),
        F.count_if(F.col("match_probability") >= scoring.match_threshold).alias("matched_pairs"),
        F.count_if(F.col("hard_rule").isNotNull()).alias("hard_rule_pairs"),
    ).first()
    return {
        "run": {
            "execution_dt": run.execution_dt.isoformat(),
            "iso_3166_1": run.iso_3166_1,
            "iso_3166_2": run.iso_3166_2,
            "table": export.table,
        },
        "records": {
            "ingested_by_source": ingested_by_source,
            "in_scope_by_source": in_scope,
            "normalized_by_source": normalized_by_source,
            "lineage_by_source": lineage_by_source,
            "quarantine_by_source": quarantine_by_source,
        },
        "quarantine_reasons": {
            f"{source}/{reason}": count for (source, reason), count in quarantine_reasons.items()
        },
        "merges": {
            **pair_levels.asDict(),
            "addresses": conflated.count(),
            "addresses_by_region": _counts(conflated, "iso_3166_2"),
            "cluster_sizes": dict(sorted(cluster_sizes.items(), key=lambda kv: int(kv[0]))),
            "confidence_histogram": _confidence_histogram(conflated),
            "survivorship_wins": _survivorship_wins(conflated),
            "source_pair_merges": _source_pair_merges(lineage),
        },
        "accounting": {
            "in_scope_by_source": in_scope,
            "accounted_by_source": accounted,
            "balanced": in_scope == accounted,
        },
    }


def plot_run_report(report: dict[str, Any]) -> dict[str, Figure]:
    """The run report's figures for the QA report and `kedro viz`'s reporting layer.

    In: the run report. Out: one figure per plot dataset (`qa_*`), drawn from the
    report's aggregates only.
    """
    return {
        "records_by_stage": figures.plot_records_by_stage(report),
        "record_outcomes": figures.plot_record_outcomes(report),
        "addresses_by_region": figures.plot_addresses_by_region(report),
        "cluster_sizes": figures.plot_cluster_sizes(report),
        "confidence": figures.plot_confidence(report),
        "survivorship_wins": figures.plot_survivorship_wins(report),
        "source_pair_merges": figures.plot_source_pair_merges(report),
    }


MAP_HALF_SIDE_DEG = 0.006
"""Half the side of the map's window, in degrees of latitude (about 670 m)."""
MAP_MAX_ROWS = 5_000
"""At most this many addresses, roads and buildings are drawn (and brought to the driver)."""


def _first_vertex(wkt: str) -> tuple[Column, Column]:
    """The first vertex of a WKT geometry as (lon, lat) columns, read natively."""
    pattern = r"\(+\s*(-?[0-9.]+)\s+(-?[0-9.]+)"
    return (
        F.regexp_extract(wkt, pattern, 1).cast("double"),
        F.regexp_extract(wkt, pattern, 2).cast("double"),
    )


def _in_window(lon: Column, lat: Column, centre: tuple[float, float], grow: float) -> Column:
    lat0, lon0 = centre
    half_lon = MAP_HALF_SIDE_DEG / max(math.cos(math.radians(lat0)), 0.01)
    return lat.between(
        lat0 - MAP_HALF_SIDE_DEG * grow, lat0 + MAP_HALF_SIDE_DEG * grow
    ) & lon.between(lon0 - half_lon * grow, lon0 + half_lon * grow)


def plot_address_map(
    conflated: DataFrame, roads: DataFrame, buildings: DataFrame, run: RunParams
) -> Figure:
    """Output addresses over roads and buildings, in a window of the run's busiest region.

    Rows in: the conflated addresses and the reference roads and buildings (WKT).
    Out: a figure of at most `MAP_MAX_ROWS` of each, around the median point of the
    region (the run's region when it names one, else the one with most addresses).
    """
    located = conflated.where(F.col("lat").isNotNull() & F.col("lon").isNotNull())
    region = run.iso_3166_2
    if not region:
        busiest = located.groupBy("iso_3166_2").count().orderBy(F.desc("count")).first()
        region = busiest["iso_3166_2"] if busiest else ""
    in_region = located.where(F.col("iso_3166_2") == region)
    medians = in_region.approxQuantile(["lat", "lon"], [0.5], 0.01)  # [[lat], [lon]]
    if not region or not medians[0]:
        return figures.plot_address_map(pd.DataFrame(columns=["lat", "lon"]), [], [], region)
    centre = (medians[0][0], medians[1][0])
    sample = (
        in_region.where(_in_window(F.col("lon"), F.col("lat"), centre, 1.0))
        .select("lat", "lon", "source_count")
        .limit(MAP_MAX_ROWS)
        .toPandas()  # bounded: MAP_MAX_ROWS rows
    )

    def near(geometries: DataFrame) -> list[str]:
        lon, lat = _first_vertex("wkt")
        rows = (
            geometries.where(F.col("iso_3166_2") == region)
            .where(_in_window(lon, lat, centre, 1.5))
            .select("wkt")
            .limit(MAP_MAX_ROWS)
            .collect()  # bounded: MAP_MAX_ROWS rows
        )
        return [row["wkt"] for row in rows]

    return figures.plot_address_map(sample, near(roads), near(buildings), region)
