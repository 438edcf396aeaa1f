"""Runtime plumbing shared by every entry point: config loading and its start-up checks,
the SparkSession, the declared sources, and Kedro sessions in a project directory."""
