"""Shared pieces of the benchmarks: a `serve` in a throw-away var dir, children with codes,
and a concurrent REST load that records every turn's latency.

Nothing here asserts anything: the benchmarks report numbers, the tests assert behaviour.
"""
from __future__ import annotations

import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("SIPKOMPIS_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")

# Thirty turns of what children typically do: greet, give the code, consent, ask about the
# meeting, prepare (five answers), approve, then ask more. Typed as children type.
OUR_SCRIPT = [
    "hej", "{code}", "/affirm", "vad är ett sip möte", "när är mötet", "vem kommer",
    "vad gör en kurator", "måste jag vara med", "vem kan läsa det jag skriver",
    "/start_preparation", "jag gillar fotboll och min kompis", "det är stökigt i klassen",
    "mer lugn på lektionerna", "varför byter ni lärare hela tiden", "/skip",
    "/approve_summary", "tack", "vad händer nu", "när är mötet", "vem kommer",
    "vad gör socialsekreteraren", "varför har vi mötet", "vem kan läsa det", "hej",
    "vad är sip", "måste jag gå dit", "tack så mycket", "vad gör bup", "okej", "hej då",
]
# The stock `rasa init` bot's own kind of conversation, same length.
STOCK_SCRIPT = [
    "hi", "I am sad", "yes", "great", "are you a bot?", "bye", "hello", "I am feeling very good",
    "no", "good morning", "I am unhappy", "yes it helped", "hey there", "am I talking to a human?",
    "goodbye", "hi", "very sad", "yes", "perfect", "see you later", "hello there", "I'm great",
    "are you a human?", "bye bye", "hey", "I don't feel very good", "no", "amazing", "good evening",
    "cu",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def children_of(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


@dataclass
class Load:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    empty: int = 0
    statuses: dict = field(default_factory=dict)
    wall_s: float = 0.0

    @property
    def turns(self) -> int:
        return len(self.latencies_ms)

    def summary(self) -> dict:
        lat = self.latencies_ms
        return {"turns": self.turns, "errors": self.errors, "empty_replies": self.empty,
                "statuses": dict(sorted(self.statuses.items())),
                "throughput_tps": round(self.turns / self.wall_s, 2) if self.wall_s else 0.0,
                "p50_ms": round(percentile(lat, 0.50), 1), "p95_ms": round(percentile(lat, 0.95), 1),
                "p99_ms": round(percentile(lat, 0.99), 1),
                "mean_ms": round(statistics.fmean(lat), 1) if lat else 0.0}


async def run_rest_load(url: str | list[str], scripts: list[list[str]], *, body=None,
                        timeout: float = 120, headers: dict | None = None) -> Load:
    """One asyncio task per child, each sending its script turn by turn (a child waits for
    the answer before typing again), all children at once. With several URLs (replicas),
    child k's turn i goes to URL (k + i) mod n: every conversation alternates replicas."""
    urls = [url] if isinstance(url, str) else list(url)
    load = Load()
    body = body or (lambda sender, text: {"sender": sender, "message": text})
    limits = httpx.Limits(max_connections=len(scripts) + 4, max_keepalive_connections=len(scripts) + 4)
    async with httpx.AsyncClient(timeout=timeout, limits=limits, headers=headers) as client:
        async def child(k: int, script: list[str]) -> None:
            sender = secrets.token_hex(8)
            for i, text in enumerate(script):
                started = time.perf_counter()
                try:
                    response = await client.post(urls[(k + i) % len(urls)], json=body(sender, text))
                    ok = response.status_code == 200
                    reply = response.json() if ok else None
                    status = str(response.status_code)
                except (httpx.HTTPError, ValueError) as error:
                    ok, reply, status = False, None, type(error).__name__
                load.statuses[status] = load.statuses.get(status, 0) + 1
                load.latencies_ms.append((time.perf_counter() - started) * 1000)
                if not ok:
                    load.errors += 1
                elif not reply:
                    load.empty += 1

        started = time.perf_counter()
        await asyncio.gather(*(child(k, s) for k, s in enumerate(scripts)))
        load.wall_s = time.perf_counter() - started
    return load


def rest_load(url: str, scripts: list[list[str]], **kwargs) -> Load:
    return asyncio.run(run_rest_load(url, scripts, **kwargs))


# --- our stack ---------------------------------------------------------------------------

def new_pg_database() -> tuple[str, callable] | None:
    """A fresh PostgreSQL database for one benchmark run, dropped afterwards."""
    try:
        import psycopg2
    except ImportError:
        return None
    name = f"bench_{secrets.token_hex(4)}"
    try:
        conn = psycopg2.connect(f"{PG_SERVER}/postgres", connect_timeout=3)
    except Exception:  # noqa: BLE001 - no server: SQLite instead
        return None
    conn.autocommit = True
    conn.cursor().execute(f"CREATE DATABASE {name}")
    conn.close()

    def drop() -> None:
        conn = psycopg2.connect(f"{PG_SERVER}/postgres")
        conn.autocommit = True
        conn.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.close()

    return f"{PG_SERVER}/{name}", drop


@dataclass
class OurStack:
    env: dict
    process: subprocess.Popen
    ready_s: float
    output: list[str]
    cleanup: list = field(default_factory=list)

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.env['RASA_PORT']}/webhooks/rest/webhook"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.env['RASA_PORT']}"

    @property
    def headers(self) -> dict[str, str]:
        """What our channels show the REST input; stock Rasa needs none."""
        from bot.channels import channel_secret

        return channel_secret.headers(self.env)

    def processes(self) -> dict[str, int]:
        found = {}
        for pid in children_of(self.process.pid):
            cmd = cmdline(pid)
            for marker, name in (("launcher", "rasa"), ("actions.server", "actions"),
                                 ("bot.channels.web", "web"), ("telegram", "telegram")):
                if marker in cmd:
                    found[name] = pid
        found["serve"] = self.process.pid
        return found

    def rss(self) -> dict[str, float]:
        return {name: rss_mb(pid) for name, pid in self.processes().items()}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for step in reversed(self.cleanup):
            try:
                step()
            except Exception:  # noqa: BLE001 - best effort clean-up of throw-away state
                pass


def start_our_stack(*, postgres: bool = True, extra_env: dict | None = None,
                    timeout: float = 300) -> OurStack:
    var = Path(tempfile.mkdtemp(prefix="sipkompis-bench-"))
    cleanup = []
    db_url = f"sqlite:///{var / 'sipkompis.db'}"
    if postgres:
        made = new_pg_database()
        if made:
            db_url, drop = made
            cleanup.append(drop)
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env = {**inherited, "SIPKOMPIS_VAR_DIR": str(var), "SIPKOMPIS_DB_URL": db_url,
           "SIPKOMPIS_MASTER_KEY_FILE": str(var / "master.key"),
           "RASA_PORT": str(free_port()), "ACTION_PORT": str(free_port()),
           "WEB_PORT": str(free_port()), "COORDINATOR_PORT": str(free_port()), "SIPKOMPIS_KEY_PASSPHRASE": "benchmark-only",
           "RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
           "TF_CPP_MIN_LOG_LEVEL": "3", **(extra_env or {})}
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=REPO, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output: list[str] = []
    import threading

    ready = threading.Event()

    def drain() -> None:
        for line in process.stdout:
            output.append(line.rstrip())
            if line.startswith("ready"):
                ready.set()
        ready.set()

    threading.Thread(target=drain, daemon=True).start()
    ready.wait(timeout)
    stack = OurStack(env, process, time.monotonic() - started, output, cleanup)
    if not output or not any(line.startswith("ready") for line in output):
        stack.stop()
        raise RuntimeError("serve did not become ready:\n" + "\n".join(output[-20:]))
    cleanup.append(lambda: __import__("shutil").rmtree(var, ignore_errors=True))
    return stack


def make_children(env: dict, count: int) -> list[str]:
    """`count` children, each with a meeting and an invite code, made in-process against
    the stack's own store (the CLI would cost a Python start-up per call)."""
    from datetime import timedelta

    saved = {k: os.environ.get(k) for k in ("SIPKOMPIS_DB_URL", "SIPKOMPIS_MASTER_KEY_FILE", "SIPKOMPIS_VAR_DIR")}
    os.environ.update({k: env[k] for k in saved})
    try:
        from bot.services import coordinators, invites, meetings
        from bot.store.db import open_store, transaction
        from bot.store.keyring import Keyring
        from bot.store.models import utcnow

        factory = open_store(env["SIPKOMPIS_DB_URL"])
        codes = []
        with transaction(factory) as session:
            keys = Keyring(session)
            coordinator = coordinators.add(
                session, keys, name="Bench Samordnare", key_dir=Path(env["SIPKOMPIS_VAR_DIR"]) / "keys",
                passphrase="benchmark-only", kdf_params={"iterations": 1, "lanes": 1, "memory_cost": 8})
            for n in range(count):
                meeting, child, _ = meetings.create(
                    session, keys, coordinator_id=coordinator.id, child_name=f"Alva Bench{n}",
                    starts_at=utcnow() + timedelta(days=20), place="Skolans konferensrum",
                    purpose="att hitta ett bättre stöd i skolan",
                    participants=[("Omar Haddad", "kurator"), ("Eva Berg", "socialsekreterare")])
                session.flush()
                codes.append(invites.display(invites.issue(session, keys, kind="person", person_id=child.id)))
        from bot.store.db import dispose_all

        dispose_all()
        return codes
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def our_scripts(codes: list[str], turns: int = 30) -> list[list[str]]:
    return [[t.format(code=code) for t in OUR_SCRIPT[:turns]] for code in codes]


def stock_scripts(count: int, turns: int = 30) -> list[list[str]]:
    return [(STOCK_SCRIPT[i % 3:] + STOCK_SCRIPT[:i % 3])[:turns] for i in range(count)]
