"""Project settings: hooks and the config loader's file patterns."""

from geodata.environment import CheckedConfigLoader, env
from geodata.hooks import RunTimingHooks, SparkHooks

HOOKS = (SparkHooks(), RunTimingHooks())

CONFIG_LOADER_CLASS = CheckedConfigLoader
CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
    # Environment variables in any config file (not only credentials): `prod`
    # takes its locations, metastore and cluster from them. Same as OmegaConf's
    # `oc.env`, plus a start-up check that names every missing variable.
    "custom_resolvers": {"oc.env": env},
    "config_patterns": {
        "spark": ["spark*", "spark*/**"],
        "airflow": ["airflow*", "airflow*/**"],
    },
    # An environment adds or changes single keys of a parameter block (one more source
    # under `sources:`) without restating the whole block, and conf/<env>/airflow.yml
    # overrides single keys of conf/base/airflow.yml.
    "merge_strategy": {"parameters": "soft", "airflow": "soft"},
}
