"""Reading the `sources:` declaration when pipelines are built.

Adding a source is configuration only, so the ingest pipeline needs the
declared source names at construction time. The Spark hook records the
config loader of the session being run (with its `--env`); tools that build
pipelines without a session fall back to `KEDRO_ENV` (default `local`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kedro.config import AbstractConfigLoader

_active_loader: AbstractConfigLoader | None = None


def remember_config_loader(loader: AbstractConfigLoader) -> None:
    """Make `loader` the one pipelines read their build-time settings from."""
    global _active_loader
    _active_loader = loader


def _fallback_loader() -> AbstractConfigLoader:
    from kedro.framework.project import settings

    project_path = Path(os.environ.get("GEODATA_PROJECT_PATH", Path.cwd()))
    # The project's own loader settings (base env, resolvers), so both paths read alike.
    return settings.CONFIG_LOADER_CLASS(
        conf_source=str(project_path / settings.CONF_SOURCE),
        env=os.environ.get("KEDRO_ENV") or None,
        **settings.CONFIG_LOADER_ARGS,
    )


def declared_sources() -> dict[str, dict[str, Any]]:
    """The `sources:` parameter block of the active environment, by source name."""
    # A config loader is a mapping, and an empty one is falsy: test for None.
    loader = _active_loader if _active_loader is not None else _fallback_loader()
    sources = loader["parameters"].get("sources") or {}
    return {name: dict(block) for name, block in sorted(sources.items())}
