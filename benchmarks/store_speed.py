"""Cost of one turn in the encrypted tracker store, before and after issue 14, same run.

Run: .venv/bin/python -m benchmarks.store_speed [--turns 60]
A turn is what Rasa does with the store: `get_or_create_tracker`, five events (the user's
message, an action, its slot, the bot's answer, listen), `save`. Reported: median ms per
turn over the first ten turns and over the last ten, for the store as it was before
(read from git at BASELINE) and as it is now, on SQLite and PostgreSQL; "now, 2 replicas"
alternates two store instances (two Rasa processes) on the same conversation.
"""
from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BASELINE = "900fc80"  # the last tracker store before issue 14's changes


def load_baseline():
    source = subprocess.run(["git", "show", f"{BASELINE}:bot/rasa_plugins/tracker_store.py"],
                            cwd=REPO, capture_output=True, text=True)
    if source.returncode != 0:
        return None
    path = Path(tempfile.mkdtemp()) / "tracker_store_before.py"
    path.write_text(source.stdout)
    spec = importlib.util.spec_from_file_location("tracker_store_before", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.EncryptedTrackerStore


def conversation(stores: list, sender: str, turns: int) -> list[float]:
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

    async def run() -> list[float]:
        times = []
        for n in range(turns):
            store = stores[n % len(stores)]
            started = time.perf_counter()
            tracker = await store.get_or_create_tracker(sender)
            tracker.update(UserUttered(f"vad gör en kurator {n}", {"name": "ask_about_role", "confidence": 0.93},
                                       parse_data={"intent_ranking": [{"name": f"i{k}", "confidence": 0.01}
                                                                      for k in range(10)]}))
            tracker.update(ActionExecuted("action_answer_question"))
            tracker.update(SlotSet("last_question", "ask_about_role"))
            tracker.update(BotUttered("En kurator är en person på skolan som du kan prata med. " * 2,
                                      {"buttons": [{"title": "Förbered", "payload": "/start_preparation"}]}))
            tracker.update(ActionExecuted("action_listen"))
            await store.save(tracker)
            times.append((time.perf_counter() - started) * 1000)
        return times

    return asyncio.run(run())


def measure(url: str, turns: int) -> dict:
    from rasa.shared.core.domain import Domain

    from bot.rasa_plugins.tracker_store import EncryptedTrackerStore

    before = load_baseline()
    variants = {"now": lambda: [EncryptedTrackerStore(Domain.empty(), db_url=url)],
                "now, 2 replicas": lambda: [EncryptedTrackerStore(Domain.empty(), db_url=url),
                                            EncryptedTrackerStore(Domain.empty(), db_url=url)]}
    if before is not None:
        variants = {"before": lambda: [before(Domain.empty(), db_url=url)], **variants}
    out = {}
    for name, make in variants.items():
        times = conversation(make(), f"bench-{name.replace(' ', '').replace(',', '')}", turns)
        out[name] = {"first10_ms": round(statistics.median(times[:10]), 2),
                     "last10_ms": round(statistics.median(times[-10:]), 2)}
    if "before" in out:
        out["speed-up, last 10 turns"] = round(out["before"]["last10_ms"] / out["now"]["last10_ms"], 1)
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.store_speed")
    parser.add_argument("--turns", type=int, default=60)
    args = parser.parse_args(argv)
    from benchmarks.harness import new_pg_database

    var = Path(tempfile.mkdtemp(prefix="sipkompis-store-bench-"))
    os.environ.setdefault("SIPKOMPIS_MASTER_KEY_FILE", str(var / "master.key"))
    os.environ.setdefault("SIPKOMPIS_VAR_DIR", str(var))
    results = {"turns": args.turns, "baseline": BASELINE,
               "sqlite": measure(f"sqlite:///{var / 'store.db'}", args.turns)}
    made = new_pg_database()
    if made:
        url, drop = made
        try:
            results["postgresql"] = measure(url, args.turns)
        finally:
            from bot.store.db import dispose_all

            dispose_all()
            drop()
    print(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
