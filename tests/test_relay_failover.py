"""The relay's fail-over between Rasa replicas, against real processes killed for real.

A replica that dies just as a turn reaches it (the kernel had accepted the connection),
or whose keep-alive connections the channels' shared client still holds, fails that turn
with a reset, not a refusal. It never answers again, so the turn must go to the next
replica. A replica that is alive but drops the connection may hold the turn: the message
is then kept for a retry at the same replica (RasaUnavailable), never sent to a second
one that would process it twice.
"""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time

import httpx
import pytest

from bot.channels.relay import RasaUnavailable, relay, replica_order
from tests.conftest import free_port

# A stand-in replica: real HTTP with keep-alive, answering the REST webhook with its name,
# or (drop) closing every connection without an answer. A real Rasa takes a minute to
# start, and cannot be told to drop a connection.
REPLICA = textwrap.dedent('''
    import socket, sys
    from aiohttp import web
    name, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    async def webhook(request):
        await request.read()
        print("post", flush=True)
        if mode == "drop":
            request.transport.close()
            await __import__("asyncio").sleep(1)
        return web.json_response([{"text": name}])
    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    web.run_app(app, host="127.0.0.1", port=port, print=lambda *a: print("up", flush=True),
                access_log=None)
''')


def start_replica(name: str, mode: str = "ok") -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", REPLICA, name, str(port), mode],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "up"
    return process, f"http://127.0.0.1:{port}/webhooks/rest/webhook"


@pytest.fixture
def replicas(isolated_env):
    from bot.crypto.masterkey import load_master_key

    load_master_key(None, isolated_env / "master.key")  # the relay signs with it, as in serve
    started = []

    def start(name: str, mode: str = "ok") -> tuple[subprocess.Popen, str]:
        started.append(start_replica(name, mode))
        return started[-1]

    yield start
    for process, _ in started:
        if process.poll() is None:
            process.kill()
        process.wait(10)


def first_at(urls: tuple[str, ...], wanted: str, sender: str, prefix: str = "m") -> str:
    """A new message id that the relay sends to `wanted` first."""
    for n in range(1000):
        if replica_order(urls, sender, f"{prefix}{n}")[0] == wanted:
            return f"{prefix}{n}"
    raise AssertionError("no message id maps to that replica")


def posts_seen(process: subprocess.Popen) -> int:
    process.kill()
    out, _ = process.communicate(timeout=10)
    return out.split().count("post")


def test_a_replica_that_dies_with_the_turn_queued_fails_over_to_the_other(replicas):
    """The race CI met once: the replica is killed just as a turn reaches it. The kernel had
    accepted the connection for the dying process, so the turn fails with a reset, not a
    refusal; the replica is gone with whatever it held, and the other one must answer."""
    a, url_a = replicas("A")
    b, url_b = replicas("B")
    urls = (url_a, url_b)

    async def scenario() -> list[str]:
        async with httpx.AsyncClient() as client:  # shared across turns, as in every channel
            first = await relay(client, urls, "s1", "hej", first_at(urls, url_a, "s1"))
            os.kill(a.pid, signal.SIGSTOP)  # accepted by the kernel, never answered...
            turn = asyncio.ensure_future(relay(client, urls, "s1", "hej", first_at(urls, url_a, "s1", "n")))
            await asyncio.sleep(0.5)
            os.kill(a.pid, signal.SIGKILL)  # ...then the replica dies with it queued
            after = await asyncio.wait_for(turn, 30)
            return [first[0]["text"], after[0]["text"]]

    assert asyncio.run(scenario()) == ["A", "B"]
    assert posts_seen(b) == 1


def test_a_replica_that_is_alive_but_drops_the_turn_keeps_it_for_a_retry_there(replicas):
    _, url_drop = replicas("D", "drop")
    other, url_b = replicas("B")
    urls = (url_drop, url_b)

    async def scenario() -> None:
        async with httpx.AsyncClient() as client:
            await relay(client, urls, "s1", "hej", first_at(urls, url_drop, "s1"))

    started = time.monotonic()
    with pytest.raises(RasaUnavailable) as raised:
        asyncio.run(scenario())
    assert time.monotonic() - started < 30
    assert posts_seen(other) == 0, "a turn the live replica may hold went to a second replica"
    # Content-free: the type of the transport error, never the message.
    assert "hej" not in str(raised.value)


def test_every_replica_down_is_rasa_unavailable_at_once(replicas):
    urls = (f"http://127.0.0.1:{free_port()}/webhooks/rest/webhook",
            f"http://127.0.0.1:{free_port()}/webhooks/rest/webhook")

    async def scenario() -> None:
        async with httpx.AsyncClient() as client:
            await relay(client, urls, "s1", "hej", "m1")

    with pytest.raises(RasaUnavailable, match="no rasa replica"):
        asyncio.run(scenario())
