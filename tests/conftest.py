"""Shared fixtures: an isolated store per test, real PostgreSQL and Redis, the trained
model (once per data fingerprint) and a running `serve` stack for conversation tests.

PostgreSQL and Redis are used for real. Where they do not answer (a laptop), the suite
tries a throwaway PostgreSQL from the installed server binaries, and otherwise skips those
tests with one loud line. CI sets SIPKOMPIS_REQUIRE_SERVICES=1, which turns any such skip
into a failure.
"""
from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import sqlalchemy

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

PG_URL = os.environ.get("SIPKOMPIS_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
# A Redis database of our own (11): a developer's other projects use 0.
REDIS_URL = os.environ.get("SIPKOMPIS_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
REQUIRE_SERVICES = os.environ.get("SIPKOMPIS_REQUIRE_SERVICES") == "1"
FAST_KDF = {"iterations": 1, "lanes": 1, "memory_cost": 8}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _missing_service(what: str, why: str) -> None:
    message = f"!!! {what} NOT TESTED: {why}"
    print(f"\n{message}\n", file=sys.__stderr__, flush=True)
    if REQUIRE_SERVICES:
        pytest.fail(f"{message} (SIPKOMPIS_REQUIRE_SERVICES=1)")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """Each test gets its own var dir, SQLite file and master key."""
    var = tmp_path / "var"
    monkeypatch.setenv("SIPKOMPIS_VAR_DIR", str(var))
    monkeypatch.setenv("SIPKOMPIS_DB_URL", f"sqlite:///{var / 'test.db'}")
    monkeypatch.setenv("SIPKOMPIS_MASTER_KEY_FILE", str(var / "master.key"))
    monkeypatch.delenv("SIPKOMPIS_MASTER_KEY", raising=False)
    monkeypatch.setenv("SIPKOMPIS_KEY_PASSPHRASE", "test-passphrase")
    yield var
    from bot.store.db import dispose_all

    dispose_all()


def _pg_reachable(url: str) -> str | None:
    import sqlalchemy

    try:
        engine = sqlalchemy.create_engine(url, future=True)
        with engine.connect() as connection:
            connection.execute(sqlalchemy.text("select 1"))
        engine.dispose()
        return None
    except Exception as error:  # noqa: BLE001
        return str(error).splitlines()[0]


def _throwaway_pg() -> tuple[str, callable] | None:
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not binaries or os.geteuid() == 0:
        return None  # initdb refuses to run as root
    bindir = binaries[-1].parent
    data = Path(tempfile.mkdtemp(prefix="sipkompis-pg-"))
    port = free_port()
    subprocess.run([bindir / "initdb", "-D", data, "-A", "trust", "-U", "postgres"], check=True,
                   capture_output=True)
    subprocess.run([bindir / "pg_ctl", "-D", data, "-o", f"-p {port} -k {data}", "-w", "start"],
                   check=True, capture_output=True)

    def stop():
        subprocess.run([bindir / "pg_ctl", "-D", data, "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(data, ignore_errors=True)

    return f"postgresql://postgres@127.0.0.1:{port}/postgres", stop


RUN_DB_PREFIX = "sipkompis_run_"


def _own_database(server_url: str) -> tuple[str, callable]:
    """A database of this test run's own on the server, so two runs at once (a developer's
    and CI's, or two people's) never drop each other's tables. Databases left by runs that
    were killed are dropped first: their process id no longer exists."""
    import sqlalchemy

    admin = sqlalchemy.create_engine(server_url, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        names = connection.execute(sqlalchemy.text(
            "select datname from pg_database where datname like :prefix"),
            {"prefix": RUN_DB_PREFIX + "%"}).scalars().all()
        for name in names:
            pid = name.removeprefix(RUN_DB_PREFIX).split("_")[0]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                connection.execute(sqlalchemy.text(f'drop database if exists "{name}" with (force)'))
        name = f"{RUN_DB_PREFIX}{os.getpid()}_{secrets.token_hex(3)}"
        connection.execute(sqlalchemy.text(f'create database "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'drop database if exists "{name}" with (force)'))
        admin.dispose()

    return str(sqlalchemy.engine.make_url(server_url).set(database=name)), drop


@pytest.fixture(scope="session")
def pg_server_url():
    why = _pg_reachable(PG_URL)
    stop = None
    server_url = PG_URL
    if why is not None:
        started = _throwaway_pg()
        if started is None:
            _missing_service("PostgreSQL", f"{PG_URL} did not answer ({why}) and no throwaway server could start")
        server_url, stop = started
    url, drop = _own_database(server_url)
    yield url
    drop()
    if stop:
        stop()


@pytest.fixture
def pg_url(pg_server_url):
    """A fresh schema-less database state: every table dropped before the test."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(pg_server_url, future=True)
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text("drop schema public cascade"))
        connection.execute(sqlalchemy.text("create schema public"))
    engine.dispose()
    return pg_server_url


@pytest.fixture
def pg_database(pg_server_url):
    """A database of its own, so the test can cut it off from the stack."""
    name = f"sipkompis_fault_{secrets.token_hex(4)}"
    admin = sqlalchemy.create_engine(pg_server_url, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'create database "{name}"'))
    url = pg_server_url.rsplit("/", 1)[0] + f"/{name}"
    yield url, admin, name
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'alter database "{name}" allow_connections true'))
        connection.execute(sqlalchemy.text(
            f"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{name}'"))
        connection.execute(sqlalchemy.text(f'drop database if exists "{name}"'))
    admin.dispose()


def cut_off(admin, name: str, allow: bool) -> None:
    """Take a database of `pg_database` away from everyone (or give it back)."""
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(
            f'alter database "{name}" allow_connections {"true" if allow else "false"}'))
        if not allow:
            connection.execute(sqlalchemy.text(
                f"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{name}'"))


@pytest.fixture(scope="session")
def redis_url():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except Exception as error:  # noqa: BLE001
        _missing_service("Redis", f"{REDIS_URL} did not answer ({error})")
    return REDIS_URL


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The real model, trained from the repo's data once per data fingerprint."""
    from bot.stack.model_cache import ensure_model

    path, seconds = ensure_model(log=lambda line: print(line, file=sys.__stderr__, flush=True))
    if seconds is not None:
        print(f"\ntrained the model in {seconds:.0f} s\n", file=sys.__stderr__, flush=True)
    return path


@pytest.fixture
def store(isolated_env):
    """(session factory, keyring factory) over this test's SQLite store."""
    from bot.store.db import open_store

    return open_store()


@pytest.fixture
def coordinator(store, tmp_path):
    """A coordinator with a key file (fast Argon2 parameters for tests)."""
    from bot.services import coordinators
    from bot.store.db import transaction
    from bot.store.keyring import Keyring

    with transaction(store) as session:
        new = coordinators.add(session, Keyring(session), name="Sara Lind",
                               key_dir=tmp_path / "keys", passphrase="test-passphrase",
                               kdf_params=FAST_KDF)
    return new


def run_cli(*args: str, env: dict | None = None, input_text: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=REPO, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, input=input_text, timeout=300)


class Stack:
    """A running `python -m bot serve` in its own var dir and ports."""

    def __init__(self, var: Path, env: dict, process: subprocess.Popen, output: list[str]):
        self.var, self.env, self.process, self.output = var, env, process, output
        self.rasa_port = int(env["RASA_PORT"])

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook"

    @property
    def headers(self) -> dict[str, str]:
        """What our channels show Rasa's REST input (bot/channels/channel_secret.py)."""
        from bot.channels import channel_secret

        return channel_secret.headers(self.env)

    def say(self, sender: str, message: str, **extra) -> list[dict]:
        import httpx

        response = httpx.post(self.webhook, json={"sender": sender, "message": message, **extra},
                              headers=self.headers, timeout=120)
        response.raise_for_status()
        return response.json()

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return run_cli(*args, env=self.env)

    def logs(self) -> str:
        text = "\n".join(self.output)
        for path in (self.var / "logs").glob("*.log"):
            text += path.read_text(errors="replace")
        return text


def start_stack(var: Path, extra_env: dict | None = None, timeout: float = 420) -> Stack:
    # A master key in this process's environment would win over the stack's own key file.
    inherited = {k: v for k, v in os.environ.items()
                 if not k.startswith("TELEGRAM_") and k != "SIPKOMPIS_MASTER_KEY"}
    env = {**inherited, "SIPKOMPIS_VAR_DIR": str(var),
           "SIPKOMPIS_DB_URL": f"sqlite:///{var / 'sipkompis.db'}",
           "SIPKOMPIS_MASTER_KEY_FILE": str(var / "master.key"),
           "RASA_PORT": str(free_port()), "ACTION_PORT": str(free_port()), "WEB_PORT": str(free_port()), "COORDINATOR_PORT": str(free_port()),
           # As behind docker's proxy: tests' web clients each name their own address.
           "SIPKOMPIS_WEB_PROXIES": "1",
           "SIPKOMPIS_KEY_PASSPHRASE": "test-passphrase", **(extra_env or {})}
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=REPO, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output: list[str] = []
    deadline = time.monotonic() + timeout
    for line in process.stdout:
        output.append(line.rstrip())
        if line.startswith("ready"):
            break
        if time.monotonic() > deadline:
            break
    else:
        pass
    if not output or not output[-1].startswith("ready"):
        process.kill()
        raise RuntimeError("serve did not become ready:\n" + "\n".join(output[-30:]))
    import threading

    def drain():
        for line in process.stdout:
            output.append(line.rstrip())

    threading.Thread(target=drain, daemon=True).start()
    return Stack(var, env, process, output)


def stop_stack(stack: Stack) -> int:
    stack.process.terminate()
    try:
        return stack.process.wait(60)
    except subprocess.TimeoutExpired:
        stack.process.kill()
        return stack.process.wait()


@pytest.fixture(scope="session")
def stack(trained_model, tmp_path_factory):
    """One running stack for the conversation tests; each test uses its own meeting."""
    running = start_stack(tmp_path_factory.mktemp("stack") / "var")
    yield running
    stop_stack(running)


def new_meeting(stack: Stack, *, participants=("Omar Haddad:kurator", "Eva Berg:socialsekreterare"),
                child_name="Alva Svensson", at="2030-05-20 09:30", extra: tuple[str, ...] = ()) -> dict:
    """A coordinator, a meeting and a child code, through the real CLI."""
    import json

    key_dir = stack.var / "keys" / secrets.token_hex(4)
    coordinator = json.loads(stack.cli("coordinator", "add", "--name", "Sara Lind", "--key-out",
                                       str(key_dir), "--json").stdout)
    args = ["meeting", "create", "--coordinator", coordinator["coordinator_id"], "--child-name",
            child_name, "--at", at, "--place", "Skolans konferensrum", "--purpose",
            "hitta bättre stöd i skolan", "--json", *extra]
    for participant in participants:
        args += ["--participant", participant]
    meeting = json.loads(stack.cli(*args).stdout)
    child = json.loads(stack.cli("invite", "--meeting", meeting["meeting_id"], "--role", "child",
                                 "--json").stdout)
    return {**coordinator, **meeting, "child_code": child["code"]}


def child_at_question(stack: Stack, meeting: dict, answers: int = 0) -> str:
    """A new child who has given their code and consent and started preparing, with
    `answers` placeholder answers given; returns the sender."""
    sender = secrets.token_hex(8)
    stack.say(sender, meeting["child_code"])
    stack.say(sender, "/affirm")
    stack.say(sender, "/start_preparation")
    for n in range(answers):
        stack.say(sender, f"svar nummer {n + 1}")
    return sender


PREPARED_ANSWERS = ("jag har en bra kompis som heter Kim", "det är svårt att sova och mattelektionerna",
                    "att jag får vara i ett lugnare rum ibland", "varför flyttar ni min mentor")


def prepare_over_rest(stack: Stack, code: str, answers=PREPARED_ANSWERS, *,
                      approve: bool = True) -> tuple[str, list[dict]]:
    """The child's golden path over REST (DESIGN section 5 steps 2-10) with `answers` to the
    four questions and the participation question skipped; returns (sender, the replies to
    the last step: the summary, or with `approve` what the child is told on sending)."""
    sender = secrets.token_hex(8)
    stack.say(sender, code)
    stack.say(sender, "/affirm")
    stack.say(sender, "/start_preparation")
    for answer in answers:
        stack.say(sender, answer)
    replies = stack.say(sender, "/skip")
    if approve:
        replies = stack.say(sender, "/approve_summary")
    return sender, replies


@pytest.fixture
def browser():
    """Headless Chromium windows for one test (`browser()` opens one; `javascript=False` for
    the no-JavaScript path); a missing Chromium fails under SIPKOMPIS_REQUIRE_SERVICES."""
    from tests.web_browser import Browser, browser_missing

    why = browser_missing()
    if why:
        _missing_service("browser", why)
    opened: list[Browser] = []

    def open_one(javascript: bool = True) -> Browser:
        opened.append(Browser(javascript=javascript))
        return opened[-1]

    yield open_one
    for one in opened:
        one.quit()
