"""`serve`: start the action server and Rasa, prove they answer, start the channels
(bot/stack/channels.py), then watch them all.

If any child process dies the whole command stops with a clear message and a non-zero
exit; it never keeps running half-alive. Ctrl-C or SIGTERM stops both cleanly.
"""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot.channels import channel_secret
from bot.config import REPO_ROOT, Settings
from bot.stack.channels import ChannelProcess, channel_processes
from bot.stack.model_cache import rasa_env

EXPECTED_STORE = "EncryptedTrackerStore"


class StartupError(Exception):
    pass


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def http_json(url: str, body: dict | None = None, timeout: float = 5.0,
              headers: dict[str, str] | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode() or "null")


def child_env(settings: Settings) -> dict[str, str]:
    env = rasa_env()
    env.update({
        "SIPKOMPIS_DB_URL": settings.db_url,
        "SIPKOMPIS_MASTER_KEY_FILE": str(settings.master_key_file),
        "SIPKOMPIS_VAR_DIR": str(settings.var_dir),
        "ACTION_PORT": str(settings.action_port),
        "RASA_PORT": str(settings.rasa_port),
        "WEB_PORT": str(settings.web_port),
        "COORDINATOR_PORT": str(settings.coordinator_port),
    })
    return env


def _die_with_parent() -> None:
    """Runs in each child before exec: if `serve` itself is killed (kill -9, the OOM killer),
    the kernel kills the child too. Otherwise orphans keep the ports and the next `serve`
    cannot start. Children run in their own session so Ctrl-C reaches only `serve`, which
    then stops them in order."""
    import ctypes

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


@dataclass
class Stack:
    settings: Settings
    log_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    channels: list[ChannelProcess] = field(default_factory=list)
    commands: dict[str, list[str]] = field(default_factory=dict)  # to restart a replica
    # Seconds from the stack's start until each part first answered: start-up is measured
    # where it is spent, so a slow part shows by name (issue 14).
    answered: dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def start(self, name: str, command: list[str]) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}.log", "ab")
        self.commands[name] = command
        self.processes[name] = subprocess.Popen(
            command, cwd=REPO_ROOT, env=child_env(self.settings), stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent)

    def dead(self) -> tuple[str, int] | None:
        for name, process in self.processes.items():
            code = process.poll()
            if code is not None:
                return name, code
        return None

    def wait_until(self, check, what: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            gone = self.dead()
            if gone:
                raise StartupError(f"{gone[0]} exited with code {gone[1]} while starting; "
                                   f"see {self.log_dir / (gone[0] + '.log')}")
            try:
                if check():
                    self.answered.setdefault(what, time.monotonic() - self.started)
                    return
            except (OSError, urllib.error.URLError, ValueError):
                pass
            time.sleep(0.3)
        raise StartupError(f"{what} did not answer within {int(timeout)} s; see {self.log_dir}")

    def stop(self, timeout: float = 15.0) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def start_stack(settings: Settings, model: Path, log_dir: Path) -> Stack:
    stack = Stack(settings, log_dir)
    python = sys.executable
    stack.start("actions", [python, "-m", "actions.server", "--port", str(settings.action_port)])
    for name, port in rasa_replicas(settings):
        stack.start(name, [python, "-m", "bot.rasa_plugins.launcher", "--model", str(model),
                           "--port", str(port),
                           "--endpoints", os.environ.get("SIPKOMPIS_ENDPOINTS", "config/endpoints.yml"),
                           "--credentials", "config/credentials.yml"])
    # Channels with nothing waiting for them start beside Rasa, not after it: each copes
    # with Rasa still loading, so start-up costs the slowest part instead of Rasa plus the
    # slowest channel (issue 14). Telegram waits (see ChannelProcess.after_rasa).
    try:
        channels = channel_processes(settings)
        for channel in channels:
            if not channel.after_rasa:
                stack.start(channel.name, channel.command)
        stack.wait_until(lambda: http_json(f"http://127.0.0.1:{settings.action_port}/health"),
                         "the action server", 120)
        # Every replica answers, with the encrypted store and a real message, before `ready`.
        for name, port in rasa_replicas(settings):
            rasa_url = f"http://127.0.0.1:{port}"
            status_url = f"{rasa_url}/webhooks/rest/status"
            # The replicas load their models side by side, sharing the machine's cores.
            stack.wait_until(lambda: http_json(status_url)["model_loaded"],
                             "Rasa" if name == "rasa" else f"Rasa replica {name}",
                             300 * settings.rasa_replicas)
            store = http_json(status_url)["tracker_store"]
            if store != EXPECTED_STORE:
                raise StartupError(f"Rasa is using {store}, not the encrypted tracker store; refusing to start")
            probe_webhook(settings, f"{rasa_url}/webhooks/rest/webhook")
        for channel in channels:
            if channel.after_rasa:
                stack.start(channel.name, channel.command)
        for channel in channels:
            stack.wait_until(channel.ready, f"the {channel.name} channel", 120)
            stack.channels.append(channel)
    except BaseException:
        stack.stop()
        raise
    return stack


def rasa_replicas(settings: Settings) -> list[tuple[str, int]]:
    """(process name, port) of each Rasa replica; the first keeps the name `rasa`."""
    return [("rasa" if i == 0 else f"rasa-{i + 1}", port)
            for i, port in enumerate(settings.rasa_ports)]


def probe_webhook(settings: Settings, webhook_url: str | None = None) -> None:
    """A real message through the REST webhook, then its trace is removed."""
    from bot.services.conversations import discard
    from bot.store.db import open_store, transaction
    from bot.store.keyring import Keyring

    sender = f"probe-{secrets.token_hex(8)}"
    try:
        reply = http_json(webhook_url or settings.webhook_url, {"sender": sender, "message": "hej"},
                          timeout=60, headers=channel_secret.headers())
    except (OSError, urllib.error.URLError) as error:
        raise StartupError(f"the REST webhook did not answer a test message: {error}") from None
    finally:
        with transaction(open_store(settings.db_url)) as session:
            discard(session, Keyring(session), sender)
    if not isinstance(reply, list) or not reply:
        raise StartupError("the REST webhook answered a test message with nothing")


RESTARTS_PER_WINDOW, RESTART_WINDOW = 3, 600.0


def _may_restart(stack: Stack, name: str, restarts: dict[str, list[float]]) -> bool:
    """A Rasa replica that dies is restarted while others serve (RASA_REPLICAS > 1), a few
    times; anything else, or a replica that keeps dying, stops everything."""
    replicas = [replica for replica, _port in rasa_replicas(stack.settings)]
    if len(replicas) < 2 or name not in replicas:
        return False
    now = time.monotonic()
    recent = [t for t in restarts.get(name, []) if now - t < RESTART_WINDOW]
    if len(recent) >= RESTARTS_PER_WINDOW:
        return False
    restarts[name] = recent + [now]
    return True


def supervise(stack: Stack) -> int:
    """Block until a child dies (exit 1) or we are told to stop (exit 0)."""
    stopping = {"flag": False}

    def on_signal(signum, _frame):
        stopping["flag"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    restarts: dict[str, list[float]] = {}
    while not stopping["flag"]:
        gone = stack.dead()
        if gone and _may_restart(stack, gone[0], restarts):
            print(f"warning: {gone[0]} stopped (exit {gone[1]}); restarting it, the other Rasa "
                  "replicas take its turns meanwhile", file=sys.stderr, flush=True)
            stack.start(gone[0], stack.commands[gone[0]])
            continue
        if gone:
            print(f"error: {gone[0]} stopped unexpectedly (exit {gone[1]}); stopping everything. "
                  f"See {stack.log_dir / (gone[0] + '.log')}", file=sys.stderr, flush=True)
            stack.stop()
            return 1
        time.sleep(0.5)
    print("stopping", flush=True)
    stack.stop()
    return 0
