"""Kill a session's processes once the process that owns them is gone.

    python tests/watchdog.py <owner pid> <session id>

A service starts in a session of its own (its pid is the session id); what it starts
stays in that session even in process groups of its own (an Airflow scheduler's task
processes, and their JVMs). The watchdog runs in another session, so killing the owner
(even with SIGKILL) does not kill it. It exits when the session's processes are gone,
or after terminating every process group of the session (SIGTERM, then SIGKILL 10 s
later) when the owner has died. Standard library only; Linux (/proc).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time

POLL_S = 0.5


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (dead, not yet reaped) still answers kill(0): check its state.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def group_alive(pgid: int) -> bool:
    """Whether any process of group `pgid` is still there (zombies included)."""
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def session_groups(sid: int) -> set[int]:
    """The process groups of the live (not zombie) processes of session `sid`."""
    groups = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                state, _, group, session = stat.read().rsplit(")", 1)[1].split()[:4]
        except (OSError, ValueError):
            continue
        if int(session) == sid and state != "Z":
            groups.add(int(group))
    return groups


def signal_session(sid: int, sig: int) -> None:
    """Send `sig` to every process group of session `sid`."""
    for group in session_groups(sid):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, sig)


def main(owner: int, sid: int) -> None:
    """Wait for the owner's death (or the session's end); then end the session."""
    while session_groups(sid):
        if not _alive(owner):
            for sig, wait_s in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 0.0)):
                signal_session(sid, sig)
                deadline = time.monotonic() + wait_s
                while time.monotonic() < deadline and session_groups(sid):
                    time.sleep(POLL_S)
            return
        time.sleep(POLL_S)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
