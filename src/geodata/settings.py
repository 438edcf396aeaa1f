"""Project settings: hooks and the config loader's file patterns."""

from kedro.config import OmegaConfigLoader

from geodata.hooks import RunTimingHooks, SparkHooks

HOOKS = (SparkHooks(), RunTimingHooks())

CONFIG_LOADER_CLASS = OmegaConfigLoader
CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
    "config_patterns": {
        "spark": ["spark*", "spark*/**"],
        "airflow": ["airflow*", "airflow*/**"],
    },
}
