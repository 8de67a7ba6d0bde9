"""The action server's answers are checked as strictly as Rasa checks them, and a malformed
answer fails the turn: an error to the channel, nothing of the turn saved, nothing echoed
into the logs. (The check is compiled once instead of per answer; see action_result.py.)"""
from __future__ import annotations

import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import jsonschema
import pytest
import sqlalchemy

from tests.conftest import free_port, start_stack, stop_stack

CANARY = "hemlig-kanariefagel-7781"


@pytest.fixture(scope="module")
def rasa_schema():
    from rasa.core.actions.action import RemoteAction

    return RemoteAction.action_response_format_spec()


@pytest.fixture(scope="module")
def check(rasa_schema):
    from bot.rasa_plugins.action_result import ActionResultCheck

    return ActionResultCheck(rasa_schema)


def every_kind_of_event() -> list[dict]:
    """One real Rasa event of each kind an action may return, serialised by Rasa itself."""
    from rasa.shared.core import events as e

    made = [
        e.UserUttered("hej", {"name": "greet", "confidence": 0.9}, [{"entity": "role", "value": "kurator",
                                                                     "start": 0, "end": 3}]),
        e.BotUttered("Hej!", {"buttons": [{"title": "Ja", "payload": "/affirm"}]}),
        e.SlotSet("answer_good", "fotboll"), e.SlotSet("count", 3), e.SlotSet("empty", None),
        e.Restarted(), e.AllSlotsReset(), e.ReminderScheduled("x", __import__("datetime").datetime.now()),
        e.ReminderCancelled("r"), e.ActionReverted(), e.UserUtteranceReverted(), e.StoryExported(),
        e.FollowupAction("action_listen"), e.ConversationPaused(), e.ConversationResumed(),
        e.ActionExecuted("action_greet"), e.AgentUttered("hej"), e.ActiveLoop("preparation_form"),
        e.ActiveLoop(None), e.LoopInterrupted(True), e.ActionExecutionRejected("action_x"),
        e.SessionStarted(), e.EntitiesAdded([{"entity": "role", "value": "BUP"}]),
    ]
    return [event.as_dict() for event in made]


def test_every_event_rasa_makes_is_accepted_exactly_as_rasa_accepts_it(check, rasa_schema):
    answer = {"events": every_kind_of_event(), "responses": [{"text": "Hej!", "buttons": []}]}
    jsonschema.validate(answer, rasa_schema)  # Rasa's own check, for comparison
    assert check(answer) is True
    assert check({}) is True and check({"events": [], "responses": []}) is True


MALFORMED = [
    None, [], "events", {"events": "slot"}, {"events": [5]}, {"events": [{}]},
    {"events": [{"event": "no_such_event"}]}, {"events": [{"event": 5}]},
    {"events": [{"event": "slot", "name": 5, "value": CANARY}]},
    {"events": [{"event": "slot", "value": CANARY}]},  # a slot event must name its slot
    {"events": [{"event": "bot", "text": CANARY, "timestamp": "yesterday"}]},
    {"events": [{"event": "user", "text": CANARY, "parse_data": {"entities": [{"entity": "x"}]}}]},
    {"events": [{"event": "slot", "name": "a", "value": 1}, {"event": "action", "name": 7}]},
    {"responses": "Hej"}, {"responses": ["Hej"]},
]


@pytest.mark.parametrize("answer", MALFORMED, ids=range(len(MALFORMED)))
def test_a_malformed_answer_is_refused_with_the_error_rasa_would_raise(check, rasa_schema, answer):
    with pytest.raises(jsonschema.ValidationError) as ours:
        check(answer)
    with pytest.raises(jsonschema.ValidationError) as theirs:
        jsonschema.validate(answer, rasa_schema)
    assert ours.value.message == theirs.value.message


class FakeActionServer:
    """An action server that answers every action with whatever `answer` holds."""

    def __init__(self) -> None:
        self.answer: object = {"events": [], "responses": [{"text": "Hej från testet!"}]}
        self.calls = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                owner.calls += 1
                body = json.dumps(owner.answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.stack
def test_a_malformed_action_answer_fails_the_turn_closed(trained_model, tmp_path):
    fake = FakeActionServer()
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"action_endpoint:\n  url: http://127.0.0.1:{fake.port}/webhook\n"
                         "tracker_store:\n  type: bot.rasa_plugins.tracker_store.EncryptedTrackerStore\n"
                         "  db_url: ${SIPKOMPIS_DB_URL}\n")
    running = start_stack(tmp_path / "var", {"SIPKOMPIS_ENDPOINTS": str(endpoints)})
    try:
        sender = secrets.token_hex(8)
        calls = fake.calls
        assert "Hej från testet!" in json.dumps(running.say(sender, "hej"), ensure_ascii=False)
        assert fake.calls > calls  # the turn really went through the checked path
        engine = sqlalchemy.create_engine(running.env["SIPKOMPIS_DB_URL"], future=True)

        def stored(conversation: str) -> int:
            with engine.connect() as connection:
                return connection.execute(sqlalchemy.text(
                    "select count(*) from tracker_events where conversation_id = :c"),
                    {"c": conversation}).scalar_one()

        saved_before = stored(sender)
        assert saved_before > 0
        fake.answer = {"events": [{"event": "slot", "name": 5, "value": CANARY}],
                       "responses": [{"text": CANARY}]}
        response = httpx.post(running.webhook, json={"sender": sender, "message": "hej igen"},
                              headers=running.headers, timeout=120)
        assert response.status_code >= 500
        assert CANARY not in response.text
        assert stored(sender) == saved_before  # nothing of the failed turn saved
        fresh = secrets.token_hex(8)
        response = httpx.post(running.webhook, json={"sender": fresh, "message": "hej"},
                              headers=running.headers, timeout=120)
        assert response.status_code >= 500
        assert stored(fresh) == 0
        fake.answer = {"events": [], "responses": [{"text": "Hej från testet!"}]}
        assert "Hej från testet!" in json.dumps(running.say(sender, "hej"), ensure_ascii=False)
        assert stored(sender) > saved_before  # the conversation carries on where it was
        engine.dispose()
        assert CANARY not in running.logs()
    finally:
        stop_stack(running)
        fake.close()
