"""Project settings: hooks and the config loader's file patterns."""

import warnings

from geodata.hooks import ProjectHooks, RunTimingHooks, StageProgressHooks
from geodata.runtime.environment import CheckedConfigLoader, env
from geodata.runtime.run_lock import RunLockHooks
from geodata.runtime.working_data import run_key

# Kedro's config loader registers its resolvers with a call that OmegaConf 2.4 marks
# as deprecated; the warning is about Kedro's code, and every command would print it.
warnings.filterwarnings(
    "ignore", message=r"register_new_resolver\(\) is deprecated", category=UserWarning
)

HOOKS = (ProjectHooks(), RunTimingHooks(), StageProgressHooks(), RunLockHooks())

CONFIG_LOADER_CLASS = CheckedConfigLoader
CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
    # Environment variables in any config file (not only credentials): `prod`
    # takes its locations, metastore and cluster from them. Same as OmegaConf's
    # `oc.env`, plus a start-up check that names every missing variable.
    # `run_key` keys each run's working data by its date and region (catalog_02_intermediate.yml).
    "custom_resolvers": {"oc.env": env, "run_key": run_key},
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
