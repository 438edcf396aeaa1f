"""Kill a process group once the process that owns it is gone.

    python tests/watchdog.py <owner pid> <process group id>

Runs in a session of its own, so killing the owner (even with SIGKILL) does not kill
it. It exits when the group is gone, or after terminating the group (SIGTERM, then
SIGKILL 10 s later) when the owner has died. Standard library only.
"""

from __future__ import annotations

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


def main(owner: int, pgid: int) -> None:
    """Wait for the owner's death (or the group's end); then end the group."""
    while group_alive(pgid):
        if not _alive(owner):
            for sig, wait_s in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 0.0)):
                try:
                    os.killpg(pgid, sig)
                except ProcessLookupError:
                    return
                deadline = time.monotonic() + wait_s
                while time.monotonic() < deadline and group_alive(pgid):
                    time.sleep(POLL_S)
            return
        time.sleep(POLL_S)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
