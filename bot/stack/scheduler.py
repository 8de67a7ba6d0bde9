"""The scheduler `serve` runs as its own child process: `followups run-due` every minute,
`retention run-due` daily, and the removal of erased Telegram chats once their last
message went out.

Time is UTC throughout (the services turn it into Stockholm time where people see it).
A run that fails is logged with the exception's type only, never its message (which may
quote what it was processing), and tried again at the next tick: a failing run never
stops this process, so it never stops `serve`. Each run is idempotent, so a retried or
doubled run does no harm.
"""
from __future__ import annotations

import argparse
import logging
import secrets
import signal
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bot.config import Settings

log = logging.getLogger("sipkompis.scheduler")
TICK_SECONDS = 60.0
RETENTION_EVERY = timedelta(days=1)


def process(settings: Settings):
    """How `serve` starts the scheduler (bot/stack/channels.py lists it with the channels)."""
    from bot.stack.channels import ChannelProcess

    ready = settings.var_dir / "run" / f"scheduler-{secrets.token_hex(6)}.ready"
    return ChannelProcess(
        name="scheduler",
        command=[sys.executable, "-m", "bot.stack.scheduler", "--ready-file", str(ready)],
        ready=ready.exists,
        describe="scheduler: follow-ups every minute, retention daily (UTC)",
    )


@dataclass
class State:
    last_retention: datetime | None = None  # UTC of the last retention run that succeeded


def run_followups(factory, now: datetime) -> int:
    """Reminders, outcomes, check-ins: each claimed in the database, so this process, a
    second replica or a `followups run-due` from cron never deliver one twice."""
    from bot.services.followups import run_due_in

    return run_due_in(factory, now)


def run_retention(factory, now: datetime) -> dict:
    from bot.services import retention
    from bot.store.db import transaction
    from bot.store.keyring import Keyring

    with transaction(factory) as session:
        return retention.run_due(session, Keyring(session), now)


def sweep_erased_chats(factory, now: datetime) -> int:
    from bot.channels.telegram import chats
    from bot.services.retention import ERASED_CHAT_GRACE
    from bot.store.db import transaction
    from bot.store.keyring import Keyring

    with transaction(factory) as session:
        return chats.sweep_erased(session, Keyring(session), now - ERASED_CHAT_GRACE)


def tick(factory, state: State, now: datetime) -> dict[str, str]:
    """One round; returns what failed, by job (empty when all went well)."""
    failed: dict[str, str] = {}
    jobs = [("followups", run_followups), ("erased_chats", sweep_erased_chats)]
    if state.last_retention is None or now - state.last_retention >= RETENTION_EVERY:
        jobs.append(("retention", run_retention))
    for name, job in jobs:
        try:
            result = job(factory, now)
        except Exception as error:  # noqa: BLE001 - logged content-free, retried next tick
            failed[name] = type(error).__name__
            log.error("%s run failed (%s); trying again at the next tick", name, type(error).__name__)
            continue
        if name == "retention":
            state.last_retention = now
            log.info("retention: %d meeting(s) erased, %d minimised, %d idle chat(s) erased",
                     result["erased_meetings"], result["minimised_meetings"],
                     result["erased_conversations"])
        elif name == "followups" and result:
            log.info("followups: %d sent", result)
    return failed


def utc_now() -> datetime:
    from bot.store.models import utcnow

    return utcnow()


def main(argv: list[str] | None = None) -> int:
    from bot import quiet_logging
    from bot.store.db import StoreError, open_store

    parser = argparse.ArgumentParser(prog="python -m bot.stack.scheduler")
    parser.add_argument("--ready-file", required=True)
    parser.add_argument("--tick", type=float, default=TICK_SECONDS)
    args = parser.parse_args(argv)
    quiet_logging.configure()
    stopping = {"flag": False}

    def on_signal(signum, _frame):
        stopping["flag"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    factory = None
    state = State()
    ready = Path(args.ready_file)
    ready.parent.mkdir(parents=True, exist_ok=True)
    ready.write_text("ready\n")
    log.info("scheduler started")
    while not stopping["flag"]:
        started = time.monotonic()
        try:
            factory = factory or open_store()
        except StoreError as error:
            log.error("store unavailable (%s); trying again at the next tick", type(error).__name__)
        else:
            tick(factory, state, utc_now())
        while not stopping["flag"] and time.monotonic() - started < args.tick:
            time.sleep(min(0.5, args.tick))
    ready.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
