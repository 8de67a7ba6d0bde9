"""The operator's process manager for the crash runs: keeps one `serve` running, restarting
it whenever it stopped (as systemd's Restart=always would), and kills a random process of
the stack with SIGKILL on request: `serve` itself or one of its children."""
from __future__ import annotations

import os
import random
import signal
import threading
import time
from pathlib import Path

from tests.conftest import Stack, start_stack, stop_stack

TURN_TIMEOUT = 900.0  # several kills and restarts may fall inside one turn

# serve's children, by what their command line runs; `serve` itself is a crash point too.
PROCESS_NAMES = {"actions.server": "actions", "bot.rasa_plugins.launcher": "rasa",
                 "bot.channels.web": "web", "bot.channels.telegram": "telegram",
                 "bot.desk": "desk", "bot.stack.scheduler": "scheduler"}


class Operator:
    """Keeps one `serve` running: restarts it whenever it has stopped, like systemd would."""

    def __init__(self, var: Path, env: dict, log) -> None:
        self.var, self.env, self.log = var, env, log
        self.up = threading.Event()
        self.stack: Stack | None = None
        self.generation = 0
        self.restart_seconds: list[float] = []
        self._stopping = False
        self._start()
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._watcher.start()

    def _start(self) -> None:
        for attempt in range(5):
            began = time.monotonic()
            try:
                self.stack = start_stack(self.var, self.env)
            except RuntimeError as error:
                self.log(f"serve did not start (attempt {attempt + 1}): {str(error)[-300:]}")
                time.sleep(2)
                continue
            self.restart_seconds.append(time.monotonic() - began)
            self.generation += 1
            self.up.set()
            return
        raise RuntimeError("serve could not be restarted five times in a row")

    def _watch(self) -> None:
        while not self._stopping:
            if self.stack.process.poll() is not None and not self._stopping:
                self.up.clear()
                self._start()
            time.sleep(0.2)

    def webhook(self) -> str:
        self.up.wait(TURN_TIMEOUT)
        return self.stack.webhook

    def processes(self) -> dict[str, int]:
        """serve's pid and its children's, by role."""
        serve = self.stack.process.pid
        found = {"serve": serve}
        try:
            children = Path(f"/proc/{serve}/task/{serve}/children").read_text().split()
        except OSError:
            return found
        for pid in children:
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            for marker, name in PROCESS_NAMES.items():
                if marker in command:
                    found[name] = int(pid)
        return found

    def kill(self, rng: random.Random) -> str | None:
        running = self.processes()
        target = rng.choice(sorted(running))
        try:
            os.kill(running[target], signal.SIGKILL)
        except ProcessLookupError:
            return None
        self.up.clear()
        return target

    def stop(self) -> None:
        self._stopping = True
        self._watcher.join(5)
        if self.stack is not None:
            stop_stack(self.stack)
