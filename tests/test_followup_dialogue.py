"""After the meeting, over the REST channel of a real `serve` (DESIGN section 5, steps 11-13):
the child's next message brings what was decided, the heard questions take buttons, typed
text and /skip, and only the answers the child chose to show reach the coordinator's inbox."""
from __future__ import annotations

import json
import secrets

import pytest

from tests.conftest import new_meeting

pytestmark = pytest.mark.stack

AFTER_THE_MEETING = "2030-05-20T12:00:00+02:00"  # the meeting starts at 09:30 Stockholm time
POINTS = ("Alva får sitta i ett lugnare rum|Omar|från 1 juni",
          "Ett nytt möte om skolan|kurator|i augusti")


def texts(replies):
    return "\n".join(r.get("text") or "" for r in replies)


def buttons(replies):
    return [b for r in replies for b in r.get("buttons") or []]


def payloads(replies):
    return [b["payload"] for b in buttons(replies)]


def prepared_child(stack, meeting) -> str:
    sender = secrets.token_hex(8)
    stack.say(sender, meeting["child_code"])
    stack.say(sender, "/affirm")
    stack.say(sender, "/start_preparation")
    for answer in ("skolan är bra", "rasterna är svåra", "ett lugnare rum", "vem bestämmer"):
        stack.say(sender, answer)
    stack.say(sender, "/skip")
    stack.say(sender, "/approve_summary")
    return sender


def record_outcome(stack, meeting, *extra) -> dict:
    args = ["outcome", "--meeting", meeting["meeting_id"], "--text",
            "Ni bestämde att skolan och BUP ska hjälpa dig mer.", "--json"]
    for point in POINTS:
        args += ["--point", point]
    result = stack.cli(*args, *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def run_due(stack, now: str = AFTER_THE_MEETING) -> int:
    result = stack.cli("followups", "run-due", "--now", now, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["sent"]


def inbox(stack, meeting) -> dict:
    result = stack.cli("inbox", "--coordinator", meeting["coordinator_id"], "--key", meeting["key_file"], "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_next_message_brings_the_outcome_then_the_heard_questions_and_only_shown_answers_are_sent(stack):
    meeting = new_meeting(stack)
    sender = prepared_child(stack, meeting)
    record_outcome(stack, meeting)
    # Not yet: the meeting has not started at this time.
    run_due(stack, "2030-05-19T12:00:00+02:00")
    assert "Omar" not in texts(stack.say(sender, "hej"))
    run_due(stack)

    shown = stack.say(sender, "hej")
    said = texts(shown)
    assert "skolan och BUP ska hjälpa dig mer" in said
    for what, who, when in (("Alva får sitta i ett lugnare rum", "Omar Haddad (kurator)", "från 1 juni"),
                            ("Ett nytt möte om skolan", "Omar Haddad (kurator)", "i augusti")):
        assert what in said and who in said and when in said
    assert "Sara Lind" in said  # whom to ask
    assert "1 av 5" in said and '/answer_heard{"heard": "yes"}' in payloads(shown)

    assert "2 av 5" in texts(stack.say(sender, '/answer_heard{"heard": "yes"}'))
    assert "3 av 5" in texts(stack.say(sender, "lite grann faktiskt"))
    assert "4 av 5" in texts(stack.say(sender, "/skip"))
    assert "5 av 5" in texts(stack.say(sender, '/answer_heard{"heard": "no"}'))
    summary = stack.say(sender, "när är nästa möte")
    shown_text = texts(summary)
    for answer in ("«Ja»", "«lite grann faktiskt»", "«Nej»", "«när är nästa möte»"):
        assert answer in shown_text
    send = [b for b in buttons(summary) if b["payload"] == "/approve_feedback"]
    assert send and send[0]["title"].startswith("Skicka")
    assert sum(b["title"].startswith("Skicka") for b in buttons(summary)) == 1

    offered = payloads(stack.say(sender, "/choose_feedback_sharing"))
    hide = [p for p in offered if '"item": "listened"' in p]
    hidden = texts(stack.say(sender, hide[0]))
    assert "«lite grann faktiskt»\nSer det: ingen" in hidden
    sent = texts(stack.say(sender, "/approve_feedback"))
    assert "Skickat till samordnaren" in sent
    again = texts(stack.say(sender, "/approve_feedback"))  # an old button tapped again
    assert "inga svar att skicka" in again

    box = inbox(stack, meeting)
    assert [s["version"] for s in box["statements"]] == [1]
    assert len(box["feedback"]) == 1
    answers = {i["kind"]: i["text"] for i in box["feedback"][0]["items"]}
    assert answers == {"said": "Ja", "mattered": "Nej", "more": "när är nästa möte"}
    assert box["feedback"][0]["meeting_id"] == meeting["meeting_id"] and box["feedback"][0]["approved_at"]

    dump = b"".join(path.read_bytes() for path in stack.var.glob("sipkompis.db*"))
    for typed in ("lite grann faktiskt", "när är nästa möte"):
        assert typed.encode() not in dump and json.dumps(typed).strip('"').encode() not in dump
        assert typed not in stack.logs()


def test_the_outcome_can_be_read_again_and_is_shown_only_once_by_itself(stack):
    meeting = new_meeting(stack)
    sender = prepared_child(stack, meeting)
    record_outcome(stack, meeting)
    run_due(stack)
    assert "lugnare rum" in texts(stack.say(sender, "vad hände på mötet"))
    # A crisis in the middle of the heard questions gets help at once, not an answer slot.
    helped = texts(stack.say(sender, "jag vill inte leva längre"))
    assert "90101" in helped and "trygg" in helped
    stack.say(sender, "ja")
    later = stack.say(sender, "hej")
    assert "skolan och BUP" not in texts(later)  # not pushed a second time
    again = texts(stack.say(sender, "/read_outcome"))
    assert "skolan och BUP ska hjälpa dig mer" in again and "Alva får sitta i ett lugnare rum" in again


def test_a_guardian_never_gets_the_outcome_in_the_chat(stack):
    meeting = new_meeting(stack)
    prepared_child(stack, meeting)
    invite = json.loads(stack.cli("invite", "--meeting", meeting["meeting_id"], "--role", "guardian",
                                  "--name", "Anna Svensson", "--json").stdout)
    guardian = secrets.token_hex(8)
    stack.say(guardian, invite["code"])
    record_outcome(stack, meeting)
    run_due(stack)
    seen = ""
    for message in ("hej", "/followup_open", "/read_outcome", "vad bestämdes"):
        seen += texts(stack.say(guardian, message))
    assert "lugnare rum" not in seen and "skolan och BUP" not in seen


def test_a_paused_child_is_resumed_by_any_message_and_then_gets_the_outcome(stack):
    meeting = new_meeting(stack)
    sender = prepared_child(stack, meeting)
    assert "inga fler" in texts(stack.say(sender, "sluta skicka meddelanden"))
    listed = json.loads(stack.cli("meeting", "list", "--json").stdout)["meetings"]
    assert [m["paused"] for m in listed if m["meeting_id"] == meeting["meeting_id"]] == [True]
    record_outcome(stack, meeting)
    run_due(stack)
    assert "skolan och BUP ska hjälpa dig mer" in texts(stack.say(sender, "hej igen"))
    listed = json.loads(stack.cli("meeting", "list", "--json").stdout)["meetings"]
    assert [m["paused"] for m in listed if m["meeting_id"] == meeting["meeting_id"]] == [False]


def test_the_check_in_asks_whether_what_was_decided_has_happened(stack):
    meeting = new_meeting(stack)
    sender = prepared_child(stack, meeting)
    record_outcome(stack, meeting, "--next-followup", "2030-06-17")
    run_due(stack)
    stack.say(sender, "hej")
    for _ in range(5):
        stack.say(sender, "/skip")
    run_due(stack, "2030-06-17T12:00:00+02:00")
    asked = stack.say(sender, "hej")
    assert "hänt" in texts(asked) and '/checkin_answer{"checkin": "no"}' in payloads(asked)
    not_done = stack.say(sender, '/checkin_answer{"checkin": "no"}')
    assert "/checkin_tell" in payloads(not_done) and "IVO" in texts(not_done)
    assert "sagt till samordnaren" in texts(stack.say(sender, "/checkin_tell"))
