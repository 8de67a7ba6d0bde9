"""Checks every target shares: the exception types a handler may raise, content-free
messages, and findings in code this helper may not change (reported, not fixed)."""
from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path


class ContractBroken(AssertionError):
    """A handler did something its contract forbids: the fuzzer records it as a crash."""


def require(condition: bool, what: str) -> None:
    # `what` is written by us and never holds the input: it may end up in CI logs.
    if not condition:
        raise ContractBroken(what)


def no_echo(message: str, text: str, allowed: frozenset[str] = frozenset()) -> None:
    """An exception or page message must not quote the input (it may be a child's words)."""
    if message in allowed:
        return
    stripped = text.strip()
    require(not (len(stripped) >= 4 and stripped in message), "message quotes the input")


@contextmanager
def only_raises(*allowed: type[BaseException]):
    """The block may raise only `allowed`; anything else breaks the contract."""
    try:
        yield
    except allowed:
        raise
    except ContractBroken:
        raise
    except Exception as error:  # noqa: BLE001 - that is the finding
        raise ContractBroken(f"raised {type(error).__name__} at {_where(error)}, not one of "
                             f"{[a.__name__ for a in allowed]}") from error


def _where(error: BaseException) -> str:
    """The innermost frame in our own code: where to look, without the message (which may
    quote the input)."""
    frame, found = error.__traceback__, "?"
    while frame is not None:
        path = frame.tb_frame.f_code.co_filename
        if "/bot/" in path:
            found = f"{path[path.index('/bot/') + 1:]}:{frame.tb_lineno}"
        frame = frame.tb_next
    return found


# --- known findings in files owned by someone else right now ---------------------------
# Strict mode (FUZZ_STRICT=1, and the xfail tests) turns them back into crashes.
KNOWN: dict[str, str] = {}  # none open now; see docs/reliability.md for the fixed ones
_counts: dict[str, int] = {}


def known(name: str, violated: bool) -> None:
    if not violated:
        return
    if os.environ.get("FUZZ_STRICT") == "1":
        raise ContractBroken(f"known finding {name}: {KNOWN[name]}")
    count = _counts[name] = _counts.get(name, 0) + 1
    out = os.environ.get("FUZZ_KNOWN_FILE")
    # libFuzzer ends the process without running atexit: write as it grows (1, 2, 4, ...).
    if out and count & (count - 1) == 0:
        Path(out).write_text(json.dumps(_counts), encoding="utf-8")
