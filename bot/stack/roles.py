"""One process of the stack on its own, by role: what the container image runs.

`serve` supervises every process on one machine; in docker/compose.yml each runs in its own
container from the same image, started by role and checked by role:

    python -m bot.stack.roles run ROLE       # replace this process with the role's
    python -m bot.stack.roles health [ROLE]  # exit 0 when it answers (the image's HEALTHCHECK)

Roles: init (migrate the store, create the master and service keys, then exit: run once
before the others, so two replicas never migrate at once), rasa, actions, web, desk (the
coordinator's desk), telegram, scheduler. Every role reads the same settings as `serve` (bot/config.py). The Rasa role
never trains: several replicas would each train for minutes; the image holds the model.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import urllib.request
from pathlib import Path

from bot.config import REPO_ROOT, load_settings

ROLES = ("init", "rasa", "actions", "web", "desk", "telegram", "scheduler")
# Files only this container uses (ready files, which role runs): not the shared var dir.
RUN_DIR = Path(os.environ.get("SIPKOMPIS_RUN_DIR", "/tmp/sipkompis"))
EXPECTED_STORE = "EncryptedTrackerStore"


class RoleError(Exception):
    """The role cannot start; the message says why and what to do."""


def command(role: str) -> list[str]:
    """The command line of a long-running role."""
    settings = load_settings()
    python = sys.executable
    if role == "rasa":
        from bot.stack.model_cache import model_path

        model = model_path()
        if not model.exists():
            raise RoleError(f"no trained model at {model} for this data; build the image again "
                            "(it trains at build time) or mount models/ from `python -m bot train`")
        return [python, "-m", "bot.rasa_plugins.launcher", "--model", str(model),
                "--port", str(settings.rasa_port),
                "--endpoints", os.environ.get("SIPKOMPIS_ENDPOINTS", "config/endpoints.yml"),
                "--credentials", "config/credentials.yml"]
    if role == "actions":
        return [python, "-m", "actions.server", "--port", str(settings.action_port)]
    if role == "web":
        return [python, "-m", "bot.channels.web"]
    if role == "desk":
        return [python, "-m", "bot.desk"]
    if role == "telegram":
        if not settings.telegram_token:
            raise RoleError("the telegram role needs TELEGRAM_BOT_TOKEN")
        return [python, "-m", "bot.channels.telegram", "--ready-file", str(RUN_DIR / "telegram.ready")]
    if role == "scheduler":
        return [python, "-m", "bot.stack.scheduler", "--ready-file", str(RUN_DIR / "scheduler.ready")]
    raise RoleError(f"unknown role {role!r}; one of: {', '.join(ROLES)}")


def init() -> None:
    """Migrate the store and create the keys every other role needs, once."""
    from bot.crypto.masterkey import MasterKeyError
    from bot.services import service_keys
    from bot.store.db import StoreError, open_store, transaction
    from bot.store.keyring import Keyring

    try:
        with transaction(open_store()) as session:
            service_keys.signing_key(session, Keyring(session))
    except (StoreError, MasterKeyError) as error:
        raise RoleError(str(error)) from None


def run(role: str) -> int:
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    (RUN_DIR / "role").write_text(role + "\n", encoding="utf-8")
    if role == "init":
        init()
        print("init: store migrated, keys ready", flush=True)
        return 0
    argv = command(role)
    os.chdir(REPO_ROOT)
    os.execv(argv[0], argv)  # the role's process takes this one's place and signals


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read().decode() or "null")


def _alive(ready_file: Path) -> bool:
    if not ready_file.exists():
        return False
    try:
        pid = int(json.loads(ready_file.read_text(encoding="utf-8"))["pid"])
    except (ValueError, KeyError, TypeError):
        return True  # the scheduler's ready file holds no pid: it exists only while it runs
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def healthy(role: str) -> bool:
    settings = load_settings()
    local = "http://127.0.0.1"
    try:
        if role == "rasa":
            status = _get_json(f"{local}:{settings.rasa_port}/webhooks/rest/status")
            return bool(status.get("model_loaded")) and status.get("tracker_store") == EXPECTED_STORE
        if role == "actions":
            _get_json(f"{local}:{settings.action_port}/health")
            return True
        if role in ("web", "desk"):
            port = settings.web_port if role == "web" else settings.coordinator_port
            with urllib.request.urlopen(f"{local}:{port}/health", timeout=5) as response:
                return response.status == 200
        if role == "telegram":
            if not _alive(RUN_DIR / "telegram.ready"):
                return False
            if settings.telegram_webhook_url:  # the webhook must accept Telegram's calls
                with socket.create_connection(("127.0.0.1", settings.telegram_webhook_port), 5):
                    pass
            return True
        if role == "scheduler":
            return _alive(RUN_DIR / "scheduler.ready")
        if role == "init":
            return True
    except (OSError, ValueError, AttributeError):
        return False
    raise RoleError(f"unknown role {role!r}; one of: {', '.join(ROLES)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.stack.roles")
    sub = parser.add_subparsers(dest="action", required=True)
    p = sub.add_parser("run", help="run one process of the stack")
    p.add_argument("role", choices=ROLES)
    p = sub.add_parser("health", help="exit 0 when the role answers")
    p.add_argument("role", nargs="?", choices=ROLES,
                   help=f"default: the role this container runs ({RUN_DIR / 'role'})")
    args = parser.parse_args(argv)
    try:
        if args.action == "run":
            return run(args.role)
        role = args.role
        if role is None:
            try:
                role = (RUN_DIR / "role").read_text(encoding="utf-8").strip()
            except OSError:
                print("unhealthy: no role started yet", file=sys.stderr)
                return 1
        if healthy(role):
            return 0
        print(f"unhealthy: {role} does not answer", file=sys.stderr)
        return 1
    except RoleError as error:
        print(f"error: {error}", file=sys.stderr, flush=True)
        return 2


if __name__ == "__main__":
    sys.exit(main())
