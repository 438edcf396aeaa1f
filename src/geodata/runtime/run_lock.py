"""Run locks: two runs that would write the same output partitions never run at once.

Each active run that writes output tables holds a lock file under
`<base_location>/work/locks/`; `RunLockHooks` takes it before the first node and gives
it back when the run ends, and removes a whole run's working data after it succeeded.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kedro.framework.hooks import hook_impl
from kedro.pipeline import Pipeline

from geodata.runtime.working_data import (
    WORK_DIR,
    is_local,
    local_path,
    remove_working_dir,
    run_scope,
    run_working_dir,
    scopes_overlap,
)

logger = logging.getLogger(__name__)

LOCKS_DIR = "locks"
"""The lock files' folder below `<base_location>/work/`."""

EXPORT_TAG = "export"
"""Runs with a node of this tag write output tables, and so take a lock."""

# Run filters of `kedro run` (`run_params` keys): a run with any of them set runs part
# of its pipeline.
_RUN_FILTERS = (
    "tags",
    "from_nodes",
    "to_nodes",
    "node_names",
    "from_inputs",
    "to_outputs",
    "namespaces",
)


class RunConflictError(RuntimeError):
    """Another active run writes some of the same output partitions."""


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only checks that the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user
        return True
    return True


@dataclass(frozen=True)
class RunLock:
    """One active run's lock: what it covers and which process holds it.

    `run_id` (the Kedro session id) tells apart two locks one process took in one second.
    """

    execution_dt: str
    scope: str
    pid: int
    host: str
    started_at: str
    run_id: str
    path: Path = field(compare=False)

    def describe(self) -> str:
        """The run, as refusal and warning messages name it."""
        return (
            f"the run of {self.execution_dt} for {self.scope} (pid {self.pid} on host "
            f"{self.host}, started {self.started_at})"
        )

    def is_stale(self) -> bool:
        """Whether the process that took the lock is gone.

        Only a process on this host can be checked. A lock of this very process is
        left over from an earlier run in it (a process runs one pipeline at a time)
        whose end no hook saw.
        """
        if self.host != socket.gethostname():
            return False
        return self.pid == os.getpid() or not _process_alive(self.pid)

    def as_json(self) -> dict[str, Any]:
        fields = asdict(self)
        del fields["path"]
        return fields


class RunLockRegistry:
    """The lock files of one base location: `<execution_dt>__<scope>.json`, one per active run.

    A lock file is created with O_CREAT|O_EXCL. Checking the other runs' locks and
    creating one's own happen under an exclusive `flock` on `.registry`, held for
    milliseconds, so two runs starting together cannot both miss each other; a
    process that dies releases that `flock` by itself.

    Args:
        directory: The lock folder (`<base_location>/work/locks`), on a local or shared
            POSIX file system.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True)
        with (self.directory / ".registry").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read(self, path: Path) -> RunLock | None:
        try:
            return RunLock(**json.loads(path.read_text()), path=path)
        except FileNotFoundError:
            return None
        except (ValueError, TypeError):
            # Every lock is written whole under the registry flock, so a file that does
            # not parse here was left by a process killed while writing it.
            logger.warning("Removing unreadable run lock %s", path)
            path.unlink(missing_ok=True)
            return None

    def active(self) -> list[RunLock]:
        """Every lock in the registry, stale or not."""
        with self._exclusive():
            locks = [self._read(path) for path in sorted(self.directory.glob("*.json"))]
        return [lock for lock in locks if lock is not None]

    def acquire(self, execution_dt: str, scope: str, run_id: str | None = None) -> RunLock:
        """Take the lock of a run of `execution_dt` over `scope` (`all`, a country or a region).

        A lock of the same date whose scope overlaps `scope` refuses the run, unless its
        process is gone: then it is removed with a warning.

        Args:
            execution_dt: The run date, ISO.
            scope: `all`, a country or a region (`geodata.runtime.working_data.run_scope`).
            run_id: The run's id (its Kedro session id); a new one when None.

        Returns:
            The lock; give it back with `release`.

        Raises:
            RunConflictError: Naming the other run (scope, pid, host, start) and its file.
        """
        with self._exclusive():
            for path in sorted(self.directory.glob(f"{execution_dt}__*.json")):
                other = self._read(path)
                if other is None or not scopes_overlap(scope, other.scope):
                    continue
                if other.is_stale():
                    logger.warning("Taking over from %s: its process is gone", other.describe())
                    path.unlink(missing_ok=True)
                    continue
                raise RunConflictError(
                    f"run.execution_dt={execution_dt} for {scope} writes output partitions "
                    f"that {other.describe()} is writing; this run was not started. Wait "
                    f"for that run to end, run a region it does not cover, or, if that "
                    f"process is gone, remove {path}."
                )
            lock = RunLock(
                execution_dt=execution_dt,
                scope=scope,
                pid=os.getpid(),
                host=socket.gethostname(),
                started_at=datetime.now(UTC).isoformat(timespec="seconds"),
                run_id=run_id or uuid.uuid4().hex,
                path=self.directory / f"{execution_dt}__{scope}.json",
            )
            descriptor = os.open(lock.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            with os.fdopen(descriptor, "w") as handle:
                json.dump(lock.as_json(), handle)
                handle.flush()
                os.fsync(handle.fileno())
        return lock

    def release(self, lock: RunLock) -> None:
        """Remove `lock`'s file, if it is still this lock (not one that took over from it)."""
        with self._exclusive():
            if self._read(lock.path) == lock:
                lock.path.unlink(missing_ok=True)


# Set by `defer_working_data_removal`: what to finish when its block ends.
_deferred: ContextVar[list[Callable[[], None]] | None] = ContextVar(
    "geodata_deferred_removal", default=None
)


@contextmanager
def defer_working_data_removal() -> Iterator[None]:
    """Keep a successful run's working data (and its lock) until the block ends.

    For callers that read a run's working data after `session.run()` (the evaluation
    command reads its candidate and scored pairs, the benchmark its normalized records).
    """
    pending: list[Callable[[], None]] = []
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
        for finish in pending:
            finish()


@dataclass
class _ActiveRun:
    working_dir: str
    whole: bool
    registry: RunLockRegistry | None = None
    lock: RunLock | None = None

    def release(self) -> None:
        if self.registry is not None and self.lock is not None:
            self.registry.release(self.lock)

    def finish(self) -> None:
        """Remove the working data, then give the lock back (no run of it may start before)."""
        try:
            remove_working_dir(self.working_dir)
        finally:
            self.release()


def _writes_outputs(pipeline: Pipeline) -> bool:
    return any(EXPORT_TAG in node.tags for node in pipeline.nodes)


def _is_whole_default_run(run_params: Mapping[str, Any]) -> bool:
    """Whether the run is the default pipeline, every node of it, in this process."""
    names = run_params.get("pipeline_names") or ["__default__"]
    return list(names) == ["__default__"] and not any(run_params.get(k) for k in _RUN_FILTERS)


class RunLockHooks:
    """Refuses a run whose output partitions another active run writes; cleans up after a run.

    A run whose pipeline has an `export` node (it writes output tables) takes the lock
    of its date and scope before its first node (`RunConflictError` otherwise) and
    gives it back when it ends. After a successful run of the whole default pipeline,
    its working folder (`<base_location>/work/<execution_dt>/<scope>`) is removed;
    partial runs (an Airflow task, `--pipeline normalize`) leave theirs to the
    stages after them.

    Locks are local: with an object store base location (`s3a://` in `prod`) runs take
    no lock, since an object store has no exclusive create nor a way to tell that a
    process on another host is gone; Airflow's `max_active_runs` and pools limit those
    runs (docs/production.md).
    """

    def __init__(self) -> None:
        self._context = None
        self._active: _ActiveRun | None = None

    @hook_impl
    def after_context_created(self, context) -> None:
        """Keep the context: its parameters and locations are read when a run starts."""
        self._context = context

    @hook_impl(tryfirst=True)  # refuse before any other hook starts work
    def before_pipeline_run(self, run_params: dict[str, Any], pipeline: Pipeline) -> None:
        """Take the run's lock when it writes output tables."""
        from geodata.params import RunParams

        self._active = None
        if self._context is None:
            return
        loader = self._context.config_loader
        run = RunParams.model_validate(loader["parameters"]["run"])
        scope = run_scope(run.iso_3166_1, run.iso_3166_2)
        base = str(loader["globals"]["base_location"])
        project = Path(self._context.project_path)
        active = _ActiveRun(run_working_dir(base, project, run), _is_whole_default_run(run_params))
        if _writes_outputs(pipeline):
            if is_local(base):
                active.registry = RunLockRegistry(local_path(base, project) / WORK_DIR / LOCKS_DIR)
                active.lock = active.registry.acquire(
                    run.execution_dt.isoformat(), scope, run_params.get("run_id")
                )
                logger.info("Run lock taken: %s", active.lock.path)
            else:
                logger.info("No run lock: %s is an object store (docs/production.md)", base)
        self._active = active

    @hook_impl(trylast=True)  # after the other hooks have read the run's data
    def after_pipeline_run(self) -> None:
        """Give the lock back; after a whole run, remove its working data first."""
        active, self._active = self._active, None
        if active is None:
            return
        if not active.whole:
            active.release()
            return
        pending = _deferred.get()
        if pending is None:
            active.finish()
        else:
            pending.append(active.finish)

    @hook_impl
    def on_pipeline_error(self) -> None:
        """Give the lock back; the working data stays, for a look at what failed."""
        active, self._active = self._active, None
        if active is not None:
            active.release()
