"""`retention run-due`: erase what has been kept long enough (bot/services/retention.py)."""
from __future__ import annotations

from datetime import datetime

from bot.cli.output import CliError, emit, session_and_keys


def parse_now(text: str | None) -> datetime | None:
    """An ISO 8601 time (a trailing Z or an offset is honoured; none means UTC)."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise CliError(f"--now must be ISO 8601, e.g. 2030-08-20T03:00:00Z; got {text!r}") from None


def run_due(args) -> int:
    from bot.config import load_settings
    from bot.services import retention

    now = parse_now(args.now)
    days = load_settings().retention_days
    with session_and_keys() as (session, keys):
        result = retention.run_due(session, keys, now, retention_days=days)
    human = (f"{result['erased_meetings']} möte(n) raderade efter {days} dagar, "
             f"{result['minimised_meetings']} möte(n) rensade på barnets ord efter mötet, "
             f"{result['erased_conversations']} oanvänd(a) chatt(ar) raderade.")
    return emit(result, args.json, human)


def register(sub) -> None:
    from bot.cli.admin import _cmd

    retention = sub.add_parser("retention", help="erase what has been kept long enough")
    rsub = retention.add_subparsers(dest="action", metavar="ACTION")
    p = _cmd(rsub, "run-due", run_due, "erase meetings whose retention period has ended")
    p.add_argument("--now", help="ISO 8601 time to treat as now (default: now)")
