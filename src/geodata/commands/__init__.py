"""Command-line tools beside `kedro run`: evaluation on labelled sets, the benchmark, and
Spark SQL queries against a run's tables (console scripts `geodata-evaluate`,
`geodata-benchmark`, `geodata-query`)."""
