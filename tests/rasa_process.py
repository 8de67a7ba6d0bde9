"""Hang a running Rasa for real: find the processes listening on its port (from /proc, as
`serve` starts Rasa in a session of its own) and SIGSTOP them; SIGCONT always follows,
also when the test fails, so no later test meets a frozen Rasa."""
from __future__ import annotations

import os
import signal
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(inode)
    return inodes


def listening_pids(port: int) -> list[int]:
    """Every process holding the listening socket of `port`."""
    wanted = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                if os.readlink(fd) in wanted:
                    pids.append(int(entry.name))
                    break
        except OSError:
            continue
    if not pids:
        raise AssertionError(f"no process listens on port {port}")
    return pids


@contextmanager
def hung(port: int) -> Iterator[list[int]]:
    """Rasa frozen mid-flight (SIGSTOP) for the body of the `with`, then thawed."""
    pids = listening_pids(port)
    try:
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        yield pids
    finally:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass


class Stopwatch:
    def __init__(self) -> None:
        self.started = time.monotonic()

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


def report(channel: str, seconds: float) -> None:
    """The measured time to help, for the notes (stderr, past pytest's capture)."""
    import sys

    print(f"\ntime to help with Rasa hung, {channel}: {seconds:.2f} s", file=sys.__stderr__, flush=True)
