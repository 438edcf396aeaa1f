"""Project settings: hooks and the config loader's file patterns."""

from kedro.config import OmegaConfigLoader
from omegaconf.resolvers import oc

from geodata.hooks import RunTimingHooks, SparkHooks

HOOKS = (SparkHooks(), RunTimingHooks())

CONFIG_LOADER_CLASS = OmegaConfigLoader
CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
    # Environment variables in any config file (not only credentials): `prod`
    # takes its locations, metastore and cluster from them.
    "custom_resolvers": {"oc.env": oc.env},
    # An environment adds or changes single keys of a parameter block (one more source
    # under `sources:`) without restating the whole block.
    "merge_strategy": {"parameters": "soft"},
    "config_patterns": {
        "spark": ["spark*", "spark*/**"],
        "airflow": ["airflow*", "airflow*/**"],
    },
    # conf/<env>/airflow.yml overrides single keys of conf/base/airflow.yml.
    "merge_strategy": {"airflow": "soft"},
}
