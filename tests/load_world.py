"""Conversations for load: DESIGN section 5's golden path and the questions children ask
after it, each turn with what its reply must show, so that a turn answered out of order
or mixed up with another child's shows as a failure, not as a slow turn."""
from __future__ import annotations

import contextlib
import io
import json
import math
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

import pytest


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def payloads(replies: list[dict]) -> list[str]:
    return [b["payload"] for r in replies for b in r.get("buttons") or []]


def answers(tag: str) -> dict[str, str]:
    """Words unique to one conversation, so a mix-up between conversations shows."""
    return {"good": f"jag har en bra kompis som heter Kim {tag}",
            "hard": f"det är svårt att sova och mattelektionerna {tag}",
            "wish": f"att jag får vara i ett lugnare rum ibland {tag}",
            "question": f"varför flyttar ni min mentor {tag}"}


def golden_path(code: str, words: dict[str, str]) -> list[tuple[str, callable]]:
    """DESIGN section 5's golden path: (message, what the reply must show)."""
    return [
        ("hej", lambda r: "kod" in texts(r).lower()),
        (code, lambda r: "Alva" in texts(r) and payloads(r) == ["/affirm", "/deny"]),
        ("/affirm", lambda r: "/start_preparation" in payloads(r)),
        ("/start_preparation", lambda r: "1 av 5" in texts(r)),
        (words["good"], lambda r: "svårt" in texts(r).lower()),
        (words["hard"], lambda r: "önskar" in texts(r).lower()),
        (words["wish"], lambda r: "4 av 5" in texts(r)),
        (words["question"], lambda r: "vara med" in texts(r).lower()),
        ('/choose_participation{"participation": "part"}',
         lambda r: all(texts(r).count(w) == 1 for w in words.values())
         and "/approve_summary" in payloads(r)),
        ("/approve_summary", lambda r: "samordnaren" in texts(r).lower()),
    ]


AFTER = [
    ("vad gör en kurator", lambda r: "kurator" in texts(r).lower()),
    ("när är mötet", lambda r: "20 maj" in texts(r)),
    ("vem kommer på mötet", lambda r: "Omar" in texts(r)),
    ("vad är en sip", lambda r: bool(texts(r).strip())),
    ("vem får läsa det jag skrev", lambda r: bool(texts(r).strip())),
    ("vad gör en socialsekreterare", lambda r: "socialsekreterare" in texts(r).lower()),
    ("var är mötet", lambda r: "konferensrum" in texts(r).lower()),
    ("tack", lambda r: bool(texts(r).strip())),
    ("vad gör en kurator", lambda r: "kurator" in texts(r).lower()),
    ("när är mötet", lambda r: "20 maj" in texts(r)),
]


def load_script(code: str, words: dict[str, str]) -> list[tuple[str, callable]]:
    """20 turns: the golden path, then ten questions about the meeting."""
    return golden_path(code, words) + AFTER


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


@dataclass
class Load:
    """What a load run saw: every turn's latency, and each turn that failed or whose reply
    was not the one its step must show (out of order, mixed up, empty)."""

    latencies_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    done: list[tuple[dict, dict[str, str]]] = field(default_factory=list)

    def summary(self, what: str) -> str:
        turns = len(self.latencies_ms)
        return (f"{what}: {turns} turns in {self.seconds:.0f} s ({turns / self.seconds:.1f} turns/s), "
                f"p50 {percentile(self.latencies_ms, 0.5):.0f} ms, "
                f"p95 {percentile(self.latencies_ms, 0.95):.0f} ms, {len(self.failures)} failed")


def run_children(meetings: list[dict], say: Callable[[int, int, str, str], list[dict]]) -> Load:
    """One thread per child, all at once, each turn after the reply to the last (as a child
    types); `say(child, turn, sender, message)` sends one turn and returns the replies."""
    load, lock = Load(), threading.Lock()

    def child(k: int) -> None:
        sender, words = secrets.token_hex(8), answers(f"nr{k}")
        for i, (message, shows) in enumerate(load_script(meetings[k]["child_code"], words)):
            started = time.perf_counter()
            try:
                replies = say(k, i, sender, message)
                ok = shows(replies)
                why = f"child {k} turn {i}: unexpected reply"
            except Exception as error:  # noqa: BLE001 - counted: the run must finish
                ok, why = False, f"child {k} turn {i}: {type(error).__name__}"
            with lock:
                load.latencies_ms.append((time.perf_counter() - started) * 1000)
                if not ok:
                    load.failures.append(why)
            if not ok:
                return  # the rest of this conversation would only repeat the failure
        with lock:
            load.done.append((meetings[k], words))

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(meetings)) as pool:
        list(pool.map(child, range(len(meetings))))
    load.seconds = time.monotonic() - started
    return load


def cli(stack, *args: str) -> dict:
    """The coordinator CLI in this process (a process per call would take longer than the
    conversations), on the stack's store and keys."""
    from bot.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for name in ("SIPKOMPIS_DB_URL", "SIPKOMPIS_VAR_DIR", "SIPKOMPIS_MASTER_KEY_FILE",
                     "SIPKOMPIS_KEY_PASSPHRASE"):
            patch.setenv(name, stack.env[name])
        patch.delenv("SIPKOMPIS_MASTER_KEY", raising=False)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([*args, "--json"])
    assert code == 0, (args[:2], err.getvalue())
    return json.loads(out.getvalue())


def new_coordinator(stack) -> dict:
    return cli(stack, "coordinator", "add", "--name", "Sara Lind", "--key-out",
               str(stack.var / "keys" / secrets.token_hex(4)))


def new_meeting(stack, coordinator: dict | None = None) -> dict:
    """A meeting with a child code; its own coordinator unless one is given (making the
    coordinator's key is the slow part: a load run shares one)."""
    coordinator = coordinator or new_coordinator(stack)
    meeting = cli(stack, "meeting", "create", "--coordinator", coordinator["coordinator_id"],
                  "--child-name", "Alva Svensson", "--at", "2030-05-20 09:30", "--place",
                  "Skolans konferensrum", "--purpose", "hitta bättre stöd i skolan",
                  "--participant", "Omar Haddad:kurator")
    child = cli(stack, "invite", "--meeting", meeting["meeting_id"], "--role", "child")
    return {**coordinator, **meeting, "child_code": child["code"]}


def delivered(stack, meeting: dict) -> list[dict]:
    """The statements the meeting's coordinator can open for this meeting."""
    return [s for s in cli(stack, "inbox", "--coordinator", meeting["coordinator_id"], "--key",
                           meeting["key_file"])["statements"]
            if s["meeting_id"] == meeting["meeting_id"]]


def delivered_once(stack, meeting: dict, words: dict[str, str]) -> None:
    statements = delivered(stack, meeting)
    assert len(statements) == 1
    assert {i["kind"]: i["text"] for i in statements[0]["items"] if i["kind"] in words} == words
