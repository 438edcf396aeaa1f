"""Run locks refuse a run whose output partitions another live run writes; the run hooks
take and give back the lock and remove a whole run's working data after it succeeded.

Other runs are real processes holding real lock files. No Spark is started here.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from kedro.pipeline import Node, Pipeline

from geodata.runtime.run_lock import RunConflictError, RunLockHooks, RunLockRegistry
from geodata.runtime.session import project_session
from tests.kedro_project import make_project_copy

D1, D2, D3 = "2026-11-01", "2026-11-02", "2026-11-03"

# Takes a lock in its own process, says so, and holds it until killed.
_HOLDER = """
import sys, time
from pathlib import Path
from geodata.runtime.run_lock import RunLockRegistry
RunLockRegistry(Path(sys.argv[1])).acquire(sys.argv[2], sys.argv[3])
print("held", flush=True)
time.sleep(600)
"""

# Waits for a common start instant, tries to take a lock, holds a won one for a while.
_RACER = """
import sys, time
from pathlib import Path
from geodata.runtime.run_lock import RunConflictError, RunLockRegistry
registry = RunLockRegistry(Path(sys.argv[1]))
time.sleep(max(0.0, float(sys.argv[4]) - time.time()))
try:
    registry.acquire(sys.argv[2], sys.argv[3])
except RunConflictError:
    print("refused", flush=True)
else:
    print("won", flush=True)
    time.sleep(3)  # alive while the others look, so its lock is not stale
"""


def _hold(directory: Path, execution_dt: str, scope: str) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(directory), execution_dt, scope],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def _stop(process: subprocess.Popen) -> None:
    process.kill()
    process.wait()


@pytest.fixture()
def locks(tmp_path) -> RunLockRegistry:
    return RunLockRegistry(tmp_path / "work" / "locks")


@pytest.fixture(scope="module")
def held(tmp_path_factory) -> Iterator[Path]:
    """A lock folder where other processes hold `US` on D1 and `all` on D2."""
    directory = tmp_path_factory.mktemp("held") / "locks"
    holders = [_hold(directory, D1, "US"), _hold(directory, D2, "all")]
    yield directory
    for holder in holders:
        _stop(holder)


@pytest.mark.parametrize(
    ("execution_dt", "scope", "refused"),
    [
        (D1, "US-CA", True),  # a region of the running country
        (D1, "US", True),
        (D1, "all", True),  # covers the running country
        (D1, "FI-18", False),
        (D1, "FI", False),
        (D2, "FI-18", True),  # `all` covers every region of its date
        (D3, "all", False),  # another date
    ],
)
def test_a_run_is_refused_exactly_when_it_shares_partitions_with_a_live_run(
    held, execution_dt, scope, refused
):
    registry = RunLockRegistry(held)
    if refused:
        with pytest.raises(RunConflictError):
            registry.acquire(execution_dt, scope)
        assert sorted(p.name for p in held.glob("*.json")) == [f"{D1}__US.json", f"{D2}__all.json"]
    else:
        lock = registry.acquire(execution_dt, scope)
        assert json.loads(lock.path.read_text())["pid"] == os.getpid()
        registry.release(lock)
        assert not lock.path.exists()


def test_the_refusal_names_the_other_run(locks):
    holder = _hold(locks.directory, D1, "US")
    try:
        other = json.loads((locks.directory / f"{D1}__US.json").read_text())
        with pytest.raises(RunConflictError) as refused:
            locks.acquire(D1, "US-CA")
    finally:
        _stop(holder)
    message = str(refused.value)
    assert other["pid"] == holder.pid
    for part in (
        "run.execution_dt=2026-11-01 for US-CA",
        "the run of 2026-11-01 for US",
        f"pid {holder.pid}",
        f"host {socket.gethostname()}",
        f"started {other['started_at']}",
        str(locks.directory / f"{D1}__US.json"),
    ):
        assert part in message
    assert sorted(p.name for p in locks.directory.glob("*.json")) == [f"{D1}__US.json"]


def test_a_lock_whose_process_is_gone_is_taken_over_with_a_warning(locks, caplog):
    holder = _hold(locks.directory, D1, "all")
    _stop(holder)
    with caplog.at_level(logging.WARNING, logger="geodata.runtime.run_lock"):
        lock = locks.acquire(D1, "US-CA")
    assert f"Taking over from the run of {D1} for all (pid {holder.pid}" in caplog.text
    assert "its process is gone" in caplog.text
    assert sorted(p.name for p in locks.directory.glob("*.json")) == [lock.path.name]


def test_a_lock_left_by_an_earlier_run_of_this_process_is_taken_over(locks, caplog):
    earlier = locks.acquire(D1, "US-CA")  # a run whose end no hook saw
    with caplog.at_level(logging.WARNING, logger="geodata.runtime.run_lock"):
        later = locks.acquire(D1, "US-CA")
    assert "Taking over" in caplog.text
    locks.release(earlier)  # the earlier run's release leaves the later run's lock alone
    assert json.loads(later.path.read_text())["run_id"] == later.run_id
    locks.release(later)
    assert not later.path.exists()


def test_a_lock_of_another_host_is_never_taken_over(locks):
    locks.directory.mkdir(parents=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = {"execution_dt": D1, "scope": "all", "pid": dead.pid, "host": "elsewhere.invalid",
            "started_at": "2026-11-01T00:00:00+00:00", "run_id": "r1"}  # fmt: skip
    (locks.directory / f"{D1}__all.json").write_text(json.dumps(lock))
    with pytest.raises(RunConflictError, match=r"on host elsewhere\.invalid"):
        locks.acquire(D1, "FI-18")


def test_a_lock_file_left_half_written_is_removed(locks, caplog):
    locks.directory.mkdir(parents=True)
    (locks.directory / f"{D1}__US.json").write_text("")  # killed between create and write
    with caplog.at_level(logging.WARNING, logger="geodata.runtime.run_lock"):
        lock = locks.acquire(D1, "US-CA")
    assert "Removing unreadable run lock" in caplog.text
    assert [existing.scope for existing in locks.active()] == [lock.scope]


def test_of_runs_starting_together_for_overlapping_scopes_exactly_one_runs(locks):
    start = time.time() + 3  # after every racer has imported geodata
    scopes = ["all", "US", "US-CA", "US", "all", "US-CA"]
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", _RACER, str(locks.directory), D1, scope, str(start)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for scope in scopes
    ]
    outcomes = [racer.communicate(timeout=60)[0].strip() for racer in racers]
    assert sorted(outcomes) == ["refused"] * 5 + ["won"]


# ---------------------------------------------------------------- the hooks


def _write_outputs(data):
    return data


EXPORT_RUN = Pipeline([Node(_write_outputs, "a", "b", name="publish", tags=["export"])])
OTHER_STAGE = Pipeline([Node(_write_outputs, "a", "b", name="normalize", tags=["normalize"])])
WHOLE = {"run_id": "session-1", "pipeline_names": None, "node_names": None, "tags": None}
ONE_NODE = {**WHOLE, "node_names": ["publish"]}  # an Airflow task


def _context(project: Path, base_location: str = "data", **run: str) -> SimpleNamespace:
    """What the hooks read of a Kedro context: its parameters, globals and project path."""
    parameters = {"run": {"execution_dt": D1, "iso_3166_1": "", "iso_3166_2": "", **run}}
    loader = {"parameters": parameters, "globals": {"base_location": base_location}}
    return SimpleNamespace(config_loader=loader, project_path=project)


@pytest.fixture()
def project(tmp_path) -> Path:
    return tmp_path / "project"


def _started(project: Path, run_params=WHOLE, pipeline=EXPORT_RUN, **run: str) -> RunLockHooks:
    """A run whose hooks have started it, and whose nodes have written working data."""
    hooks = RunLockHooks()
    hooks.after_context_created(_context(project, **run))
    hooks.before_pipeline_run(run_params, pipeline)
    scope = run.get("iso_3166_2") or run.get("iso_3166_1") or "all"
    output = project / "data/work" / D1 / scope / "02_intermediate/normalize/addresses"
    output.mkdir(parents=True)
    (output / "part-0.parquet").write_bytes(b"rows")
    return hooks


def _lock_files(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "data/work/locks").glob("*.json"))


def test_a_whole_run_holds_its_lock_and_leaves_no_working_data(project, caplog):
    hooks = _started(project, iso_3166_2="US-CA")
    assert _lock_files(project) == [f"{D1}__US-CA.json"]
    lock = json.loads((project / "data/work/locks" / f"{D1}__US-CA.json").read_text())
    assert (lock["execution_dt"], lock["scope"], lock["pid"], lock["run_id"]) == (
        D1,
        "US-CA",
        os.getpid(),
        "session-1",
    )
    with caplog.at_level(logging.INFO, logger="geodata.runtime.working_data"):
        hooks.after_pipeline_run()
    assert not (project / "data/work" / D1 / "US-CA").exists()
    assert _lock_files(project) == []
    assert f"Working data removed: {project / 'data/work' / D1 / 'US-CA'}" in caplog.text


def test_a_partial_run_keeps_its_working_data_for_the_next_stages(project):
    hooks = _started(project, ONE_NODE, iso_3166_1="US")
    assert _lock_files(project) == [f"{D1}__US.json"]
    hooks.after_pipeline_run()
    assert (project / "data/work" / D1 / "US/02_intermediate").is_dir()
    assert _lock_files(project) == []


def test_a_failed_run_gives_its_lock_back_and_keeps_its_working_data(project):
    hooks = _started(project, iso_3166_2="FI-18")
    hooks.on_pipeline_error()
    assert (project / "data/work" / D1 / "FI-18/02_intermediate").is_dir()
    assert _lock_files(project) == []


def test_a_run_without_output_tables_takes_no_lock(project):
    holder = _hold(project / "data/work/locks", D1, "all")
    try:
        hooks = _started(project, ONE_NODE, OTHER_STAGE, iso_3166_2="US-CA")  # not refused
        assert _lock_files(project) == [f"{D1}__all.json"]
        hooks.after_pipeline_run()
    finally:
        _stop(holder)


def test_the_hook_refuses_a_run_before_its_first_node(project):
    holder = _hold(project / "data/work/locks", D1, "all")
    try:
        hooks = RunLockHooks()
        hooks.after_context_created(_context(project, iso_3166_2="US-CA"))
        with pytest.raises(RunConflictError, match=f"pid {holder.pid}"):
            hooks.before_pipeline_run(WHOLE, EXPORT_RUN)
        hooks.on_pipeline_error()  # Kedro calls none after a refusal; harmless if one does
        assert _lock_files(project) == [f"{D1}__all.json"]
    finally:
        _stop(holder)


def test_inside_a_project_session_working_data_and_lock_last_until_it_closes(tmp_path):
    project = make_project_copy(tmp_path / "project")
    with project_session(project):
        hooks = _started(project, iso_3166_2="US-CA")
        hooks.after_pipeline_run()
        # The caller reads the run's working data after `session.run()`.
        assert (project / "data/work" / D1 / "US-CA/02_intermediate").is_dir()
        assert _lock_files(project) == [f"{D1}__US-CA.json"]
    assert not (project / "data/work" / D1 / "US-CA").exists()
    assert _lock_files(project) == []


def test_an_object_store_base_location_takes_no_lock(project, caplog):
    hooks = RunLockHooks()
    hooks.after_context_created(_context(project, "s3a://lake/geodata", iso_3166_2="US-CA"))
    with caplog.at_level(logging.INFO, logger="geodata.runtime.run_lock"):
        hooks.before_pipeline_run(ONE_NODE, EXPORT_RUN)
        hooks.after_pipeline_run()
    assert "No run lock: s3a://lake/geodata is an object store" in caplog.text
    assert not (project / "data").exists()
