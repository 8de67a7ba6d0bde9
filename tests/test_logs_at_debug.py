"""With logging turned all the way up (ours and Rasa's own LOG_LEVEL settings at DEBUG),
whole conversations through REST, the web chat and Telegram, and the failures in between
(a body that is not JSON, a message too long, Rasa hung, the action server killed
before a turn), leave no word of the child's in any log line of any process."""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time

import httpx
import pytest

from tests.conftest import new_meeting, prepare_over_rest, start_stack, stop_stack
from tests.fake_telegram import FakeTelegram
from tests.test_no_leaks import assert_absent
from tests.web_browser import csrf_of, http_log_in, nonce_of, web_client

pytestmark = pytest.mark.stack

DEBUG_ENV = {"SIPKOMPIS_LOG_LEVEL": "DEBUG", "LOG_LEVEL": "DEBUG", "LOG_LEVEL_LIBRARIES": "DEBUG"}


def canary() -> str:
    return f"kanarie{secrets.token_hex(4)}"


@pytest.fixture(scope="module")
def loud(trained_model, tmp_path_factory):
    fake = FakeTelegram().start()
    env = {"TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE": fake.api_base,
           "TELEGRAM_BOT_USERNAME": "sipkompis_test_bot", **DEBUG_ENV}
    stack = start_stack(tmp_path_factory.mktemp("debug-logs") / "var", env)
    try:
        yield stack, fake
    finally:
        stop_stack(stack)
        fake.stop()


def pid_of(stack, pattern: str) -> int:
    found = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split()
    assert found, pattern
    return int(found[0])


def wait_until(check, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise AssertionError("not back in time")


def test_no_child_word_in_any_log_line_at_debug_through_every_channel_and_failure(loud):
    stack, fake = loud
    words: list[str] = []

    def new_word() -> str:
        words.append(canary())
        return words[-1]

    web = f"http://127.0.0.1:{stack.env['WEB_PORT']}"
    # REST: the golden path.
    answers = [f"det handlar om {new_word()} typ" for _ in range(4)]
    prepare_over_rest(stack, new_meeting(stack)["child_code"], answers)
    # The web chat: log in, answer, and one message that is too long.
    with web_client(web) as child:
        chat = http_log_in(child, new_meeting(stack)["child_code"], "246813")
        for text in (new_word(), f"{new_word()} " * 3000):
            child.post("/send", data={"csrf": csrf_of(chat.text), "nonce": nonce_of(chat.text),
                                      "text": text})
            chat = child.get("/chat")
        # Telegram: link and say something.
        chat_id = 424242
        before = len(fake.sent_to(chat_id, "sendMessage"))
        fake.send_text(chat_id, "/start " + new_meeting(stack)["child_code"].replace("-", ""))
        before = len(fake.messages_after(chat_id, before)) + before
        fake.send_text(chat_id, f"jag vill säga {new_word()}")
        fake.messages_after(chat_id, before)
        # REST input refusing what it cannot take.
        bad = httpx.post(stack.webhook, headers={**stack.headers, "Content-Type": "application/json"},
                         content=f'{{"sender": "abc", "message": "{new_word()}"'.encode(), timeout=60)
        assert bad.status_code == 400
        long = httpx.post(stack.webhook, headers=stack.headers, timeout=60,
                          json={"sender": "abc", "message": f"{new_word()} " * 2000})
        assert long.status_code == 413
        # Rasa hung: the web chat and Telegram keep the message and say so.
        rasa = pid_of(stack, f"launcher --model .* --port {stack.env['RASA_PORT']}")
        os.kill(rasa, signal.SIGSTOP)
        try:
            stuck = child.post("/send", data={"csrf": csrf_of(chat.text),
                                              "nonce": nonce_of(chat.text), "text": new_word()})
            assert stuck.status_code in (200, 303, 503)
            before = len(fake.sent_to(chat_id, "sendMessage"))
            fake.send_text(chat_id, new_word())
            time.sleep(5)
        finally:
            os.kill(rasa, signal.SIGCONT)
        fake.messages_after(chat_id, before)
    # The action server killed just before a turn needs it: the turn fails, and serve stops
    # everything (an operator's process manager starts it again).
    sender, _ = prepare_over_rest(stack, new_meeting(stack)["child_code"], approve=False)
    os.kill(pid_of(stack, f"actions.server --port {stack.env['ACTION_PORT']}"), signal.SIGKILL)
    try:
        failed = httpx.post(stack.webhook, headers=stack.headers, timeout=120,
                            json={"sender": sender, "message": f"ändra {new_word()}"})
        assert failed.status_code >= 500
    except httpx.TransportError:
        pass  # serve may already be stopping Rasa too
    stack.process.wait(120)
    logs = stack.logs()
    own_debug = [line for line in logs.splitlines() if " DEBUG " in line]
    assert own_debug, "DEBUG was asked for but no process logged at DEBUG"
    assert_absent(logs.encode(), words, "a log line at DEBUG")
