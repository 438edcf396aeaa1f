"""Child processes of the test run (Spark master/worker, metastore, moto, pipeline runs) that
never outlive it.

Each child starts in a session of its own, so stopping it stops everything it started,
also in process groups of their own (a Spark worker's executors, an Airflow scheduler's
task processes and their JVMs). Two guards cover a test run that is killed rather than
ended: the child gets SIGKILL from the kernel when the test process dies (Linux
parent-death signal), and a watchdog process, in a session of its own, kills every
process of the child's session once the test process is gone.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.watchdog import session_groups, signal_session

_PR_SET_PDEATHSIG = 1
_WATCHDOG = Path(__file__).with_name("watchdog.py")


def _die_with_parent() -> None:  # runs in the child between fork and exec
    os.setsid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the watchdog alone covers it
        pass


@dataclass
class Service:
    """A supervised child process and where its output goes."""

    name: str
    process: subprocess.Popen
    log: Path
    watchdog: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        """The end of the child's output."""
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self, grace_s: float = 20) -> None:
        """Terminate every process of the child's session; kill what is left after `grace_s`.

        The session holds what the child started in process groups of their own too (an
        Airflow scheduler's task processes and their JVMs).
        """
        for sig, wait_s in ((signal.SIGTERM, grace_s), (signal.SIGKILL, 10)):
            if self.process.poll() is not None and not session_groups(self.pid):
                break
            signal_session(self.pid, sig)
            deadline = time.monotonic() + wait_s
            while time.monotonic() < deadline:
                if self.process.poll() is not None and not session_groups(self.pid):
                    break
                time.sleep(0.2)
        if self.watchdog is not None and self.watchdog.poll() is None:
            self.watchdog.kill()
            self.watchdog.wait()


def start_service(
    name: str, command: list[str], env: dict[str, str], workdir: Path, *, log: Path | None = None
) -> Service:
    """Start `command` as a supervised child; its output goes to `log` (`workdir/<name>.log`)."""
    log = log or workdir / f"{name}.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            command,
            cwd=workdir,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
    watchdog = subprocess.Popen(
        [sys.executable, str(_WATCHDOG), str(os.getpid()), str(process.pid)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return Service(name, process, log, watchdog)
