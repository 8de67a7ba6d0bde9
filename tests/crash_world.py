"""Crash anywhere: a real `serve` (with Telegram against the fake Bot API server) whose
processes are killed with SIGKILL at random moments (reliability/process_manager.py) while
children prepare, approve and answer the follow-up over REST and Telegram.

Judged from the outside once the run is over, never by timing: each reply shows the step
the conversation should be at (a REST turn cut off by a kill is resent with the same
message id, as a client would; a Telegram turn is never resent: the bridge must keep it);
the coordinator's inbox holds exactly one statement and one set of follow-up answers per
child, with exactly their words; the fake Bot API server got each statement file at most
once (else an inbox pointer), no question twice; repeats are counted. One printed seed.
"""
from __future__ import annotations

import json
import random
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from reliability.process_manager import TURN_TIMEOUT, Operator
from tests.conftest import new_meeting, run_cli
from tests.fake_telegram import FakeTelegram

AFTER_THE_MEETING = "2030-05-20T12:00:00+02:00"  # new_meeting's meeting starts 09:30
OUTCOME = "Ni bestämde att skolan och BUP ska hjälpa dig mer."
PARTICIPATION = "(a button's answer)"  # its wording is the domain's, not checked here


def answers_for(number: int) -> tuple[str, ...]:
    """The child's four answers, each ending in the conversation's number so that words
    turning up in another child's statement would be noticed."""
    return (f"jag har en bra kompis som heter Kim {number}",
            f"det är svårt att sova och mattelektionerna {number}",
            f"att jag får vara i ett lugnare rum ibland {number}",
            f"varför flyttar ni min mentor {number}")


def expected_feedback(number: int) -> dict:
    return {"said": "Ja", "listened": f"lite grann faktiskt {number}", "mattered": "Nej",
            "more": f"när är nästa möte {number}"}


@dataclass
class Kill:
    seconds: float  # since the run began
    target: str
    generation: int


@dataclass
class Findings:
    wrong_steps: list[str] = field(default_factory=list)      # a reply not at the expected step
    lost: list[str] = field(default_factory=list)             # an answer or statement missing
    duplicated: list[str] = field(default_factory=list)       # an item or statement twice
    asked_again: list[str] = field(default_factory=list)      # a question repeated later on
    repeated_messages: int = 0                                # identical message twice in a row
    repeated_statements: int = 0                              # a sealed file sent twice
    pointers: int = 0                                         # "it is in your inbox" instead
    resent_turns: int = 0                                     # REST turns resent after a kill
    conversations: int = 0

    @property
    def broken(self) -> list[str]:
        return (self.wrong_steps + self.lost + self.duplicated + self.asked_again
                + [f"sealed statement sent {self.repeated_statements} extra time(s)"]
                * bool(self.repeated_statements))


class TelegramChat:
    """One person's chat as the fake Bot API server sees it; turns are sent once, never
    resent: the bridge stores an update before acknowledging it, so none may be lost."""

    def __init__(self, fake: FakeTelegram, chat_id: int) -> None:
        self.fake, self.id = fake, chat_id
        self.last: list = []

    def messages(self) -> list:
        return self.fake.sent_to(self.id, "sendMessage")

    def _turn(self, send, expect: str, step: str) -> None:
        before = len(self.messages())
        send()
        deadline = time.monotonic() + TURN_TIMEOUT
        while time.monotonic() < deadline:
            replies = self.messages()[before:]
            if any(expect in m.text or any(b["text"].startswith(expect) for b in m.buttons)
                   for m in replies):
                time.sleep(1.0)  # the rest of the turn's messages
                self.last = self.messages()[before:]
                return
            time.sleep(0.2)
        raise StepError(f"telegram chat {self.id}: no reply to {step} within {TURN_TIMEOUT:.0f} s")

    def say(self, text: str, expect: str, step: str) -> None:
        self._turn(lambda: self.fake.send_text(self.id, text), expect, step)

    def tap(self, title: str, expect: str, step: str) -> None:
        for message in reversed(self.last or self.messages()):
            for button in message.buttons:
                if button["text"].startswith(title):
                    self._turn(lambda: self.fake.tap(self.id, button["callback_data"],
                                                     message.message_id), expect, step)
                    return
        raise StepError(f"telegram chat {self.id}: no button {title!r} at {step}")


class StepError(Exception):
    """A conversation is not where it should be (or did not answer at all)."""


class CrashRun:
    """The stack, the kills and the conversations of one run."""

    def __init__(self, var: Path, *, db_url: str | None, seed: int, kills: int,
                 rest_children: int = 1, telegram_children: int = 1, max_gap: float = 6.0,
                 keep_going: bool = False, log=print) -> None:
        self.var, self.seed, self.kills_wanted = var, seed, kills
        self.rest_children, self.telegram_children = rest_children, telegram_children
        self.max_gap, self.keep_going, self.log = max_gap, keep_going, log
        self.rng = random.Random(seed)
        self.fake = FakeTelegram().start()
        env = {"TELEGRAM_BOT_TOKEN": self.fake.token, "TELEGRAM_API_BASE": self.fake.api_base,
               "TELEGRAM_BOT_USERNAME": "sipkompis_test_bot"}
        if db_url:
            env["SIPKOMPIS_DB_URL"] = db_url
        self.env = env
        self.kills: list[Kill] = []
        self.findings = Findings()
        self.done: list[dict] = []  # conversations that reached their end
        self.errors: list[str] = []
        self._numbers = iter(range(1, 10_000))
        self._chat_ids = iter(range(9000, 100_000))
        self._lock = threading.Lock()
        self._finished = threading.Event()
        self.began = time.monotonic()
        self.operator = Operator(var, env, log)

    # --- the world, through the real CLI ----------------------------------------------

    def cli(self, *args: str) -> dict:
        env = {**self.operator.stack.env, **self.env}
        for attempt in range(5):  # a CLI meeting a database busy with a restart may retry
            result = run_cli(*args, env=env)
            if result.returncode == 0:
                return json.loads(result.stdout)
            time.sleep(1)
        raise StepError(f"CLI {args[0]} {args[1] if len(args) > 1 else ''} failed: "
                        f"{result.stderr[-300:]}")

    def meeting(self, channel: str) -> dict:
        stack = self.operator.stack
        stack.env.update(self.env)
        with self._lock:
            number, chat = next(self._numbers), next(self._chat_ids)
            coordinator_chat = next(self._chat_ids)
        meeting = new_meeting(stack)
        meeting.update(number=number, channel=channel, chat=chat, coordinator_chat=coordinator_chat)
        # The coordinator's own Telegram: the sealed statement goes there as a file.
        link = self.cli("coordinator", "link", "--coordinator", meeting["coordinator_id"], "--json")
        TelegramChat(self.fake, coordinator_chat).say(
            "/start " + link["link"].partition("start=")[2], "samordnare", "coordinator link")
        return meeting

    def outcome(self, meeting: dict) -> None:
        self.cli("outcome", "--meeting", meeting["meeting_id"], "--text", OUTCOME,
                 "--point", "Ett lugnare rum|Omar|från 1 juni", "--json")
        self.cli("followups", "run-due", "--now", AFTER_THE_MEETING, "--json")

    # --- conversations ----------------------------------------------------------------

    def rest_turn(self, sender: str, message: str, message_id: str) -> list[dict]:
        deadline = time.monotonic() + TURN_TIMEOUT
        first = True
        while time.monotonic() < deadline:
            if not first:
                with self._lock:
                    self.findings.resent_turns += 1
            first = False
            try:
                webhook = self.operator.webhook()
                response = httpx.post(webhook, headers=self.operator.stack.headers, timeout=120,
                                      json={"sender": sender, "message": message,
                                            "message_id": message_id})
            except httpx.HTTPError:  # cut off by a kill: resent with the same message id
                response = None
            if response is not None and response.status_code < 500:
                if response.status_code != 200:  # a refusal is no crash: resending cannot help
                    raise StepError(f"REST turn {message_id} refused with {response.status_code}")
                return response.json()
            time.sleep(0.5)
        raise StepError(f"REST turn {message_id} got no answer within {TURN_TIMEOUT:.0f} s")

    def rest_child(self, meeting: dict) -> None:
        sender, number = secrets.token_hex(8), meeting["number"]
        words = answers_for(number)
        fb = expected_feedback(number)
        steps = [(meeting["child_code"], "/affirm"), ("/affirm", "/start_preparation"),
                 ("/start_preparation", "Fråga 1 av 5"), (words[0], "Fråga 2 av 5"),
                 (words[1], "Fråga 3 av 5"), (words[2], "Fråga 4 av 5"),
                 (words[3], "Fråga 5 av 5"), ("/skip", "/approve_summary"),
                 ("/approve_summary", "samordnaren"), None,
                 ("hej", "Fråga 1 av 5: Fick du"), ('/answer_heard{"heard": "yes"}', "Fråga 2 av 5"),
                 (fb["listened"], "Fråga 3 av 5"), ("/skip", "Fråga 4 av 5"),
                 ('/answer_heard{"heard": "no"}', "Fråga 5 av 5"), (fb["more"], "/approve_feedback"),
                 ("/approve_feedback", "Skickat till samordnaren")]
        for index, step in enumerate(steps):
            if step is None:
                self.outcome(meeting)
                continue
            message, expect = step
            replies = self.rest_turn(sender, message, f"{sender}-{index}")
            shown = "\n".join(r.get("text") or "" for r in replies)
            payloads = [b.get("payload") for r in replies for b in r.get("buttons") or []]
            if expect not in shown and expect not in payloads:
                # Which question the reply did show (the bot's own words, never the child's).
                asked = [line.split(":")[0] for line in shown.splitlines() if line.startswith("Fråga ")]
                raise StepError(f"REST child {number} step {index}: expected {expect!r}, the "
                                f"reply asked {asked or 'no numbered question'}, buttons {payloads}")

    def telegram_child(self, meeting: dict) -> None:
        chat, number = TelegramChat(self.fake, meeting["chat"]), meeting["number"]
        words, fb = answers_for(number), expected_feedback(number)
        # The consent question, which carries the buttons: "Ja" alone also matches "Jag är
        # en chattbot", which comes first, and the buttons may not be there yet.
        chat.say("/start " + meeting["child_code"].replace("-", ""), "Vill du fortsätta", "the code")
        chat.tap("Ja", "Förbered", "consent")
        chat.tap("Förbered", "Fråga 1 av 5", "start preparing")
        for index, word in enumerate(words):
            chat.say(word, f"Fråga {index + 2} av 5", f"answer {index + 1}")
        chat.tap("En del av mötet", "Skicka", "participation")
        chat.tap("Skicka", "samordnaren", "approval")
        self.outcome(meeting)
        chat.say("hej", "Fråga 1 av 5: Fick du", "after the meeting")
        chat.tap("Ja", "Fråga 2 av 5", "heard 1")
        chat.say(fb["listened"], "Fråga 3 av 5", "heard 2")
        chat.tap("Hoppa över", "Fråga 4 av 5", "heard 3")
        chat.tap("Nej", "Fråga 5 av 5", "heard 4")
        chat.say(fb["more"], "Skicka svaren", "heard 5")
        chat.tap("Skicka svaren", "Skickat till samordnaren", "send answers")

    def _driver(self, channel: str) -> None:
        while True:
            try:
                meeting = self.meeting(channel)
                (self.rest_child if channel == "rest" else self.telegram_child)(meeting)
            except StepError as error:
                with self._lock:
                    self.findings.wrong_steps.append(str(error))
                return
            except Exception as error:  # noqa: BLE001 - a harness fault is reported, not hidden
                with self._lock:
                    self.errors.append(f"{type(error).__name__}: {str(error)[:300]}")
                return
            with self._lock:
                self.done.append(meeting)
            if not self.keep_going or self._finished.is_set():
                return

    # --- the killer -------------------------------------------------------------------

    def _killer(self, drivers: list[threading.Thread]) -> None:
        while len(self.kills) < self.kills_wanted and any(d.is_alive() for d in drivers):
            self.operator.up.wait(TURN_TIMEOUT)
            time.sleep(self.rng.uniform(0.2, self.max_gap))
            if not self.operator.up.is_set():
                continue
            target = self.operator.kill(self.rng)
            if target is not None:
                self.kills.append(Kill(round(time.monotonic() - self.began, 1), target,
                                       self.operator.generation))
                self.log(f"kill {len(self.kills)}/{self.kills_wanted}: {target} "
                         f"at {self.kills[-1].seconds} s")
        self._finished.set()

    def run(self) -> Findings:
        self.log(f"crash run: seed {self.seed}, {self.kills_wanted} kills, "
                 f"db {'postgresql' if 'SIPKOMPIS_DB_URL' in self.env else 'sqlite'}")
        drivers = [threading.Thread(target=self._driver, args=("rest",), daemon=True)
                   for _ in range(self.rest_children)]
        drivers += [threading.Thread(target=self._driver, args=("telegram",), daemon=True)
                    for _ in range(self.telegram_children)]
        for driver in drivers:
            driver.start()
        killer = threading.Thread(target=self._killer, args=(drivers,), daemon=True)
        killer.start()
        killer.join()
        for driver in drivers:
            driver.join(TURN_TIMEOUT * 2)
        self.operator.up.wait(TURN_TIMEOUT)
        time.sleep(5)  # the outbox's last rows of the last turns
        self.check()
        return self.findings

    # --- the invariants, from the outside ---------------------------------------------

    def check(self) -> None:
        findings = self.findings
        findings.conversations = len(self.done)
        for meeting in self.done:
            self._check_inbox(meeting)
            self._check_coordinator_chat(meeting)
            if meeting["channel"] == "telegram":
                self._check_questions(meeting)
        findings.repeated_messages = self._repeated_messages()

    def _check_inbox(self, meeting: dict) -> None:
        number, findings = meeting["number"], self.findings
        box = self.cli("inbox", "--coordinator", meeting["coordinator_id"], "--key",
                       meeting["key_file"], "--json")
        statements, feedback = box["statements"], box["feedback"]
        expected = dict(zip(("good", "hard", "wish", "question"), answers_for(number)))
        if meeting["channel"] == "telegram":  # tapped "En del av mötet" instead of /skip
            expected["participation"] = PARTICIPATION
        for kind, got, want in (("statement", statements, expected),
                                ("feedback", feedback, expected_feedback(number))):
            if len(got) > 1:
                findings.duplicated.append(f"child {number}: {len(got)} {kind}s in the inbox")
            if not got:
                findings.lost.append(f"child {number}: no {kind} in the inbox")
                continue
            items = [(i["kind"], i["text"]) for i in got[0]["items"]]
            kinds = Counter(kind_ for kind_, _ in items)
            for item_kind, count in kinds.items():
                if count > 1:
                    findings.duplicated.append(f"child {number}: {kind} item {item_kind} x{count}")
            if kind == "statement" and "participation" in want:
                want = {**want, "participation": dict(items).get("participation") or want["participation"]}
            if dict(items) != want:
                missing = sorted(set(want) - set(dict(items)))
                changed = sorted(k for k in want if k in dict(items) and dict(items)[k] != want[k])
                findings.lost.append(f"child {number}: {kind} items missing {missing}, "
                                     f"different {changed}, extra {sorted(set(dict(items)) - set(want))}")

    def _check_coordinator_chat(self, meeting: dict) -> None:
        """Each sealed file once; if the file's fate was unknown after a crash, a pointer
        to the inbox was sent instead, never the file a second time."""
        documents = Counter(s.filename for s in self.fake.sent_to(meeting["coordinator_chat"],
                                                                    "sendDocument"))
        pointers = sum("inkorg" in s.text.lower() for s in self.fake.sent_to(
            meeting["coordinator_chat"], "sendMessage"))
        self.findings.pointers += pointers
        name = f"forberedelse-{meeting['meeting_id'][:8]}-v1.sipkompis"
        self.findings.repeated_statements += sum(count - 1 for count in documents.values())
        if documents[name] == 0 and pointers == 0:
            self.findings.lost.append(f"child {meeting['number']}: statement never reached the "
                                      "coordinator's Telegram, not even as a pointer")

    def _check_questions(self, meeting: dict) -> None:
        """A question again after other messages (not an outbox repeat): a step back."""
        texts = [m.text for m in self.fake.sent_to(meeting["chat"], "sendMessage")]
        seen: dict[str, int] = {}
        for index, text in enumerate(texts):
            if not text.startswith("Fråga "):
                continue
            if text in seen and not (index > 0 and texts[index - 1] == text):
                self.findings.asked_again.append(f"child {meeting['number']}: "
                                                 f"{text.split(':')[0]} asked again")
            seen[text] = index

    def _repeated_messages(self) -> int:
        """Messages identical to the one just before to the same chat: the at-least-once
        outbox sending a row again after a crash between the send and marking it sent."""
        last: dict[int, tuple] = {}
        repeats = 0
        with self.fake._lock:
            sent = list(self.fake.sent)
        for message in sent:
            if message.method not in ("sendMessage", "sendDocument"):
                continue
            key = (message.method, message.text, json.dumps(message.buttons), message.filename)
            if last.get(message.chat_id) == key:
                repeats += 1
            last[message.chat_id] = key
        return repeats

    def report(self) -> dict:
        findings = self.findings
        targets = Counter(kill.target for kill in self.kills)
        return {"seed": self.seed, "kills": len(self.kills), "kill_targets": dict(targets),
                "restarts": len(self.operator.restart_seconds) - 1,
                "median_restart_s": sorted(self.operator.restart_seconds)[
                    len(self.operator.restart_seconds) // 2] if self.operator.restart_seconds else None,
                "conversations_completed": findings.conversations,
                "wrong_steps": findings.wrong_steps, "lost": findings.lost,
                "duplicated": findings.duplicated, "asked_again": findings.asked_again,
                "repeated_statements": findings.repeated_statements,
                "statement_pointers": findings.pointers,
                "repeated_telegram_messages": findings.repeated_messages,
                "telegram_messages": sum(1 for s in self.fake.sent
                                         if s.method in ("sendMessage", "sendDocument")),
                "resent_rest_turns": findings.resent_turns, "harness_errors": self.errors,
                "seconds": round(time.monotonic() - self.began)}

    def close(self) -> None:
        self.operator.stop()
        self.fake.stop()
