"""`serve` start-up, supervision and shutdown; the set-up script; `rasa data validate`."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, free_port, start_stack, stop_stack

SETUP = REPO / "scripts" / "setup.sh"


@pytest.mark.stack
def test_ready_is_printed_once_and_sigterm_stops_everything(trained_model, tmp_path):
    running = start_stack(tmp_path / "var")
    children = subprocess.run(["pgrep", "-P", str(running.process.pid)], capture_output=True,
                              text=True).stdout.split()
    assert len(children) == 5  # the action server, Rasa, the web chat, the desk and the scheduler
    code = stop_stack(running)
    assert code == 0
    time.sleep(1)
    for pid in children:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    ready = [line for line in running.output if line.startswith("ready")]
    assert len(ready) == 1
    assert re.search(r"ready in \d+(\.\d+)? s", ready[0])
    # The operator sees where start-up went, part by part, before `ready`.
    timing = [line for line in running.output if line.startswith("start-up, seconds until each answered")]
    assert len(timing) == 1 and running.output.index(timing[0]) < running.output.index(ready[0])
    for part in ("the action server", "Rasa", "the web channel", "the scheduler channel"):
        assert re.search(re.escape(part) + r" \d+\.\d", timing[0]), timing[0]


@pytest.mark.stack
def test_a_killed_serve_leaves_no_orphans_holding_the_ports(trained_model, tmp_path):
    running = start_stack(tmp_path / "var")
    children = subprocess.run(["pgrep", "-P", str(running.process.pid)], capture_output=True,
                              text=True).stdout.split()
    assert children
    running.process.kill()  # as the OOM killer would: no chance to clean up
    running.process.wait()
    deadline = time.monotonic() + 60
    alive = children
    while alive and time.monotonic() < deadline:
        time.sleep(0.5)
        alive = [pid for pid in alive if Path(f"/proc/{pid}").exists()
                 and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()]
    assert not alive, f"still running after serve was killed: {alive}"
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", running.rasa_port)) != 0


@pytest.mark.stack
def test_a_dying_child_stops_serve_with_an_error(trained_model, tmp_path):
    running = start_stack(tmp_path / "var")
    actions = subprocess.run(["pgrep", "-f", f"actions.server --port {running.env['ACTION_PORT']}"],
                             capture_output=True, text=True).stdout.split()
    assert actions
    os.kill(int(actions[0]), signal.SIGKILL)
    code = running.process.wait(60)
    assert code != 0
    assert any("stopped unexpectedly" in line for line in running.output)
    # Rasa was stopped too: nothing keeps listening half-alive.
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", running.rasa_port)) != 0


def test_a_port_in_use_is_one_clear_line(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "bot", "serve"], cwd=REPO, capture_output=True, text=True,
            env={**os.environ, "RASA_PORT": str(port), "ACTION_PORT": str(free_port()),
                 "WEB_PORT": str(free_port()), "COORDINATOR_PORT": str(free_port())}, timeout=120)
    assert result.returncode != 0
    assert f"port {port}" in result.stderr and "RASA_PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_corrupt_model_file_is_explained(tmp_path, trained_model):
    models = tmp_path / "models"
    models.mkdir()
    from bot.stack.model_cache import model_path

    broken = model_path(models)
    broken.write_bytes(b"not a model")
    # Every port free, so that a `serve` running beside the tests cannot decide the outcome.
    env = {**os.environ, "SIPKOMPIS_MODELS_DIR": str(models), "RASA_PORT": str(free_port()),
           "ACTION_PORT": str(free_port()), "WEB_PORT": str(free_port()),
           "COORDINATOR_PORT": str(free_port())}
    result = subprocess.run([sys.executable, "-m", "bot", "serve"], cwd=REPO, capture_output=True,
                            text=True, env=env, timeout=400)
    assert result.returncode != 0
    assert "model" in result.stderr.lower()
    assert not any(line.startswith("ready") for line in result.stdout.splitlines())


def _fake_bin(tmp_path: Path, name: str, script: str) -> None:
    path = tmp_path / "bin" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)


def test_setup_finds_python310_by_running_it_not_by_its_presence(tmp_path):
    # A shim named python3.10 that exists but fails, as pyenv's does.
    _fake_bin(tmp_path, "python3.10", "echo 'pyenv: python3.10: command not found' >&2; exit 127")
    env = {"PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin", "HOME": str(Path.home()),
           "PYENV_ROOT": os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))}
    result = subprocess.run(["bash", str(SETUP), "--find-python"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    found = result.stdout.strip()
    assert "3.10" in subprocess.run([found, "--version"], capture_output=True, text=True).stdout


def test_setup_without_python310_says_what_to_install(tmp_path):
    _fake_bin(tmp_path, "python3.10", "exit 127")
    env = {"PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path),
           "PYENV_ROOT": str(tmp_path / "no-pyenv")}
    result = subprocess.run(["bash", str(SETUP)], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode != 0
    assert "Python 3.10" in result.stderr and "install" in result.stderr


def test_setup_rerun_with_nothing_changed_is_quick():
    started = time.monotonic()
    result = subprocess.run(["bash", str(SETUP)], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "setting up" not in result.stdout  # nothing reinstalled
    assert time.monotonic() - started < 60  # generous: a reinstall takes minutes


def test_rasa_data_validate_is_clean():
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "rasa", "data", "validate", "--data", "data",
                             "--domain", "config/domain", "--config", "config/config.yml"],
                            cwd=REPO, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
    warnings = [line for line in (result.stdout + result.stderr).splitlines() if "UserWarning" in line]
    actions_code = "\n".join(p.read_text() for p in (REPO / "actions").glob("*.py"))
    payload_only = {"crisis", "choose_participation", "choose_sharing", "toggle_sharing", "toggle_use",
                    "edit_item", "remove_item", "show_menu", "review_summary",
                    # after the meeting: buttons, and the FollowupOverride component
                    "followup_open", "read_outcome", "open_reminder", "answer_heard",
                    "approve_feedback", "choose_feedback_sharing", "toggle_feedback",
                    "restart_feedback", "checkin_answer", "checkin_tell",
                    "add_more"}  # "Säg mer" on the summary
    unexplained = []
    for line in warnings:
        utterance = re.search(r"The utterance '(\w+)' is not used in any story or rule", line)
        intent = re.search(r"The intent '(\w+)' is listed in the domain file, but is not found", line)
        if utterance and f'"{utterance.group(1)}"' in actions_code:
            continue  # composed by an action, so no story names it
        if utterance and utterance.group(1).startswith(("utter_ask_answer_", "utter_ask_heard_")):
            continue  # asked by the preparation form for its required slot
        if intent and intent.group(1) in payload_only:
            continue  # reached only by a button payload or the crisis component
        unexplained.append(line)
    assert not unexplained, "\n".join(unexplained)
