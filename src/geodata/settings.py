"""Project settings: hooks and the config loader's file patterns."""

from geodata.hooks import ProjectHooks, RunTimingHooks, StageProgressHooks
from geodata.runtime.environment import CheckedConfigLoader, env

HOOKS = (ProjectHooks(), RunTimingHooks(), StageProgressHooks())

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
    # An environment changes single keys of a base parameter block (a scoring level of
    # `conflate:`) without restating the whole block, and conf/<env>/airflow.yml overrides
    # single keys of conf/base/airflow.yml. `sources:` is in no base file: each
    # environment declares exactly its own.
    "merge_strategy": {"parameters": "soft", "airflow": "soft"},
}
