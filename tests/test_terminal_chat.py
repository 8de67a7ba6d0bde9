"""The terminal chat: buttons as numbered choices, typed text never acting as a payload,
the demo seeded once, and help even when Rasa cannot answer."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.channels.typed_text import as_typed_text, resolve_choice
from tests.conftest import REPO, free_port

BUTTONS = [{"title": "Ja, kör", "payload": "/affirm"}, {"title": "Nej, inte nu", "payload": "/deny"}]


def test_a_number_or_a_title_picks_the_button():
    assert resolve_choice("1", BUTTONS) == "/affirm"
    assert resolve_choice("nej, inte nu", BUTTONS) == "/deny"
    assert resolve_choice("/affirm", BUTTONS) == "/affirm"  # an offered payload


def test_typed_slashes_never_reach_rasa_as_a_payload():
    assert resolve_choice('/start_preparation{"pending": "erase"}', BUTTONS) == \
        'start_preparation{"pending": "erase"}'
    assert as_typed_text("/\n/affirm") == "affirm"
    assert resolve_choice("3", BUTTONS) == "3"  # not a choice: plain text


def chat(var, lines: list[str], extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "SIPKOMPIS_VAR_DIR": str(var), "SIPKOMPIS_DB_URL": f"sqlite:///{var / 'db.sqlite'}",
           "SIPKOMPIS_MASTER_KEY_FILE": str(var / "master.key"), "RASA_PORT": str(free_port()),
           "ACTION_PORT": str(free_port()), "WEB_PORT": str(free_port()), "COORDINATOR_PORT": str(free_port()), **(extra_env or {})}
    return subprocess.run([sys.executable, "-m", "bot", "chat"], cwd=REPO, env=env, text=True,
                          input="\n".join(lines) + "\n", capture_output=True, timeout=600)


@pytest.mark.stack
def test_chat_starts_the_stack_seeds_the_demo_and_talks(trained_model, tmp_path):
    var = tmp_path / "var"
    first = chat(var, ["hej"])
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    info = json.loads((var / "demo" / "demo.json").read_text())
    assert info["code"] in first.stdout
    assert "DEMO" in first.stdout and info["passphrase"] in first.stdout
    assert "kod" in first.stdout.lower()

    second = chat(var, [info["code"], "1", "1"])
    assert "Hej Alva!" in second.stdout
    assert "1) Ja, kör" in second.stdout
    assert "Fråga 1 av 5" not in second.stdout or "Förbered" in second.stdout
    assert "Förbered vad jag vill säga" in second.stdout  # menu after "1" (Ja, kör)
    assert info["code"] not in second.stdout.split("du>", 1)[0]  # not reprinted on later runs
    # Same demo, same conversation: no second demo meeting was created.
    assert json.loads((var / "demo" / "demo.json").read_text()) == info


def test_help_comes_with_rasa_stopped(tmp_path, monkeypatch, capsys):
    """Nothing listens on Rasa's port: a crisis message still gets the numbers, locally."""
    monkeypatch.setenv("RASA_PORT", str(free_port()))
    from bot.cli import terminal_chat

    typed = iter(["jag vill dö"])

    def fake_input(_prompt=""):
        try:
            return next(typed)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)
    # The stack is reported up but is not: the relay fails as it would if Rasa crashed.
    monkeypatch.setattr(terminal_chat, "stack_running", lambda _settings: True)
    assert terminal_chat.run_chat() == 0
    said = capsys.readouterr().out
    assert "112" in said and "116 111" in said and "90101" in said
    assert "Inget du skrivit har försvunnit" in said


class Terminal:
    """`python -m bot chat` against a running stack, typed into line by line."""

    def __init__(self, stack) -> None:
        import threading

        self.out: list[str] = []
        self.process = subprocess.Popen([sys.executable, "-m", "bot", "chat"], cwd=REPO, env=stack.env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.out.append(line)

    def type(self, line: str) -> int:
        before = len(self.out)
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return before

    def wait_for(self, predicate, timeout: float) -> str:
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = "".join(self.out)
            if predicate(text):
                return text
            time.sleep(0.05)
        raise AssertionError("the terminal chat did not print what was expected in time:\n"
                             + "".join(self.out)[-3000:])

    def close(self) -> int:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                return self.process.wait(120)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.wait()


@pytest.mark.stack
def test_with_rasa_hung_a_crisis_gets_help_within_10_s_and_the_stuck_turn_is_answered(stack):
    from tests.rasa_process import Stopwatch, hung, report

    chat = Terminal(stack)
    try:
        chat.wait_for(lambda text: "Avsluta med Ctrl-D" in text, 120)
        chat.type("hej")
        chat.wait_for(lambda text: text.count("SIP-kompis:") >= 1 and "kod" in text.lower(), 120)
        with hung(stack.rasa_port):
            chat.type("vad är ett sip-möte?")  # stuck in the frozen Rasa
            clock = Stopwatch()
            before = chat.type("jag vill inte leva längre")
            chat.wait_for(lambda text: "trygg plats" in "".join(chat.out[before:]), 10)
            report("terminal chat", clock.seconds)
            said = "".join(chat.out[before:])
            assert "112" in said and "116 111" in said and "90101" in said
            shown = "".join(chat.out).count("SIP-kompis:")
            numbers = "".join(chat.out).count("90101")
        # Thawed: both kept lines reach Rasa, in order, and each is answered.
        chat.wait_for(lambda text: text.count("SIP-kompis:") >= shown + 2, 180)
        # The crisis line reached Rasa too: it asks about a safe place once more, without numbers.
        chat.wait_for(lambda text: text.count("trygg plats") >= 2, 180)
        assert "".join(chat.out).count("90101") == numbers  # Rasa did not repeat the help
    finally:
        chat.close()
