"""Services a test run starts die with it, even when the run is killed.

A stand-in for a test process starts a real moto S3 server through `tests.services`,
inside a shell that also starts a grandchild, and is then killed; every process of the
service's group must be gone shortly after.
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


def _group_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, _, group = stat.rsplit(")", 1)[1].split()[:3]
        if int(group) == pgid and state != "Z":
            members.append(int(entry.name))
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
    shell = f"{sys.executable} -m moto.server -H 127.0.0.1 -p {port} & sleep 600 & wait"
    script = OWNER.format(
        repo=str(REPO), shell=shell, workdir=str(tmp_path), pid_file=str(pid_file)
    )
    owner = subprocess.Popen(
        [sys.executable, "-c", script], env=python_env(), start_new_session=True
    )
    try:
        assert _wait_for(lambda: pid_file.exists() and port_open(port), 60), "moto never started"
        pgid = int(pid_file.read_text())
        assert len(_group_members(pgid)) >= 3  # bash, moto, sleep

        os.kill(owner.pid, sig)
        owner.wait(timeout=10)

        assert _wait_for(lambda: not _group_members(pgid), 30), _group_members(pgid)
        assert not port_open(port)
    finally:
        if owner.poll() is None:
            owner.kill()


def test_a_stopped_service_takes_its_children_and_watchdog_with_it(tmp_path):
    service = start_service("sleepers", ["bash", "-c", "sleep 600 & sleep 600"], {}, tmp_path)
    assert _wait_for(lambda: len(_group_members(service.pid)) >= 2, 10)
    service.stop(grace_s=5)
    assert not _group_members(service.pid)
    assert service.watchdog.poll() is not None
