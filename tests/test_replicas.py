"""RASA_REPLICAS=2 on loopback: the layout of docker/compose.yml on one machine.

Two real Rasa servers share a real PostgreSQL store and a real Redis lock store. Turns of
one conversation go to either replica (directly to each port, and through the channels'
relay), one after another and at the same moment, and every child's answers still arrive
once each and in order; one replica dying costs no turn and is restarted.
"""
from __future__ import annotations

import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from tests.conftest import REPO, free_port, start_stack, stop_stack
from tests.load_world import (answers, cli, delivered, delivered_once, golden_path, new_coordinator,
                              new_meeting, run_children, texts)

CONVERSATIONS = int(os.environ.get("SIPKOMPIS_TEST_REPLICA_CONVERSATIONS", "50"))


def port_pair() -> int:
    """A port p with p + 1 free as well: the two replicas' ports."""
    for _ in range(50):
        port = free_port()
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two consecutive free ports")


def say(replicas, port: int, sender: str, message: str) -> list[dict]:
    from bot.channels import channel_secret

    response = httpx.post(f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                          json={"sender": sender, "message": message},
                          headers=channel_secret.headers(replicas.env), timeout=180)
    response.raise_for_status()
    return response.json()


@pytest.fixture(scope="module")
def replica_db(pg_server_url):
    """A database of its own on the test server (other suites drop the shared schema)."""
    import sqlalchemy

    name = f"sipkompis_replicas_{secrets.token_hex(4)}"
    admin = sqlalchemy.create_engine(pg_server_url, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f"create database {name}"))
    parts = urlsplit(pg_server_url)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(
            f"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{name}'"))
        connection.execute(sqlalchemy.text(f"drop database if exists {name}"))
    admin.dispose()


@pytest.fixture(scope="module")
def replicas(trained_model, replica_db, redis_url, tmp_path_factory):
    port = port_pair()
    running = start_stack(tmp_path_factory.mktemp("replicas") / "var",
                          {"RASA_REPLICAS": "2", "RASA_PORT": str(port),
                           "SIPKOMPIS_DB_URL": replica_db, "SIPKOMPIS_LOCK_STORE_URL": redis_url},
                          timeout=900)
    running.ports = (port, port + 1)
    yield running
    stop_stack(running)


def _meetings(stack, n: int) -> list[dict]:
    coordinator = new_coordinator(stack)
    return [new_meeting(stack, coordinator) for _ in range(n)]


@pytest.mark.stack
def test_serve_prints_ready_once_after_both_replicas_answer(replicas):
    ready = [line for line in replicas.output if line.startswith("ready")]
    assert len(ready) == 1 and str(replicas.ports[1]) in ready[0]
    for port in replicas.ports:
        status = httpx.get(f"http://127.0.0.1:{port}/webhooks/rest/status", timeout=10).json()
        assert status == {"tracker_store": "EncryptedTrackerStore", "model_loaded": True}
    # The health checks the image runs (docker/Dockerfile HEALTHCHECK), against real processes.
    env = {**replicas.env, "SIPKOMPIS_RUN_DIR": str(replicas.var / "roles")}
    for role, extra in [("rasa", {"RASA_PORT": str(p)}) for p in replicas.ports] + [
            ("actions", {}), ("web", {})]:
        check = subprocess.run([sys.executable, "-m", "bot.stack.roles", "health", role], cwd=REPO,
                               env={**env, **extra}, capture_output=True, text=True, timeout=60)
        assert check.returncode == 0, (role, check.stderr)
    dead = subprocess.run([sys.executable, "-m", "bot.stack.roles", "health", "rasa"], cwd=REPO,
                          env={**env, "RASA_PORT": str(free_port())}, capture_output=True,
                          text=True, timeout=60)
    assert dead.returncode == 1


@pytest.mark.stack
def test_fifty_children_alternating_between_replicas_keep_every_answer_in_order(replicas):
    """CONVERSATIONS children at once, 20 turns each (issue 18's load), each turn to the
    other replica than the last: no error, every reply the one its step must show, every
    statement delivered once."""
    meetings = _meetings(replicas, CONVERSATIONS)
    load = run_children(meetings, lambda k, i, sender, message: say(
        replicas, replicas.ports[(i + k) % 2], sender, message))
    print("\n" + load.summary(f"{CONVERSATIONS} children over 2 replicas"), file=sys.__stderr__)
    assert load.failures == []
    assert len(load.done) == CONVERSATIONS
    for meeting, words in load.done:
        delivered_once(replicas, meeting, words)


@pytest.mark.stack
def test_two_turns_of_one_conversation_at_once_on_both_replicas_do_not_interleave(replicas):
    meeting = _meetings(replicas, 1)[0]
    sender, words = secrets.token_hex(8), answers("samtidigt")
    steps = golden_path(meeting["child_code"], words)
    for i, (message, shows) in enumerate(steps[:4]):
        assert shows(say(replicas, replicas.ports[i % 2], sender, message))
    # The first two answers at the same moment, one to each replica: the lock store lets
    # one turn finish before the other starts, so each reply asks exactly one next question.
    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(lambda pair: say(replicas, pair[0], sender, pair[1]),
                                 [(replicas.ports[0], words["good"]), (replicas.ports[1], words["hard"])])
    asked = sorted(["hard" if "svårt" in texts(r).lower() else "wish" if "önskar" in texts(r).lower()
                    else texts(r) for r in (first, second)])
    assert asked == ["hard", "wish"]
    # Which answer came first decides which question it answers; both are kept, once each.
    rest = say(replicas, replicas.ports[0], sender, words["wish"])
    assert "4 av 5" in texts(rest)
    say(replicas, replicas.ports[1], sender, words["question"])
    summary = texts(say(replicas, replicas.ports[0], sender, '/choose_participation{"participation": "part"}'))
    assert all(summary.count(w) == 1 for w in words.values())
    say(replicas, replicas.ports[1], sender, "/approve_summary")
    statements = delivered(replicas, meeting)
    assert len(statements) == 1
    assert sorted(i["text"] for i in statements[0]["items"] if i["kind"] in words) == sorted(words.values())


def _replica_pid(stack, port: int) -> int:
    """The Rasa process that `serve` (our child) started on `port`."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == stack.process.pid and b"bot.rasa_plugins.launcher" in argv \
                and str(port).encode() in argv:
            return int(proc.name)
    raise AssertionError(f"no Rasa replica of this serve on port {port}")


async def _relay_golden_path(webhooks: tuple[str, ...], code: str, words: dict[str, str]) -> None:
    from bot.channels.relay import relay

    sender = secrets.token_hex(8)
    async with httpx.AsyncClient() as client:
        for i, (message, shows) in enumerate(golden_path(code, words)):
            payload = message.startswith("/")
            replies = await relay(client, webhooks, sender, message, secrets.token_hex(8),
                                  payload=payload, timeout=180)
            assert shows(replies), (i, texts(replies))


@pytest.mark.stack
def test_channels_relay_spreads_turns_and_survives_a_replica_dying(replicas, monkeypatch):
    """The golden path through the relay every channel uses, over both replicas; then with
    one replica killed: its turns go to the other, and `serve` restarts it."""
    # This process relays as a channel would: with the stack's key, hence its secret.
    monkeypatch.setenv("SIPKOMPIS_MASTER_KEY_FILE", replicas.env["SIPKOMPIS_MASTER_KEY_FILE"])
    webhooks = tuple(f"http://127.0.0.1:{p}/webhooks/rest/webhook" for p in replicas.ports)
    first, second = _meetings(replicas, 2)
    words = answers("relay")
    asyncio.run(_relay_golden_path(webhooks, first["child_code"], words))
    delivered_once(replicas, first, words)

    os.kill(_replica_pid(replicas, replicas.ports[1]), signal.SIGKILL)
    words = answers("utan-replik-2")
    asyncio.run(_relay_golden_path(webhooks, second["child_code"], words))
    delivered_once(replicas, second, words)

    deadline = time.monotonic() + 400
    while time.monotonic() < deadline:
        try:
            status = httpx.get(f"http://127.0.0.1:{replicas.ports[1]}/webhooks/rest/status",
                               timeout=5).json()
            if status.get("model_loaded"):
                break
        except (httpx.HTTPError, ValueError):
            pass
        assert replicas.process.poll() is None, "serve stopped instead of restarting the replica"
        time.sleep(2)
    else:
        raise AssertionError("the killed replica was not restarted")
    assert "kod" in texts(say(replicas, replicas.ports[1], secrets.token_hex(8), "hej")).lower()
    assert any(line.startswith("warning: rasa-2 stopped") for line in replicas.output)
    assert len([line for line in replicas.output if line.startswith("ready")]) == 1


def test_serve_refuses_replicas_on_sqlite_or_without_redis(pg_server_url):
    """One line, a non-zero exit, before anything starts (the URL is never connected to)."""
    base = {"RASA_REPLICAS": "2", "RASA_PORT": str(free_port()), "ACTION_PORT": str(free_port()),
            "WEB_PORT": str(free_port()), "COORDINATOR_PORT": str(free_port())}
    for extra, missing, present in [
        ({}, ["SIPKOMPIS_DB_URL", "SIPKOMPIS_LOCK_STORE_URL"], []),
        ({"SIPKOMPIS_LOCK_STORE_URL": "redis://127.0.0.1:6379/0"}, ["SIPKOMPIS_DB_URL"],
         ["SIPKOMPIS_LOCK_STORE_URL"]),
        ({"SIPKOMPIS_DB_URL": pg_server_url}, ["SIPKOMPIS_LOCK_STORE_URL"], ["SIPKOMPIS_DB_URL"]),
    ]:
        env = {k: v for k, v in os.environ.items() if k != "SIPKOMPIS_LOCK_STORE_URL"}
        result = subprocess.run([sys.executable, "-m", "bot", "serve"], cwd=REPO,
                                env={**env, **base, **extra}, capture_output=True, text=True,
                                timeout=120)
        assert result.returncode != 0
        lines = (result.stdout + result.stderr).strip().splitlines()
        assert len(lines) == 1, lines
        assert "RASA_REPLICAS=2" in lines[0]
        assert all(name in lines[0] for name in missing)
        assert not any(name in lines[0] for name in present)
        assert not lines[0].startswith("ready")

