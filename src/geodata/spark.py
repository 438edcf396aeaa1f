"""Building the one SparkSession a geodata process uses, from a plain config dict."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from pyspark.sql import SparkSession

# The metastore connection URL is a Hadoop/Hive property, not a Spark one; Spark
# passes `spark.hadoop.*` through to the Hive client.
_HADOOP_KEYS = ("javax.jdo.option.", "hive.", "datanucleus.")


def build_spark_session(config: Mapping[str, object], *, hive: bool = True) -> SparkSession:
    """Get or create the process's SparkSession from `config`.

    Args:
        config: Spark properties (`spark.*`); Hive/metastore properties
            (`javax.jdo.option.*`, `hive.*`) are forwarded as `spark.hadoop.*`.
        hive: Whether to enable Hive support (embedded Derby metastore unless
            `hive.metastore.uris` points at a metastore service).

    Returns:
        The active SparkSession.
    """
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")
    # Python workers must run the interpreter that has geodata installed, not
    # whatever `python3` is first on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder
    for key, value in config.items():
        if value is None or value == "":
            continue
        name = f"spark.hadoop.{key}" if key.startswith(_HADOOP_KEYS) else key
        builder = builder.config(name, str(value))
    if hive:
        builder = builder.enableHiveSupport()
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("WARN")
    return session
