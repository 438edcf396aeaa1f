"""Splink 5 as the benchmark's peer: the same normalized records, deduplicated by Splink.

Splink reads the run's `normalize.int_addresses` (geodata's normalization, for free),
trains a Fellegi-Sunter model (u by random sampling, m by EM, the prior from a
deterministic rule), predicts pairs at a match probability of 0.5, clusters them by
connected components and writes `source, source_record_id, address_id` as Parquet.
The setup and its reasons are in docs/performance.md ("Peer: Splink").
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession
    from splink import Linker, SettingsCreator
    from splink.internals.splink_dataframe import SplinkDataFrame

PEERS = ("splink", "splink-spark")
"""Peer names on the command line: Splink on DuckDB, and on the run's SparkSession."""

SPLINK_INPUT_COLUMNS: tuple[str, ...] = (
    "concat_ws('|', source, source_record_id) AS unique_id",
    "source",
    "source_record_id",
    "house_number",
    "street",
    "street_phonetic",
    "unit_id AS unit",
    # Blocking key: records without a unit share the key '' (a join on NULL never
    # matches), as geodata's own `unit_key` does.
    "coalesce(unit_id, '') AS unit_key",
    "locality",
    "postcode",
    "lat",
    "lon",
)
"""Splink's input, selected from the normalized records; SQL valid in DuckDB and Spark."""

MATCH_PROBABILITY = 0.5
"""Pairs at or above this probability are predicted and clustered."""

PRIOR_RECALL = 0.7
"""Assumed recall of the deterministic rule the prior (λ) is estimated from."""

U_MAX_PAIRS = 1e7
"""Random pairs for the u estimates (Splink's docs: 1e7 adequate, 1e8-1e9 best)."""

EM_MAX_PAIRS = 5e6
"""Blocked pairs each EM session trains on at most (sampled above that)."""

SEED = 42


def splink_settings() -> SettingsCreator:
    """The model: six comparisons and two blocking rules, all declared as data.

    Every blocking rule holds house number and unit key, as geodata's blocking does:
    in a building of many units the pairs that differ only in the unit are most of
    the work and never the same address.
    """
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    # Two records without a unit agree (a house); one unit missing is no evidence
    # (the null level); two different units disagree.
    unit = cl.CustomComparison(
        output_column_name="unit",
        comparison_levels=[
            cll.CustomLevel("unit_l IS NULL AND unit_r IS NULL", "neither has a unit"),
            cll.NullLevel("unit"),
            cll.ExactMatchLevel("unit"),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.ExactMatch("house_number"),
            cl.JaroWinklerAtThresholds("street", [0.95, 0.88]),
            unit,
            cl.ExactMatch("locality"),
            cl.ExactMatch("postcode"),
            cl.DistanceInKMAtThresholds("lat", "lon", [0.025, 0.1, 0.5]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("postcode", "house_number", "unit_key"),
            block_on("street_phonetic", "house_number", "unit_key"),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def train_model(linker: Linker) -> None:
    """Estimate the prior, u and m of `linker`'s model from its own records (no labels).

    An EM session estimates every comparison whose columns its blocking rule does
    not use: postcode comes from session 1 (same house number, unit key and street
    sound), house number from session 2 (same postcode, street sound and unit key);
    street, unit, locality and distance from both, averaged by Splink.
    """
    from splink import block_on

    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("house_number", "unit_key", "street", "postcode")], recall=PRIOR_RECALL
    )
    training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=SEED)
    for rule in (
        block_on("house_number", "unit_key", "street_phonetic"),
        block_on("postcode", "street_phonetic", "unit_key"),
    ):
        training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=EM_MAX_PAIRS)


def cluster_records(linker: Linker) -> SplinkDataFrame:
    """Predicted pairs at `MATCH_PROBABILITY`, clustered by connected components."""
    # The unit's disagreement levels are never trained: the blocking rules leave no
    # pair whose units differ, so predict() would warn about them each time.
    pairs = linker.inference.predict(
        threshold_match_probability=MATCH_PROBABILITY, warning_mode="never"
    )
    return linker.clustering.cluster_pairwise_predictions_at_threshold(
        pairs, threshold_match_probability=MATCH_PROBABILITY
    )


@dataclass(frozen=True)
class SplinkRun:
    """What one Splink run read, how long it took and how many clusters it made."""

    backend: str
    records: int
    clusters: int
    seconds: float
    clusters_path: Path


_CLUSTER_COLUMNS = "source, source_record_id, cluster_id AS address_id"


def _quoted_path(path: object) -> str:
    """`path` as a quoted SQL literal, for statements that take no bound parameters."""
    text = str(path)
    if "'" in text:
        raise ValueError(f"a path with a quote cannot be put in SQL: {text!r}")
    return f"'{text}'"


def run_splink_duckdb(records_path: Path, clusters_path: Path) -> SplinkRun:
    """Splink on DuckDB (in this process): read the Parquet records, write the clusters.

    Args:
        records_path: Folder of Parquet files with the normalized records.
        clusters_path: Parquet file to write (`source, source_record_id, address_id`).

    Returns:
        The run's counts and seconds, from reading the input to the written clusters.
    """
    from splink import DuckDBAPI, Linker

    started = time.perf_counter()
    db_api = DuckDBAPI()
    connection = db_api.duckdb_con
    files = str(records_path / "*.parquet")
    records = connection.sql(
        f"SELECT {', '.join(SPLINK_INPUT_COLUMNS)} FROM read_parquet(?)", params=[files]
    )
    linker = Linker(
        db_api.register(records, table_name="geodata_records"),
        splink_settings(),
        log_level=logging.WARNING,
    )
    train_model(linker)
    clusters = cluster_records(linker)
    connection.execute(
        f"COPY (SELECT {_CLUSTER_COLUMNS} FROM {clusters.physical_name}) "
        f"TO {_quoted_path(clusters_path)} (FORMAT parquet)"
    )
    seconds = time.perf_counter() - started
    (counts,) = connection.execute(
        "SELECT count(*), count(DISTINCT address_id) FROM read_parquet(?)",
        [str(clusters_path)],
    ).fetchall()
    return SplinkRun("duckdb", int(counts[0]), int(counts[1]), seconds, clusters_path)


def run_splink_spark(
    spark: SparkSession, records_path: Path, clusters_path: Path, checkpoint_dir: Path
) -> SplinkRun:
    """Splink on the running SparkSession: read the Parquet records, write the clusters.

    Splink's string similarities are Scala UDFs in a jar it ships; the jar is added
    to the running session (`ADD JAR`), so the pipeline before ran without it.

    Args:
        spark: The session the pipeline ran in.
        records_path: Folder of Parquet files with the normalized records.
        clusters_path: Parquet folder to write (`source, source_record_id, address_id`).
        checkpoint_dir: Where Splink writes the intermediate tables it persists.

    Returns:
        The run's counts and seconds, from reading the input to the written clusters.
    """
    from splink import Linker, SparkAPI
    from splink.backends.spark import similarity_jar_location

    started = time.perf_counter()
    spark.sql(f"ADD JAR {_quoted_path(similarity_jar_location())}")
    spark.sparkContext.setCheckpointDir(str(checkpoint_dir))
    db_api = SparkAPI(spark_session=spark)
    records = spark.read.parquet(str(records_path)).selectExpr(*SPLINK_INPUT_COLUMNS)
    linker = Linker(
        db_api.register(records, table_name="geodata_records"),
        splink_settings(),
        log_level=logging.WARNING,
    )
    train_model(linker)
    clusters = cluster_records(linker).as_spark_dataframe()
    clusters.selectExpr(*_CLUSTER_COLUMNS.split(", ")).write.mode("overwrite").parquet(
        str(clusters_path)
    )
    seconds = time.perf_counter() - started
    written = spark.read.parquet(str(clusters_path))
    clusters_count = written.select("address_id").distinct().count()
    return SplinkRun("spark", written.count(), clusters_count, seconds, clusters_path)
