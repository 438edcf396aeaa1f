"""The process's SparkSession: its metastore client is opened before the run needs it."""

from __future__ import annotations

import logging

import pytest

from geodata.runtime.spark import _connect_metastore_in_background


@pytest.mark.spark
def test_the_metastore_opened_in_the_background_serves_the_run(clean_hive):
    spark = clean_hive
    thread = _connect_metastore_in_background(spark)
    thread.join(timeout=120)

    assert not thread.is_alive()
    spark.sql("CREATE DATABASE IF NOT EXISTS warmed")
    assert spark.catalog.databaseExists("warmed")


class _UnreachableCatalog:
    def databaseExists(self, name: str) -> bool:  # noqa: N802 - Spark's method name
        raise ConnectionError("metastore at thrift://metastore:9083 does not answer")


class _SessionWithoutMetastore:
    catalog = _UnreachableCatalog()


def test_a_metastore_that_does_not_open_is_left_to_the_runs_first_catalog_call(caplog):
    with caplog.at_level(logging.DEBUG, logger="geodata.runtime.spark"):
        thread = _connect_metastore_in_background(_SessionWithoutMetastore())
        thread.join(timeout=10)

    assert not thread.is_alive()
    failure = next(r for r in caplog.records if r.name == "geodata.runtime.spark")
    assert failure.levelno == logging.DEBUG
    assert "does not answer" in str(failure.exc_info[1])
