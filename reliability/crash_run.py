"""The full crash-anywhere run (issue 18 point 1): `serve` with Telegram against the fake
Bot API server, on SQLite or PostgreSQL, killed with SIGKILL `--kills` times at random
moments while children keep preparing, approving and answering the follow-up, over REST
and Telegram; serve is restarted after each kill as a process manager would.

    .venv/bin/python -m reliability.crash_run --kills 50 --db sqlite
    .venv/bin/python -m reliability.crash_run --kills 50 --db postgres --seed 1234

Prints the seed first (to replay a run), one line per kill, then one JSON report:
kills, lost / duplicated items and statements (must be empty), questions asked again,
repeated Telegram messages and statement files, wall time. Exits 1 if anything broke.
The short variant with a few kills is tests/test_crash_anywhere.py in the test command.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("SIPKOMPIS_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reliability.crash_run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--rest-children", type=int, default=2, help="REST conversations at a time")
    parser.add_argument("--telegram-children", type=int, default=1,
                        help="Telegram conversations at a time")
    parser.add_argument("--max-gap", type=float, default=6.0,
                        help="longest wait in seconds between serve answering and the next kill")
    parser.add_argument("--report", type=Path, default=None, help="also write the JSON report here")
    args = parser.parse_args(argv)

    for name, value in (("RASA_TELEMETRY_ENABLED", "false"), ("SQLALCHEMY_SILENCE_UBER_WARNING", "1"),
                        ("TF_CPP_MIN_LOG_LEVEL", "3")):
        os.environ.setdefault(name, value)
    sys.path.insert(0, str(REPO))
    from bot.stack.model_cache import ensure_model
    from tests.conftest import _own_database
    from tests.crash_world import CrashRun

    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    print(f"seed {seed} (replay with --seed {seed})", flush=True)
    ensure_model(log=lambda line: print(line, flush=True))
    work = Path(tempfile.mkdtemp(prefix="sipkompis-crash-"))
    os.environ.update({"SIPKOMPIS_VAR_DIR": str(work / "var"),
                       "SIPKOMPIS_KEY_PASSPHRASE": os.environ.get("SIPKOMPIS_KEY_PASSPHRASE",
                                                                  "crash-run-passphrase")})
    db_url, drop = (None, None)
    if args.db == "postgres":
        db_url, drop = _own_database(PG_URL)
    run = CrashRun(work / "var", db_url=db_url, seed=seed, kills=args.kills,
                   rest_children=args.rest_children, telegram_children=args.telegram_children,
                   max_gap=args.max_gap, keep_going=True,
                   log=lambda line: print(line, flush=True))
    try:
        findings = run.run()
        report = {"db": args.db, **run.report()}
    finally:
        run.close()
        if drop:
            drop()
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.report:
        args.report.write_text(text + "\n")
    return 1 if findings.broken or report["harness_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
