"""Run one Spark SQL statement against the project's metastore and print the result.

geodata-query "SELECT count(*) FROM geodata.conflated_addresses"
"""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

from pyspark.sql import SparkSession

from geodata.runtime.session import project_session


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, start Spark with the environment's settings, print the query result."""
    parser = argparse.ArgumentParser(prog="geodata-query", description=__doc__)
    parser.add_argument("sql", help="a Spark SQL statement")
    parser.add_argument("--env", default=os.environ.get("KEDRO_ENV", "local"))
    parser.add_argument("--project-path", type=Path, default=Path.cwd())
    parser.add_argument("--limit", type=int, default=50, help="rows to print")
    args = parser.parse_args(argv)

    logging.getLogger("kedro").setLevel(logging.WARNING)
    with project_session(args.project_path.resolve(), env=args.env) as session:
        _ = session.load_context().catalog  # the project hook starts Spark with env settings
        spark = SparkSession.getActiveSession()
        spark.sql(args.sql).show(args.limit, truncate=False)


if __name__ == "__main__":
    main()
