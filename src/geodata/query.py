"""Run one Spark SQL statement against the project's metastore and print the result.

python -m geodata.query "SELECT count(*) FROM geodata.conflated_addresses"
"""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project

from geodata.hooks import resolve_spark_config
from geodata.spark import build_spark_session


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, start Spark with the environment's settings, print the query result."""
    parser = argparse.ArgumentParser(prog="python -m geodata.query", description=__doc__)
    parser.add_argument("sql", help="a Spark SQL statement")
    parser.add_argument("--env", default=os.environ.get("KEDRO_ENV", "local"))
    parser.add_argument("--project-path", type=Path, default=Path.cwd())
    parser.add_argument("--limit", type=int, default=50, help="rows to print")
    args = parser.parse_args(argv)

    logging.getLogger("kedro").setLevel(logging.WARNING)
    project_path = args.project_path.resolve()
    bootstrap_project(project_path)
    with KedroSession.create(project_path=project_path, env=args.env) as session:
        context = session.load_context()
        config = resolve_spark_config(dict(context.config_loader["spark"]), project_path)
    config["spark.ui.showConsoleProgress"] = "false"
    spark = build_spark_session(config, hive=True)
    spark.sql(args.sql).show(args.limit, truncate=False)


if __name__ == "__main__":
    main()
