"""Services a test run starts die with it, even when the run is killed.

A stand-in for a test process starts a real moto S3 server through `tests.services`,
inside a shell that also starts a grandchild in a process group of its own (as an
Airflow scheduler starts its task processes), and is then killed; every process of the
service's session must be gone shortly after.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.production.conftest import free_port, port_open, python_env
from tests.services import start_service

REPO = Path(__file__).resolve().parents[2]

OWNER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {repo!r})
    from tests.services import start_service

    command = ["bash", "-c", {shell!r}]
    service = start_service("moto", command, dict(__import__("os").environ), Path({workdir!r}))
    Path({pid_file!r}).write_text(str(service.pid))
    time.sleep(600)
    """
)


def _session_members(sid: int) -> dict[int, int]:
    """Live processes of session `sid`: pid -> process group."""
    members = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, _, group, session = stat.rsplit(")", 1)[1].split()[:4]
        if int(session) == sid and state != "Z":
            members[int(entry.name)] = int(group)
    return members


def _wait_for(condition, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_services_are_gone_when_the_test_process_is_killed(tmp_path, sig):
    port = free_port()
    pid_file = tmp_path / "service.pid"
    # `set -m`: the background sleep gets a process group of its own, in the same session.
    shell = f"{sys.executable} -m moto.server -H 127.0.0.1 -p {port} & set -m; sleep 600 & wait"
    script = OWNER.format(
        repo=str(REPO), shell=shell, workdir=str(tmp_path), pid_file=str(pid_file)
    )
    owner = subprocess.Popen(
        [sys.executable, "-c", script], env=python_env(), start_new_session=True
    )
    try:
        assert _wait_for(lambda: pid_file.exists() and port_open(port), 60), "moto never started"
        sid = int(pid_file.read_text())
        members = _session_members(sid)
        assert len(members) >= 3  # bash, moto, sleep
        assert len(set(members.values())) >= 2  # the sleep in a group of its own

        os.kill(owner.pid, sig)
        owner.wait(timeout=10)

        assert _wait_for(lambda: not _session_members(sid), 30), _session_members(sid)
        assert not port_open(port)
    finally:
        if owner.poll() is None:
            owner.kill()


def test_a_stopped_service_takes_its_children_and_watchdog_with_it(tmp_path):
    command = ["bash", "-c", "sleep 600 & set -m; sleep 600 & wait"]
    service = start_service("sleepers", command, {}, tmp_path)
    assert _wait_for(lambda: len(set(_session_members(service.pid).values())) >= 2, 10)
    service.stop(grace_s=5)
    assert not _session_members(service.pid)
    assert service.watchdog.poll() is not None
