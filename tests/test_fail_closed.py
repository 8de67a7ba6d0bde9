"""Rasa's silent fallbacks are closed: a store fault is an error the channel reports, a
retried message is answered once, and serve refuses to start on the wrong store."""
from __future__ import annotations

import secrets
import subprocess
import sys

import httpx
import pytest
import sqlalchemy

from tests.conftest import REPO, cut_off, free_port, new_meeting, start_stack, stop_stack

pytestmark = pytest.mark.stack


def texts(replies):
    return "\n".join(r.get("text") or "" for r in replies)


def test_repeated_message_id_is_answered_once(stack):
    meeting = new_meeting(stack)
    sender = secrets.token_hex(8)
    stack.say(sender, meeting["child_code"])
    stack.say(sender, "/affirm")
    stack.say(sender, "/start_preparation")
    first = stack.say(sender, "jag gillar att rita", message_id="m-1")
    again = stack.say(sender, "jag gillar att rita", message_id="m-1")
    assert first == again
    assert "2 av 5" in texts(first)
    # Had the retry been processed, this would be the answer to question 3, not question 2.
    nxt = stack.say(sender, "det är jobbigt på rasterna")
    assert "3 av 5" in texts(nxt)


def test_bad_requests_get_4xx_and_a_reason(stack):
    for body, status in (({"message": "hej"}, 400), ({"sender": "a b", "message": "hej"}, 400),
                         ({"sender": "abc", "message": 5}, 400),
                         ({"sender": "abc", "message": "x" * 10_001}, 413)):
        response = httpx.post(stack.webhook, json=body, headers=stack.headers, timeout=30)
        assert response.status_code == status
        assert "error" in response.json()


def test_long_and_invisible_input_gets_a_kind_answer(stack):
    sender = secrets.token_hex(8)
    long_text = texts(stack.say(sender, "hej " * 1250))
    assert long_text  # 5,000 characters: answered, not a crash
    zero_width = stack.say(sender, "\u200b\u200b\x07")
    assert zero_width  # only invisible characters: still an answer


def test_database_down_is_a_5xx_and_nothing_is_lost_on_postgres(trained_model, pg_database, tmp_path):
    url, admin, name = pg_database
    running = start_stack(tmp_path / "var", {"SIPKOMPIS_DB_URL": url})
    try:
        meeting = new_meeting(running)
        sender = secrets.token_hex(8)
        assert "Alva" in texts(running.say(sender, meeting["child_code"]))
        running.say(sender, "/affirm")
        running.say(sender, "/start_preparation")
        cut_off(admin, name, allow=False)
        response = httpx.post(running.webhook, json={"sender": sender, "message": "min hund",
                                                     "message_id": "x1"},
                              headers=running.headers, timeout=60)
        assert response.status_code >= 500  # not a silent 200 with nothing behind it
        cut_off(admin, name, allow=True)
        retried = running.say(sender, "min hund", message_id="x1")
        assert "2 av 5" in texts(retried)  # the conversation was not reset to an empty one
        assert "min hund" not in running.logs()
    finally:
        stop_stack(running)


def _serve_with_endpoints(tmp_path, store_type: str) -> subprocess.CompletedProcess:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"action_endpoint:\n  url: http://127.0.0.1:${{ACTION_PORT}}/webhook\n"
                         f"tracker_store:\n  type: {store_type}\n")
    env = {"SIPKOMPIS_ENDPOINTS": str(endpoints), "SIPKOMPIS_VAR_DIR": str(tmp_path / "var"),
           "SIPKOMPIS_DB_URL": f"sqlite:///{tmp_path / 'var' / 'db.sqlite'}",
           # Every port its own: a developer's serve on the default 8080/8081 must not turn
           # this refusal into a "port in use" one.
           "RASA_PORT": str(free_port()), "ACTION_PORT": str(free_port()),
           "WEB_PORT": str(free_port()), "COORDINATOR_PORT": str(free_port())}
    import os

    return subprocess.run([sys.executable, "-m", "bot", "serve"], cwd=REPO, capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=400)


def test_serve_refuses_to_start_when_the_custom_store_cannot_load(trained_model, tmp_path):
    result = _serve_with_endpoints(tmp_path, "bot.rasa_plugins.no_such_module.Store")
    assert result.returncode != 0
    assert not any(line.startswith("ready") for line in result.stdout.splitlines())


def test_serve_refuses_a_plaintext_tracker_store(trained_model, tmp_path):
    result = _serve_with_endpoints(tmp_path, "sql")
    assert result.returncode != 0
    assert "not the encrypted tracker store" in result.stderr
