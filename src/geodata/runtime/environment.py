"""Start-up checks for an environment: its environment variables and the services it names.

A `prod`-like environment takes its cluster, metastore and locations from
environment variables. These checks run before any Spark work, so a missing
variable or an unreachable service fails in seconds with a message that names
it, rather than as a resolver error deep in Kedro or a hung connection.
"""

from __future__ import annotations

import contextlib
import contextvars
import socket
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from kedro.config import OmegaConfigLoader
from omegaconf.resolvers import oc

# Config groups read at start-up; each is resolved once to find every variable it needs.
_CONFIG_GROUPS = ("globals", "spark", "catalog", "parameters", "credentials")
# Spark/Hive settings that name services reached over the network.
_SERVICE_SETTINGS = {
    "spark.master": "Spark master",
    "spark.remote": "Spark Connect server",
    "hive.metastore.uris": "Hive metastore",
}
_DEFAULT_PORTS = {"spark": 7077, "sc": 15002, "thrift": 9083}
_MISSING = object()

# Set while `missing_variables` resolves the config: missing variables are recorded, not raised.
_collecting: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "geodata_missing_env", default=None
)
# Variables holding service URLs, with their values (to name the variable in an error).
_seen: dict[str, str] = {}


class MissingEnvironmentError(RuntimeError):
    """An environment needs environment variables that are not set."""


class UnreachableServiceError(RuntimeError):
    """A service the environment names (cluster, metastore) does not answer."""


def env(key: str, default: Any = _MISSING) -> Any:
    """The `oc.env` resolver: `${oc.env:NAME}` or `${oc.env:NAME,default}`.

    Same values as OmegaConf's own `oc.env`; it also remembers what it read, and
    during `missing_variables` it records a missing variable instead of failing.
    """
    try:
        value = oc.env(key) if default is _MISSING else oc.env(key, default)
    except KeyError:
        collecting = _collecting.get()
        if collecting is None:
            raise MissingEnvironmentError(
                f"environment variable {key} is not set (see README, 'Running in production')"
            ) from None
        collecting.add(key)
        return f"<unset {key}>"
    if isinstance(value, str) and "://" in value:  # service URLs only, never secrets
        _seen[key] = value
    return value


@contextlib.contextmanager
def _collecting_missing() -> Iterator[set[str]]:
    missing: set[str] = set()
    token = _collecting.set(missing)
    try:
        yield missing
    finally:
        _collecting.reset(token)


class CheckedConfigLoader(OmegaConfigLoader):
    """Kedro's `OmegaConfigLoader` that fails at once, naming every unset variable.

    OmegaConf stops at the first `${oc.env:NAME}` it cannot resolve, and Kedro
    resolves `globals` while the loader is built; so this loader resolves every
    config group once with missing variables recorded, then raises a single error
    listing all of them.

    Raises:
        MissingEnvironmentError: When variables the environment needs are unset.
    """

    def __init__(self, conf_source: str, env: str | None = None, **kwargs: Any) -> None:
        with _collecting_missing() as missing:
            super().__init__(conf_source, env=env, **kwargs)
            for group in _CONFIG_GROUPS:
                # Only variables are checked here; any other config error surfaces, as
                # before, where the group is used.
                with contextlib.suppress(Exception):
                    self[group]
        if missing:
            name = env or kwargs.get("default_run_env") or "default"
            raise MissingEnvironmentError(
                f"environment {name!r} needs these environment variables, which are not "
                f"set: {', '.join(sorted(missing))} (see README, 'Running in production')"
            )


def _variables_holding(value: str) -> list[str]:
    return sorted(name for name, seen in _seen.items() if seen == value)


def _endpoints(url: str) -> list[tuple[str, int]]:
    """Host/port pairs of a service URL; several for `spark://a:7077,b:7077` or a URI list."""
    scheme = url.split("://", 1)[0]
    endpoints = []
    for part in filter(None, (p.strip() for p in url.split(","))):
        parsed = urlsplit(part if "://" in part else f"{scheme}://{part}")
        if parsed.hostname:
            endpoints.append((parsed.hostname, parsed.port or _DEFAULT_PORTS.get(scheme, 0)))
    return endpoints


def check_services_reachable(config: Mapping[str, Any], timeout_s: float = 10.0) -> None:
    """Open (and close) a TCP connection to each service a Spark config names.

    Local masters (`local[*]`) and an embedded metastore need nothing. Spark itself
    would retry a dead master for minutes; this fails within `timeout_s` per endpoint.

    Raises:
        UnreachableServiceError: Naming the service, the URL, the setting and the
            environment variable it came from.
    """
    for setting, service in _SERVICE_SETTINGS.items():
        url = str(config.get(setting) or "")
        if not url or "://" not in url:
            continue
        for host, port in _endpoints(url):
            try:
                with socket.create_connection((host, port), timeout=timeout_s):
                    pass
            except OSError as error:
                variables = _variables_holding(url)
                source = f", set from {', '.join(variables)}" if variables else ""
                raise UnreachableServiceError(
                    f"{service} at {url} ({setting}{source}) is not reachable: "
                    f"{host}:{port}: {error}"
                ) from None
