"""The sources an environment declares (`sources:` in its parameters), for building pipelines.

Adding a source is configuration only, so the ingest pipeline needs the declared
sources when pipelines are built. Kedro builds them by calling `register_pipelines()`
without arguments, once the session's context exists; the context is the one place
Kedro names the environment being run. So `ProjectHooks.after_context_created` hands
that environment's declaration to `use_sources`, and `register_pipelines` passes it
to the ingest pipeline. There is no fallback (working directory, `KEDRO_ENV`): outside
a Kedro session, pipelines are built with `register_pipelines(sources)`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from kedro.config import AbstractConfigLoader, MissingConfigException

Sources = dict[str, dict[str, Any]]

_lock = threading.Lock()
_session_sources: Sources | None = None


class NoSourcesError(RuntimeError):
    """Pipelines were asked for with no environment's sources to build them from."""


def read_declared_sources(config_loader: AbstractConfigLoader) -> Sources:
    """The `sources:` block of an environment's parameters, by source name.

    Args:
        config_loader: The environment's config loader (base + that environment).

    Returns:
        Each declared source's block, as plain dicts, sorted by name.
    """
    try:
        parameters = config_loader["parameters"]
    except MissingConfigException:
        return {}
    sources = parameters.get("sources") or {}
    return {name: dict(block) for name, block in sorted(sources.items())}


def use_sources(sources: Mapping[str, Mapping[str, Any]]) -> None:
    """Make `sources` the declaration the project's pipelines are built from in this process.

    When the declaration changes (another environment or project in the same process),
    Kedro's cached pipelines are dropped so that they are built again from it.
    """
    global _session_sources
    new = {name: dict(block) for name, block in sorted(sources.items())}
    with _lock:
        changed = new != _session_sources
        _session_sources = new
    if changed:
        from kedro.framework.project import PACKAGE_NAME, pipelines

        if PACKAGE_NAME:
            pipelines.configure(f"{PACKAGE_NAME}.pipeline_registry")


def session_sources() -> Sources:
    """The declaration of the environment the current Kedro session runs.

    Raises:
        NoSourcesError: When no Kedro session has been started in this process.
    """
    with _lock:
        sources = _session_sources
    if sources is None:
        raise NoSourcesError(
            "geodata's pipelines are built from the sources an environment declares: start "
            "a Kedro session (`kedro run|airflow create --env <env>`, `kedro viz run|build "
            "--include-hooks`, or KedroSession.create(env=...)), or call "
            "register_pipelines(sources)"
        )
    return {name: dict(block) for name, block in sources.items()}
